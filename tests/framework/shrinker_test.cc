// Shrinking: a random-found loss shrinks to the KB's sequence and still
// replays.
#include <catch2/catch.hpp>

#include "explore/explorer.h"
#include "tests/support/suites.h"

namespace intransit {
namespace {

using testing::Q277911Suite;

Suite RandomPreSp4(uint64_t seed) {
  Suite s = Q277911Suite("pre-sp4", 3, 2);
  s.explore.strategy = StrategyKind::kRandom;
  s.explore.seed = seed;
  s.explore.max_schedules = 50;
  return s;
}

TEST_CASE("shrinker: a random-found loss shrinks to create, deliver, flag and replays",
          "[shrinker][hardening]") {
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
  // Strictly smaller, not the original handed back: the steps stay (every
  // actor runs to its end) but the choices that got there are fewer.
  CHECK(after.token.size() < before.token.size());
  CHECK(after.token != before.token);

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
  replay.explore.strategy = StrategyKind::kReplay;
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

}  // namespace
}  // namespace intransit
