// ReadJsonReport: the inverse of JsonReport, key by key, with nlohmann::json.
// Each reader checks the type before it converts, so a malformed report is
// an error that names the key rather than an exception.
#include "report/report_json_read.h"

#include <nlohmann/json.hpp>

namespace intransit {
namespace {

using Json = nlohmann::json;

// Reads keys of one object; the first problem is kept in `error`.
class Reader {
 public:
  explicit Reader(std::string* error) : error_(error) {}

  bool ok() const { return error_->empty(); }
  void Fail(const std::string& where, const std::string& what) {
    if (ok()) *error_ = where + ": " + what;
  }

  // The member `key` of `obj`, or nullptr (then, if `required`, an error).
  const Json* Member(const Json& obj, const std::string& where, const char* key, bool required) {
    auto it = obj.find(key);
    if (it == obj.end()) {
      if (required) Fail(where, std::string("no \"") + key + "\"");
      return nullptr;
    }
    return &*it;
  }

  void String(const Json& obj, const std::string& where, const char* key, std::string* out,
              bool required = true) {
    const Json* v = Member(obj, where, key, required);
    if (v == nullptr) return;
    if (!v->is_string()) return Fail(where + "." + key, "expected a string");
    *out = v->get<std::string>();
  }

  void Unsigned(const Json& obj, const std::string& where, const char* key, uint64_t* out,
                bool required = true) {
    const Json* v = Member(obj, where, key, required);
    if (v == nullptr) return;
    if (!v->is_number_unsigned()) return Fail(where + "." + key, "expected an unsigned integer");
    *out = v->get<uint64_t>();
  }

  void Signed(const Json& obj, const std::string& where, const char* key, int64_t* out,
              bool required = true) {
    const Json* v = Member(obj, where, key, required);
    if (v == nullptr) return;
    if (!v->is_number_integer()) return Fail(where + "." + key, "expected an integer");
    *out = v->get<int64_t>();
  }

  void Int(const Json& obj, const std::string& where, const char* key, int* out) {
    int64_t v = 0;
    Signed(obj, where, key, &v);
    *out = static_cast<int>(v);
  }

  void Bool(const Json& obj, const std::string& where, const char* key, bool* out,
            bool required = true) {
    const Json* v = Member(obj, where, key, required);
    if (v == nullptr) return;
    if (!v->is_boolean()) return Fail(where + "." + key, "expected true or false");
    *out = v->get<bool>();
  }

  // The array `key` of `obj`, or nullptr after an error.
  const Json* Array(const Json& obj, const std::string& where, const char* key) {
    const Json* v = Member(obj, where, key, true);
    if (v != nullptr && !v->is_array()) {
      Fail(where + "." + key, "expected an array");
      return nullptr;
    }
    return v;
  }

  // Each element of `array`, an object, passed to `each(element, where)`.
  template <typename F>
  void Objects(const Json* array, const std::string& where, F each) {
    if (array == nullptr) return;
    for (size_t i = 0; i < array->size() && ok(); ++i) {
      const std::string at = where + "[" + std::to_string(i) + "]";
      if (!(*array)[i].is_object()) return Fail(at, "expected an object");
      each((*array)[i], at);
    }
  }

 private:
  std::string* error_;
};

void ReadEvent(Reader& r, const Json& j, const std::string& at, Event* e) {
  r.Int(j, at, "step", &e->step);
  r.String(j, at, "actor", &e->actor);
  r.String(j, at, "point", &e->point);
  r.String(j, at, "server", &e->server);
  r.String(j, at, "user", &e->user);
  r.String(j, at, "message", &e->message, false);
  r.String(j, at, "what", &e->what);
  r.String(j, at, "fault", &e->fault, false);
  r.Bool(j, at, "injected", &e->injected, false);
  r.Bool(j, at, "probe", &e->probe, false);
}

void ReadVerdict(Reader& r, const Json& j, const std::string& at, MessageVerdict* m) {
  r.String(j, at, "id", &m->message);
  std::string name;
  r.String(j, at, "verdict", &name);
  if (!r.ok()) return;
  for (Verdict v : {Verdict::kDelivered, Verdict::kBounced, Verdict::kDeferred, Verdict::kLost,
                    Verdict::kDuplicated, Verdict::kStranded, Verdict::kMisdelivered}) {
    if (name == VerdictName(v)) {
      m->verdict = v;
      return;
    }
  }
  r.Fail(at + ".verdict", "unknown verdict '" + name + "'");
}

// A message's custody, when the report has one (report_json.cc): its trail,
// and for a bad verdict the decisive step and the story told of it.
void ReadCustody(Reader& r, const Json& j, const std::string& at, MessageCustody* c) {
  const Json* trail = r.Member(j, at, "custody", false);
  if (trail == nullptr) return;
  if (!trail->is_array()) return r.Fail(at + ".custody", "expected an array");
  r.Objects(trail, at + ".custody", [&](const Json& e, const std::string& w) {
    CustodyEntry& entry = c->trail.emplace_back();
    r.Int(e, w, "step", &entry.step);
    const Json* location = r.Member(e, w, "location", true);
    if (location == nullptr || location->is_null()) return;
    if (!location->is_string()) return r.Fail(w + ".location", "expected a string or null");
    entry.location = location->get<std::string>();
  });
  if (r.Member(j, at, "decisive_step", false) != nullptr) {
    r.Int(j, at, "decisive_step", &c->decisive_step);
    r.String(j, at, "decided", &c->story);
  }
  r.String(j, at, "mark", &c->mark, false);
}

void ReadViolation(Reader& r, const Json& j, const std::string& at, Violation* v) {
  r.String(j, at, "schedule", &v->token);
  r.String(j, at, "replay", &v->replay);
  const Json* invariants = r.Array(j, at, "invariants");
  if (invariants != nullptr) {
    for (size_t i = 0; i < invariants->size() && r.ok(); ++i) {
      if (!(*invariants)[i].is_string()) {
        r.Fail(at + ".invariants[" + std::to_string(i) + "]", "expected a string");
      } else {
        v->invariants.push_back((*invariants)[i].get<std::string>());
      }
    }
  }
  r.Objects(r.Array(j, at, "breaches"), at + ".breaches", [&](const Json& b, const std::string& w) {
    Breach& one = v->breaches.emplace_back();
    r.String(b, w, "invariant", &one.invariant);
    r.String(b, w, "detail", &one.detail);
  });
  std::vector<MessageCustody> custody;
  bool has_custody = false;
  r.Objects(r.Array(j, at, "messages"), at + ".messages", [&](const Json& m, const std::string& w) {
    ReadVerdict(r, m, w, &v->messages.emplace_back());
    MessageCustody& c = custody.emplace_back();
    c.message = v->messages.back().message;
    has_custody = has_custody || m.contains("custody");
    ReadCustody(r, m, w, &c);
  });
  if (has_custody) v->custody = std::move(custody);
  r.String(j, at, "custody_note", &v->custody_note, false);
  r.Objects(r.Array(j, at, "timeline"), at + ".timeline", [&](const Json& e, const std::string& w) {
    ReadEvent(r, e, w, &v->timeline.emplace_back());
  });
  r.String(j, at, "kept", &v->kept, false);
}

void ReadSuite(Reader& r, const Json& j, const std::string& at, SuiteResult* s) {
  r.String(j, at, "file", &s->file);
  r.String(j, at, "name", &s->name);
  r.String(j, at, "adapter", &s->adapter);
  r.String(j, at, "variant", &s->variant);
  r.String(j, at, "procedure", &s->procedure, false);
  std::string strategy;
  r.String(j, at, "strategy", &strategy);
  r.Unsigned(j, at, "seed", &s->seed);
  std::string expect, outcome;
  r.String(j, at, "expect", &expect);
  r.String(j, at, "outcome", &outcome);
  if (!r.ok()) return;
  if (strategy == "live") {
    s->mode = ExploreMode::kLive;
  } else if (!FromName(kStrategyNames, strategy, &s->strategy)) {
    return r.Fail(at + ".strategy", "expected exhaustive, random, pct, replay or live, not '" +
                                        strategy + "'");
  }
  if (expect != "pass" && expect != "violation") {
    return r.Fail(at + ".expect", "expected \"pass\" or \"violation\", not '" + expect + "'");
  }
  s->expect = expect == "pass" ? Expect::kPass : Expect::kViolation;
  if (outcome == "pass") {
    s->outcome = Outcome::kPass;
  } else if (outcome == "violation") {
    s->outcome = Outcome::kViolation;
  } else if (outcome == "error") {
    s->outcome = Outcome::kError;
    s->exit_code_hint = 3;
  } else {
    return r.Fail(at + ".outcome", "expected pass, violation or error, not '" + outcome + "'");
  }
  const Json* met = r.Member(j, at, "met", true);
  if (met != nullptr && met->is_null()) {
    s->judged = false;  // a shard that does not judge
  } else {
    r.Bool(j, at, "met", &s->met);
  }
  r.Unsigned(j, at, "schedules", &s->schedules);
  r.Bool(j, at, "complete", &s->complete);
  r.Signed(j, at, "wall_ms", &s->wall_ms);
  r.Unsigned(j, at, "violating_schedules", &s->violating_schedules);
  r.Signed(j, at, "max_preemptions", &s->max_preemptions, false);
  std::string reduction;
  r.String(j, at, "reduction", &reduction, false);
  if (!reduction.empty()) {
    Reduction red;
    if (!FromName(kReductionNames, reduction, &red)) {
      return r.Fail(at + ".reduction", "expected dpor or none, not '" + reduction + "'");
    }
    s->reduction = red;
  }
  r.Unsigned(j, at, "sleep_blocked", &s->sleep_blocked, false);
  r.String(j, at, "shard", &s->shard, false);
  r.Unsigned(j, at, "first_position", &s->first_position, false);
  if (s->outcome == Outcome::kError) r.String(j, at, "error", &s->error);
  r.Objects(r.Array(j, at, "violations"), at + ".violations",
            [&](const Json& v, const std::string& w) {
              ReadViolation(r, v, w, &s->violations.emplace_back());
            });
}

}  // namespace

Result<ResultFile> ReadJsonReport(const std::string& text) {
  Json root = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) return Status::Invalid("not JSON");
  if (!root.is_object()) return Status::Invalid("not an intransit-result/1 report (not an object)");
  auto format = root.find("format");
  if (format == root.end() || !format->is_string() ||
      format->get<std::string>() != "intransit-result/1") {
    return Status::Invalid("not an intransit-result/1 report (\"format\": " +
                           (format == root.end() ? std::string("absent") : format->dump()) + ")");
  }
  std::string error;
  Reader r(&error);
  ResultFile file;
  r.String(root, "report", "tool_version", &file.tool_version, false);
  file.run.tool_version = file.tool_version;
  r.String(root, "report", "timestamp", &file.run.timestamp, false);
  r.String(root, "report", "hostname", &file.run.hostname, false);
  r.Objects(r.Array(root, "report", "suites"), "suites", [&](const Json& s, const std::string& w) {
    ReadSuite(r, s, w, &file.run.suites.emplace_back());
  });
  // Absent when the run skipped no suite; only conform skips one.
  const Json* skipped = r.Member(root, "report", "skipped", false);
  if (skipped != nullptr && !skipped->is_array()) r.Fail("report.skipped", "expected an array");
  if (skipped != nullptr && skipped->is_array()) {
    r.Objects(skipped, "skipped", [&](const Json& k, const std::string& w) {
      SkippedSuite& one = file.run.skipped.emplace_back();
      r.String(k, w, "file", &one.file);
      r.String(k, w, "name", &one.name);
      r.String(k, w, "adapter", &one.adapter, false);
      r.String(k, w, "reason", &one.reason);
    });
  }
  if (!r.ok()) return Status::Invalid(error);
  return file;
}

}  // namespace intransit
