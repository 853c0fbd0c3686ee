// The HTML report: well-formed, escaped, and it carries the timeline, the
// verdicts and the replay command of a violation; a replayed violation is
// shown once, not again as the plain trace.
#include <catch2/catch.hpp>
#include <cstdlib>

#include "base/file_util.h"
#include "explore/explorer.h"
#include "report/report_html.h"
#include "tests/support/suites.h"
#include "tests/support/temp_dir.h"

namespace intransit {
namespace {

TEST_CASE("report_html: a violation's timeline, verdicts and replay, well-formed", "[report]") {
  RunResult run;
  run.suites.push_back(ExploreSuite(testing::Q277911Suite("pre-sp4"), {}));
  run.suites.push_back(ExploreSuite(testing::Q277911Suite("correct"), {}));
  std::string html = HtmlReport(run);
  CHECK_THAT(html, Catch::StartsWith("<!DOCTYPE html>"));
  CHECK_THAT(html, Catch::Contains("1 of 2 suites met"));  // pre-sp4 expected a pass
  CHECK_THAT(html, Catch::Contains("&lt;m1.alice@intransit&gt;"));
  CHECK(html.find("<m1.alice@intransit>") == std::string::npos);
  CHECK_THAT(html, Catch::Contains("<tr class=\"bad\"><td>&lt;m1.alice@intransit&gt;</td><td>LOST"));
  CHECK_THAT(html, Catch::Contains("<code id=\"s1-v1-replay\">intransit replay suites/q277911.toml"
                                   " --schedule 1.ab"));
  CHECK_THAT(html, Catch::Contains("<b>create</b>"));
  // The swimlanes: a lane per actor; the decisive step marked, anchored and
  // linked from the verdict and from the custody.
  CHECK_THAT(html, Catch::Contains("<th class=\"lane\">mover</th><th class=\"lane\">sender-1</th>"));
  CHECK_THAT(html, Catch::Contains("<tr id=\"s1-v1-step4\" class=\"decisive\">"));
  CHECK_THAT(html, Catch::Contains("\u2190 &lt;m1.alice@intransit&gt; gone: overwritten"));
  CHECK_THAT(html, Catch::Contains("<a class=\"decided\" href=\"#s1-v1-step4\">step 4</a>"));
  CHECK_THAT(html, Catch::Contains("<button type=\"button\" class=\"copy\" data-target=\"s1-v1-replay\""));
  // Both suites are named q277911-...: the anchors are by position, unique.
  CHECK_THAT(html, Catch::Contains("<a href=\"#suite-1\">q277911-pre-sp4</a>"));
  CHECK_THAT(html, Catch::Contains("<h2 id=\"suite-2\">q277911-correct"));

  testing::TempDir dir;
  std::string file = dir.path() + "/r.html";
  REQUIRE(WriteFile(file, html).ok());
  std::string cmd = "python3 -c \"import sys, xml.dom.minidom as m; m.parse(sys.argv[1])\" " + file;
  CHECK(std::system(cmd.c_str()) == 0);
}

// Occurrences of `what` in `text`.
size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST_CASE("report_html: a replayed violation is told once, a passing replay as its trace",
          "[report]") {
  Suite s = testing::Q277911Suite("pre-sp4");
  SuiteResult found = ExploreSuite(s, {});
  REQUIRE(found.outcome == Outcome::kViolation);
  s.explore.strategy = StrategyKind::kReplay;
  s.explore.schedule = found.violations[0].token;
  RunResult run;
  run.suites.push_back(ExploreSuite(s, {}));
  REQUIRE(run.suites[0].has_trace);
  REQUIRE(run.suites[0].violations.size() == 1);
  std::string html = HtmlReport(run);
  CHECK(Count(html, "<section class=\"violation\"") == 1);
  CHECK(Count(html, "The replayed schedule") == 0);
  CHECK(Count(html, "<nav class=\"violations\">") == 0);

  // The same schedule where the store is correct passes: its trace is all
  // there is to show.
  Suite correct = testing::Q277911Suite("correct");
  correct.explore.strategy = StrategyKind::kReplay;
  correct.explore.schedule = found.violations[0].token;
  RunResult passed;
  passed.suites.push_back(ExploreSuite(correct, {}));
  REQUIRE(passed.suites[0].has_trace);
  REQUIRE(passed.suites[0].violations.empty());
  html = HtmlReport(passed);
  CHECK(Count(html, "<section class=\"violation\"") == 1);
  CHECK(Count(html, "The replayed schedule") == 1);
}

}  // namespace
}  // namespace intransit
