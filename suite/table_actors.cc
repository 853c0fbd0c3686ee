// The [[users]] and [[actors]] tables: the scenario's mailboxes and who
// acts on them (movers and senders), their names made unique and their
// servers checked against the adapter's.
// Part of the suite loader; see loader_internal.h.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "suite/loader_internal.h"

namespace intransit::loader_internal {

Status Loader::LoadUsers(const toml::table& doc, const AdapterInfo& adapter, Suite* suite) {
  Result<const toml::array*> users = TableArray(doc, "users");
  if (!users.ok()) return users.status();
  if (*users == nullptr) return Status::Ok();
  const TableKeys& keys = UserKeys();
  const std::string& label = keys.table;
  std::map<std::string, std::string> seen;  // name -> where
  for (const toml::node& node : **users) {
    const toml::table& t = *node.as_table();
    if (Status s = CheckKeys(t, label, keys.Names()); !s.ok()) return s;
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
    if (Status s = ReadInt(t, label, keys.Key("messages"), &messages); !s.ok()) return s;
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
  const std::string& label = ActorKeys().table;
  const std::vector<std::string> mover_keys = MoverKeys().Names();
  const std::vector<std::string> sender_keys = SenderKeys().Names();
  std::vector<const toml::node*> name_nodes;  // the explicit name, or nullptr
  int movers = 0;
  int senders = 0;
  for (const toml::node& node : **actors) {
    const toml::table& t = *node.as_table();
    ActorSpec actor;
    actor.where = Where(t);
    if (t.get("kind") == nullptr) return Missing(t, label, "kind");
    std::string kind;
    if (Status s = ReadChoice(t, label, ActorKeys().Key("kind"), &kind); !s.ok()) return s;
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
      if (Status s = ReadInt(t, label, SenderKeys().Key("messages"), &v); !s.ok()) return s;
      actor.messages = static_cast<int>(v);
      v = actor.retry;
      if (Status s = ReadInt(t, label, SenderKeys().Key("retry"), &v); !s.ok()) return s;
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

}  // namespace intransit::loader_internal
