// Tests for the suite loader: a valid suite gives the right Suite, and every
// class of mistake gives a message that names where it is (file:line:column
// or the override), the key, and what is allowed.
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

using Catch::Matchers::Contains;
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

  CHECK(s.explore.mode == "systematic");
  CHECK(s.explore.strategy == "random");
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
  CHECK(s.explore.mode == "systematic");
  CHECK(s.explore.strategy == "exhaustive");
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

TEST_CASE("suite_loader: a misspelt key names it and lists the allowed keys", "[suite_loader]") {
  std::string text = kBase;
  text.replace(text.find("messages = 2"), 8, "mesages");
  std::string msg = Error(text);
  CHECK(msg == "t.toml:6:1: unknown key 'mesages' in [[users]]; allowed: name, home or messages");

  msg = Error(kBase + "[explore]\nstratgy = \"random\"\n");
  CHECK_THAT(msg, Contains("t.toml:12:1: unknown key 'stratgy' in [explore]; allowed: mode, "
                           "strategy, seed"));
  CHECK_THAT(msg, Contains("time_budget, iterations, shrink, stop_at_first or reduction"));

  msg = Error(kBase + "[suite]\nnmae = \"x\"\n");
  CHECK(msg == "t.toml:12:1: unknown key 'nmae' in [suite]; allowed: name, description or expect");

  // The reference adapter has no options of its own.
  msg = Error(kBase + "[adapter]\n");  // a second [adapter]: TOML itself refuses
  CHECK_THAT(msg, Contains("t.toml:11:"));
  std::string with_option = kBase;
  with_option.insert(with_option.find("[[users]]"), "colour = \"red\"\n");
  msg = Error(with_option);
  CHECK(msg == "t.toml:3:1: unknown key 'colour' in [adapter]; allowed: name, variant or copy");
}

TEST_CASE("suite_loader: an unknown table lists the allowed tables", "[suite_loader]") {
  std::string msg = Error(kBase + "[[fault]]\npoint = \"copy\"\n");
  CHECK_THAT(msg, Contains("t.toml:11:"));
  CHECK_THAT(msg, Contains("unknown table [fault]"));
  CHECK_THAT(msg, Contains("[[faults]] or [oracle]"));
}

TEST_CASE("suite_loader: a wrong type names the key, the type wanted and the type given",
          "[suite_loader]") {
  std::string text = kBase;
  text.replace(text.find("messages = 2"), 12, "messages = \"two\"");
  CHECK(Error(text) == "t.toml:6:12: key 'messages' in [[users]] must be an integer, not a string");

  CHECK(Error(kBase + "[explore]\nseed = 1.5\n") ==
        "t.toml:12:8: key 'seed' in [explore] must be an integer, not a float");
  CHECK(Error(kBase + "[oracle]\nallow_duplicates = \"yes\"\n") ==
        "t.toml:12:20: key 'allow_duplicates' in [oracle] must be true or false, not a string");
  CHECK(Error(kBase + "[[faults]]\npoint = \"copy\"\nkind = \"delay\"\nms = \"slow\"\n") ==
        "t.toml:14:6: key 'ms' in [[faults]] must be an integer or a range [lo, hi], not a string");
  CHECK(Error("users = 3\n[adapter]\nname = \"reference\"\n") ==
        "t.toml:1:9: 'users' must be an array of tables ([[users]]), not an integer");
  CHECK_THAT(Error(kBase + "[explore]\nmax_schedules = 0\n"),
             Contains("t.toml:12:17: key 'max_schedules' in [explore] must be from 1 to 1000000000000, not 0"));
  CHECK_THAT(Error(kBase + "[[faults]]\npoint = \"copy\"\nkind = \"delay\"\nprobability = 1.5\n"),
             Contains("t.toml:14:15: key 'probability' in [[faults]] must be in [0, 1]"));
}

TEST_CASE("suite_loader: an unknown value lists the allowed values", "[suite_loader]") {
  CHECK(Error(kBase + "[explore]\nstrategy = \"exhuastive\"\n") ==
        "t.toml:12:12: key 'strategy' in [explore]: unknown value 'exhuastive'; allowed: "
        "exhaustive, random, pct or replay");
  CHECK(Error(kBase + "[suite]\nexpect = \"fail\"\n") ==
        "t.toml:12:10: key 'expect' in [suite]: unknown value 'fail'; allowed: pass or violation");
  CHECK(Error(kBase + "[[faults]]\npoint = \"copy\"\nkind = \"fail\"\nerror = \"oops\"\n") ==
        "t.toml:14:9: key 'error' in [[faults]]: unknown value 'oops'; allowed: tempfail, "
        "permfail or io");
  CHECK_THAT(Error(kBase + "[oracle]\ninvariants = [\"no-loss\"]\n"),
             Contains("t.toml:12:15: key 'invariants' in [oracle]: unknown invariant 'no-loss'; "
                      "allowed: no-silent-loss, no-duplicates"));
  CHECK_THAT(Error(kBase + "[explore]\ntime_budget = \"10 minutes\"\n"),
             Contains("t.toml:12:15: key 'time_budget' in [explore]: cannot read '10 minutes'"));
}

TEST_CASE("suite_loader: an unknown point names the fault and lists the adapter's points",
          "[suite_loader]") {
  std::string msg = Error(kBase + "[[faults]]\npoint = \"flagg\"\nkind = \"delay\"\n");
  CHECK(msg ==
        "t.toml:12:9: key 'point': unknown point 'flagg' for adapter reference; it passes create, "
        "flag, copy, route, unflag, flush, cleanup or deliver");

  msg = Error(kBase + "[[faults]]\npoint = \"flag\"\nkind = \"reorder\"\nuntil = \"delivr\"\n");
  CHECK_THAT(msg, StartsWith("t.toml:14:9: key 'until': unknown point 'delivr' for adapter "
                             "reference; it passes create, flag"));
}

TEST_CASE("suite_loader: a reorder waiting for an actor the suite lacks lists its actors",
          "[suite_loader]") {
  const std::string sender = "[[actors]]\nkind = \"sender\"\nuser = \"alice\"\n";
  std::string msg = Error(kBase + sender +
                          "[[faults]]\npoint = \"flag\"\nkind = \"reorder\"\n"
                          "until = \"deliver\"\nactor = \"sender-2\"\n");
  CHECK(msg ==
        "t.toml:18:9: key 'actor' in [[faults]]: no actor 'sender-2'; actors: mover or sender-1");
  Result<Suite> ok = Load(kBase + sender +
                          "[[faults]]\npoint = \"flag\"\nkind = \"reorder\"\n"
                          "until = \"deliver\"\nactor = \"sender-1\"\n");
  CHECK(ok.ok());
}

TEST_CASE("suite_loader: an unknown adapter lists the registered ones", "[suite_loader]") {
  std::string text = kBase;
  text.replace(text.find("\"reference\""), 11, "\"refrence\"");
  CHECK_THAT(Error(text), StartsWith("t.toml:2:8: key 'name' in [adapter]: unknown adapter "
                                     "'refrence'; allowed: "));
  CHECK_THAT(Error(text), Contains("reference"));

  std::string no_name = kBase.substr(kBase.find("[[users]]"));
  CHECK_THAT(Error(no_name), StartsWith("t.toml: key 'name' in [adapter] is required (or give "
                                        "--adapter NAME)"));
}

TEST_CASE("suite_loader: an unknown variant lists the adapter's variants", "[suite_loader]") {
  std::string text = kBase;
  text.insert(text.find("[[users]]"), "variant = \"sp5\"\n");
  CHECK(Error(text) ==
        "t.toml:3:11: key 'variant' in [adapter]: unknown value 'sp5'; allowed: correct, pre-sp4, sp4, late-source, crash-strand, flush-overwrite, no-dedupe, delete-failed-copy or tempfail-accepted");
}

TEST_CASE("suite_loader: an unknown fault kind lists the registered kinds", "[suite_loader]") {
  std::string msg = Error(kBase + "[[faults]]\npoint = \"copy\"\nkind = \"crash-ish\"\n");
  CHECK_THAT(msg, StartsWith("t.toml:13:8: key 'kind' in [[faults]]: unknown value 'crash-ish'; "
                             "allowed: "));
  CHECK_THAT(msg, Contains("delay"));
  CHECK_THAT(msg, Contains("reorder"));
  CHECK_THAT(msg, Contains("fail"));

  CHECK(Error(kBase + "[[faults]]\npoint = \"copy\"\n") ==
        "t.toml:11:1: key 'kind' in [[faults]] is required");
  CHECK_THAT(Error(kBase + "[[faults]]\npoint = \"copy\"\nkind = \"reorder\"\n"),
             StartsWith("t.toml:11:1: key 'until' in [[faults]] is required for kind reorder"));
}

TEST_CASE("suite_loader: a key of another fault kind says which kinds take it", "[suite_loader]") {
  std::string msg =
      Error(kBase + "[[faults]]\npoint = \"copy\"\nkind = \"delay\"\nuntil = \"deliver\"\n");
  CHECK(msg ==
        "t.toml:14:1: key 'until' in [[faults]] is for reorder faults, not delay; delay takes "
        "point, kind, nth, times, probability, steps or ms");
  msg = Error(kBase + "[[faults]]\npoint = \"copy\"\nkind = \"delay\"\nwhen = 3\n");
  CHECK_THAT(msg, StartsWith("t.toml:14:1: unknown key 'when' in [[faults]] (delay); allowed: "));
}

TEST_CASE("suite_loader: an unknown actor kind lists mover and sender", "[suite_loader]") {
  std::string text = kBase;
  text.replace(text.find("\"mover\""), 7, "\"moover\"");
  CHECK(Error(text) ==
        "t.toml:8:8: key 'kind' in [[actors]]: unknown value 'moover'; allowed: mover or sender");
}

TEST_CASE("suite_loader: an actor's user must be declared", "[suite_loader]") {
  std::string msg = Error(kBase + "[[actors]]\nkind = \"sender\"\nuser = \"bob\"\n");
  CHECK(msg == "t.toml:13:8: key 'user' in [[actors]]: unknown user 'bob'; declared: alice");
}

TEST_CASE("suite_loader: servers must be the adapter's, and a move must go elsewhere",
          "[suite_loader]") {
  std::string text = kBase;
  text.replace(text.find("home = \"src\""), 12, "home = \"mars\"");
  CHECK(Error(text) ==
        "t.toml:5:8: key 'home' in [[users]]: unknown value 'mars'; allowed: src or dst");
  text = kBase;
  text.replace(text.find("to = \"dst\""), 10, "to = \"src\"");
  CHECK_THAT(Error(text), StartsWith("t.toml:10:6: key 'to' in [[actors]]: 'src' is already "
                                     "alice's home"));
}

TEST_CASE("suite_loader: duplicate user and actor names are errors", "[suite_loader]") {
  CHECK(Error(kBase + "[[users]]\nname = \"alice\"\nhome = \"dst\"\n") ==
        "t.toml:12:8: duplicate user name 'alice' in [[users]]; first at t.toml:4:8");
  std::string msg = Error(kBase +
                          "[[actors]]\nkind = \"sender\"\nname = \"x\"\nuser = \"alice\"\n"
                          "[[actors]]\nkind = \"sender\"\nname = \"x\"\nuser = \"alice\"\n");
  CHECK(msg == "t.toml:17:8: duplicate actor name 'x' in [[actors]]; first at t.toml:13:8");
  // A default name can collide with an explicit one too.
  msg = Error(kBase + "[[actors]]\nkind = \"sender\"\nname = \"mover\"\nuser = \"alice\"\n");
  CHECK_THAT(msg, Contains("duplicate actor name 'mover'"));
}

TEST_CASE("suite_loader: a key of the other actor kind is named as such", "[suite_loader]") {
  CHECK(Error(kBase + "[[actors]]\nkind = \"sender\"\nuser = \"alice\"\nto = \"dst\"\n") ==
        "t.toml:14:1: key 'to' in [[actors]] is for movers, not senders");
  std::string text = kBase + "retry = 3\n";  // goes into the mover's table
  CHECK(Error(text) == "t.toml:11:1: key 'retry' in [[actors]] is for senders, not movers");
  CHECK_THAT(Error(kBase + "[[actors]]\nkind = \"sender\"\nuser = \"alice\"\nspeed = 3\n"),
             StartsWith("t.toml:14:1: unknown key 'speed' in [[actors]] (sender); allowed: kind, "
                        "name, user, messages or retry"));
}

TEST_CASE("suite_loader: a suite needs an actor", "[suite_loader]") {
  std::string text = kBase.substr(0, kBase.find("[[actors]]"));
  CHECK_THAT(Error(text), StartsWith("t.toml: no [[actors]]"));
}

TEST_CASE("suite_loader: --set overrides the variant and the seed", "[suite_loader]") {
  LoadOptions opts;
  opts.sets = {"adapter.variant=pre-sp4", "explore.seed=7", "explore.strategy=random",
               "suite.expect=\"violation\""};
  Result<Suite> r = Load(kBase + "[explore]\nseed = 3\n", opts);
  INFO(r.status().message());
  REQUIRE(r.ok());
  CHECK(r->adapter_config.variant == "pre-sp4");
  CHECK(r->explore.seed == 7);
  CHECK(r->explore.strategy == "random");
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

TEST_CASE("suite_loader: a TOML syntax error names the line and column", "[suite_loader]") {
  std::string msg = Error(kBase + "[explore]\nseed = = 3\n");
  CHECK_THAT(msg, StartsWith("t.toml:12:8: "));
  msg = Error("[suite\nname = \"x\"\n");
  CHECK_THAT(msg, StartsWith("t.toml:1:"));
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
  CHECK(r->explore.mode == "live");
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
  CHECK(r->explore.strategy == "pct");

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
  CHECK(r->explore.strategy == "exhaustive");

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
