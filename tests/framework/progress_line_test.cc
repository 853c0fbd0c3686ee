// The progress line: percent and ETA where the space is known or estimated,
// nothing made up where it is not.
#include <catch2/catch.hpp>

#include "explore/progress_line.h"

namespace intransit {
namespace {

TEST_CASE("progress: exhaustive estimates the space and the time left", "[progress]") {
  ProgressCounts c;
  c.name = "q";
  c.schedules = 1000;
  c.seconds = 2;
  c.explored = 0.25;
  c.budget = 100000;  // far: the walk ends first
  CHECK(ProgressLine(c) == "  q: 1000 schedules, 500/s, 0 violating, ~25%, ETA 6 s, space ~4000");
  c.dpor = true;
  c.sleep_blocked = 7;
  CHECK_THAT(ProgressLine(c), Catch::EndsWith(", dpor, 7 sleep-blocked"));
}

TEST_CASE("progress: a schedule or time budget is exact and ends first", "[progress]") {
  ProgressCounts c;
  c.name = "r";
  c.schedules = 300;
  c.violating = 2;
  c.seconds = 30;
  c.budget = 400;  // 75% by count
  bool estimated = true;
  CHECK(FractionDone(c, &estimated) == Approx(0.75));
  CHECK_FALSE(estimated);
  CHECK(ProgressLine(c) == "  r: 300 schedules, 10/s, 2 violating, 75%, ETA 10 s");
  c.time_budget_s = 32;  // 94% by time: the time budget ends the run first
  CHECK(FractionDone(c, &estimated) == Approx(30.0 / 32));
  CHECK_THAT(ProgressLine(c), Catch::Contains("94%, ETA 2 s"));
  c.seconds = 3600;
  c.time_budget_s = 0;
  c.budget = 1000;  // 30% after an hour: 2 h 20 min to go
  CHECK_THAT(ProgressLine(c), Catch::Contains("30%, ETA 2 h 20 min"));
}

TEST_CASE("progress: no percent when nothing bounds the run", "[progress]") {
  ProgressCounts c;
  c.name = "live";
  c.schedules = 5;
  c.seconds = 1;
  bool estimated = false;
  CHECK(FractionDone(c, &estimated) == -1);
  CHECK(ProgressLine(c) == "  live: 5 schedules, 5/s, 0 violating");
  // Never 100% before the run says it is done.
  c.budget = 5;
  CHECK_THAT(ProgressLine(c), Catch::Contains("99%") && !Catch::Contains("100%"));
}

}  // namespace
}  // namespace intransit
