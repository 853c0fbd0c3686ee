// The [adapter] table: which registered store the suite runs against, its
// variant and its options, checked against what the store declared (its
// AdapterInfo), or passed through for a store that learns them when opened.
// Part of the suite loader; see loader_internal.h.
#include <string>
#include <vector>

#include "suite/loader_internal.h"

namespace intransit::loader_internal {

Result<const AdapterInfo*> Loader::LoadAdapter(const toml::table& doc, Suite* suite) {
  const std::string& label = AdapterKeys().table;
  const toml::table* t = doc.get_as<toml::table>("adapter");
  if (t == nullptr || t->get("name") == nullptr) {
    return Fail(t != nullptr ? Where(*t) : path(),
                "key 'name' in [adapter] is required (or give --adapter NAME); registered: " +
                    JoinAlternatives(AdapterRegistry::Global().Names()));
  }
  const toml::node* name_node = t->get("name");
  if (Status s = ReadString(*t, label, "name", &suite->adapter); !s.ok()) return s;
  const AdapterInfo* info = AdapterRegistry::Global().Find(suite->adapter);
  if (info == nullptr) {
    return Fail(*name_node,
                "key 'name' in [adapter]: unknown adapter '" + suite->adapter +
                    "'; allowed: " + JoinAlternatives(AdapterRegistry::Global().Names()));
  }

  std::vector<std::string> allowed = AdapterKeys().Names();
  for (const auto& spec : info->options) allowed.push_back(spec.name);
  if (!info->open_options) {
    if (Status s = CheckKeys(*t, label, allowed); !s.ok()) return s;
  }

  suite->adapter_config.variant = info->default_variant;
  if (info->open_options && info->variants.empty()) {
    // The adapter's program decides which variants it has.
    if (Status s = ReadString(*t, label, "variant", &suite->adapter_config.variant); !s.ok()) {
      return s;
    }
  } else if (!info->variants.empty()) {
    if (Status s = ReadChoice(*t, label, "variant", info->variants, &suite->adapter_config.variant);
        !s.ok()) {
      return s;
    }
  } else if (const toml::node* v = t->get("variant")) {
    return Fail(*v, "key 'variant' in [adapter]: adapter " + info->name + " has no variants");
  }

  for (const ParamSpec& spec : info->options) {
    const toml::node* n = t->get(spec.name);
    if (n == nullptr) {
      if (spec.required) return Missing(*t, label, spec.name);
      continue;
    }
    Result<ParamValue> v = ReadParam(*n, label, spec);
    if (!v.ok()) return v.status();
    suite->adapter_config.options.Set(spec.name, *v);
  }
  if (info->open_options) {
    // Every other key passes through to the adapter as a plain value.
    for (const auto& [k, n] : *t) {
      if (Contains(allowed, k.str())) continue;
      std::string key(k.str());
      if (n.is_string()) {
        suite->adapter_config.options.Set(key, n.as_string()->get());
      } else if (n.is_integer()) {
        suite->adapter_config.options.Set(key, n.as_integer()->get());
      } else if (n.is_floating_point()) {
        suite->adapter_config.options.Set(key, n.as_floating_point()->get());
      } else if (n.is_boolean()) {
        suite->adapter_config.options.Set(key, n.as_boolean()->get());
      } else {
        return TypeError(n, label, key, "a string, number or boolean");
      }
    }
  }
  return info;
}

}  // namespace intransit::loader_internal
