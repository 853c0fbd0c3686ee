// Live mode: real threads, wall-clock delays, no scheduler. It still finds
// the pre-SP4 loss, and the correct procedure still loses nothing.
#include <catch2/catch.hpp>

#include "explore/explorer.h"
#include "tests/support/shell_runner.h"
#include "tests/support/suites.h"
#include "tests/support/temp_dir.h"

namespace intransit {
namespace {

using testing::AddFault;
using testing::Q277911Suite;

Suite Live(const std::string& variant, uint64_t iterations) {
  Suite s = Q277911Suite(variant, 1, 2);
  s.explore.mode = ExploreMode::kLive;
  s.explore.max_schedules = iterations;
  Params p;
  p.Set("ms", IntRange{0, 2});
  AddFault(&s, "flag", "delay", p, 1, 0);
  AddFault(&s, "deliver", "delay", p, 1, 0);
  return s;
}

TEST_CASE("live: finds the pre-sp4 loss within 200 iterations", "[live]") {
  SuiteResult r = ExploreSuite(Live("pre-sp4", 200), {});
  REQUIRE(r.outcome == Outcome::kViolation);
  CHECK(r.mode == ExploreMode::kLive);
  CHECK(std::string(r.StrategyLabel()) == "live");
  const Violation& v = r.violations[0];
  CHECK(v.token.empty());
  CHECK_THAT(v.replay, Catch::Contains("live mode"));
  CHECK(std::find(v.invariants.begin(), v.invariants.end(), "no-silent-loss") !=
        v.invariants.end());
}

TEST_CASE("live: the correct procedure loses nothing in 1,000 iterations", "[live]") {
  SuiteResult r = ExploreSuite(Live("correct", 1000), {});
  CHECK(r.outcome == Outcome::kPass);
  CHECK(r.schedules == 1000);
  CHECK(r.complete);
}

TEST_CASE("live: faults of the plan fire on real threads", "[live]") {
  Suite s = Q277911Suite("correct", 2, 1);
  s.explore.mode = ExploreMode::kLive;
  s.explore.max_schedules = 20;
  Params p;
  p.Set("error", std::string("tempfail"));
  AddFault(&s, "deliver", "fail", p);
  Params reorder;
  reorder.Set("until", std::string("deliver"));
  reorder.Set("timeout_ms", int64_t{50});
  AddFault(&s, "copy", "reorder", reorder);
  SuiteResult r = ExploreSuite(s, {});
  CHECK(r.outcome == Outcome::kPass);
  CHECK(r.schedules == 20);

  // That they fire at all: a store that answers 250 to a failed write loses
  // the message whatever the threads' timing, in every iteration.
  Suite lossy = Q277911Suite("tempfail-accepted", 1, 1);
  lossy.explore.mode = ExploreMode::kLive;
  lossy.explore.max_schedules = 5;
  AddFault(&lossy, "deliver", "fail", p);
  SuiteResult l = ExploreSuite(lossy, {});
  REQUIRE(l.outcome == Outcome::kViolation);
  CHECK(l.violating_schedules == 5);
  CHECK(l.violations[0].invariants == std::vector<std::string>{"no-silent-loss"});
}

// A live suite whose one hold, `fault` (a [[faults]] table's keys after
// point and kind), would last about 28 hours; a 1 s time budget.
std::string HugeHold(const std::string& point, const std::string& fault) {
  return "[suite]\nname = \"huge-hold\"\nexpect = \"pass\"\n"
         "[adapter]\nname = \"reference\"\nvariant = \"correct\"\n"
         "[[users]]\nname = \"alice\"\nhome = \"src\"\nmessages = 1\n"
         "[[actors]]\nkind = \"mover\"\nuser = \"alice\"\nto = \"dst\"\n"
         "[[actors]]\nkind = \"sender\"\nuser = \"alice\"\nmessages = 1\n"
         "[explore]\nmode = \"live\"\niterations = 1000\ntime_budget = \"1s\"\n"
         "[[faults]]\npoint = \"" + point + "\"\n" + fault + "\n";
}

TEST_CASE("live: the time budget cuts a delay's sleep and a reorder's wait",
          "[live][budget][hardening]") {
  testing::TempDir dir;
  std::string suite;
  SECTION("a delay of 1e8 ms") { suite = HugeHold("deliver", "kind = \"delay\"\nms = 100000000"); }
  SECTION("a reorder waiting 1e8 ms for a point that never comes") {
    suite = HugeHold("copy", "kind = \"reorder\"\nuntil = \"create\"\ntimeout_ms = 100000000");
  }
  const std::string file = dir.Write("huge.toml", suite);
  const std::string json = dir.path() + "/r.json";
  // Generous: a loaded machine may take a while to start, never 28 hours.
  testing::Finished f = testing::RunShell(testing::ShellQuote(INTRANSIT_BINARY) + " run " +
                                              testing::ShellQuote(file) + " --json " +
                                              testing::ShellQuote(json) + " >/dev/null 2>&1",
                                          60);
  REQUIRE(f.in_time);
  CHECK(f.code == 0);
  const std::string report = dir.Read("r.json");
  CHECK_THAT(report, Catch::Contains("\"complete\": false"));
}

}  // namespace
}  // namespace intransit
