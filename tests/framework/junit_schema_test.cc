// Every shape of JUnit report validates against Jenkins' xunit schema
// (tests/golden/junit-10.xsd, checked by `xmllint --schema`): a met pass, a
// met violation, an unmet expectation, an error, conform with skipped
// suites, a shard, and a shard that leaves its suite to be judged over all
// shards. Most come from the command line as a user runs it; the error and
// the unjudged shard are built by hand (neither is cheap to provoke).
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "base/file_util.h"
#include "explore/result.h"
#include "report/report_junit.h"
#include "tests/support/cli_runner.h"
#include "tests/support/shell_runner.h"
#include "tests/support/temp_dir.h"

namespace intransit {
namespace {

using testing::Cli;
using testing::Ran;
using testing::RunShell;
using testing::ShellQuote;
using testing::TempDir;

const std::string kSource = INTRANSIT_SOURCE_DIR;
const std::string kQ = kSource + "/suites/q277911.toml";
const std::string kSp4 = kSource + "/suites/q277911-sp4.toml";
const std::string kXsd = std::string(INTRANSIT_TEST_DIR) + "/golden/junit-10.xsd";

// xmllint's verdict on `file` against junit-10.xsd: true when it validates.
bool Validates(const std::string& file) {
  REQUIRE(RunShell("command -v xmllint >/dev/null", 30).code == 0);  // libxml2-utils
  // Quiet when it validates; xmllint's reasons on stderr when it does not.
  auto done = RunShell("out=$(xmllint --noout --schema " + ShellQuote(kXsd) + " " +
                           ShellQuote(file) + " 2>&1) || { echo \"$out\" >&2; exit 1; }",
                       60);
  return done.in_time && done.code == 0;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

size_t Count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

TEST_CASE("junit xsd: the schema rejects what Jenkins rejects", "[junit-xsd]") {
  // Guards the check itself: xmllint really validates, and the one thing the
  // old report wrote that the schema rejects (testcase/@file) is refused.
  TempDir dir;
  const std::string bad = dir.Write(
      "bad.xml",
      "<?xml version=\"1.0\"?>\n<testsuites><testsuite name=\"a\" tests=\"1\" failures=\"0\" "
      "errors=\"0\"><testcase name=\"a\" file=\"a.toml\"/></testsuite></testsuites>\n");
  CHECK_FALSE(Validates(bad));
  const std::string good = dir.Write(
      "good.xml",
      "<?xml version=\"1.0\"?>\n<testsuites><testsuite name=\"a\" tests=\"1\" failures=\"0\" "
      "errors=\"0\" file=\"a.toml\"><testcase name=\"a\"/></testsuite></testsuites>\n");
  CHECK(Validates(good));
}

TEST_CASE("junit xsd: pass, met violation and not met from the command line", "[junit-xsd]") {
  TempDir dir;
  const std::string pass = dir.path() + "/pass.xml";
  CHECK(Cli({"run", kSp4, "--max-schedules", "20", "--junit", pass}).code == 0);
  CHECK(Validates(pass));
  const std::string met = dir.path() + "/met.xml";
  CHECK(Cli({"run", kQ, "--junit", met}).code == 0);
  CHECK(Validates(met));
  const std::string text = Slurp(met);
  CHECK(text.find("<property name=\"schedule\" value=\"") != std::string::npos);
  CHECK(text.find("<property name=\"replay\" value=\"intransit replay ") != std::string::npos);
  CHECK(text.find("<property name=\"complete\" value=\"true\"/>") != std::string::npos);
  CHECK(text.find(" timestamp=\"") != std::string::npos);
  CHECK(text.find(" hostname=\"") != std::string::npos);
  CHECK(text.find(" file=\"" + kQ + "\"") != std::string::npos);
  CHECK(text.find("<property name=\"intransit_version\"") != std::string::npos);

  const std::string unmet = dir.path() + "/unmet.xml";
  CHECK(Cli({"run", kQ, kSp4, "--max-schedules", "50", "--set", "suite.expect=pass", "--junit",
             unmet})
            .code == 1);
  CHECK(Validates(unmet));
  CHECK(Count(Slurp(unmet), "<failure ") == 1);
}

TEST_CASE("junit xsd: conform with skipped suites", "[junit-xsd]") {
  TempDir dir;
  std::string baseline = Slurp(kSource + "/suites/conformance/baseline.toml");
  dir.Write("baseline.toml", baseline);
  std::string other = Slurp(kSource + "/suites/conformance/failed-copy.toml");
  const std::string from = "point = \"copy\"";
  REQUIRE(other.find(from) != std::string::npos);
  other.replace(other.find(from), from.size(), "point = \"no-such-point\"");
  dir.Write("unpassed.toml", other);
  const std::string file = dir.path() + "/conform.xml";
  Ran r = Cli({"conform", "--adapter", "reference", "--battery", dir.path(), "--junit", file});
  CHECK(r.code == 0);
  CHECK(Validates(file));
  const std::string text = Slurp(file);
  CHECK(Count(text, "<testcase ") == 2);
  CHECK(text.find("<skipped message=\"the adapter does not pass point &apos;no-such-point&apos;\"/>") !=
        std::string::npos);
  CHECK(text.find("tests=\"2\"") != std::string::npos);
}

TEST_CASE("junit xsd: a shard names itself in the test name", "[junit-xsd]") {
  TempDir dir;
  const std::string file = dir.path() + "/shard.xml";
  Cli({"run", kSp4, "--shard", "2/3", "--max-schedules", "20", "--junit", file});
  CHECK(Validates(file));
  const std::string text = Slurp(file);
  CHECK(text.find("name=\"q277911-sp4 (shard 2/3)\"") != std::string::npos);
  CHECK(text.find("<property name=\"shard\" value=\"2/3\"/>") != std::string::npos);
}

TEST_CASE("junit xsd: an error and an unjudged shard", "[junit-xsd]") {
  RunResult run;
  run.tool_version = "0.1.0";
  run.timestamp = "2026-12-06T18:40:00Z";
  run.hostname = "ci-3";
  SuiteResult error;
  error.file = "suites/broken.toml";
  error.name = "broken";
  error.adapter = "dovecot";
  error.strategy = StrategyKind::kExhaustive;
  error.outcome = Outcome::kError;
  error.error = "dovecot: server dst exited with status 89 before answering <&>";
  run.suites.push_back(error);
  SuiteResult shard;
  shard.file = "suites/q277911.toml";
  shard.name = "q277911";
  shard.adapter = "reference";
  shard.strategy = StrategyKind::kExhaustive;
  shard.expect = Expect::kViolation;
  shard.shard = "2/3";
  shard.schedules = 240;
  shard.complete = true;
  shard.judged = false;
  run.suites.push_back(shard);
  TempDir dir;
  const std::string xml = JunitReport(run);
  CHECK(Validates(dir.Write("hand.xml", xml)));
  CHECK(Count(xml, "<error ") == 1);
  CHECK(Count(xml, "<failure ") == 0);
  CHECK(xml.find("<skipped message=\"judged over all shards\"/>") != std::string::npos);
  CHECK(xml.find("<testsuites name=\"intransit\" tests=\"2\" failures=\"0\" errors=\"1\"") !=
        std::string::npos);
  CHECK(xml.find("timestamp=\"2026-12-06T18:40:00\" hostname=\"ci-3\"") != std::string::npos);
}

}  // namespace
}  // namespace intransit
