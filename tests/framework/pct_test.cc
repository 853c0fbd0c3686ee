// pct (Burckhardt et al. 2010): deterministic for a seed, no preemption at
// depth 1, and a depth-2 bug hit at least as often as its guarantee
// 1/(n*k^(d-1)) per schedule promises, on short and long moves; on a long
// move it reaches a window random does not.
#include <catch2/catch.hpp>
#include <string>

#include "explore/explorer.h"
#include "explore/pct_strategy.h"
#include "tests/support/suites.h"

namespace intransit {
namespace {

using testing::Q277911Suite;

// 5 senders x 2 messages; alice's `mailbox` messages copied one per step.
Suite LongMove(const std::string& variant, int mailbox) {
  Suite s = Q277911Suite(variant, 5, 2, mailbox);
  s.adapter_config.options.Set("copy", std::string("message"));
  return s;
}

TEST_CASE("pct: the same seed gives the same schedules", "[pct]") {
  auto run = [](uint64_t seed) {
    Suite s = Q277911Suite("pre-sp4", 3, 2);
    s.explore.strategy = StrategyKind::kPct;
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

// The runner asks only when two actors can go: a change point on a step in
// between must still demote, at the next choice. Between a choice at step 1
// and one past every change point, the one change point of depth 2 has
// fallen (unless it was step 1 itself), so the two picks differ.
TEST_CASE("pct: a change point on a step without a choice demotes at the next choice", "[pct]") {
  PctStrategy pct(7, 100, 2);
  int differ = 0;
  for (uint64_t i = 0; i < 100; ++i) {
    REQUIRE(pct.BeginSchedule(i));
    int before = pct.ChooseActor({0, 1}, 1, false, 0);
    int after = pct.ChooseActor({0, 1}, 100000, false, 0);
    differ += before != after;
    pct.EndSchedule();
  }
  CHECK(differ >= 75);
}

TEST_CASE("pct: depth 1 runs every actor to the end without preemption", "[pct]") {
  Suite s = Q277911Suite("pre-sp4", 3, 2);
  s.explore.strategy = StrategyKind::kPct;
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
  s.explore.strategy = StrategyKind::kPct;
  s.explore.depth = 2;
  s.explore.max_schedules = 200;
  s.explore.stop_at_first = true;
  SuiteResult r = ExploreSuite(s, {});
  REQUIRE(r.outcome == Outcome::kViolation);
  CHECK(r.violations[0].timeline[0].point == "create");
}

TEST_CASE("pct: a depth-2 bug is hit at least once in n times k schedules, its guarantee",
          "[pct]") {
  struct Case {
    Suite suite;
    int k;  // steps of a schedule: the mover's plus ten deliveries
  };
  // n = 6 actors. pre-sp4: 7 mover steps; flush-overwrite with a
  // 20-message copy: create, 20 copies, route, unflag, flush, cleanup.
  for (Case c :
       {Case{Q277911Suite("pre-sp4", 5, 2), 17}, Case{LongMove("flush-overwrite", 20), 35}}) {
    c.suite.explore.strategy = StrategyKind::kPct;
    c.suite.explore.depth = 2;
    c.suite.explore.max_schedules = 2000;
    c.suite.explore.shrink = false;
    SuiteResult r = ExploreSuite(c.suite, {});
    INFO(c.suite.name << ": " << r.violating_schedules << " of " << r.schedules);
    CHECK(r.schedules == 2000);
    CHECK(r.violating_schedules * 6 * c.k >= r.schedules);
  }
}

// flush-overwrite loses what arrives between unflag and flush, which come
// after 20 copy steps. Random spends the senders' ten messages long before
// (none in 200,000 schedules when measured); pct reaches the window once a
// change point falls right after unflag. Seeds 1-3, not chosen.
TEST_CASE("pct: reaches a window at the end of a long move that random does not", "[pct]") {
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    Suite s = LongMove("flush-overwrite", 20);
    s.explore.seed = seed;
    s.explore.depth = 2;
    s.explore.max_schedules = 1000;
    s.explore.stop_at_first = true;
    s.explore.shrink = false;
    s.explore.strategy = StrategyKind::kPct;
    SuiteResult pct = ExploreSuite(s, {});
    s.explore.strategy = StrategyKind::kRandom;
    SuiteResult random = ExploreSuite(s, {});
    INFO("seed " << seed);
    CHECK(pct.outcome == Outcome::kViolation);
    CHECK(random.outcome == Outcome::kPass);
    CHECK(random.schedules == 1000);
  }
}

}  // namespace
}  // namespace intransit
