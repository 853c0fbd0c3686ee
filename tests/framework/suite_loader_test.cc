// Tests for the suite loader: a valid suite gives the right Suite, with
// defaults, [explore] durations and the oracle's invariants filled in, from
// text or a real file. (suite_loader_errors_test.cc: the messages of
// mistakes; suite_loader_overrides_test.cc: --set and --adapter.)
#include "suite/suite_loader.h"
#include "tests/support/load_text.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace intransit {
namespace {

using Catch::Matchers::StartsWith;

using testing::Error;
using testing::kBase;
using testing::Load;

TEST_CASE("suite_loader: a full suite loads with every value", "[suite_loader]") {
  const std::string text = R"([suite]
name = "full"
description = "every table"
expect = "violation"

[adapter]
name = "reference"
variant = "pre-sp4"

[[users]]
name = "alice"
home = "src"
messages = 2

[[users]]
name = "bob"
home = "dst"

[[actors]]
kind = "mover"
user = "alice"
to = "dst"

[[actors]]
kind = "sender"
name = "mta"
user = "alice"
messages = 3
retry = 2

[[actors]]
kind = "sender"
user = "bob"

[explore]
mode = "systematic"
strategy = "random"
seed = 42
max_schedules = 500
depth = 4
max_preemptions = 2
time_budget = "10m"

[[faults]]
point = "flag"
kind = "reorder"
until = "deliver"
actor = "mta"

[[faults]]
point = "deliver"
kind = "fail"
error = "tempfail"
nth = 2
times = 0
probability = 0.5

[[faults]]
point = "copy"
kind = "delay"
ms = [2, 9]

[oracle]
invariants = ["no-duplicates", "preserved"]
)";
  Result<Suite> r = Load(text);
  INFO(r.status().message());
  REQUIRE(r.ok());
  const Suite& s = *r;
  CHECK(s.file == "t.toml");
  CHECK(s.name == "full");
  CHECK(s.description == "every table");
  CHECK(s.expect == Expect::kViolation);
  CHECK(s.adapter == "reference");
  CHECK(s.adapter_config.variant == "pre-sp4");
  CHECK(s.overrides.empty());

  REQUIRE(s.users.size() == 2);
  CHECK(s.users[0].name == "alice");
  CHECK(s.users[0].home == "src");
  CHECK(s.users[0].messages == 2);
  CHECK(s.users[0].where == "t.toml:10:1");
  CHECK(s.users[1].name == "bob");
  CHECK(s.users[1].messages == 0);

  REQUIRE(s.actors.size() == 3);
  CHECK(s.actors[0].kind == ActorKind::kMover);
  CHECK(s.actors[0].name == "mover");
  CHECK(s.actors[0].to == "dst");
  CHECK(s.actors[1].kind == ActorKind::kSender);
  CHECK(s.actors[1].name == "mta");
  CHECK(s.actors[1].messages == 3);
  CHECK(s.actors[1].retry == 2);
  CHECK(s.actors[2].name == "sender-2");  // numbered among senders, named or not
  CHECK(s.actors[2].user == "bob");
  CHECK(s.actors[2].messages == 1);
  CHECK(s.actors[2].retry == 5);

  CHECK(s.explore.mode == ExploreMode::kSystematic);
  CHECK(s.explore.strategy == StrategyKind::kRandom);
  CHECK(s.explore.seed == 42);
  CHECK(s.explore.max_schedules == 500);
  CHECK(s.explore.depth == 4);
  CHECK(s.explore.max_preemptions == 2);
  CHECK(s.explore.time_budget_s == 600);

  REQUIRE(s.faults.size() == 3);
  CHECK(s.faults[0].point == "flag");
  CHECK(s.faults[0].where == "t.toml:44:1");
  CHECK(std::string(s.faults[0].fault->kind()) == "reorder");
  REQUIRE(s.faults[0].named_points.size() == 1);
  CHECK(s.faults[0].named_points[0].key == "until");
  CHECK(s.faults[0].named_points[0].point == "deliver");
  CHECK(s.faults[0].named_points[0].where == "t.toml:47:9");
  CHECK(s.faults[0].nth == 1);
  CHECK(s.faults[0].times == 1);
  CHECK(s.faults[0].probability == 1.0);
  CHECK(s.faults[1].nth == 2);
  CHECK(s.faults[1].times == 0);
  CHECK(s.faults[1].probability == 0.5);
  CHECK(std::string(s.faults[1].fault->kind()) == "fail");
  CHECK(std::string(s.faults[2].fault->kind()) == "delay");

  CHECK(s.oracle.invariants == std::vector<std::string>{kNoSilentLoss, kNoDuplicates, kPreserved});
}

TEST_CASE("suite_loader: defaults fill what the suite leaves out", "[suite_loader]") {
  LoadOptions opts;
  Result<Suite> r = LoadSuiteFromString(kBase, "suites/some-race.toml", opts);
  INFO(r.status().message());
  REQUIRE(r.ok());
  const Suite& s = *r;
  CHECK(s.name == "some-race");  // the file's stem
  CHECK(s.description.empty());
  CHECK(s.expect == Expect::kPass);
  CHECK(s.adapter_config.variant == "correct");  // reference's default variant
  CHECK(s.actors[0].name == "mover");
  // The defaults docs/suite-format.md gives.
  CHECK(s.explore.mode == ExploreMode::kSystematic);
  CHECK(s.explore.strategy == StrategyKind::kExhaustive);
  CHECK(s.explore.seed == 1);
  CHECK(s.explore.max_schedules == 100000);
  CHECK(s.explore.depth == 3);
  CHECK(s.explore.max_preemptions == -1);
  CHECK(s.explore.time_budget_s == 0);
  CHECK(s.faults.empty());
  CHECK(s.oracle.invariants == AllInvariants());
}

TEST_CASE("suite_loader: actor names default per kind and in file order", "[suite_loader]") {
  const std::string text = kBase + R"([[users]]
name = "bob"
home = "src"
[[actors]]
kind = "mover"
user = "bob"
to = "dst"
[[actors]]
kind = "sender"
user = "alice"
[[actors]]
kind = "sender"
user = "bob"
)";
  Result<Suite> r = Load(text);
  INFO(r.status().message());
  REQUIRE(r.ok());
  REQUIRE(r->actors.size() == 4);
  CHECK(r->actors[0].name == "mover-1");
  CHECK(r->actors[1].name == "mover-2");
  CHECK(r->actors[2].name == "sender-1");
  CHECK(r->actors[3].name == "sender-2");
}

TEST_CASE("suite_loader: explore reads durations, live iterations and replay tokens",
          "[suite_loader]") {
  auto budget = [](const std::string& value) {
    Result<Suite> r = Load(kBase + "[explore]\ntime_budget = " + value + "\n");
    INFO(r.status().message());
    REQUIRE(r.ok());
    return r->explore.time_budget_s;
  };
  CHECK(budget("\"30s\"") == 30);
  CHECK(budget("\"1h\"") == 3600);
  CHECK(budget("\"500ms\"") == Approx(0.5));
  CHECK(budget("90") == 90);
  CHECK(budget("2.5") == 2.5);

  Result<Suite> r = Load(kBase + "[explore]\nmode = \"live\"\niterations = 20\n");
  REQUIRE(r.ok());
  CHECK(r->explore.mode == ExploreMode::kLive);
  CHECK(r->explore.max_schedules == 20);
  CHECK_THAT(Error(kBase + "[explore]\niterations = 20\n"),
             StartsWith("t.toml:12:14: key 'iterations' in [explore] is for mode = \"live\""));

  CHECK(Error(kBase + "[explore]\nstrategy = \"replay\"\n") ==
        "t.toml:12:12: key 'schedule' in [explore] is required when strategy = \"replay\"");
  r = Load(kBase + "[explore]\nstrategy = \"replay\"\nschedule = \"1.ab\"\n");
  REQUIRE(r.ok());
  CHECK(r->explore.schedule == "1.ab");
  // A token is checked at load, at the key's value: `check` catches it.
  CHECK_THAT(Error(kBase + "[explore]\nstrategy = \"replay\"\nschedule = \"v1:abc\"\n"),
             StartsWith("t.toml:13:12: key 'schedule' in [explore]: schedule token 'v1:abc'"));
}

TEST_CASE("suite_loader: the oracle always checks for silent loss", "[suite_loader]") {
  Result<Suite> r = Load(kBase + "[oracle]\ninvariants = [\"preserved\"]\n");
  REQUIRE(r.ok());
  CHECK(r->oracle.invariants == std::vector<std::string>{kNoSilentLoss, kPreserved});
  r = Load(kBase + "[oracle]\nallow_duplicates = true\n");
  REQUIRE(r.ok());
  CHECK_FALSE(r->oracle.Checks(kNoDuplicates));
  CHECK(r->oracle.invariants.size() == AllInvariants().size() - 1);
}

TEST_CASE("suite_loader: LoadSuite reads a real file and reports a missing one", "[suite_loader]") {
  std::filesystem::path dir = std::filesystem::temp_directory_path();
  std::filesystem::path file = dir / ("intransit-loader-" + std::to_string(::getpid()) + ".toml");
  {
    std::ofstream out(file);
    out << kBase << "[explore]\nstrategy = \"pct\"\n";
  }
  Result<Suite> r = LoadSuite(file.string(), {});
  std::filesystem::remove(file);
  INFO(r.status().message());
  REQUIRE(r.ok());
  CHECK(r->file == file.string());
  CHECK(r->name == file.stem().string());
  CHECK(r->explore.strategy == StrategyKind::kPct);

  r = LoadSuite("no/such/x.toml", {});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Status::Code::kInvalid);
  CHECK(r.status().message() == "cannot read 'no/such/x.toml': No such file or directory");
}

TEST_CASE("suite_loader: the shipped Q277911 suites load", "[suite_loader]") {
  std::string suites = std::string(INTRANSIT_SOURCE_DIR) + "/suites/";
  Result<Suite> r = LoadSuite(suites + "q277911.toml", {});
  INFO(r.status().message());
  REQUIRE(r.ok());
  CHECK(r->adapter == "reference");
  CHECK(r->adapter_config.variant == "pre-sp4");
  CHECK(r->expect == Expect::kViolation);
  REQUIRE(r->users.size() == 1);
  CHECK(r->users[0].messages == 2);
  REQUIRE(r->actors.size() == 2);
  CHECK(r->actors[0].kind == ActorKind::kMover);
  CHECK(r->actors[1].retry == 5);
  CHECK(r->explore.strategy == StrategyKind::kExhaustive);

  r = LoadSuite(suites + "q277911-sp4.toml", {});
  INFO(r.status().message());
  REQUIRE(r.ok());
  CHECK(r->adapter_config.variant == "sp4");
  CHECK(r->expect == Expect::kPass);
  CHECK(r->explore.max_schedules == 1000000);
  int senders = 0;
  for (const auto& a : r->actors) {
    if (a.kind == ActorKind::kSender) {
      ++senders;
      CHECK(a.messages == 2);
      CHECK(a.user == "alice");
    }
  }
  CHECK(senders == 5);
}

}  // namespace
}  // namespace intransit
