// Tests for the suite loader's messages: every class of mistake in a suite
// file gives a message that names where it is (file:line:column), the key,
// and what is allowed. (suite_loader_test.cc: valid suites;
// suite_loader_overrides_test.cc: --set and --adapter.)
#include "suite/suite_loader.h"
#include "tests/support/load_text.h"

#include <catch2/catch.hpp>
#include <string>

namespace intransit {
namespace {

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

using testing::Error;
using testing::kBase;
using testing::Load;

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

TEST_CASE("suite_loader: an unknown key lists every key of its table in order", "[suite_loader]") {
  // The lists the other cases check only in part, whole.
  CHECK(Error(kBase + "[explore]\nx = 1\n") ==
        "t.toml:12:1: unknown key 'x' in [explore]; allowed: mode, strategy, seed, max_schedules, "
        "schedule, depth, max_preemptions, time_budget, iterations, shrink, stop_at_first or "
        "reduction");
  CHECK(Error(kBase + "x = 1\n") ==  // goes into the mover's table
        "t.toml:11:1: unknown key 'x' in [[actors]] (mover); allowed: kind, name, user or to");
  CHECK(Error(kBase + "[[actors]]\nkind = \"sender\"\nuser = \"alice\"\nx = 1\n") ==
        "t.toml:14:1: unknown key 'x' in [[actors]] (sender); allowed: kind, name, user, "
        "messages or retry");
  CHECK(Error(kBase + "[oracle]\nx = 1\n") ==
        "t.toml:12:1: unknown key 'x' in [oracle]; allowed: invariants or allow_duplicates");
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

TEST_CASE("suite_loader: a TOML syntax error names the line and column", "[suite_loader]") {
  std::string msg = Error(kBase + "[explore]\nseed = = 3\n");
  CHECK_THAT(msg, StartsWith("t.toml:12:8: "));
  msg = Error("[suite\nname = \"x\"\n");
  CHECK_THAT(msg, StartsWith("t.toml:1:"));
}

}  // namespace
}  // namespace intransit
