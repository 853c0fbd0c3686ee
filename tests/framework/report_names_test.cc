// Text a suite or a store gave (names, Message-IDs, notes, descriptions,
// errors) reaching the reports: the console escapes every control byte, and
// the JUnit and HTML files stay well-formed XML whatever the text holds.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <sstream>
#include <string>

#include "base/file_util.h"
#include "explore/result.h"
#include "report/report_console.h"
#include "report/report_html.h"
#include "report/report_junit.h"
#include "tests/support/temp_dir.h"

namespace intransit {
namespace {

// ESC (clear the screen), CR (rewrite the line), a forged report line, a
// NUL, BEL, DEL, a C1 CSI, and markup.
const std::string kHostile = std::string(
    "x\x1b[2J\rPASS  forged\nERROR  fake\x00\x07\x7f\xc2\x9b" "31m<b>&\"'", 40);

SuiteResult HostileSuite(Outcome outcome) {
  SuiteResult s;
  s.file = "suites/" + kHostile + ".toml";
  s.name = "n" + kHostile;
  s.description = "d" + kHostile;
  s.adapter = "exec";
  s.variant = "v" + kHostile;
  s.strategy = StrategyKind::kExhaustive;
  s.outcome = outcome;
  s.expect = Expect::kPass;
  s.met = false;
  s.schedules = 1;
  s.error = "store said " + kHostile;
  Violation v;
  v.token = "1.0";
  v.replay = "intransit replay " + kHostile;
  v.invariants = {"no-loss", "i" + kHostile};
  v.breaches = {{"no-loss", "detail " + kHostile}};
  Event e;
  e.step = 1;
  e.actor = "a" + kHostile;
  e.point = "deliver";
  e.server = "s" + kHostile;
  e.user = "u" + kHostile;
  e.message = "<m1." + kHostile + "@intransit>";
  e.what = "note " + kHostile;
  e.fault = "f" + kHostile;
  v.timeline = {e};
  MessageVerdict m;
  m.message = "<m1." + kHostile + "@intransit>";
  m.user = "u" + kHostile;
  m.verdict = Verdict::kLost;
  m.detail = "why " + kHostile;
  v.messages = {m};
  v.shrunk = {"shrunk " + kHostile};
  s.violations = {v};
  return s;
}

// The first byte of `text` that a terminal would act on (anything below
// 0x20 but the line ends the report writes itself, DEL, a C1 control), or
// npos.
size_t FirstControl(const std::string& text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7f) return i;
    if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
      return i;
    }
  }
  return std::string::npos;
}

bool ParsesAsXml(const std::string& xml) {
  testing::TempDir dir;
  const std::string file = dir.path() + "/report.xml";
  REQUIRE(WriteFile(file, xml).ok());
  std::string cmd = "python3 -c \"import sys, xml.dom.minidom as m; m.parse(sys.argv[1])\" '" +
                    file + "'";
  return std::system(cmd.c_str()) == 0;
}

TEST_CASE("report: console escapes control characters from a suite or a store",
          "[report][names]") {
  for (Outcome outcome : {Outcome::kViolation, Outcome::kError}) {
    SuiteResult s = HostileSuite(outcome);
    std::ostringstream out;
    PrintSuiteResult(s, out);
    s.has_trace = true;
    s.trace = s.violations[0];
    PrintTrace(s, out);
    const std::string text = out.str();
    INFO(text);
    CHECK(FirstControl(text) == std::string::npos);
    // The text is still there, written out, and cannot forge a line.
    CHECK(text.find("\\x1b[2J\\rPASS  forged\\nERROR  fake\\x00\\x07\\x7f\\u009b31m") !=
          std::string::npos);
    CHECK(text.find("\nPASS  forged") == std::string::npos);
    CHECK(text.find("\nERROR  fake") == std::string::npos);
  }
}

TEST_CASE("report: junit and html stay well-formed XML with control characters",
          "[report][names]") {
  RunResult run;
  run.suites = {HostileSuite(Outcome::kViolation), HostileSuite(Outcome::kError)};
  const std::string junit = JunitReport(run);
  const std::string html = HtmlReport(run);
  for (const std::string* doc : {&junit, &html}) {
    CHECK(ParsesAsXml(*doc));
    CHECK(doc->find('\x1b') == std::string::npos);
    CHECK(doc->find('\0') == std::string::npos);
    CHECK(doc->find("31m<b>") == std::string::npos);  // the hostile markup, not ours
  }
}

}  // namespace
}  // namespace intransit
