// JsonReport: the §11 format built with nlohmann::ordered_json, which keeps
// keys in insertion order, so the text reads in the documented order.
#include "report/report_json.h"

#include <nlohmann/json.hpp>

namespace intransit {

namespace {

using Json = nlohmann::ordered_json;

Json EventJson(const Event& e) {
  Json j;
  j["step"] = e.step;
  j["actor"] = e.actor;
  j["point"] = e.point;
  j["server"] = e.server;
  j["user"] = e.user;
  if (!e.message.empty()) j["message"] = e.message;
  j["what"] = e.what;
  if (!e.fault.empty()) j["fault"] = e.fault;
  if (e.injected) j["injected"] = true;
  // An I/O call inside a step where a fault fired, not a step of its own.
  if (e.probe) j["probe"] = true;
  return j;
}

Json ViolationJson(const Violation& v) {
  Json j;
  j["schedule"] = v.token;
  j["replay"] = v.replay;
  j["invariants"] = v.invariants;
  Json breaches = Json::array();
  for (const Breach& b : v.breaches) {
    Json one;
    one["invariant"] = b.invariant;
    one["detail"] = b.detail;
    breaches.push_back(std::move(one));
  }
  j["breaches"] = std::move(breaches);
  Json messages = Json::array();
  for (size_t i = 0; i < v.messages.size(); ++i) {
    const MessageVerdict& m = v.messages[i];
    Json one;
    one["id"] = m.message;
    one["verdict"] = VerdictName(m.verdict);
    // Custody (when the rerun recorded it): every step the message was
    // somewhere, one entry per copy; location null right after the step
    // that took its last copy away. A bad verdict names its decisive step.
    if (i < v.custody.size()) {
      const MessageCustody& c = v.custody[i];
      Json trail = Json::array();
      for (const CustodyEntry& e : c.trail) {
        Json at;
        at["step"] = e.step;
        at["location"] = e.location.empty() ? Json(nullptr) : Json(e.location);
        trail.push_back(std::move(at));
      }
      one["custody"] = std::move(trail);
      if (c.decisive_step > 0) {
        one["decisive_step"] = c.decisive_step;
        one["decided"] = c.story;
      }
      // What the timeline notes at the decisive step: "gone: overwritten".
      if (!c.mark.empty()) one["mark"] = c.mark;
    }
    messages.push_back(std::move(one));
  }
  j["messages"] = std::move(messages);
  if (!v.custody_note.empty()) j["custody_note"] = v.custody_note;
  Json timeline = Json::array();
  for (const Event& e : v.timeline) timeline.push_back(EventJson(e));
  j["timeline"] = std::move(timeline);
  if (!v.kept.empty()) j["kept"] = v.kept;
  return j;
}

Json SuiteJson(const SuiteResult& s, bool include_timings) {
  Json j;
  j["file"] = s.file;
  j["name"] = s.name;
  j["adapter"] = s.adapter;
  j["variant"] = s.variant;
  if (!s.procedure.empty()) j["procedure"] = s.procedure;
  j["strategy"] = s.StrategyLabel();
  j["seed"] = s.seed;
  j["expect"] = ExpectName(s.expect);
  j["outcome"] = OutcomeName(s.outcome);
  // null: a shard that found no violation of an expect = "violation" suite
  // does not judge it; `intransit merge` of all shards does.
  if (s.judged) {
    j["met"] = s.met;
  } else {
    j["met"] = nullptr;
  }
  j["schedules"] = s.schedules;
  j["complete"] = s.complete;
  j["wall_ms"] = include_timings ? s.wall_ms : 0;
  j["violating_schedules"] = s.violating_schedules;
  if (s.max_preemptions >= 0) j["max_preemptions"] = s.max_preemptions;
  if (s.reduction.has_value()) {
    j["reduction"] = ReductionName(*s.reduction);
    j["sleep_blocked"] = s.sleep_blocked;
  }
  if (!s.shard.empty()) {
    j["shard"] = s.shard;
    // Where the shard's violation lies in the unsharded run's order: merge
    // reports the one the unsharded run meets first.
    if (!s.violations.empty()) j["first_position"] = s.first_position;
  }
  if (s.outcome == Outcome::kError) j["error"] = s.error;
  Json violations = Json::array();
  for (const Violation& v : s.violations) violations.push_back(ViolationJson(v));
  j["violations"] = std::move(violations);
  return j;
}

}  // namespace

std::string JsonReport(const RunResult& r, bool include_timings) {
  Json root;
  root["format"] = "intransit-result/1";
  // Where and when (schemas/result.schema.json); the tests' fixed results leave them out.
  if (!r.tool_version.empty()) root["tool_version"] = r.tool_version;
  if (include_timings && !r.timestamp.empty()) root["timestamp"] = r.timestamp;
  if (!r.hostname.empty()) root["hostname"] = r.hostname;
  Json suites = Json::array();
  for (const SuiteResult& s : r.suites) suites.push_back(SuiteJson(s, include_timings));
  root["suites"] = std::move(suites);
  if (!r.skipped.empty()) {
    Json skipped = Json::array();
    for (const SkippedSuite& k : r.skipped) {
      skipped.push_back({{"file", k.file}, {"name", k.name}, {"adapter", k.adapter},
                         {"reason", k.reason}});
    }
    root["skipped"] = std::move(skipped);
  }
  // replace: a Message-ID or folder name read back from a store may not be
  // UTF-8; the report must still be written (the default handler throws).
  return root.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace intransit
