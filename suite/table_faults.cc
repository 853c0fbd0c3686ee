// The [[faults]] tables: each rule's kind, the keys that kind declares
// (its ParamSpecs, faults/) and the ones every kind shares, made into the
// kind's Fault; a key of another kind is named as such.
// Part of the suite loader; see loader_internal.h.
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "suite/loader_internal.h"

namespace intransit::loader_internal {

Status Loader::LoadFaults(const toml::table& doc, Suite* suite) {
  Result<const toml::array*> faults = TableArray(doc, "faults");
  if (!faults.ok()) return faults.status();
  if (*faults == nullptr) return Status::Ok();
  const std::string label = "[[faults]]";
  const FaultRegistry& registry = FaultRegistry::Global();
  const std::vector<ParamSpec> shared = SharedFaultKeys();

  for (const toml::node& node : **faults) {
    const toml::table& t = *node.as_table();
    FaultRule rule;
    rule.where = Where(t);

    // The kind decides which other keys are allowed, so it comes first.
    if (t.get("kind") == nullptr) return Missing(t, label, "kind");
    std::string kind_name;
    if (Status s = ReadChoice(t, label, "kind", registry.Names(), &kind_name); !s.ok()) return s;
    const FaultKind& kind = *registry.Find(kind_name);

    std::vector<std::string> allowed;
    for (const auto& spec : shared) allowed.push_back(spec.name);
    for (const auto& spec : kind.keys) allowed.push_back(spec.name);
    for (const auto& [k, v] : t) {
      if (Contains(allowed, k.str())) continue;
      std::vector<std::string> takers;
      for (const FaultKind& other : registry.All()) {
        for (const auto& spec : other.keys) {
          if (spec.name == k.str()) takers.push_back(other.name);
        }
      }
      if (!takers.empty()) {
        return Fail(WhereKey(k, v), "key '" + std::string(k.str()) + "' in [[faults]] is for " +
                                        JoinAlternatives(takers) + " faults, not " + kind_name +
                                        "; " + kind_name + " takes " + JoinAlternatives(allowed));
      }
      return Fail(WhereKey(k, v), "unknown key '" + std::string(k.str()) + "' in [[faults]] (" +
                                      kind_name + "); allowed: " + JoinAlternatives(allowed));
    }

    if (t.get("point") == nullptr) return Missing(t, label, "point");
    if (Status s = ReadString(t, label, "point", &rule.point); !s.ok()) return s;
    rule.point_where = Where(*t.get("point"));
    for (const ParamSpec& spec : shared) {
      if (spec.type != ParamType::kInt) continue;
      int64_t* out = spec.name == "nth" ? &rule.nth : spec.name == "times" ? &rule.times : nullptr;
      if (out == nullptr) std::abort();  // a shared integer key with nowhere to go: a bug
      if (Status s = ReadInt(t, label, spec, out); !s.ok()) return s;
    }
    if (const toml::node* n = t.get("probability")) {
      if (n->is_integer()) {
        rule.probability = static_cast<double>(n->as_integer()->get());
      } else if (n->is_floating_point()) {
        rule.probability = n->as_floating_point()->get();
      } else {
        return TypeError(*n, label, "probability", "a number");
      }
      if (!(rule.probability >= 0 && rule.probability <= 1)) {
        return Fail(*n, "key 'probability' in [[faults]] must be in [0, 1], not " +
                            std::to_string(rule.probability));
      }
    }

    Params params;
    for (const ParamSpec& spec : kind.keys) {
      const toml::node* n = t.get(spec.name);
      if (n == nullptr) {
        if (spec.required) {
          return Fail(t, "key '" + spec.name + "' in [[faults]] is required for kind " + kind_name +
                             " (" + spec.help + ")");
        }
        continue;
      }
      Result<ParamValue> v = ReadParam(*n, label, spec);
      if (!v.ok()) return v.status();
      if (spec.type == ParamType::kPoint) {
        rule.named_points.push_back({spec.name, std::get<std::string>(*v), Where(*n)});
      }
      if (spec.type == ParamType::kActor) {
        // The actors are loaded by now: a misspelt name would wait forever.
        const std::string& name = std::get<std::string>(*v);
        std::vector<std::string> names;
        for (const auto& a : suite->actors) names.push_back(a.name);
        if (!Contains(names, name)) {
          return Fail(*n, "key '" + spec.name + "' in [[faults]]: no actor '" + name +
                              "'; actors: " + JoinAlternatives(names));
        }
      }
      params.Set(spec.name, *v);
    }
    Result<std::unique_ptr<Fault>> fault = kind.make(params);
    if (!fault.ok()) {
      // The kind's message names its key ("key 'steps' must be ..."): point at it.
      std::string where = rule.where;
      for (const ParamSpec& spec : kind.keys) {
        const toml::node* n = t.get(spec.name);
        if (n != nullptr &&
            fault.status().message().find("key '" + spec.name + "'") != std::string::npos) {
          where = Where(*n);
          break;
        }
      }
      return fault.status().Wrap(where);
    }
    rule.fault = std::shared_ptr<const Fault>(std::move(*fault));
    suite->faults.push_back(std::move(rule));
  }
  return Status::Ok();
}

}  // namespace intransit::loader_internal
