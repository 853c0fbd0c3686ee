// The command line's manners: --version, help text with metavars rather
// than Boost's `arg` and no positional `--suite`, `help CMD`, errors on
// stderr with exit 2, replay tokens read as strings, the bash completion
// (offering every command of the table and every registered adapter),
// and the C header for stores agreeing with the gate's values.
#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "store/fiu_gate.h"
#include "store/fiu_gate_c.h"
#include "tests/support/cli_runner.h"
#include "tests/support/shell_runner.h"

namespace intransit {
namespace {

using testing::Cli;
using testing::Ran;
using testing::RunShell;
using testing::ShellQuote;

const std::string kSource = INTRANSIT_SOURCE_DIR;
const std::string kQ = kSource + "/suites/q277911.toml";

TEST_CASE("cli manners: --version names the project's version", "[cli-manners]") {
  Ran r = Cli({"--version"});
  CHECK(r.code == 0);
  CHECK(r.out == std::string("intransit ") + INTRANSIT_VERSION_FOR_TESTS + "\n");
  CHECK(r.err.empty());
}

TEST_CASE("cli manners: help shows metavars, never arg or the positional", "[cli-manners]") {
  Ran all = Cli({"help", "all"});
  CHECK(all.code == 0);
  Ran overview = Cli({"help"});
  REQUIRE(CliCommands().size() >= 7);
  for (const CliCommand& c : CliCommands()) {
    const std::string cmd = c.name;
    INFO(cmd);
    Ran r = Cli({cmd, "--help"});
    CHECK(r.code == 0);
    CHECK_THAT(r.out, Catch::StartsWith("usage: intransit " + cmd));
    CHECK(r.out.find(" arg") == std::string::npos);
    CHECK(r.out.find("--suite") == std::string::npos);
    CHECK(r.out.find("--what") == std::string::npos);
    CHECK(r.out.find("--shard-file") == std::string::npos);
    // The manual (`help all`) holds every command's help, the overview its line.
    CHECK_THAT(all.out, Catch::Contains(r.out));
    CHECK_THAT(overview.out, Catch::Contains(std::string("  ") + c.synopsis));
    // `help CMD` is `CMD --help`.
    Ran h = Cli({"help", cmd});
    CHECK(h.code == 0);
    CHECK(h.out == r.out);
  }
  Ran run = Cli({"run", "--help"});
  CHECK(run.out.find("--shard I/N") != std::string::npos);
  CHECK(run.out.find("--seed N") != std::string::npos);
  CHECK(run.out.find("--json FILE") != std::string::npos);
  CHECK(run.out.find("--jobs N (=1)") != std::string::npos);
  Ran bad = Cli({"help", "nonsense"});
  CHECK(bad.code == 2);
  CHECK(bad.out.empty());
}

TEST_CASE("cli manners: errors go to stderr with exit 2", "[cli-manners]") {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"replay", kQ, "--schedule", "zz"},
           {"replay", kQ, "--schedule", "1.0"},
           {"run", kQ, "--no-such-option"},
           {"run", kQ, "--shard", "4/3"},
           {"nonsense"},
       }) {
    INFO(args[0] << " " << args.back());
    Ran r = Cli(args);
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK_FALSE(r.err.empty());
  }
  // The token stays a string: 1.0 is refused as a token, not as a float.
  Ran r = Cli({"replay", kQ, "--schedule", "1.0"});
  CHECK(r.err.find("schedule token '1.0'") != std::string::npos);
  // In the words the user wrote.
  CHECK(r.err.rfind("intransit: --schedule 1.0: ", 0) == 0);
}

TEST_CASE("cli manners: the bash completion completes commands and options", "[cli-manners]") {
  const std::string completion = kSource + "/cli/intransit.bash-completion";
  // RunShell only gives the exit code: each expectation is checked in bash.
  CHECK(RunShell("bash -c " + ShellQuote("source " + ShellQuote(completion) +
                                         " && COMP_WORDS=(intransit co) && COMP_CWORD=1 &&"
                                         " _intransit && test \"${COMPREPLY[*]}\" = conform"),
                 30)
            .code == 0);
  CHECK(RunShell("bash -c " + ShellQuote("source " + ShellQuote(completion) +
                                         " && COMP_WORDS=(intransit run --sh) && COMP_CWORD=2 &&"
                                         " _intransit && test \"${COMPREPLY[*]}\" = --shard"),
                 30)
            .code == 0);
  CHECK(RunShell("bash -c " + ShellQuote("source " + ShellQuote(completion) +
                                         " && COMP_WORDS=(intransit run --strategy p) &&"
                                         " COMP_CWORD=3 && _intransit &&"
                                         " test \"${COMPREPLY[*]}\" = pct"),
                 30)
            .code == 0);
  // And the check can fail: a wrong expectation is caught.
  CHECK(RunShell("bash -c " + ShellQuote("source " + ShellQuote(completion) +
                                         " && COMP_WORDS=(intransit co) && COMP_CWORD=1 &&"
                                         " _intransit && test \"${COMPREPLY[*]}\" = check"),
                 30)
            .code != 0);
}

// What the completion offers after `intransit WORDS...` (the last word being
// completed), sorted and space-separated, is `expected`: true when it is.
bool Completes(const std::string& words, int cword, const std::vector<std::string>& expected) {
  std::vector<std::string> sorted = expected;
  std::sort(sorted.begin(), sorted.end());
  std::string want;
  for (const std::string& w : sorted) want += (want.empty() ? "" : " ") + w;
  const std::string completion = kSource + "/cli/intransit.bash-completion";
  return RunShell("bash -c " +
                      ShellQuote("source " + ShellQuote(completion) + " && COMP_WORDS=(" + words +
                                 ") && COMP_CWORD=" + std::to_string(cword) +
                                 " && _intransit && test \"$(printf '%s\\n' \"${COMPREPLY[@]}\""
                                 " | sort | paste -sd ' ')\" = " + ShellQuote(want)),
                  30)
             .code == 0;
}

TEST_CASE("cli manners: the completion offers every adapter and command there is",
          "[cli-manners]") {
  // The adapters as `intransit list adapters` names them: a line each that
  // does not start with a space, the name first.
  Ran list = Cli({"list", "adapters"});
  REQUIRE(list.code == 0);
  std::vector<std::string> adapters;
  std::istringstream lines(list.out);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line[0] != ' ') adapters.push_back(line.substr(0, line.find(' ')));
  }
  REQUIRE(adapters.size() >= 5);
  CHECK(Completes("intransit run --adapter ''", 3, adapters));
  CHECK(Completes("intransit conform --adapter ''", 3, adapters));
  // And the check can fail: one adapter short is caught.
  CHECK_FALSE(Completes("intransit run --adapter ''", 3,
                        std::vector<std::string>(adapters.begin() + 1, adapters.end())));

  std::vector<std::string> commands;
  for (const CliCommand& c : CliCommands()) commands.push_back(c.name);
  CHECK(Completes("intransit help ''", 2, commands));
  commands.push_back("help");
  commands.push_back("--help");
  commands.push_back("--version");
  CHECK(Completes("intransit ''", 1, commands));
}

TEST_CASE("cli manners: the C header's failinfo values are the gate's", "[cli-manners]") {
  static_assert(INTRANSIT_FIU_TEMPFAIL == kFiuTempfail);
  static_assert(INTRANSIT_FIU_PERMFAIL == kFiuPermfail);
  static_assert(INTRANSIT_FIU_IO == kFiuIo);
  static_assert(INTRANSIT_FIU_CRASH == kFiuCrash);
  static_assert(INTRANSIT_FIU_AFTER == kFiuAfter);
  CHECK(std::string(INTRANSIT_POINT("flag")) == "intransit/flag");
}

}  // namespace
}  // namespace intransit
