// The strategy kinds: their one table of names (read by the loader, printed
// by reports), their traits, and the factory's choice of reduction.
#include <catch2/catch.hpp>
#include <string>

#include "explore/result.h"
#include "explore/strategy_factory.h"
#include "suite/suite_loader.h"
#include "tests/support/load_text.h"
#include "tests/support/suites.h"

namespace intransit {
namespace {

using testing::Error;
using testing::kBase;
using testing::Load;
using testing::Q277911Suite;

TEST_CASE("strategy kinds: each name reads back as its kind, in the order messages list them",
          "[explorer][suite_loader]") {
  CHECK(NamesOf(kStrategyNames) ==
        std::vector<std::string>{"exhaustive", "random", "pct", "replay"});
  CHECK(NamesOf(kExploreModeNames) == std::vector<std::string>{"systematic", "live"});
  CHECK(NamesOf(kReductionNames) == std::vector<std::string>{"auto", "dpor", "none"});
  for (const auto& [kind, name] : kStrategyNames) {
    CAPTURE(name);
    CHECK(std::string(StrategyName(kind)) == name);
    if (kind == StrategyKind::kReplay) continue;  // wants a token: explorer_test's
    auto s = Load(kBase + "[explore]\nstrategy = \"" + name + "\"\n");
    REQUIRE(s.ok());
    CHECK(s->explore.strategy == kind);
  }
  auto live = Load(kBase + "[explore]\nmode = \"live\"\nreduction = \"none\"\n");
  REQUIRE(live.ok());
  CHECK(live->explore.mode == ExploreMode::kLive);
  CHECK(live->explore.reduction == Reduction::kNone);
  // The defaults when the table is silent.
  auto plain = Load(kBase);
  REQUIRE(plain.ok());
  CHECK(plain->explore.mode == ExploreMode::kSystematic);
  CHECK(plain->explore.strategy == StrategyKind::kExhaustive);
  CHECK(plain->explore.reduction == Reduction::kAuto);
}

TEST_CASE("strategy kinds: an unknown mode or reduction names the key and lists the table",
          "[suite_loader]") {
  CHECK(Error(kBase + "[explore]\nmode = \"lively\"\n") ==
        "t.toml:12:8: key 'mode' in [explore]: unknown value 'lively'; allowed: systematic or "
        "live");
  CHECK(Error(kBase + "[explore]\nreduction = \"por\"\n") ==
        "t.toml:12:13: key 'reduction' in [explore]: unknown value 'por'; allowed: auto, dpor or "
        "none");
  CHECK(Error(kBase + "[explore]\nmode = 3\n") ==
        "t.toml:12:8: key 'mode' in [explore] must be a string, not an integer");
}

TEST_CASE("strategy kinds: the traits say what each asks of the explorer", "[explorer]") {
  const StrategyTraits& exhaustive = TraitsOf(StrategyKind::kExhaustive);
  CHECK(exhaustive.covers_space);
  CHECK_FALSE(exhaustive.shrunk);
  CHECK_FALSE(exhaustive.calibrated);
  CHECK_FALSE(exhaustive.replays);
  for (StrategyKind sampled : {StrategyKind::kRandom, StrategyKind::kPct}) {
    CAPTURE(StrategyName(sampled));
    CHECK(TraitsOf(sampled).shrunk);
    CHECK_FALSE(TraitsOf(sampled).covers_space);
    CHECK_FALSE(TraitsOf(sampled).replays);
  }
  CHECK(TraitsOf(StrategyKind::kPct).calibrated);
  CHECK_FALSE(TraitsOf(StrategyKind::kRandom).calibrated);
  const StrategyTraits& replay = TraitsOf(StrategyKind::kReplay);
  CHECK(replay.replays);
  CHECK_FALSE(replay.shrunk);
  CHECK_FALSE(replay.covers_space);
}

TEST_CASE("strategy kinds: the factory reduces exhaustive where auto allows", "[explorer]") {
  Suite s = Q277911Suite("sp4");
  auto made = MakeStrategy(s, true);
  REQUIRE(made.ok());
  CHECK(made->reduction == Reduction::kDpor);
  made = MakeStrategy(s, false);  // the store declares no footprints
  REQUIRE(made.ok());
  CHECK(made->reduction == Reduction::kNone);
  s.explore.max_preemptions = 2;  // a bounded space is left alone
  made = MakeStrategy(s, true);
  REQUIRE(made.ok());
  CHECK(made->reduction == Reduction::kNone);
  s.explore.max_preemptions = -1;
  s.explore.reduction = Reduction::kDpor;
  made = MakeStrategy(s, false);
  REQUIRE(made.ok());
  CHECK(made->reduction == Reduction::kDpor);
  s.explore.strategy = StrategyKind::kRandom;  // sampling: no reduction to speak of
  made = MakeStrategy(s, true);
  REQUIRE(made.ok());
  CHECK_FALSE(made->reduction.has_value());
  s.explore.strategy = StrategyKind::kReplay;
  s.explore.schedule = "not a token";
  CHECK_FALSE(MakeStrategy(s, true).ok());
}

TEST_CASE("strategy kinds: a result names live mode and covers the space only when exhaustive",
          "[report]") {
  SuiteResult r;
  r.strategy = StrategyKind::kPct;
  CHECK(std::string(r.StrategyLabel()) == "pct");
  CHECK_FALSE(r.CoversSpace());
  r.strategy = StrategyKind::kExhaustive;
  CHECK(r.CoversSpace());
  r.mode = ExploreMode::kLive;
  CHECK(std::string(r.StrategyLabel()) == "live");
  CHECK_FALSE(r.CoversSpace());
}

}  // namespace
}  // namespace intransit
