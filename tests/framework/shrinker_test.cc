// Shrinking and pct: a random-found loss shrinks to the KB's sequence and
// still replays; pct is deterministic and finds the race.
#include <catch2/catch.hpp>

#include "framework/explorer.h"
#include "tests/support/suites.h"

namespace intransit {
namespace {

using testing::Q277911Suite;

Suite RandomPreSp4(uint64_t seed) {
  Suite s = Q277911Suite("pre-sp4", 3, 2);
  s.explore.strategy = "random";
  s.explore.seed = seed;
  s.explore.max_schedules = 50;
  return s;
}

TEST_CASE("shrinker: a random-found loss shrinks to create, deliver, flag and replays",
          "[shrinker]") {
  uint64_t seed = GENERATE(take(5, random(1, 100000)));
  CAPTURE(seed);
  Suite s = RandomPreSp4(seed);
  s.explore.shrink = false;
  SuiteResult raw = ExploreSuite(s, {});
  s.explore.shrink = true;
  SuiteResult shrunk = ExploreSuite(s, {});
  REQUIRE(raw.outcome == Outcome::kViolation);
  REQUIRE(shrunk.outcome == Outcome::kViolation);
  const Violation& before = raw.violations[0];
  const Violation& after = shrunk.violations[0];
  CHECK(before.timeline.size() >= 10);
  CHECK(after.timeline.size() <= before.timeline.size());
  CHECK(after.preemptions <= before.preemptions);
  CHECK_FALSE(after.shrunk.empty());

  // The KB's sequence: create, the delivery into the new mailbox, flag.
  REQUIRE(after.timeline.size() >= 3);
  CHECK(after.timeline[0].point == "create");
  CHECK(after.timeline[1].point == "deliver");
  CHECK(after.timeline[1].server == "dst");
  CHECK(after.timeline[2].point == "flag");
  int not_delivered = 0;
  for (const auto& m : after.messages) not_delivered += m.verdict != Verdict::kDelivered;
  CHECK(not_delivered == 1);

  // The minimal token replays the same timeline, strictly.
  Suite replay = s;
  replay.explore.strategy = "replay";
  replay.explore.schedule = after.token;
  SuiteResult again = ExploreSuite(replay, {});
  REQUIRE(again.outcome == Outcome::kViolation);
  REQUIRE(again.violations[0].timeline.size() == after.timeline.size());
  for (size_t i = 0; i < after.timeline.size(); ++i) {
    CHECK(again.violations[0].timeline[i].actor == after.timeline[i].actor);
    CHECK(again.violations[0].timeline[i].point == after.timeline[i].point);
  }
}

TEST_CASE("shrinker: exhaustive violations are reported as found (already smallest first)",
          "[shrinker]") {
  SuiteResult r = ExploreSuite(Q277911Suite("pre-sp4"), {});
  REQUIRE(r.outcome == Outcome::kViolation);
  CHECK(r.violations[0].shrunk.empty());
}

TEST_CASE("pct: the same seed gives the same schedules", "[pct]") {
  auto run = [](uint64_t seed) {
    Suite s = Q277911Suite("pre-sp4", 3, 2);
    s.explore.strategy = "pct";
    s.explore.seed = seed;
    s.explore.depth = 2;
    s.explore.max_schedules = 300;
    s.explore.shrink = false;
    return ExploreSuite(s, {});
  };
  SuiteResult a = run(5), b = run(5);
  CHECK(a.violating_schedules == b.violating_schedules);
  REQUIRE(a.violations.size() == 1);
  CHECK(a.violations[0].token == b.violations[0].token);
  CHECK(a.violating_schedules > 0);
}

TEST_CASE("pct: depth 1 runs every actor to the end without preemption", "[pct]") {
  Suite s = Q277911Suite("pre-sp4", 3, 2);
  s.explore.strategy = "pct";
  s.explore.depth = 1;
  s.explore.max_schedules = 200;
  SuiteResult r = ExploreSuite(s, {});
  // No change point: the highest-priority actor runs until it is done, so the
  // mover is never interrupted between create and flag.
  CHECK(r.outcome == Outcome::kPass);
  CHECK(r.schedules == 200);
}

TEST_CASE("pct: depth 2 finds the Q277911 window", "[pct]") {
  Suite s = Q277911Suite("pre-sp4", 1, 1);
  s.explore.strategy = "pct";
  s.explore.depth = 2;
  s.explore.max_schedules = 200;
  s.explore.stop_at_first = true;
  SuiteResult r = ExploreSuite(s, {});
  REQUIRE(r.outcome == Outcome::kViolation);
  CHECK(r.violations[0].timeline[0].point == "create");
}

}  // namespace
}  // namespace intransit
