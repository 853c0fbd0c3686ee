// The shipped suites, end to end through the command line (in process):
// every suite loads; every race suite under suites/races still finds its
// race on the buggy variant it names, and the correct procedure survives the
// same schedule space; the conformance battery passes on the correct
// reference store and catches each buggy variant with the suite written for
// its race; the Maildir and exec stores pass it, their buggy variants do not.
//
// These tests are the battery's own regression: a suite weakened until it
// cannot fail, or one that no longer loads, shows up here.
#include <catch2/catch.hpp>
#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/cli_runner.h"

namespace intransit {
namespace {

namespace fs = std::filesystem;

using testing::Cli;
using testing::Ran;

const std::string kSource = INTRANSIT_SOURCE_DIR;
const std::string kSuites = kSource + "/suites";
const std::string kBattery = kSuites + "/conformance";
const std::string kPythonStore = "python3 " + kSource + "/examples/python-store/store.py";

// Every .toml under `dir` (recursively), sorted, skipping `skip` (a folder).
std::vector<std::string> SuiteFiles(const std::string& dir, const std::string& skip = "") {
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file() || e.path().extension() != ".toml") continue;
    if (!skip.empty() && e.path().string().rfind(skip, 0) == 0) continue;
    files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The battery runs one schedule per fresh tree of maildirs: on a tmpfs when
// the machine has one (about 30x faster than a disk).
std::vector<std::string> Conform(const std::string& adapter, std::vector<std::string> sets = {}) {
  std::vector<std::string> args = {"conform", "--adapter", adapter, "--battery", kBattery};
  if (adapter == "maildir" && fs::is_directory("/dev/shm")) sets.push_back("adapter.root=/dev/shm");
  if (adapter == "exec") sets.push_back("adapter.command=" + kPythonStore);
  for (const auto& s : sets) {
    args.push_back("--set");
    args.push_back(s);
  }
  return args;
}

// The table row of `suite` in conform's output, or "".
std::string RowOf(const std::string& out, const std::string& suite) {
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(suite + " ", 0) == 0) return line;
  }
  return "";
}

TEST_CASE("battery: every shipped suite passes intransit check", "[battery]") {
  auto files = SuiteFiles(kSuites, kSuites + "/dovecot");
  REQUIRE(files.size() >= 30);
  for (const auto& f : files) {
    INFO(f);
    Ran r = Cli({"check", f});
    INFO(r.out << r.err);
    CHECK(r.code == 0);
  }
}

TEST_CASE("battery: each race suite finds its race and the correct procedure survives it",
          "[battery]") {
  auto files = SuiteFiles(kSuites + "/races");
  REQUIRE(files.size() >= 7);
  int violations = 0;
  for (const auto& f : files) {
    INFO(f);
    Ran r = Cli({"run", f});
    INFO(r.out << r.err);
    CHECK(r.code == 0);
    CHECK(r.out.find("1 suite: 1 met, 0 not met") != std::string::npos);
    if (r.out.find("VIOLATION ") != std::string::npos) ++violations;
    Ran c = Cli({"run", f, "--set", "adapter.variant=correct", "--set", "suite.expect=pass"});
    INFO(c.out << c.err);
    CHECK(c.code == 0);
    CHECK(c.out.find("PASS ") != std::string::npos);
  }
  // Every race suite but the storm on the correct store expects a violation.
  CHECK(violations == static_cast<int>(files.size()) - 1);
}

TEST_CASE("battery: the correct reference store conforms", "[battery]") {
  Ran r = Cli(Conform("reference"));
  INFO(r.out << r.err);
  CHECK(r.code == 0);
  CHECK(r.out.find("FAILED") == std::string::npos);
  CHECK(r.out.find("skipped") == std::string::npos);
}

TEST_CASE("battery: each buggy reference variant fails the suite of its race", "[battery]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"pre-sp4", "conf-q277911-window"},
      {"late-source", "conf-late-delivery"},
      {"crash-strand", "conf-crash-route"},
      {"flush-overwrite", "conf-flush-window"},
      {"no-dedupe", "conf-lost-ack"},
      {"delete-failed-copy", "conf-failed-copy"},
      {"tempfail-accepted", "conf-tempfail-storm"},
  };
  for (const auto& [variant, suite] : cases) {
    INFO(variant << " should fail " << suite);
    Ran r = Cli(Conform("reference", {"adapter.variant=" + variant}));
    INFO(r.out << r.err);
    CHECK(r.code == 1);
    std::string row = RowOf(r.out, suite);
    CHECK(row.find("FAILED") != std::string::npos);
    // The replay command printed for the failure names the variant.
    CHECK(row.find("adapter.variant=" + variant) != std::string::npos);
  }
}

TEST_CASE("battery: the maildir store conforms (in-transit) and the naive runbook does not",
          "[battery][maildir]") {
  Ran r = Cli(Conform("maildir"));
  INFO(r.out << r.err);
  CHECK(r.code == 0);
  Ran naive = Cli(Conform("maildir", {"adapter.variant=naive"}));
  INFO(naive.out << naive.err);
  CHECK(naive.code == 1);
  CHECK(RowOf(naive.out, "conf-late-delivery").find("FAILED") != std::string::npos);
}

TEST_CASE("battery: the Python example store conforms through exec and pre-sp4 does not",
          "[battery][exec]") {
  Ran r = Cli(Conform("exec"));
  INFO(r.out << r.err);
  CHECK(r.code == 0);
  Ran pre = Cli(Conform("exec", {"adapter.variant=pre-sp4"}));
  INFO(pre.out << pre.err);
  CHECK(pre.code == 1);
  CHECK(RowOf(pre.out, "conf-q277911-window").find("FAILED") != std::string::npos);
}

// The same verdicts when the store does not declare its footprints (every
// step then conflicts with every other: the full space, no reduction).
TEST_CASE("battery: through exec without footprints correct conforms and pre-sp4 does not",
          "[battery][exec]") {
  Ran r = Cli(Conform("exec", {"adapter.footprints=false"}));
  INFO(r.out << r.err);
  CHECK(r.code == 0);
  Ran pre = Cli(Conform("exec", {"adapter.footprints=false", "adapter.variant=pre-sp4"}));
  INFO(pre.out << pre.err);
  CHECK(pre.code == 1);
  CHECK(RowOf(pre.out, "conf-q277911-window").find("FAILED") != std::string::npos);
}

}  // namespace
}  // namespace intransit
