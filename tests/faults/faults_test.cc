// Fault kinds under the systematic runner: delay, reorder and fail change
// the schedules and outcomes exactly as DESIGN §5 says.
#include <catch2/catch.hpp>

#include "explore/explorer.h"
#include "faults/fault.h"
#include "tests/support/suites.h"

namespace intransit {
namespace {

using testing::AddFault;
using testing::Q277911Suite;

const MessageVerdict* VerdictOf(const Violation& v, const std::string& id) {
  for (const auto& m : v.messages) {
    if (m.message == id) return &m;
  }
  return nullptr;
}

Suite Replaying(Suite s, const std::string& token) {
  s.explore.strategy = StrategyKind::kReplay;
  s.explore.schedule = token;
  return s;
}

// Live mode's two wall-clock settings are kept apart: a delay's sleep and a
// reorder's timeout, which may be 0, when both fire at one point.
TEST_CASE("delay and reorder: the sleep and the timeout are separate", "[faults][reorder]") {
  RegisterBuiltinFaults();
  Params delay;
  delay.Set("ms", IntRange{5, 7});
  Params reorder;
  reorder.Set("until", std::string("deliver"));
  reorder.Set("timeout_ms", int64_t{0});
  auto d = FaultRegistry::Global().Find("delay")->make(delay);
  auto r = FaultRegistry::Global().Find("reorder")->make(reorder);
  REQUIRE(d.ok());
  REQUIRE(r.ok());
  FaultEffect effect;
  (*d)->Fire(&effect);
  (*r)->Fire(&effect);
  REQUIRE(effect.hold.has_value());
  CHECK(effect.hold->ms_lo == 5);
  CHECK(effect.hold->ms_hi == 7);
  CHECK(effect.hold->timeout_ms == 0);
  CHECK(effect.hold->until_point == "deliver");
}

TEST_CASE("delay: holds the actor while other actors take steps", "[faults][delay]") {
  Suite s = Q277911Suite("pre-sp4");
  Params p;
  p.Set("steps", int64_t{1});
  AddFault(&s, "create", "delay", p);
  SuiteResult r = ExploreSuite(s, {});
  // The mover cannot create before the sender's one step: the message lands
  // on src before the move starts, in every schedule.
  CHECK(r.outcome == Outcome::kPass);
  CHECK(r.complete);
  CHECK(r.schedules == 1);

  SuiteResult trace = ExploreSuite(Replaying(s, "1."), {});
  REQUIRE(trace.has_trace);
  const auto& t = trace.trace.timeline;
  REQUIRE(t.size() == 8);
  CHECK(t[0].actor == "sender-1");
  CHECK(t[1].point == "create");
  CHECK(t[1].fault == "delay 1 step");
}

TEST_CASE("delay: is released when nothing else can run", "[faults][delay]") {
  Suite s = Q277911Suite("sp4", 0);
  Params p;
  p.Set("steps", int64_t{5});
  AddFault(&s, "create", "delay", p);
  SuiteResult r = ExploreSuite(Replaying(s, "1."), {});
  REQUIRE(r.has_trace);
  REQUIRE_FALSE(r.trace.timeline.empty());
  CHECK_THAT(r.trace.timeline[0].fault, Catch::Contains("released: nothing else could run"));
  CHECK(r.outcome == Outcome::kPass);
}

TEST_CASE("reorder: holds flag until the delivery has passed", "[faults][reorder]") {
  Suite s = Q277911Suite("pre-sp4");
  Params p;
  p.Set("until", std::string("deliver"));
  AddFault(&s, "flag", "reorder", p);
  SuiteResult r = ExploreSuite(s, {});
  // deliver before create (safe), or create-deliver-flag (the loss): flag can
  // no longer come before the delivery.
  CHECK(r.schedules == 2);
  CHECK(r.violating_schedules == 1);
  REQUIRE(r.violations.size() == 1);
  const auto& t = r.violations[0].timeline;
  CHECK(t[0].point == "create");
  CHECK(t[1].point == "deliver");
  CHECK(t[2].point == "flag");
  CHECK(t[2].fault == "reorder until deliver");
}

TEST_CASE("reorder: waits for the named actor only", "[faults][reorder]") {
  Suite s = Q277911Suite("pre-sp4", 2, 1);
  Params p;
  p.Set("until", std::string("deliver"));
  p.Set("actor", std::string("sender-2"));
  AddFault(&s, "flag", "reorder", p);
  SuiteResult r = ExploreSuite(s, {});
  REQUIRE(r.violations.size() == 1);
  bool sender2_before_flag = false;
  for (const auto& e : r.violations[0].timeline) {
    if (e.point == "flag") break;
    if (e.actor == "sender-2" && e.point == "deliver") sender2_before_flag = true;
  }
  CHECK(sender2_before_flag);
}

TEST_CASE("fail: a tempfail before the step is retried and delivered", "[faults][fail]") {
  Suite s = Q277911Suite("sp4", 1, 1);
  Params p;
  p.Set("error", std::string("tempfail"));
  AddFault(&s, "deliver", "fail", p);
  SuiteResult r = ExploreSuite(Replaying(s, "1."), {});
  REQUIRE(r.has_trace);
  CHECK(r.outcome == Outcome::kPass);
  int delivers = 0;
  bool injected_seen = false;
  for (const auto& e : r.trace.timeline) {
    if (e.point != "deliver") continue;
    ++delivers;
    if (e.injected) {
      injected_seen = true;
      CHECK(e.fault == "fail tempfail before");
      CHECK_THAT(e.what, Catch::Contains("tempfail (injected)"));
    }
  }
  CHECK(delivers == 2);
  CHECK(injected_seen);
  CHECK(VerdictOf(r.trace, "<m1.alice@intransit>")->verdict == Verdict::kDelivered);
}

TEST_CASE("fail: a permfail bounces the message with an NDR", "[faults][fail]") {
  Suite s = Q277911Suite("sp4", 1, 1);
  Params p;
  p.Set("error", std::string("permfail"));
  AddFault(&s, "deliver", "fail", p);
  SuiteResult r = ExploreSuite(s, {});
  CHECK(r.outcome == Outcome::kPass);
  SuiteResult trace = ExploreSuite(Replaying(s, "1."), {});
  CHECK(VerdictOf(trace.trace, "<m1.alice@intransit>")->verdict == Verdict::kBounced);
}

TEST_CASE("fail: phase after at deliver is a lost acknowledgement: a duplicate",
          "[faults][fail]") {
  Suite s = Q277911Suite("sp4", 1, 1);
  Params p;
  p.Set("error", std::string("tempfail"));
  p.Set("phase", std::string("after"));
  AddFault(&s, "deliver", "fail", p);
  SuiteResult r = ExploreSuite(s, {});
  REQUIRE(r.outcome == Outcome::kViolation);
  CHECK(r.violations[0].invariants == std::vector<std::string>{"no-duplicates"});
  CHECK(VerdictOf(r.violations[0], "<m1.alice@intransit>")->verdict == Verdict::kDuplicated);
}

TEST_CASE("fail: retries run out into an NDR when every attempt fails", "[faults][fail]") {
  Suite s = Q277911Suite("sp4", 1, 1);
  s.actors[1].retry = 2;
  Params p;
  p.Set("error", std::string("tempfail"));
  AddFault(&s, "deliver", "fail", p, 1, /*times=*/0);
  SuiteResult r = ExploreSuite(Replaying(s, "1."), {});
  int delivers = 0;
  for (const auto& e : r.trace.timeline) delivers += e.point == "deliver";
  CHECK(delivers == 3);  // the first attempt and two retries
  CHECK(VerdictOf(r.trace, "<m1.alice@intransit>")->verdict == Verdict::kBounced);
  CHECK_THAT(r.trace.timeline.back().what, Catch::Contains("retries exhausted"));
}

TEST_CASE("fail: nth picks the arrival that fails", "[faults][fail]") {
  Suite s = Q277911Suite("sp4", 1, 2);
  Params p;
  p.Set("error", std::string("permfail"));
  AddFault(&s, "deliver", "fail", p, /*nth=*/2);
  SuiteResult r = ExploreSuite(Replaying(s, "1."), {});
  CHECK(VerdictOf(r.trace, "<m1.alice@intransit>")->verdict == Verdict::kDelivered);
  CHECK(VerdictOf(r.trace, "<m2.alice@intransit>")->verdict == Verdict::kBounced);
}

TEST_CASE("fail: a probability makes firing a choice that exhaustive explores both ways",
          "[faults][fail]") {
  Suite plain = Q277911Suite("sp4", 1, 1);
  plain.explore.reduction = Reduction::kNone;  // every interleaving, then each both ways
  SuiteResult base = ExploreSuite(plain, {});
  Suite s = plain;
  Params p;
  p.Set("error", std::string("permfail"));
  AddFault(&s, "deliver", "fail", p, 1, 1, 0.5);
  SuiteResult r = ExploreSuite(s, {});
  CHECK(r.complete);
  CHECK(r.schedules == 2 * base.schedules);

  // And the choice is part of the token: both ways replay.
  SuiteResult fired = ExploreSuite(Replaying(s, "1.b"), {});
  SuiteResult held = ExploreSuite(Replaying(s, "1.a"), {});
  CHECK(VerdictOf(fired.trace, "<m1.alice@intransit>")->verdict == Verdict::kBounced);
  CHECK(VerdictOf(held.trace, "<m1.alice@intransit>")->verdict == Verdict::kDelivered);
}

TEST_CASE("fail: a failed move step leaves the move failed, and the oracle says so",
          "[faults][fail]") {
  Suite s = Q277911Suite("sp4", 0);
  Params p;
  p.Set("error", std::string("io"));
  AddFault(&s, "route", "fail", p);
  SuiteResult r = ExploreSuite(s, {});
  REQUIRE(r.outcome == Outcome::kViolation);
  const auto& inv = r.violations[0].invariants;
  CHECK(std::find(inv.begin(), inv.end(), "move-completes") != inv.end());
  // The copy was made but never cleaned up: mail sits on both servers while
  // the directory still names src. A dirty failure, not a silent loss.
  CHECK(std::find(inv.begin(), inv.end(), "no-silent-loss") == inv.end());
}

}  // namespace
}  // namespace intransit
