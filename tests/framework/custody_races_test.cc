// The custody rerun on the shipped suites (issue #15, acceptance 1 and 2):
// q277911 names step 4 (copy) as where <m1> was lost, with the trail the KB
// tells; each buggy race of suites/races/ names the step a mail engineer
// would. Also: the JSON carries the trail, a replay has it too, and the
// header names a suite's own runbook.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "explore/explorer.h"
#include "report/report_console.h"
#include "report/report_json.h"
#include "suite/suite_loader.h"

namespace intransit {
namespace {

SuiteResult RunShipped(const std::string& name) {
  Result<Suite> suite = LoadSuite(std::string(INTRANSIT_SOURCE_DIR) + "/suites/" + name, {});
  INFO(suite.status().message());
  REQUIRE(suite.ok());
  SuiteResult r = ExploreSuite(*suite, {});
  INFO(r.error);
  REQUIRE(r.outcome == Outcome::kViolation);
  REQUIRE(!r.violations.empty());
  return r;
}

const Event& StepEvent(const Violation& v, int step) {
  for (const Event& e : v.timeline) {
    if (e.step == step && !e.probe) return e;
  }
  FAIL("no step " << step);
  return v.timeline.front();
}

TEST_CASE("custody: q277911 loses <m1> at step 4, the copy, as the KB says", "[custody]") {
  SuiteResult r = RunShipped("q277911.toml");
  const Violation& v = r.violations[0];
  REQUIRE(v.custody.size() == v.messages.size());
  INFO(v.custody_note);
  size_t m1 = v.messages.size();
  for (size_t i = 0; i < v.messages.size(); ++i) {
    if (v.messages[i].message == "<m1.alice@intransit>") m1 = i;
  }
  REQUIRE(m1 < v.messages.size());
  const MessageCustody& c = v.custody[m1];
  CHECK(v.messages[m1].verdict == Verdict::kLost);
  CHECK(c.decisive_step == 4);
  CHECK(StepEvent(v, 4).point == "copy");
  CHECK(c.mark == "gone: overwritten");

  // The JSON: accepted into dst INBOX at 2, still there at 3, gone after 4.
  RunResult run;
  run.suites.push_back(r);
  auto j = nlohmann::json::parse(JsonReport(run, false));
  const auto& messages = j["suites"][0]["violations"][0]["messages"];
  const nlohmann::json* mj = nullptr;
  for (const auto& m : messages) {
    if (m["id"] == "<m1.alice@intransit>") mj = &m;
  }
  REQUIRE(mj != nullptr);
  CHECK((*mj)["decisive_step"] == 4);
  const auto expected = nlohmann::json::parse(R"([
    {"step": 2, "location": "dst:alice/INBOX"},
    {"step": 3, "location": "dst:alice/INBOX"},
    {"step": 4, "location": null}])");
  CHECK((*mj)["custody"] == expected);

  // The console marks the step and tells the story in order.
  std::ostringstream out;
  PrintSuiteResult(r, out);
  const std::string text = out.str();
  CHECK_THAT(text, Catch::Contains("\u2190 <m1.alice@intransit> gone: overwritten"));
  CHECK_THAT(text, Catch::Contains(
                       "lost at step 4 (copy): accepted into dst:alice/INBOX at step 2 (deliver), "
                       "still there after step 3 (flag), overwritten by copy at step 4"));
}

TEST_CASE("custody: a replay carries the trail too", "[custody]") {
  SuiteResult found = RunShipped("q277911.toml");
  Result<Suite> suite = LoadSuite(std::string(INTRANSIT_SOURCE_DIR) + "/suites/q277911.toml", {});
  REQUIRE(suite.ok());
  suite->explore.strategy = StrategyKind::kReplay;
  suite->explore.schedule = found.violations[0].token;
  SuiteResult r = ExploreSuite(*suite, {});
  REQUIRE(r.has_trace);
  REQUIRE(r.trace.custody.size() == r.trace.messages.size());
  bool decided = false;
  for (const MessageCustody& c : r.trace.custody) decided = decided || c.decisive_step == 4;
  CHECK(decided);
  std::ostringstream out;
  PrintTrace(r, out);
  CHECK_THAT(out.str(), Catch::Contains("gone: overwritten"));
}

TEST_CASE("custody: the header names a suite's own runbook, not the variant it replaced",
          "[custody]") {
  SuiteResult r;
  r.name = "dovecot-custom";
  r.adapter = "dovecot";
  r.variant = "documented";
  r.procedure = "backup, sync, switch, delete";
  r.strategy = StrategyKind::kExhaustive;
  r.complete = true;
  std::ostringstream out;
  PrintSuiteResult(r, out);
  CHECK_THAT(out.str(), Catch::Contains("(dovecot: backup, sync, switch, delete; exhaustive)"));
  CHECK(out.str().find("dovecot/documented") == std::string::npos);
  RunResult run;
  run.suites.push_back(r);
  CHECK(nlohmann::json::parse(JsonReport(run, false))["suites"][0]["procedure"] ==
        "backup, sync, switch, delete");
}

struct Race {
  const char* file;
  Verdict verdict;
  const char* point;  // the decisive step's point
  const char* mark;
};

// What a mail engineer names for each buggy race (the suites' CAUSE lines).
const Race kRaces[] = {
    // The held message stays in InTransit on dst: the delivery that put it
    // there, never taken out by the rollback.
    {"crash-strand.toml", Verdict::kStranded, "deliver", "stranded in dst:alice/InTransit"},
    // The copy failed; deleting the old mailbox deleted the only copy.
    {"delete-failed-copy.toml", Verdict::kLost, "cleanup", "gone: deleted"},
    // The flush rebuilds the INBOX over the message delivered after unflag.
    {"flush-overwrite.toml", Verdict::kLost, "flush", "gone: overwritten"},
    {"flush-overwrite-long-move.toml", Verdict::kLost, "flush", "gone: overwritten"},
    // Delivered late to the old server, deleted with the old mailbox.
    {"late-source.toml", Verdict::kLost, "cleanup", "gone: deleted"},
    // The retry after a lost 250 stored the message a second time.
    {"no-dedupe.toml", Verdict::kDuplicated, "deliver", "second copy"},
    // The store answered 250 for a write that failed: never stored.
    {"tempfail-accepted.toml", Verdict::kLost, "deliver", "accepted, never stored"},
};

TEST_CASE("custody: each buggy race names the step a mail engineer would", "[custody]") {
  for (const Race& race : kRaces) {
    DYNAMIC_SECTION(race.file) {
      SuiteResult r = RunShipped(std::string("races/") + race.file);
      const Violation& v = r.violations[0];
      INFO(v.custody_note);
      REQUIRE(v.custody.size() == v.messages.size());
      int bad = 0;
      for (size_t i = 0; i < v.messages.size(); ++i) {
        if (v.messages[i].verdict != race.verdict) continue;
        ++bad;
        const MessageCustody& c = v.custody[i];
        INFO(c.message << ": " << c.story);
        REQUIRE(c.decisive_step > 0);
        CHECK(StepEvent(v, c.decisive_step).point == race.point);
        CHECK(c.mark == race.mark);
        CHECK(!c.story.empty());
      }
      CHECK(bad > 0);
    }
  }
}

}  // namespace
}  // namespace intransit
