// The [suite] and [oracle] tables: what the suite is called and what it
// expects of the store (a pass or a violation, of which invariants).
// Part of the suite loader; see loader_internal.h.
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "suite/loader_internal.h"

namespace intransit::loader_internal {

Status Loader::LoadSuiteTable(const toml::table& doc, Suite* suite) {
  suite->name = std::filesystem::path(path()).stem().string();
  const toml::table* t = doc.get_as<toml::table>("suite");
  if (t == nullptr) return Status::Ok();
  const TableKeys& keys = SuiteKeys();
  const std::string& label = keys.table;
  if (Status s = CheckKeys(*t, label, keys.Names()); !s.ok()) return s;
  if (Status s = ReadString(*t, label, "name", &suite->name); !s.ok()) return s;
  if (Status s = ReadString(*t, label, "description", &suite->description); !s.ok()) return s;
  std::string expect = "pass";
  if (Status s = ReadChoice(*t, label, keys.Key("expect"), &expect); !s.ok()) return s;
  suite->expect = expect == "pass" ? Expect::kPass : Expect::kViolation;
  return Status::Ok();
}

Status Loader::LoadOracle(const toml::table& doc, Suite* suite) {
  const std::vector<std::string> all = AllInvariants();
  std::vector<std::string>& inv = suite->oracle.invariants;
  inv = all;
  const toml::table* t = doc.get_as<toml::table>("oracle");
  if (t != nullptr) {
    const TableKeys& keys = OracleKeys();
    const std::string& label = keys.table;
    if (Status s = CheckKeys(*t, label, keys.Names()); !s.ok()) return s;
    if (const toml::node* n = t->get("invariants")) {
      const toml::array* a = n->as_array();
      if (a == nullptr) return TypeError(*n, label, "invariants", "a list of strings");
      inv.clear();
      for (const toml::node& e : *a) {
        if (!e.is_string()) return TypeError(e, label, "invariants", "a list of strings");
        std::string name = e.as_string()->get();
        if (!Contains(all, name)) {
          return Fail(e, "key 'invariants' in [oracle]: unknown invariant '" + name +
                             "'; allowed: " + JoinAlternatives(all));
        }
        if (!Contains(inv, name)) inv.push_back(name);
      }
    }
    bool allow_duplicates = false;
    if (Status s = ReadBool(*t, label, "allow_duplicates", &allow_duplicates); !s.ok()) return s;
    if (allow_duplicates) inv.erase(std::remove(inv.begin(), inv.end(), kNoDuplicates), inv.end());
  }
  // Losing a message is never acceptable, whatever the suite asks for.
  if (!Contains(inv, kNoSilentLoss)) inv.insert(inv.begin(), kNoSilentLoss);
  return Status::Ok();
}

}  // namespace intransit::loader_internal
