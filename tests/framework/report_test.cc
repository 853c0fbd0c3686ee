// Tests of the reports: console, JSON, JUnit XML, and WriteFile.
//
// The results are built by hand (a pre-sp4 Q277911 violation and a passing
// sp4 run), so these tests need no runner. Each format is compared byte for
// byte with a golden file under tests/golden/ (timings zero); run with
// INTRANSIT_UPDATE_GOLDEN=1 to rewrite the golden files after a deliberate
// change, then review the diff.
#include <catch2/catch.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "base/file_util.h"
#include "explore/result.h"
#include "report/report_console.h"
#include "report/report_json.h"
#include "report/report_junit.h"
#include "tests/support/temp_dir.h"

namespace intransit {
namespace {

using testing::TempDir;

Event MakeEvent(int step, const char* actor, const char* point, const char* server,
                const char* message, const char* what, const char* fault = "") {
  Event e;
  e.step = step;
  e.actor = actor;
  e.point = point;
  e.server = server;
  e.user = "alice";
  e.message = message;
  e.what = what;
  e.fault = fault;
  return e;
}

MessageVerdict MakeVerdict(const char* id, Verdict v, const char* detail) {
  MessageVerdict m;
  m.message = id;
  m.user = "alice";
  m.verdict = v;
  m.detail = detail;
  return m;
}

// Q277911 on the pre-SP4 reference store: the message delivered between
// create and flag is lost.
SuiteResult ViolationSuite() {
  SuiteResult s;
  s.file = "suites/q277911.toml";
  s.name = "q277911";
  s.description = "A message delivered between create and flag must not be lost.";
  s.adapter = "reference";
  s.variant = "pre-sp4";
  s.strategy = StrategyKind::kExhaustive;
  s.seed = 1;
  s.expect = Expect::kViolation;
  s.outcome = Outcome::kViolation;
  s.met = true;
  s.schedules = 720;
  s.complete = true;
  s.wall_ms = 0;
  s.violating_schedules = 120;
  Violation v;
  v.token = "1.0.0.1";
  v.replay = "intransit replay suites/q277911.toml --schedule 1.0.0.1";
  v.invariants = {"no-silent-loss"};
  v.breaches = {{"no-silent-loss",
                 "<m1.alice@intransit> accepted at step 2 into dst:INBOX; no copy anywhere; no "
                 "NDR"}};
  v.messages = {
      MakeVerdict("<m1.alice@intransit>", Verdict::kLost,
                  "accepted at step 2 into dst:INBOX; no copy anywhere; no NDR"),
      MakeVerdict("<p1.alice@intransit>", Verdict::kDelivered, "in dst:INBOX"),
      MakeVerdict("<p2.alice@intransit>", Verdict::kDelivered, "in dst:INBOX"),
  };
  v.timeline = {
      MakeEvent(1, "mover", "create", "dst", "", "create the mailbox"),
      MakeEvent(2, "sender-1", "deliver", "dst", "<m1.alice@intransit>",
                "deliver: stored in INBOX; accepted"),
      MakeEvent(3, "mover", "flag", "dst", "", "set InTransit on the new mailbox",
                "reorder until deliver"),
      MakeEvent(4, "mover", "copy", "dst", "", "copy 2 messages from src:INBOX over INBOX"),
  };
  v.preemptions = 1;
  s.violations.push_back(v);
  return s;
}

SuiteResult PassSuite() {
  SuiteResult s;
  s.file = "suites/q277911-sp4.toml";
  s.name = "q277911-sp4";
  s.adapter = "reference";
  s.variant = "sp4";
  s.strategy = StrategyKind::kExhaustive;
  s.seed = 1;
  s.expect = Expect::kPass;
  s.outcome = Outcome::kPass;
  s.met = true;
  s.schedules = 83160;
  s.complete = true;
  s.wall_ms = 0;
  return s;
}

SuiteResult ErrorSuite() {
  SuiteResult s;
  s.file = "suites/broken.toml";
  s.name = "broken";
  s.adapter = "dovecot";
  s.strategy = StrategyKind::kExhaustive;
  s.outcome = Outcome::kError;
  s.met = false;
  s.error = "dovecot: server dst exited with status 89 before answering";
  s.exit_code_hint = 3;
  return s;
}

RunResult GoldenRun() {
  RunResult r;
  r.suites = {ViolationSuite(), PassSuite()};
  return r;
}

std::string Console(const RunResult& r) {
  std::ostringstream out;
  for (const SuiteResult& s : r.suites) PrintSuiteResult(s, out);
  PrintSummary(r, out);
  return out.str();
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool FileExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

// Compares `actual` with tests/golden/<name>, or rewrites it when
// INTRANSIT_UPDATE_GOLDEN=1.
void CheckGolden(const std::string& name, const std::string& actual) {
  const std::string path = std::string(INTRANSIT_TEST_DIR) + "/golden/" + name;
  const char* update = std::getenv("INTRANSIT_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    Status s = WriteFile(path, actual);
    INFO(s.message());
    REQUIRE(s.ok());
    WARN("rewrote " << path);
    return;
  }
  INFO("golden file " << path << " (INTRANSIT_UPDATE_GOLDEN=1 rewrites it)");
  REQUIRE(FileExists(path));
  CHECK(ReadAll(path) == actual);
}

bool ParsesAsXml(const std::string& xml) {
  TempDir dir;
  const std::string file = dir.path() + "/report.xml";
  REQUIRE(WriteFile(file, xml).ok());
  std::string cmd = "python3 -c \"import xml.dom.minidom,sys; xml.dom.minidom.parse(sys.argv[1])\" '" +
                    file + "'";
  return std::system(cmd.c_str()) == 0;
}

size_t Count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

TEST_CASE("report: console matches the golden file", "[report]") {
  CheckGolden("violation.console.txt", Console(GoldenRun()));
}

TEST_CASE("report: console prints a met passing suite on one line", "[report]") {
  SuiteResult s = PassSuite();
  s.wall_ms = 1234;
  std::ostringstream out;
  PrintSuiteResult(s, out);
  CHECK(out.str() ==
        "PASS  q277911-sp4  (reference/sp4, exhaustive)  83160 schedules, space covered, 1.2 s\n");
}

TEST_CASE("report: console prints the numbered timeline, verdicts and replay command",
          "[report]") {
  std::ostringstream out;
  PrintSuiteResult(ViolationSuite(), out);
  const std::string text = out.str();
  CHECK(text.rfind("VIOLATION  q277911  (reference/pre-sp4, exhaustive) \u2014 expected: "
                   "violation (met)\n",
                   0) == 0);
  CHECK(text.find("no-silent-loss  <m1.alice@intransit> accepted at step 2") !=
        std::string::npos);
  // Columns aligned: the step-2 line puts the message where the others leave
  // a gap, and the fault marker stands before the flag step's text.
  CHECK(text.find("\n    2  sender-1  deliver  dst  alice  <m1.alice@intransit>" +
                  std::string(27, ' ') + "deliver: stored in INBOX; accepted\n") !=
        std::string::npos);
  CHECK(text.find("[reorder until deliver]  set InTransit on the new mailbox\n") !=
        std::string::npos);
  // The lost message stands out; delivered ones do not.
  CHECK(text.find("\n  ! <m1.alice@intransit>  LOST") != std::string::npos);
  CHECK(text.find("\n    <p1.alice@intransit>  delivered") != std::string::npos);
  CHECK(text.find("  replay: intransit replay suites/q277911.toml --schedule 1.0.0.1\n") !=
        std::string::npos);
  CHECK(text.find("  120 of 720 schedules violated; space covered; 0 ms\n") != std::string::npos);
  const std::string last = "\n  expectation met\n";
  REQUIRE(text.size() > last.size());
  CHECK(text.substr(text.size() - last.size()) == last);
}

TEST_CASE("report: console marks injected failures", "[report]") {
  SuiteResult s = ViolationSuite();
  Event& e = s.violations[0].timeline[1];
  e.fault = "fail tempfail before";
  e.injected = true;
  std::ostringstream out;
  PrintSuiteResult(s, out);
  CHECK(out.str().find("[fail tempfail before] [injected]  deliver: stored in INBOX") !=
        std::string::npos);
}

TEST_CASE("report: console says when an expectation is not met", "[report]") {
  SECTION("a violation where pass was expected") {
    SuiteResult s = ViolationSuite();
    s.expect = Expect::kPass;
    s.met = false;
    std::ostringstream out;
    PrintSuiteResult(s, out);
    CHECK(out.str().find("expected: pass (NOT met)\n") != std::string::npos);
    CHECK(out.str().find("  expectation NOT met: expected pass, found a violation\n") !=
          std::string::npos);
  }
  SECTION("no violation where one was expected") {
    SuiteResult s = PassSuite();
    s.expect = Expect::kViolation;
    s.met = false;
    s.complete = false;
    std::ostringstream out;
    PrintSuiteResult(s, out);
    CHECK(out.str() ==
          "PASS  q277911-sp4  (reference/sp4, exhaustive)  83160 schedules, space NOT covered, "
          "0 ms\n  expectation NOT met: expected a violation, none of the 83160 schedules broke "
          "an invariant\n");
  }
}

TEST_CASE("report: console prints an error with its message", "[report]") {
  std::ostringstream out;
  PrintSuiteResult(ErrorSuite(), out);
  CHECK(out.str() ==
        "ERROR  broken: dovecot: server dst exited with status 89 before answering\n"
        "  expectation NOT met: the suite did not run to an outcome\n");
}

TEST_CASE("report: summary counts met, not met and errors", "[report]") {
  RunResult r;
  SuiteResult not_met = ViolationSuite();
  not_met.expect = Expect::kPass;
  not_met.met = false;
  r.suites = {ViolationSuite(), PassSuite(), not_met, ErrorSuite()};
  std::ostringstream out;
  PrintSummary(r, out);
  CHECK(out.str() == "4 suites: 2 met, 1 not met, 1 error\n");
  std::ostringstream empty;
  PrintSummary(RunResult{}, empty);
  CHECK(empty.str() == "0 suites: 0 met, 0 not met, 0 errors\n");
}

TEST_CASE("report: json matches the golden file", "[report]") {
  CheckGolden("violation.json", JsonReport(GoldenRun(), false));
}

TEST_CASE("report: json parses back with the keys of the documented format", "[report]") {
  RunResult r = GoldenRun();
  r.suites[0].wall_ms = 17;
  nlohmann::ordered_json j = nlohmann::ordered_json::parse(JsonReport(r));
  CHECK(j["format"] == "intransit-result/1");
  REQUIRE(j["suites"].size() == 2);
  const auto& s = j["suites"][0];
  std::vector<std::string> keys;
  for (const auto& item : s.items()) keys.push_back(item.key());
  CHECK(keys == std::vector<std::string>{"file", "name", "adapter", "variant", "strategy", "seed",
                                         "expect", "outcome", "met", "schedules", "complete",
                                         "wall_ms", "violating_schedules", "violations"});
  CHECK(s["file"] == "suites/q277911.toml");
  CHECK(s["expect"] == "violation");
  CHECK(s["outcome"] == "violation");
  CHECK(s["met"] == true);
  CHECK(s["schedules"] == 720);
  CHECK(s["wall_ms"] == 17);
  const auto& v = s["violations"][0];
  keys.clear();
  for (const auto& item : v.items()) keys.push_back(item.key());
  CHECK(keys == std::vector<std::string>{"schedule", "replay", "invariants", "breaches",
                                         "messages", "timeline"});
  CHECK(v["invariants"] == nlohmann::ordered_json::array({"no-silent-loss"}));
  CHECK(v["messages"][0]["id"] == "<m1.alice@intransit>");
  CHECK(v["messages"][0]["verdict"] == "LOST");
  CHECK(v["breaches"][0]["invariant"] == "no-silent-loss");
  REQUIRE(v["timeline"].size() == 4);
  // "message" only where the step concerns one; "fault" only where one fired.
  CHECK_FALSE(v["timeline"][0].contains("message"));
  CHECK(v["timeline"][1]["message"] == "<m1.alice@intransit>");
  CHECK(v["timeline"][2]["fault"] == "reorder until deliver");
  CHECK_FALSE(v["timeline"][1].contains("fault"));
  CHECK_FALSE(v["timeline"][2].contains("injected"));
  keys.clear();
  for (const auto& item : v["timeline"][1].items()) keys.push_back(item.key());
  CHECK(keys ==
        std::vector<std::string>{"step", "actor", "point", "server", "user", "message", "what"});
}

TEST_CASE("report: json without timings writes wall_ms 0", "[report]") {
  RunResult a = GoldenRun(), b = GoldenRun();
  a.suites[0].wall_ms = 3;
  b.suites[0].wall_ms = 4000;
  CHECK(JsonReport(a, false) == JsonReport(b, false));
  CHECK(JsonReport(a, true) != JsonReport(b, true));
}

TEST_CASE("report: json marks injected steps and errors", "[report]") {
  RunResult r;
  r.suites = {ViolationSuite(), ErrorSuite()};
  r.suites[0].violations[0].timeline[1].injected = true;
  nlohmann::json j = nlohmann::json::parse(JsonReport(r));
  CHECK(j["suites"][0]["violations"][0]["timeline"][1]["injected"] == true);
  CHECK(j["suites"][1]["outcome"] == "error");
  CHECK(j["suites"][1]["met"] == false);
  CHECK(j["suites"][1]["error"] == "dovecot: server dst exited with status 89 before answering");
  CHECK_FALSE(j["suites"][0].contains("error"));
}

TEST_CASE("report: json survives bytes that are not UTF-8", "[report]") {
  RunResult r = GoldenRun();
  r.suites[0].violations[0].messages[0].message = "<bad\xff\xfe@x>";
  std::string text;
  REQUIRE_NOTHROW(text = JsonReport(r));
  nlohmann::json j = nlohmann::json::parse(text);
  CHECK(j["suites"][0]["violations"][0]["messages"][0]["id"] == "<bad\uFFFD\uFFFD@x>");
}

TEST_CASE("report: junit matches the golden file", "[report]") {
  CheckGolden("violation.junit.xml", JunitReport(GoldenRun()));
}

TEST_CASE("report: junit parses as XML and escapes message ids", "[report]") {
  RunResult r = GoldenRun();
  SuiteResult not_met = ViolationSuite();
  not_met.name = "q277911-expect-pass";
  not_met.expect = Expect::kPass;
  not_met.met = false;
  not_met.wall_ms = 1234;
  r.suites.push_back(not_met);
  r.suites.push_back(ErrorSuite());
  const std::string xml = JunitReport(r);
  CHECK(ParsesAsXml(xml));
  CHECK(xml.find("<m1.alice@intransit>") == std::string::npos);
  CHECK(xml.find("&lt;m1.alice@intransit&gt;") != std::string::npos);
  CHECK(xml.find("<testsuites name=\"intransit\" tests=\"4\" failures=\"1\" errors=\"1\" "
                 "time=\"1.234\">") != std::string::npos);
  CHECK(xml.find("<testcase classname=\"intransit.reference\" name=\"q277911-expect-pass\" "
                 "time=\"1.234\">") != std::string::npos);
  // The file on the suite's <testsuite>: junit-10.xsd has no testcase/@file.
  CHECK(xml.find("<testsuite name=\"q277911-expect-pass\" tests=\"1\" failures=\"1\" "
                 "errors=\"0\" skipped=\"0\" time=\"1.234\" file=\"suites/q277911.toml\">") !=
        std::string::npos);
  CHECK(Count(xml, "<testsuite ") == 4);
  CHECK(Count(xml, "<testcase ") == 4);
  CHECK(Count(xml, "<failure ") == 1);
  CHECK(Count(xml, "<error ") == 1);
  // The met expected violation and the met pass: every met suite's console
  // lines, so that JUnit says what was covered and how it was reduced.
  CHECK(Count(xml, "<system-out>") == 2);
  CHECK(xml.find("<failure message=\"expected pass, found a violation of no-silent-loss; replay: "
                 "intransit replay suites/q277911.toml --schedule 1.0.0.1\" type=\"violation\">") !=
        std::string::npos);
  // The failure's text is the console report: timeline and replay command.
  CHECK(xml.find("deliver  dst  alice  &lt;m1.alice@intransit&gt;") != std::string::npos);
}

TEST_CASE("report: junit says the reduction and its sleep-blocked runs", "[report]") {
  RunResult r;
  SuiteResult s = PassSuite();
  s.schedules = 100000;
  s.reduction = Reduction::kDpor;
  s.sleep_blocked = 40;
  r.suites.push_back(s);
  const std::string xml = JunitReport(r);
  CHECK(ParsesAsXml(xml));
  CHECK(xml.find("<system-out>PASS  q277911-sp4  (reference/sp4, exhaustive)  100000 schedules, "
                 "space covered, reduction dpor (40 sleep-blocked)") != std::string::npos);
}

TEST_CASE("report: junit escapes quotes, control characters and invalid UTF-8", "[report]") {
  CHECK(XmlEscape("a&b<c>d\"e'f", true) == "a&amp;b&lt;c&gt;d&quot;e&apos;f");
  CHECK(XmlEscape("l1\nl2\tx\r", true) == "l1&#10;l2&#9;x&#13;");
  CHECK(XmlEscape("l1\nl2\tx", false) == "l1\nl2\tx");
  CHECK(XmlEscape(std::string("a\x01" "b\x1b", 4), false) == "a\\x01b\\x1B");
  CHECK(XmlEscape("caf\xc3\xa9 \xe2\x80\x94", false) == "caf\xc3\xa9 \xe2\x80\x94");
  CHECK(XmlEscape("\xff\xc3(\xed\xa0\x80\xef\xbf\xbf", false) ==
        "\\xFF\\xC3(\\xED\\xA0\\x80\\xEF\\xBF\\xBF");
  CHECK(XmlEscape("\xe2\x80", false) == "\\xE2\\x80");  // truncated sequence

  RunResult r;
  r.suites = {ErrorSuite()};
  r.suites[0].error = std::string("bad \x01 byte \xff and <tag> & \"quote\"\nsecond line");
  r.suites[0].name = "na'me";
  CHECK(ParsesAsXml(JunitReport(r)));
}

}  // namespace
}  // namespace intransit

namespace intransit {
namespace {

TEST_CASE("report: json says the version, the start, the host and the skipped suites",
          "[report]") {
  RunResult r = GoldenRun();
  CHECK(nlohmann::json::parse(JsonReport(r)).count("tool_version") == 0);  // fixtures: none
  r.tool_version = "0.1.0";
  r.timestamp = "2026-12-06T18:40:00Z";
  r.hostname = "ci-3";
  r.skipped.push_back({.file = "b.toml", .name = "b", .adapter = "maildir", .reason = "why"});
  nlohmann::json j = nlohmann::json::parse(JsonReport(r));
  CHECK(j["tool_version"] == "0.1.0");
  CHECK(j["timestamp"] == "2026-12-06T18:40:00Z");
  CHECK(j["hostname"] == "ci-3");
  CHECK(j["skipped"][0]["reason"] == "why");
  // Without timings, two runs compare equal: no start time.
  CHECK(nlohmann::json::parse(JsonReport(r, false)).count("timestamp") == 0);
}

}  // namespace
}  // namespace intransit
