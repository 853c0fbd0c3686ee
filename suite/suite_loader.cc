// The suite loader: TOML in, a checked Suite out. See suite_loader.h.
//
// The document is parsed whole, the overrides are written into it, and only
// then is it validated: an override is checked exactly like the file's own
// value, and its messages say "--set KEY=VALUE" where a file's say
// "file:line:column". TOML++ exceptions stop at this file and overrides.cc.
#include "suite/suite_loader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>

#include "suite/overrides.h"
#include "suite/schedule_token.h"
#include "suite/toml_reader.h"

namespace intransit {

const std::vector<TableIntKeys>& SuiteIntKeys() {
  static const std::vector<TableIntKeys> keys = {
      {"[[users]]",
       {{"messages", ParamType::kInt, "messages in the INBOX before the move", {}, false, "0", 0,
         kMaxMessages}}},
      {"[[actors]]",
       {{"messages", ParamType::kInt, "sender: how many it sends", {}, false, "1", 1, kMaxMessages},
        {"retry", ParamType::kInt, "sender: retries of a tempfail", {}, false, "5", 0, kMaxRetry}}},
      {"[explore]",
       {{"seed", ParamType::kInt, "random, pct and live draws", {}, false, "1", 0,
         std::numeric_limits<int64_t>::max()},
        {"max_schedules", ParamType::kInt, "the budget", {}, false, "100000", 1,
         1000000000000},
        {"depth", ParamType::kInt, "pct's bug depth", {}, false, "3", 1, 100},
        {"max_preemptions", ParamType::kInt, "exhaustive: at most this many", {}, false, "", 0,
         10000},
        {"iterations", ParamType::kInt, "live mode's budget", {}, false, "", 1, 1000000000}}},
  };
  return keys;
}

namespace {

// The declaration the loader reads `table`'s integer `key` by.
const ParamSpec& IntKey(std::string_view table, std::string_view key) {
  for (const TableIntKeys& t : SuiteIntKeys()) {
    if (t.table != table) continue;
    for (const ParamSpec& spec : t.keys) {
      if (spec.name == key) return spec;
    }
  }
  std::abort();  // a key read without a declaration: a bug in this file
}

using loader_internal::ApplyOverrides;
using loader_internal::Contains;
using loader_internal::NodeTypeName;
using loader_internal::ParseDuration;
using loader_internal::TomlReader;

const std::vector<std::string> kTopTables = {"suite",   "adapter", "users", "actors",
                                             "explore", "faults",  "oracle"};

class Loader : private TomlReader {
 public:
  Loader(const std::string& path, const LoadOptions& options)
      : TomlReader(path), options_(options) {}

  Result<Suite> Load(std::string_view text);
  // Only [adapter], made by the overrides alone.
  Result<AdapterConfig> LoadAdapterOnly();

 private:
  Status LoadSuiteTable(const toml::table& doc, Suite* suite);
  Result<const AdapterInfo*> LoadAdapter(const toml::table& doc, Suite* suite);
  Status LoadUsers(const toml::table& doc, const AdapterInfo& adapter, Suite* suite);
  Status LoadActors(const toml::table& doc, const AdapterInfo& adapter, Suite* suite);
  Status LoadExplore(const toml::table& doc, Suite* suite);
  Status LoadFaults(const toml::table& doc, Suite* suite);
  Status LoadOracle(const toml::table& doc, Suite* suite);

  const LoadOptions& options_;
};

Status Loader::LoadSuiteTable(const toml::table& doc, Suite* suite) {
  suite->name = std::filesystem::path(path()).stem().string();
  const toml::table* t = doc.get_as<toml::table>("suite");
  if (t == nullptr) return Status::Ok();
  const std::string label = "[suite]";
  if (Status s = CheckKeys(*t, label, {"name", "description", "expect"}); !s.ok()) return s;
  if (Status s = ReadString(*t, label, "name", &suite->name); !s.ok()) return s;
  if (Status s = ReadString(*t, label, "description", &suite->description); !s.ok()) return s;
  std::string expect = "pass";
  if (Status s = ReadChoice(*t, label, "expect", {"pass", "violation"}, &expect); !s.ok()) {
    return s;
  }
  suite->expect = expect == "pass" ? Expect::kPass : Expect::kViolation;
  return Status::Ok();
}

Result<const AdapterInfo*> Loader::LoadAdapter(const toml::table& doc, Suite* suite) {
  const std::string label = "[adapter]";
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

  std::vector<std::string> allowed = {"name", "variant"};
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

Status Loader::LoadUsers(const toml::table& doc, const AdapterInfo& adapter, Suite* suite) {
  Result<const toml::array*> users = TableArray(doc, "users");
  if (!users.ok()) return users.status();
  if (*users == nullptr) return Status::Ok();
  const std::string label = "[[users]]";
  std::map<std::string, std::string> seen;  // name -> where
  for (const toml::node& node : **users) {
    const toml::table& t = *node.as_table();
    if (Status s = CheckKeys(t, label, {"name", "home", "messages"}); !s.ok()) return s;
    UserSpec user;
    user.where = Where(t);
    if (t.get("name") == nullptr) return Missing(t, label, "name");
    if (Status s = ReadString(t, label, "name", &user.name); !s.ok()) return s;
    // A user's name becomes a directory, an LMTP argument and a Message-ID.
    if (Status s = CheckNameAt(*t.get("name"), "user name", user.name); !s.ok()) return s;
    if (auto it = seen.find(user.name); it != seen.end()) {
      return Fail(*t.get("name"),
                  "duplicate user name '" + user.name + "' in [[users]]; first at " + it->second);
    }
    seen[user.name] = Where(*t.get("name"));
    if (t.get("home") == nullptr) return Missing(t, label, "home");
    if (adapter.open_options && adapter.servers.empty()) {
      if (Status s = ReadString(t, label, "home", &user.home); !s.ok()) return s;
      if (Status s = CheckNameAt(*t.get("home"), "server name", user.home); !s.ok()) return s;
      suite->adapter_config.unchecked.push_back(
          {"server", user.home, Where(*t.get("home")), "home"});
    } else if (Status s = ReadChoice(t, label, "home", adapter.servers, &user.home); !s.ok()) {
      return s;
    }
    int64_t messages = 0;
    if (Status s = ReadInt(t, label, IntKey(label, "messages"), &messages); !s.ok()) return s;
    user.messages = static_cast<int>(messages);
    suite->users.push_back(std::move(user));
  }
  return Status::Ok();
}

Status Loader::LoadActors(const toml::table& doc, const AdapterInfo& adapter, Suite* suite) {
  Result<const toml::array*> actors = TableArray(doc, "actors");
  if (!actors.ok()) return actors.status();
  if (*actors == nullptr || (*actors)->empty()) {
    return Fail(path(),
                "no [[actors]]; a suite needs at least one (kind = \"mover\" or \"sender\")");
  }
  const std::string label = "[[actors]]";
  const std::vector<std::string> mover_keys = {"kind", "name", "user", "to"};
  const std::vector<std::string> sender_keys = {"kind", "name", "user", "messages", "retry"};
  std::vector<const toml::node*> name_nodes;  // the explicit name, or nullptr
  int movers = 0;
  int senders = 0;
  for (const toml::node& node : **actors) {
    const toml::table& t = *node.as_table();
    ActorSpec actor;
    actor.where = Where(t);
    if (t.get("kind") == nullptr) return Missing(t, label, "kind");
    std::string kind;
    if (Status s = ReadChoice(t, label, "kind", {"mover", "sender"}, &kind); !s.ok()) return s;
    actor.kind = kind == "mover" ? ActorKind::kMover : ActorKind::kSender;
    const auto& own = actor.kind == ActorKind::kMover ? mover_keys : sender_keys;
    const auto& other = actor.kind == ActorKind::kMover ? sender_keys : mover_keys;
    for (const auto& [k, v] : t) {
      if (Contains(own, k.str())) continue;
      if (Contains(other, k.str())) {
        return Fail(WhereKey(k, v), "key '" + std::string(k.str()) + "' in [[actors]] is for " +
                                        (actor.kind == ActorKind::kMover ? "senders, not movers"
                                                                         : "movers, not senders"));
      }
      return Fail(WhereKey(k, v), "unknown key '" + std::string(k.str()) + "' in [[actors]] (" +
                                      kind + "); allowed: " + JoinAlternatives(own));
    }

    const toml::node* name_node = t.get("name");
    if (Status s = ReadString(t, label, "name", &actor.name); !s.ok()) return s;
    if (name_node != nullptr) {
      if (Status s = CheckNameAt(*name_node, "actor name", actor.name); !s.ok()) return s;
    }
    name_nodes.push_back(name_node);

    if (t.get("user") == nullptr) return Missing(t, label, "user");
    if (Status s = ReadString(t, label, "user", &actor.user); !s.ok()) return s;
    auto user = std::find_if(suite->users.begin(), suite->users.end(),
                             [&](const UserSpec& u) { return u.name == actor.user; });
    if (user == suite->users.end()) {
      std::vector<std::string> declared;
      for (const auto& u : suite->users) declared.push_back(u.name);
      return Fail(*t.get("user"),
                  "key 'user' in [[actors]]: unknown user '" + actor.user + "'; declared: " +
                      (declared.empty() ? std::string("none (add a [[users]] table)")
                                        : JoinAlternatives(declared)));
    }

    if (actor.kind == ActorKind::kMover) {
      ++movers;
      if (t.get("to") == nullptr) return Missing(t, label, "to");
      if (adapter.open_options && adapter.servers.empty()) {
        if (Status s = ReadString(t, label, "to", &actor.to); !s.ok()) return s;
        if (Status s = CheckNameAt(*t.get("to"), "server name", actor.to); !s.ok()) return s;
        suite->adapter_config.unchecked.push_back(
            {"server", actor.to, Where(*t.get("to")), "to"});
      } else if (Status s = ReadChoice(t, label, "to", adapter.servers, &actor.to); !s.ok()) {
        return s;
      }
      if (actor.to == user->home) {
        return Fail(*t.get("to"), "key 'to' in [[actors]]: '" + actor.to + "' is already " +
                                      actor.user + "'s home; a move needs another server");
      }
      if (actor.name.empty()) actor.name = "mover-" + std::to_string(movers);
    } else {
      ++senders;
      int64_t v = actor.messages;
      if (Status s = ReadInt(t, label, IntKey(label, "messages"), &v); !s.ok()) return s;
      actor.messages = static_cast<int>(v);
      v = actor.retry;
      if (Status s = ReadInt(t, label, IntKey(label, "retry"), &v); !s.ok()) return s;
      actor.retry = static_cast<int>(v);
      if (actor.name.empty()) actor.name = "sender-" + std::to_string(senders);
    }
    suite->actors.push_back(std::move(actor));
  }

  // A lone mover is just "mover"; numbering only matters when there are several.
  if (movers == 1) {
    for (size_t i = 0; i < suite->actors.size(); ++i) {
      if (suite->actors[i].kind == ActorKind::kMover && name_nodes[i] == nullptr) {
        suite->actors[i].name = "mover";
      }
    }
  }
  std::map<std::string, std::string> seen;
  for (size_t i = 0; i < suite->actors.size(); ++i) {
    const ActorSpec& a = suite->actors[i];
    std::string where = name_nodes[i] != nullptr ? Where(*name_nodes[i]) : a.where;
    if (auto it = seen.find(a.name); it != seen.end()) {
      return Fail(where,
                  "duplicate actor name '" + a.name + "' in [[actors]]; first at " + it->second);
    }
    seen[a.name] = where;
  }
  return Status::Ok();
}

Status Loader::LoadExplore(const toml::table& doc, Suite* suite) {
  const toml::table* t = doc.get_as<toml::table>("explore");
  if (t == nullptr) return Status::Ok();
  const std::string label = "[explore]";
  ExploreSpec& e = suite->explore;
  if (Status s = CheckKeys(*t, label,
                           {"mode", "strategy", "seed", "max_schedules", "schedule", "depth",
                            "max_preemptions", "time_budget", "iterations", "shrink",
                            "stop_at_first", "reduction"});
      !s.ok()) {
    return s;
  }
  if (Status s = ReadChoice(*t, label, "mode", {"systematic", "live"}, &e.mode); !s.ok()) return s;
  if (Status s =
          ReadChoice(*t, label, "strategy", {"exhaustive", "random", "pct", "replay"}, &e.strategy);
      !s.ok()) {
    return s;
  }
  int64_t v = static_cast<int64_t>(e.seed);
  if (Status s = ReadInt(*t, label, IntKey(label, "seed"), &v); !s.ok()) return s;
  e.seed = static_cast<uint64_t>(v);
  v = static_cast<int64_t>(e.max_schedules);
  if (Status s = ReadInt(*t, label, IntKey(label, "max_schedules"), &v); !s.ok()) return s;
  e.max_schedules = static_cast<uint64_t>(v);
  if (Status s = ReadString(*t, label, "schedule", &e.schedule); !s.ok()) return s;
  v = e.depth;
  if (Status s = ReadInt(*t, label, IntKey(label, "depth"), &v); !s.ok()) return s;
  e.depth = static_cast<int>(v);
  if (Status s = ReadInt(*t, label, IntKey(label, "max_preemptions"), &e.max_preemptions);
      !s.ok()) {
    return s;
  }
  if (Status s = ReadChoice(*t, label, "reduction", {"auto", "dpor", "none"}, &e.reduction);
      !s.ok()) {
    return s;
  }
  if (e.reduction == "dpor" && e.max_preemptions >= 0) {
    // A preemption bound changes the space: DPOR's reversals assume every
    // interleaving is in it.
    return Fail(*t->get("reduction"),
                "key 'reduction' in [explore]: \"dpor\" cannot be combined with max_preemptions "
                "(a preemption bound changes the space DPOR reduces); use reduction = \"none\" "
                "or \"auto\", or drop max_preemptions");
  }
  if (Status s = ReadBool(*t, label, "shrink", &e.shrink); !s.ok()) return s;
  if (Status s = ReadBool(*t, label, "stop_at_first", &e.stop_at_first); !s.ok()) return s;

  if (const toml::node* n = t->get("time_budget")) {
    if (n->is_integer() || n->is_floating_point()) {
      e.time_budget_s = n->is_integer() ? static_cast<double>(n->as_integer()->get())
                                        : n->as_floating_point()->get();
      if (!(e.time_budget_s >= 0)) {
        return Fail(*n, "key 'time_budget' in [explore] must be >= 0");
      }
    } else if (n->is_string()) {
      if (!ParseDuration(n->as_string()->get(), &e.time_budget_s)) {
        return Fail(*n, "key 'time_budget' in [explore]: cannot read '" + n->as_string()->get() +
                            "' as a duration; use seconds (90) or 500ms, 30s, 10m or 1h");
      }
    } else {
      return TypeError(*n, label, "time_budget", "a duration (\"10m\") or a number of seconds");
    }
    if (e.time_budget_s > kMaxTimeBudgetS) {
      return Fail(*n, "key 'time_budget' in [explore] must be at most 30 days (" +
                          std::to_string(static_cast<int64_t>(kMaxTimeBudgetS)) + " s)");
    }
  }

  // Live mode repeats the scenario rather than enumerating schedules; its
  // count shares max_schedules so the runner has one bound to honour.
  if (const toml::node* n = t->get("iterations")) {
    v = 1;
    if (Status s = ReadInt(*t, label, IntKey(label, "iterations"), &v); !s.ok()) return s;
    if (e.mode != "live") {
      return Fail(*n,
                  "key 'iterations' in [explore] is for mode = \"live\"; systematic mode "
                  "bounds runs with max_schedules");
    }
    e.max_schedules = static_cast<uint64_t>(v);
  }

  if (const toml::node* n = t->get("schedule"); n != nullptr && !e.schedule.empty()) {
    // Against the suite's shape now (its actors are loaded), so `check`
    // catches a token for another suite and a run never decodes past bounds.
    Result<std::vector<int>> values = DecodeSchedule(e.schedule, TokenLimitsFor(*suite));
    if (!values.ok()) return Fail(*n, "key 'schedule' in [explore]: " + values.status().message());
  }
  if (e.strategy == "replay" && e.schedule.empty()) {
    const toml::node* n = t->get("strategy");
    return Fail(n != nullptr ? Where(*n) : Where(*t),
                "key 'schedule' in [explore] is required when strategy = \"replay\"");
  }
  return Status::Ok();
}

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

Status Loader::LoadOracle(const toml::table& doc, Suite* suite) {
  const std::vector<std::string> all = AllInvariants();
  std::vector<std::string>& inv = suite->oracle.invariants;
  inv = all;
  const toml::table* t = doc.get_as<toml::table>("oracle");
  if (t != nullptr) {
    const std::string label = "[oracle]";
    if (Status s = CheckKeys(*t, label, {"invariants", "allow_duplicates"}); !s.ok()) return s;
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

Result<AdapterConfig> Loader::LoadAdapterOnly() {
  toml::table doc;
  if (Status s = ApplyOverrides(options_, &doc, this); !s.ok()) return s;
  Suite suite;
  Result<const AdapterInfo*> adapter = LoadAdapter(doc, &suite);
  if (!adapter.ok()) return adapter.status();
  return suite.adapter_config;
}

Result<Suite> Loader::Load(std::string_view text) {
  toml::table doc;
  try {
    doc = toml::parse(text, std::string_view(path()));
  } catch (const toml::parse_error& e) {
    return Status::Invalid(path() + ":" + std::to_string(e.source().begin.line) + ":" +
                           std::to_string(e.source().begin.column) + ": " +
                           std::string(e.description()));
  }

  Suite suite;
  suite.file = path();
  if (!options_.adapter.empty()) {
    suite.overrides.push_back("--adapter");
    suite.overrides.push_back(options_.adapter);
  }
  for (const auto& set : options_.sets) {
    suite.overrides.push_back("--set");
    suite.overrides.push_back(set);
  }
  if (Status s = ApplyOverrides(options_, &doc, this); !s.ok()) return s;

  for (const auto& [k, v] : doc) {
    if (!Contains(kTopTables, k.str())) {
      return Fail(WhereKey(k, v),
                  "unknown table [" + std::string(k.str()) + "]; allowed: " +
                      JoinAlternatives({"[suite]", "[adapter]", "[[users]]", "[[actors]]",
                                        "[explore]", "[[faults]]", "[oracle]"}));
    }
  }
  for (const char* single : {"suite", "adapter", "explore", "oracle"}) {
    const toml::node* n = doc.get(single);
    if (n != nullptr && !n->is_table()) {
      return Fail(*n, "'" + std::string(single) + "' must be a table ([" + single + "]), not " +
                          NodeTypeName(*n));
    }
  }

  if (Status s = LoadSuiteTable(doc, &suite); !s.ok()) return s;
  Result<const AdapterInfo*> adapter = LoadAdapter(doc, &suite);
  if (!adapter.ok()) return adapter.status();
  if (Status s = LoadUsers(doc, **adapter, &suite); !s.ok()) return s;
  if (Status s = LoadActors(doc, **adapter, &suite); !s.ok()) return s;
  if (Status s = LoadExplore(doc, &suite); !s.ok()) return s;
  if (Status s = LoadFaults(doc, &suite); !s.ok()) return s;
  if (Status s = LoadOracle(doc, &suite); !s.ok()) return s;
  if (!options_.check_points) {
    // The caller checks them.
  } else if ((*adapter)->open_options && (*adapter)->points.empty()) {
    // Known only once the adapter is open: it checks them then.
    for (const FaultRule& rule : suite.faults) {
      suite.adapter_config.unchecked.push_back({"point", rule.point, rule.point_where, "point"});
      for (const auto& named : rule.named_points) {
        suite.adapter_config.unchecked.push_back({"point", named.point, named.where, named.key});
      }
    }
  } else if (Status s = CheckPoints(suite, **adapter); !s.ok()) {
    return s;
  }
  return suite;
}

}  // namespace

Result<Suite> LoadSuiteFromString(std::string_view text, const std::string& path,
                                  const LoadOptions& options) {
  RegisterBuiltinFaults();
  return Loader(path, options).Load(text);
}

Result<AdapterConfig> LoadAdapterConfig(const std::string& adapter,
                                        const std::vector<std::string>& sets) {
  LoadOptions options;
  options.adapter = adapter;
  for (const auto& set : sets) {
    if (set.rfind("adapter.", 0) == 0) options.sets.push_back(set);
  }
  return Loader("(command line)", options).LoadAdapterOnly();
}

Result<Suite> LoadSuite(const std::string& path, const LoadOptions& options) {
  auto cannot = [&](const std::string& why) {
    return Status::Invalid("cannot read '" + path + "': " + why);
  };
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return cannot(std::strerror(errno));
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  struct stat st;
  if (::fstat(fd, &st) != 0) return cannot(std::strerror(errno));
  // A device (/dev/zero), FIFO or socket may never end; a directory has no text.
  if (!S_ISREG(st.st_mode)) {
    return cannot(S_ISDIR(st.st_mode) ? "it is a directory" : "not a regular file");
  }
  const std::string too_big = "larger than the " + std::to_string(kMaxSuiteBytes) +
                              "-byte limit of a suite file";
  if (st.st_size > kMaxSuiteBytes) return cannot(too_big);
  // Read at most one byte past the limit: the file may grow after fstat.
  std::string text;
  char buf[8192];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return cannot(std::strerror(errno));
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
    if (static_cast<int64_t>(text.size()) > kMaxSuiteBytes) return cannot(too_big);
  }
  return LoadSuiteFromString(text, path, options);
}

}  // namespace intransit