// SuiteSchemaJson: one JSON Schema property per declared ParamSpec. See
// suite_schema.h.
#include "suite/suite_schema.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/params.h"
#include "faults/fault.h"
#include "store/adapter.h"
#include "suite/suite_keys.h"

namespace intransit {
namespace {

using Json = nlohmann::ordered_json;
using loader_internal::TableKeys;

Json IntSchema(const ParamSpec& spec) {
  return Json{{"type", "integer"}, {"minimum", spec.min}, {"maximum", spec.max}};
}

// `spec`'s default as a typed JSON value, or null when its text is prose
// ("the file's stem") rather than a value.
Json DefaultOf(const ParamSpec& spec) {
  const std::string& d = spec.default_text;
  if (d.empty()) return nullptr;
  switch (spec.type) {
    case ParamType::kBool:
      if (d == "true" || d == "false") return d == "true";
      return nullptr;
    case ParamType::kInt:
      if (d.find_first_not_of("0123456789") == std::string::npos) return std::stoll(d);
      return nullptr;
    case ParamType::kFloat:
      if (d.find_first_not_of("0123456789.") == std::string::npos) return std::stod(d);
      return nullptr;
    case ParamType::kString:
      for (const auto& a : spec.allowed) {
        if (a == d) return d;
      }
      return nullptr;
    default:
      return nullptr;
  }
}

Json PropertyOf(const ParamSpec& spec) {
  Json p;
  switch (spec.type) {
    case ParamType::kString:
    case ParamType::kPoint:
    case ParamType::kActor:
      p["type"] = "string";
      if (!spec.allowed.empty()) p["enum"] = spec.allowed;
      break;
    case ParamType::kInt:
      p = IntSchema(spec);
      break;
    case ParamType::kFloat:
      p["type"] = "number";
      break;
    case ParamType::kBool:
      p["type"] = "boolean";
      break;
    case ParamType::kIntOrRange:
      p["oneOf"] = Json::array({IntSchema(spec), Json{{"type", "array"},
                                                      {"items", IntSchema(spec)},
                                                      {"minItems", 2},
                                                      {"maxItems", 2}}});
      break;
    case ParamType::kStringList: {
      Json items{{"type", "string"}};
      if (!spec.allowed.empty()) items["enum"] = spec.allowed;
      p["type"] = "array";
      p["items"] = std::move(items);
      break;
    }
  }
  // The one key the loader reads in two types (table_explore.cc).
  if (spec.name == "time_budget") {
    p.erase("type");
    p["type"] = Json::array({"string", "number"});
  }
  std::string help = spec.help;
  if (spec.type == ParamType::kPoint) help += " (a point the adapter passes)";
  if (spec.type == ParamType::kActor) help += " (an actor of the suite)";
  if (!spec.default_text.empty()) help += "; default " + spec.default_text;
  p["description"] = help;
  if (Json d = DefaultOf(spec); !d.is_null()) p["default"] = std::move(d);
  return p;
}

Json Properties(const std::vector<ParamSpec>& keys) {
  Json props = Json::object();
  for (const ParamSpec& k : keys) props[k.name] = PropertyOf(k);
  return props;
}

// A table whose keys are `keys` and nothing else; `required` must be there.
Json Table(const std::string& description, const std::vector<ParamSpec>& keys,
           const std::vector<std::string>& required = {}) {
  Json t{{"type", "object"}, {"description", description}, {"properties", Properties(keys)}};
  std::vector<std::string> must = required;
  for (const ParamSpec& k : keys) {
    if (k.required) must.push_back(k.name);
  }
  if (!must.empty()) t["required"] = must;
  t["additionalProperties"] = false;
  return t;
}

Json ArrayOf(const std::string& description, Json item) {
  return Json{{"type", "array"}, {"description", description}, {"items", std::move(item)}};
}

// If `key` equals `value`, then the table's keys are `keys` (and `required`).
Json When(const std::string& key, const std::string& value, const std::vector<ParamSpec>& keys,
          const std::vector<std::string>& required = {}) {
  Json then{{"properties", Properties(keys)}, {"additionalProperties", false}};
  if (!required.empty()) then["required"] = required;
  return Json{{"if", {{"properties", {{key, {{"const", value}}}}}, {"required", {key}}}},
              {"then", std::move(then)}};
}

Json AdapterTable() {
  const TableKeys& base = loader_internal::AdapterKeys();
  std::vector<std::string> names;
  Json cases = Json::array();
  for (const AdapterInfo& a : AdapterRegistry::Global().All()) {
    names.push_back(a.name);
    std::vector<ParamSpec> keys = base.keys;
    keys.insert(keys.end(), a.options.begin(), a.options.end());
    Json c = When("name", a.name, keys);
    // Each adapter's variants; one that learns them when opened takes any
    // variant and any other key (it hands them to its program).
    if (!a.variants.empty()) {
      c["then"]["properties"]["variant"]["enum"] = a.variants;
    }
    if (a.open_options) c["then"].erase("additionalProperties");
    cases.push_back(std::move(c));
  }
  Json t{{"type", "object"},
         {"description", "the store the suite runs on, and its options (intransit list adapters)"},
         {"properties", Properties(base.keys)}};
  t["properties"]["name"]["enum"] = names;
  t["allOf"] = std::move(cases);
  return t;
}

Json ActorsArray() {
  const TableKeys& mover = loader_internal::MoverKeys();
  const TableKeys& sender = loader_internal::SenderKeys();
  std::vector<ParamSpec> all = mover.keys;
  for (const ParamSpec& k : sender.keys) {
    bool known = false;
    for (const ParamSpec& m : all) known = known || m.name == k.name;
    if (!known) all.push_back(k);
  }
  Json item = Table("an actor: the mover runs the store's move; a sender is an MTA queue", all,
                    {"kind", "user"});
  item["allOf"] = Json::array({When("kind", "mover", mover.keys, {"to"}),
                               When("kind", "sender", sender.keys)});
  return ArrayOf("who acts: movers and senders", std::move(item));
}

Json FaultsArray() {
  const std::vector<ParamSpec> shared = SharedFaultKeys();
  std::vector<ParamSpec> all = shared;
  std::vector<std::string> kinds;
  Json cases = Json::array();
  for (const FaultKind& k : FaultRegistry::Global().All()) {
    kinds.push_back(k.name);
    std::vector<ParamSpec> keys = shared;
    keys.insert(keys.end(), k.keys.begin(), k.keys.end());
    std::vector<std::string> required;
    for (const ParamSpec& p : k.keys) {
      if (p.required) required.push_back(p.name);
      bool known = false;
      for (const ParamSpec& a : all) known = known || a.name == p.name;
      if (known) continue;
      all.push_back(p);
      all.back().required = false;  // required by its kind's case only
    }
    cases.push_back(When("kind", k.name, keys, required));
  }
  Json item = Table("a fault armed at a point (intransit list faults)", all);
  item["properties"]["kind"]["enum"] = kinds;
  // A key two kinds declare with different choices (phase, error) is checked
  // by its kind's case below, not by the union above.
  for (auto& [name, prop] : item["properties"].items()) {
    if (name != "kind") prop.erase("enum");
  }
  item["allOf"] = std::move(cases);
  return ArrayOf("the faults to inject", std::move(item));
}

}  // namespace

std::string SuiteSchemaJson() {
  Json s;
  s["$schema"] = "http://json-schema.org/draft-07/schema#";
  s["title"] = "intransit suite";
  s["description"] =
      "A suite of intransit, the fault-injection test framework for mail stores "
      "(docs/suite-format.md). Generated by `intransit schema suite`.";
  s["type"] = "object";
  s["properties"] = {
      {"suite", Table("the suite's name and what a correct store gives",
                      loader_internal::SuiteKeys().keys)},
      {"adapter", AdapterTable()},
      {"users", ArrayOf("the mailboxes: who is moved and who receives mail",
                        Table("a user", loader_internal::UserKeys().keys, {"name", "home"}))},
      {"actors", ActorsArray()},
      {"faults", FaultsArray()},
      {"explore", Table("how the schedules are explored", loader_internal::ExploreKeys().keys)},
      {"oracle", Table("the invariants judged", loader_internal::OracleKeys().keys)},
  };
  s["required"] = {"actors"};  // [adapter] may come from --adapter; users are optional
  s["additionalProperties"] = false;
  return s.dump(2) + "\n";
}

}  // namespace intransit
