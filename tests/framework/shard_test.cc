// Splitting the schedule space (--shard I/N, --jobs N): shards never
// overlap, together they cover what one run covers, and the merged report
// is the same whatever the threads' timing.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>

#include "explore/exhaustive_strategy.h"
#include "explore/explorer.h"
#include "run/runner.h"
#include "tests/support/cli_runner.h"
#include "tests/support/suites.h"
#include "tests/support/temp_dir.h"

namespace intransit {
namespace {

using testing::Q277911Suite;

ExploreOptions Shard(int index, int count, int jobs = 1) {
  ExploreOptions o;
  o.shard = index;
  o.shards = count;
  o.jobs = jobs;
  return o;
}

TEST_CASE("shard: exhaustive shards partition the space", "[shard]") {
  Suite s = Q277911Suite("pre-sp4", 2, 2);
  s.explore.max_schedules = 1000000;
  SuiteResult whole = ExploreSuite(s, {});
  int n = GENERATE(2, 3, 7);
  CAPTURE(n);
  uint64_t schedules = 0, violating = 0;
  for (int i = 0; i < n; ++i) {
    SuiteResult part = ExploreSuite(s, Shard(i, n));
    CHECK(part.complete);
    CHECK(part.schedules < whole.schedules);
    CHECK(part.shard == std::to_string(i + 1) + "/" + std::to_string(n));
    schedules += part.schedules;
    violating += part.violating_schedules;
  }
  CHECK(schedules == whole.schedules);
  CHECK(violating == whole.violating_schedules);
}

TEST_CASE("shard: max_schedules is the whole run's budget, with --jobs too", "[shard]") {
  Suite s = Q277911Suite("sp4", 3, 2);  // 83,160 interleavings
  s.explore.max_schedules = 1000;
  s.explore.reduction = Reduction::kNone;
  for (int jobs : {1, 2, 3}) {
    CAPTURE(jobs);
    SuiteResult r = ExploreSuite(s, Shard(0, 1, jobs));
    CHECK_FALSE(r.complete);
    CHECK(r.schedules == 1000);
  }
  // Reduced, 1,000 traces: a budget of 300 is the run's, however split.
  s.explore.reduction = Reduction::kDpor;
  s.explore.max_schedules = 300;
  for (int jobs : {1, 2, 3}) {
    CAPTURE(jobs);
    SuiteResult r = ExploreSuite(s, Shard(0, 1, jobs));
    CHECK_FALSE(r.complete);
    CHECK(r.schedules == 300);
  }
}

// Chance draws after the split choice push frames below it before the
// runner sees abandon(): another shard's subtree must still be entered once,
// not once per untried draw, and the owned schedules still add up.
TEST_CASE("shard: exhaustive enters each foreign subtree once", "[shard]") {
  Suite s = Q277911Suite("correct", 2, 2);
  testing::AddFault(&s, "deliver", "delay", Params(), 1, 0, 0.5);
  testing::AddFault(&s, "cleanup", "delay", Params(), 1, 0, 0.5);
  auto deployment = AdapterRegistry::Global().Find(s.adapter)->open(s.adapter_config);
  REQUIRE(deployment.ok());
  Runner runner(s, deployment->get(), false);
  auto explore = [&](int shard, int shards, std::vector<uint64_t>* abandoned) {
    ExhaustiveStrategy strategy;
    strategy.SetShard(shard, shards);
    uint64_t owned = 0;
    for (uint64_t i = 0; strategy.BeginSchedule(i); ++i) {
      REQUIRE(runner.Run(&strategy).ok());
      if (strategy.owns()) {
        ++owned;
      } else {
        abandoned->push_back(strategy.position());
      }
      strategy.EndSchedule();
    }
    return owned;
  };
  std::vector<uint64_t> none;
  const uint64_t whole = explore(0, 1, &none);
  uint64_t owned = 0;
  for (int i = 0; i < 3; ++i) {
    std::vector<uint64_t> abandoned;
    owned += explore(i, 3, &abandoned);
    CAPTURE(i);
    CHECK(std::adjacent_find(abandoned.begin(), abandoned.end(),
                             [](uint64_t a, uint64_t b) { return a >= b; }) == abandoned.end());
  }
  CHECK(owned == whole);
}

TEST_CASE("shard: random shards run the unsharded run's schedules, split", "[shard]") {
  Suite s = Q277911Suite("pre-sp4", 2, 2);
  s.explore.strategy = StrategyKind::kRandom;
  s.explore.max_schedules = 301;
  s.explore.shrink = false;
  SuiteResult whole = ExploreSuite(s, {});
  uint64_t schedules = 0, violating = 0;
  for (int i = 0; i < 4; ++i) {
    SuiteResult part = ExploreSuite(s, Shard(i, 4));
    CHECK(part.complete);
    schedules += part.schedules;
    violating += part.violating_schedules;
  }
  CHECK(schedules == 301);
  CHECK(violating == whole.violating_schedules);
}

// pct's change points depend only on the seed, the schedule's number and a
// k every shard measures alike, not on what a shard ran before.
TEST_CASE("shard: pct shards and jobs find what the unsharded run finds", "[shard][pct]") {
  // A long move: schedules differ in length, which k must not follow.
  Suite s = Q277911Suite("flush-overwrite", 5, 2, 20);
  s.adapter_config.options.Set("copy", std::string("message"));
  s.explore.strategy = StrategyKind::kPct;
  s.explore.depth = 2;
  s.explore.max_schedules = 400;
  s.explore.shrink = false;
  SuiteResult whole = ExploreSuite(s, {});
  REQUIRE(whole.violations.size() == 1);
  SuiteResult jobs = ExploreSuite(s, Shard(0, 1, 2));
  SuiteResult first = ExploreSuite(s, Shard(0, 2));
  SuiteResult second = ExploreSuite(s, Shard(1, 2));
  CHECK(jobs.schedules == 400);
  CHECK(jobs.violating_schedules == whole.violating_schedules);
  CHECK(first.schedules + second.schedules == 400);
  CHECK(first.violating_schedules + second.violating_schedules == whole.violating_schedules);
  REQUIRE(jobs.violations.size() == 1);
  CHECK(jobs.violations[0].token == whole.violations[0].token);
  // The shard that met the earlier schedule reports the unsharded run's violation.
  const SuiteResult& earlier =
      first.violations.empty() ||
              (!second.violations.empty() && second.first_position < first.first_position)
          ? second
          : first;
  REQUIRE(earlier.violations.size() == 1);
  CHECK(earlier.violations[0].token == whole.violations[0].token);
}

TEST_CASE("shard: jobs merge to the same counts and the same report every time", "[shard]") {
  Suite s = Q277911Suite("pre-sp4", 2, 2);
  s.explore.max_schedules = 1000000;
  SuiteResult one = ExploreSuite(s, {});
  SuiteResult a = ExploreSuite(s, Shard(0, 1, 3));
  SuiteResult b = ExploreSuite(s, Shard(0, 1, 3));
  CHECK(a.schedules == one.schedules);
  CHECK(a.violating_schedules == one.violating_schedules);
  CHECK(a.complete);
  REQUIRE(a.violations.size() == 1);
  REQUIRE(b.violations.size() == 1);
  CHECK(a.violations[0].token == b.violations[0].token);
  // Job 0 owns the first subtrees in DFS order: the same first violation.
  CHECK(a.violations[0].token == one.violations[0].token);
}

TEST_CASE("shard: --shard and --jobs are checked and Bazel's variables are honoured", "[shard][cli]") {
  const std::string q = std::string(INTRANSIT_SOURCE_DIR) + "/suites/q277911.toml";
  CHECK(testing::Cli({"run", q, "--shard", "0/4"}).code == 2);
  CHECK(testing::Cli({"run", q, "--shard", "5/4"}).code == 2);
  CHECK(testing::Cli({"run", q, "--shard", "two"}).code == 2);
  CHECK(testing::Cli({"run", q, "--jobs", "0"}).code == 2);
  testing::TempDir dir;
  std::string status = dir.path() + "/shard-status";
  setenv("TEST_SHARD_INDEX", "1", 1);
  setenv("TEST_TOTAL_SHARDS", "2", 1);
  setenv("TEST_SHARD_STATUS_FILE", status.c_str(), 1);
  testing::Ran r = testing::Cli({"run", q});
  unsetenv("TEST_SHARD_INDEX");
  unsetenv("TEST_TOTAL_SHARDS");
  unsetenv("TEST_SHARD_STATUS_FILE");
  CHECK_THAT(r.out, Catch::Contains("shard 2/2"));
  CHECK(std::filesystem::exists(status));
}

}  // namespace
}  // namespace intransit
