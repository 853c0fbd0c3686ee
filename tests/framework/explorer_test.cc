// The explorer on the reference adapter: Q277911 found, SP4 proven, counts
// match the combinatorics, tokens replay, seeds repeat.
#include <catch2/catch.hpp>

#include "explore/explorer.h"
#include "suite/schedule_token.h"
#include "tests/support/suites.h"

namespace intransit {
namespace {

using testing::Q277911Suite;

TEST_CASE("explorer: finds Q277911 on pre-sp4 and names create, deliver, flag", "[explorer]") {
  Suite s = Q277911Suite("pre-sp4");
  s.explore.reduction = Reduction::kNone;
  SuiteResult r = ExploreSuite(s, {});
  REQUIRE(r.outcome == Outcome::kViolation);
  CHECK(r.complete);
  // One delivery among 7 mover points: 8 interleavings.
  CHECK(r.schedules == 8);
  CHECK(r.violating_schedules == 1);
  REQUIRE(r.violations.size() == 1);
  const Violation& v = r.violations[0];
  REQUIRE(v.timeline.size() >= 3);
  CHECK(v.timeline[0].actor == "mover");
  CHECK(v.timeline[0].point == "create");
  CHECK(v.timeline[1].actor == "sender-1");
  CHECK(v.timeline[1].point == "deliver");
  CHECK(v.timeline[1].server == "dst");
  CHECK(v.timeline[1].message == "<m1.alice@intransit>");
  CHECK(v.timeline[2].point == "flag");
  CHECK(std::find(v.invariants.begin(), v.invariants.end(), "no-silent-loss") !=
        v.invariants.end());
  bool lost = false;
  for (const auto& m : v.messages) {
    if (m.message == "<m1.alice@intransit>") lost = m.verdict == Verdict::kLost;
  }
  CHECK(lost);
}

TEST_CASE("explorer: sp4 loses nothing in any interleaving", "[explorer]") {
  Suite s = Q277911Suite("sp4", 1, 1);
  s.explore.reduction = Reduction::kNone;
  SuiteResult r = ExploreSuite(s, {});
  CHECK(r.outcome == Outcome::kPass);
  CHECK(r.complete);
  CHECK(r.schedules == 7);  // one delivery among the 6 points of SP4's move
  CHECK(r.reduction == Reduction::kNone);
}

TEST_CASE("explorer: exhaustive counts every interleaving of 3 senders x 2 messages",
          "[explorer]") {
  SECTION("pre-sp4: 7 move points, 13!/(7!2!2!2!)") {
    Suite s = Q277911Suite("pre-sp4", 3, 2);
    s.explore.max_schedules = 1000000;
    s.explore.reduction = Reduction::kNone;
    SuiteResult r = ExploreSuite(s, {});
    CHECK(r.complete);
    CHECK(r.schedules == 154440);
    CHECK(r.outcome == Outcome::kViolation);
  }
  SECTION("sp4: 6 move points, 12!/(6!2!2!2!)") {
    Suite s = Q277911Suite("sp4", 3, 2);
    s.explore.reduction = Reduction::kNone;
    SuiteResult r = ExploreSuite(s, {});
    CHECK(r.complete);
    CHECK(r.schedules == 83160);
    CHECK(r.outcome == Outcome::kPass);
  }
}

TEST_CASE("explorer: dpor covers 3 senders x 2 messages in one schedule per trace",
          "[explorer][dpor]") {
  // The counts of shared/reduction's model (source-DPOR, per-object keys):
  // one schedule per Mazurkiewicz trace of the reference store's steps.
  SECTION("pre-sp4") {
    SuiteResult r = ExploreSuite(Q277911Suite("pre-sp4", 3, 2), {});
    CHECK(r.reduction == Reduction::kDpor);
    CHECK(r.complete);
    CHECK(r.schedules == 3375);
    CHECK(r.outcome == Outcome::kViolation);
  }
  SECTION("sp4") {
    SuiteResult r = ExploreSuite(Q277911Suite("sp4", 3, 2), {});
    CHECK(r.reduction == Reduction::kDpor);
    CHECK(r.complete);
    CHECK(r.schedules == 1000);
    CHECK(r.outcome == Outcome::kPass);
  }
  SECTION("a preemption bound runs without reduction under auto") {
    Suite s = Q277911Suite("sp4", 1, 1);
    s.explore.max_preemptions = 5;
    SuiteResult r = ExploreSuite(s, {});
    CHECK(r.reduction == Reduction::kNone);
    CHECK(r.schedules == 7);
  }
}

TEST_CASE("explorer: max_schedules caps exhaustive and says the space is not covered",
          "[explorer]") {
  Suite s = Q277911Suite("sp4", 3, 2);
  s.explore.max_schedules = 100;
  SuiteResult r = ExploreSuite(s, {});
  CHECK(r.schedules == 100);
  CHECK_FALSE(r.complete);
}

TEST_CASE("explorer: a violation's token replays the same timeline", "[explorer][replay]") {
  Suite s = Q277911Suite("pre-sp4", 2, 2);
  s.explore.strategy = StrategyKind::kRandom;
  s.explore.seed = 7;
  s.explore.max_schedules = 200;
  SuiteResult found = ExploreSuite(s, {});
  REQUIRE(found.outcome == Outcome::kViolation);
  const Violation& v = found.violations[0];

  Suite replay = s;
  replay.explore.strategy = StrategyKind::kReplay;
  replay.explore.schedule = v.token;
  SuiteResult again = ExploreSuite(replay, {});
  REQUIRE(again.outcome == Outcome::kViolation);
  REQUIRE(again.violations[0].timeline.size() == v.timeline.size());
  for (size_t i = 0; i < v.timeline.size(); ++i) {
    CAPTURE(i);
    CHECK(again.violations[0].timeline[i].actor == v.timeline[i].actor);
    CHECK(again.violations[0].timeline[i].point == v.timeline[i].point);
    CHECK(again.violations[0].timeline[i].what == v.timeline[i].what);
  }
  CHECK(again.violations[0].token == v.token);
}

TEST_CASE("explorer: the same seed gives the same schedules and verdicts", "[explorer]") {
  auto run = [](uint64_t seed) {
    Suite s = Q277911Suite("pre-sp4", 3, 2);
    s.explore.strategy = StrategyKind::kRandom;
    s.explore.seed = seed;
    s.explore.max_schedules = 500;
    return ExploreSuite(s, {});
  };
  SuiteResult a = run(11), b = run(11), c = run(12);
  CHECK(a.violating_schedules == b.violating_schedules);
  REQUIRE(a.violations.size() == 1);
  REQUIRE(b.violations.size() == 1);
  CHECK(a.violations[0].token == b.violations[0].token);
  // Another seed explores other schedules (with overwhelming likelihood).
  CHECK((c.violations.empty() || c.violations[0].token != a.violations[0].token ||
         c.violating_schedules != a.violating_schedules));
}

TEST_CASE("explorer: a token that does not fit the suite is an error, not a verdict",
          "[explorer][replay]") {
  Suite s = Q277911Suite("pre-sp4");
  s.explore.strategy = StrategyKind::kReplay;
  s.explore.schedule = "1.z";
  SuiteResult r = ExploreSuite(s, {});
  CHECK(r.outcome == Outcome::kError);
  CHECK(r.exit_code_hint == 2);
  CHECK_THAT(r.error, Catch::Contains("does not fit"));
}

}  // namespace
}  // namespace intransit

namespace intransit {
namespace {

TEST_CASE("explorer: a time budget stops exploring and says the space was not covered",
          "[explorer][budget]") {
  // 5 senders x 2 messages: far more interleavings than 0.2 s can run on
  // any machine, and enough time for some however loaded this one is.
  Suite s = testing::Q277911Suite("pre-sp4", 5, 2);
  s.explore.max_schedules = 1000000000;
  ExploreOptions o;
  o.time_budget_s = 0.2;
  SuiteResult r = ExploreSuite(s, o);
  CHECK_FALSE(r.complete);
  CHECK(r.schedules > 0);
  CHECK(r.schedules < s.explore.max_schedules);
}

TEST_CASE("explorer: the preemption bound keeps to schedules with few preemptions",
          "[explorer][preemption]") {
  Suite s = testing::Q277911Suite("pre-sp4", 3, 2);
  s.explore.max_preemptions = 1;
  SuiteResult r = ExploreSuite(s, {});
  CHECK(r.complete);
  CHECK(r.max_preemptions == 1);
  CHECK(r.schedules < 154440);
  REQUIRE(r.outcome == Outcome::kViolation);
  CHECK(r.violations[0].preemptions <= 1);
}

TEST_CASE("explorer: max_schedules equal to the space's size covers it", "[explorer][hardening]") {
  // Pre-SP4's space is 8 schedules: a cap of 8 runs them all and says so
  // (the cap was checked before the strategy could say it was done).
  Suite s = testing::Q277911Suite("pre-sp4");
  s.explore.reduction = Reduction::kNone;
  s.explore.max_schedules = 8;
  SuiteResult r = ExploreSuite(s, {});
  CHECK(r.schedules == 8);
  CHECK(r.complete);
  s.explore.max_schedules = 7;
  SuiteResult cut = ExploreSuite(s, {});
  CHECK(cut.schedules == 7);
  CHECK_FALSE(cut.complete);
  s.explore.max_schedules = 9;
  CHECK(ExploreSuite(s, {}).complete);
}

// A bounded exhaustive run of pre-SP4 with `senders` senders of `messages`.
SuiteResult Bounded(int senders, int messages, int bound) {
  Suite s = testing::Q277911Suite("pre-sp4", senders, messages);
  s.explore.max_preemptions = bound;
  s.explore.max_schedules = 1000000;
  return ExploreSuite(s, {});
}

TEST_CASE("explorer: the preemption bound admits exactly the schedules within it",
          "[explorer][preemption][hardening]") {
  // The counts of interleaving a 7-step mover with the senders' deliveries,
  // a preemption being a switch away from an actor that could go on (the
  // first choice and a switch after an actor ended are free), counted by
  // brute force: (7,1): 2 | 8; (7,1,1): 6 | 42 | 72; (7,2,2,2): 24 | 348
  // for bounds 0 | 1 | 2.
  SECTION("one sender: bound 0 is mover-then-sender or sender-then-mover") {
    SuiteResult r = Bounded(1, 1, 0);
    CHECK(r.complete);
    CHECK(r.schedules == 2);
    CHECK(r.outcome == Outcome::kPass);  // the loss needs a preemption
    SuiteResult one = Bounded(1, 1, 1);
    CHECK(one.complete);
    CHECK(one.schedules == 8);
    CHECK(one.outcome == Outcome::kViolation);
    CHECK(one.violating_schedules == 1);
  }
  SECTION("two senders") {
    CHECK(Bounded(2, 1, 0).schedules == 6);
    CHECK(Bounded(2, 1, 1).schedules == 42);
    CHECK(Bounded(2, 1, 2).schedules == 72);
  }
  SECTION("three senders of two") {
    CHECK(Bounded(3, 2, 0).schedules == 24);
    CHECK(Bounded(3, 2, 1).schedules == 348);
  }
}

}  // namespace
}  // namespace intransit
