// ResultSchemaJson: the intransit-result/1 format as report_json.cc writes
// it, plus what the shard merge adds (met null, judged, first_position,
// kept) and the custody of a violation. See result_schema.h.
#include "report/result_schema.h"

#include <nlohmann/json.hpp>

namespace intransit {
namespace {

using Json = nlohmann::ordered_json;

Json Type(const char* type, const char* description) {
  return Json{{"type", type}, {"description", description}};
}

Json Count(const char* description) {
  return Json{{"type", "integer"}, {"minimum", 0}, {"description", description}};
}

Json Object(Json properties, Json required) {
  return Json{{"type", "object"},
              {"properties", std::move(properties)},
              {"required", std::move(required)},
              {"additionalProperties", false}};
}

Json Strings(const char* description) {
  return Json{{"type", "array"}, {"items", {{"type", "string"}}}, {"description", description}};
}

Json EventSchema() {
  return Object(
      {
          {"step", Count("1-based position in the timeline")},
          {"actor", Type("string", "the actor that took the step")},
          {"point", Type("string", "the point it passed")},
          {"server", Type("string", "the server it acted on")},
          {"user", Type("string", "the user it acted for")},
          {"message", Type("string", "the Message-ID, for a delivery")},
          {"what", Type("string", "what the step did")},
          {"fault", Type("string", "the fault that fired there")},
          {"injected", Type("boolean", "the step came from a fault")},
          {"probe", Type("boolean", "an I/O call inside a step where a fault fired, not a step")},
      },
      {"step", "actor", "point", "server", "user", "what"});
}

Json ViolationSchema() {
  Json verdicts = Json::array({"delivered", "bounced", "deferred", "LOST", "DUPLICATED",
                               "STRANDED", "MISDELIVERED"});
  return Object(
      {
          {"schedule", Type("string", "the schedule token")},
          {"replay", Type("string", "the command that replays it")},
          {"invariants", Strings("the invariants it broke")},
          {"breaches",
           {{"type", "array"},
            {"items", Object({{"invariant", Type("string", "")}, {"detail", Type("string", "")}},
                             {"invariant", "detail"})}}},
          {"messages",
           {{"type", "array"},
            {"items",
             Object({{"id", Type("string", "the Message-ID")},
                     {"verdict", {{"enum", verdicts}}},
                     {"custody",
                      {{"type", "array"},
                       {"description",
                        "where the message was after each step (the violating schedule run "
                        "again with an inspection after every step)"},
                       {"items", Object({{"step", Count("after this step (0: before any)")},
                                         {"location",
                                          {{"type", {"string", "null"}},
                                           {"description",
                                            "server:user/folder; null: nowhere any more"}}}},
                                        {"step", "location"})}}},
                     {"decisive_step", Count("the step that decided a bad verdict")},
                     {"decided", Type("string", "the custody told in order, for a bad verdict")},
                     {"mark", Type("string",
                                   "what the timeline notes at the decisive step: "
                                   "\"gone: overwritten\"")}},
                    {"id", "verdict"})}}},
          {"custody_note", Type("string", "why no custody was recorded")},
          {"kept", Type("string", "--keep: the tree the store kept for this schedule")},
          {"timeline", {{"type", "array"}, {"items", EventSchema()}}},
      },
      {"schedule", "replay", "invariants", "breaches", "messages", "timeline"});
}

Json SuiteSchema() {
  return Object(
      {
          {"file", Type("string", "the suite file")},
          {"name", Type("string", "the suite's name")},
          {"adapter", Type("string", "the store")},
          {"variant", Type("string", "its procedure")},
          {"procedure", Type("string", "the suite's own runbook, when it spells one")},
          {"strategy", Type("string", "exhaustive, random, pct, replay or live")},
          {"seed", Count("the seed of the random choices")},
          {"expect", {{"enum", {"pass", "violation"}}}},
          {"outcome", {{"enum", {"pass", "violation", "error"}}}},
          {"met",
           {{"type", {"boolean", "null"}},
            {"description", "the expectation was met; null: a shard that cannot judge alone"}}},
          {"judged", Type("boolean", "false: judged over all shards (intransit merge)")},
          {"schedules", Count("schedules run and judged")},
          {"complete", Type("boolean", "the whole space was covered")},
          {"wall_ms", Count("wall time, milliseconds")},
          {"violating_schedules", Count("schedules that broke an invariant")},
          {"max_preemptions", Count("the exhaustive bound used")},
          {"reduction", {{"enum", {"dpor", "none"}}}},
          {"sleep_blocked", Count("dpor: runs stopped asleep, not judged")},
          {"shard", {{"type", "string"}, {"pattern", "^[0-9]+/[0-9]+$"}}},
          {"first_position", Count("of the violation, in the unsharded run's order")},
          {"kept", {{"description", "--keep: the tree of the schedule reported"}}},
          {"error", Type("string", "outcome error: what failed")},
          {"violations", {{"type", "array"}, {"items", ViolationSchema()}}},
      },
      {"file", "name", "adapter", "variant", "strategy", "seed", "expect", "outcome", "met",
       "schedules", "complete", "wall_ms", "violating_schedules", "violations"});
}

}  // namespace

std::string ResultSchemaJson() {
  Json s;
  s["$schema"] = "http://json-schema.org/draft-07/schema#";
  s["title"] = "intransit-result/1";
  s["description"] =
      "The JSON report of intransit run, replay and conform (--json FILE). Generated by "
      "`intransit schema result`.";
  Json root = Object(
      {
          {"format", {{"const", "intransit-result/1"}}},
          {"tool_version", Type("string", "the intransit that wrote it")},
          {"timestamp",
           {{"type", "string"},
            {"pattern", "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"},
            {"description", "when the run started, UTC"}}},
          {"hostname", Type("string", "where it ran")},
          {"suites", {{"type", "array"}, {"items", SuiteSchema()}}},
          {"skipped",
           {{"type", "array"},
            {"description", "conform: suites the adapter cannot run"},
            {"items", Object({{"file", Type("string", "")},
                              {"name", Type("string", "")},
                              {"adapter", Type("string", "")},
                              {"reason", Type("string", "")}},
                             {"file", "name", "reason"})}}},
      },
      {"format", "suites"});
  for (auto& [key, value] : root.items()) s[key] = value;
  return s.dump(2) + "\n";
}

}  // namespace intransit
