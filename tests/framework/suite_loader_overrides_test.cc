// Tests for the suite loader's overrides: --set and --adapter change a
// suite as the file would have, and a mistake in one names the override
// instead of a line.
#include "suite/suite_loader.h"
#include "tests/support/load_text.h"

#include <catch2/catch.hpp>
#include <string>

namespace intransit {
namespace {

using Catch::Matchers::StartsWith;

using testing::Error;
using testing::kBase;
using testing::Load;

TEST_CASE("suite_loader: --set overrides the variant and the seed", "[suite_loader]") {
  LoadOptions opts;
  opts.sets = {"adapter.variant=pre-sp4", "explore.seed=7", "explore.strategy=random",
               "suite.expect=\"violation\""};
  Result<Suite> r = Load(kBase + "[explore]\nseed = 3\n", opts);
  INFO(r.status().message());
  REQUIRE(r.ok());
  CHECK(r->adapter_config.variant == "pre-sp4");
  CHECK(r->explore.seed == 7);
  CHECK(r->explore.strategy == StrategyKind::kRandom);
  CHECK(r->expect == Expect::kViolation);
  CHECK(r->overrides == std::vector<std::string>{
                            "--set", "adapter.variant=pre-sp4", "--set", "explore.seed=7", "--set",
                            "explore.strategy=random", "--set", "suite.expect=\"violation\""});

  // Later sets win; a table the file lacks is created.
  opts.sets = {"oracle.allow_duplicates=true", "explore.seed=8", "explore.seed=9"};
  r = Load(kBase, opts);
  INFO(r.status().message());
  REQUIRE(r.ok());
  CHECK(r->explore.seed == 9);
  CHECK_FALSE(r->oracle.Checks(kNoDuplicates));
  CHECK(r->oracle.Checks(kNoSilentLoss));
}

TEST_CASE("suite_loader: a bad --set names the override instead of a line", "[suite_loader]") {
  LoadOptions opts;
  opts.sets = {"explore.seed=abc"};
  CHECK(Error(kBase, opts) ==
        "--set explore.seed=abc: key 'seed' in [explore] must be an integer, not a string");
  opts.sets = {"adapter.variant=sp5"};
  CHECK(Error(kBase, opts) ==
        "--set adapter.variant=sp5: key 'variant' in [adapter]: unknown value 'sp5'; allowed: "
        "correct, pre-sp4, sp4, late-source, crash-strand, flush-overwrite, no-dedupe, "
        "delete-failed-copy or tempfail-accepted");
  opts.sets = {"explore.sed=7"};
  CHECK_THAT(Error(kBase, opts),
             StartsWith("--set explore.sed=7: unknown key 'sed' in [explore]; allowed: mode"));
  opts.sets = {"users.name=bob"};
  CHECK(Error(kBase, opts) ==
        "--set users.name=bob: table [users] cannot be set; settable: [suite], [adapter], "
        "[explore] or [oracle]");
  opts.sets = {"explore.seed"};
  CHECK(Error(kBase, opts) == "--set explore.seed: expected KEY=VALUE, e.g. explore.seed=7");
  opts.sets = {"seed=7"};
  CHECK_THAT(Error(kBase, opts), StartsWith("--set seed=7: KEY must be TABLE.KEY"));
  opts.sets = {"oracle.invariants=[\"no-loss\"]"};
  CHECK_THAT(Error(kBase, opts),
             StartsWith("--set oracle.invariants=[\"no-loss\"]: key 'invariants' in [oracle]: "
                        "unknown invariant 'no-loss'"));
}

TEST_CASE("suite_loader: --adapter replaces the adapter and drops the other's settings",
          "[suite_loader]") {
  // The file names another adapter with its own variant and option: both go.
  std::string text = kBase;
  text.replace(text.find("name = \"reference\""), 18,
               "name = \"maildir-x\"\nvariant = \"v9\"\nfsync = true");
  LoadOptions opts;
  opts.adapter = "reference";
  Result<Suite> r = Load(text, opts);
  INFO(r.status().message());
  REQUIRE(r.ok());
  CHECK(r->adapter == "reference");
  CHECK(r->adapter_config.variant == "correct");
  CHECK(r->overrides == std::vector<std::string>{"--adapter", "reference"});

  // ... unless --set gives them again.
  opts.sets = {"adapter.variant=pre-sp4"};
  r = Load(text, opts);
  INFO(r.status().message());
  REQUIRE(r.ok());
  CHECK(r->adapter_config.variant == "pre-sp4");
  CHECK(r->overrides ==
        std::vector<std::string>{"--adapter", "reference", "--set", "adapter.variant=pre-sp4"});

  // The same adapter as the file's keeps the file's variant.
  std::string same = kBase;
  same.insert(same.find("[[users]]"), "variant = \"pre-sp4\"\n");
  opts.sets.clear();
  r = Load(same, opts);
  REQUIRE(r.ok());
  CHECK(r->adapter_config.variant == "pre-sp4");

  // A file without [adapter] at all.
  r = Load(kBase.substr(kBase.find("[[users]]")), opts);
  INFO(r.status().message());
  REQUIRE(r.ok());
  CHECK(r->adapter == "reference");

  opts.adapter = "nosuch";
  CHECK_THAT(Error(kBase, opts),
             StartsWith("--adapter nosuch: key 'name' in [adapter]: unknown adapter 'nosuch'"));
}

}  // namespace
}  // namespace intransit
