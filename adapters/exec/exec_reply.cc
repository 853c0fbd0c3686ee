// Reading the program's lines: see exec_reply.h.
#include "adapters/exec/exec_reply.h"

#include <algorithm>

namespace intransit {
namespace {

using json = nlohmann::json;

Status Bad(const std::string& what) { return Status::Infra(what); }

// No reply of the protocol nests deeper than a few levels; a store that
// sends 100000 levels would make every recursive walk of the value
// (json::dump() in an error message, a destructor) overflow the stack.
constexpr int kMaxDepth = 64;

// The deepest nesting of arrays and objects in `line`, outside strings;
// stops counting once past kMaxDepth.
int NestingDepth(const std::string& line) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : line) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
      if (deepest > kMaxDepth) break;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

}  // namespace

std::string QuoteExecLine(const std::string& line) {
  constexpr size_t kMax = 200;
  if (line.size() <= kMax) return "'" + line + "'";
  return "'" + line.substr(0, kMax) + "...' (" + std::to_string(line.size()) + " bytes)";
}

std::string ExecStringField(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

Result<ExecLine> ParseExecLine(const std::string& line) {
  ExecLine out;
  if (NestingDepth(line) > kMaxDepth) {
    return Bad("the program wrote a line nested deeper than " + std::to_string(kMaxDepth) +
               " levels: " + QuoteExecLine(line));
  }
  out.msg = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (out.msg.is_discarded()) {
    return Bad("the program wrote a line that is not JSON: " + QuoteExecLine(line));
  }
  if (!out.msg.is_object()) {
    return Bad("the program wrote a line that is not a JSON object: " + QuoteExecLine(line));
  }
  auto mid = out.msg.find("id");
  if (mid == out.msg.end() || !mid->is_number_integer()) {
    return Bad("the program wrote a line without an integer 'id': " + QuoteExecLine(line));
  }
  out.id = mid->get<int64_t>();
  return out;
}

Status ParseExecHello(const json& hello, ExecHello* out) {
  out->name = ExecStringField(hello, "name");
  auto list = [&](const char* key, std::vector<std::string>* to) -> Status {
    auto it = hello.find(key);
    if (it == hello.end()) return Status::Ok();
    if (!it->is_array()) return Bad("'" + std::string(key) + "' is not a list");
    for (const auto& e : *it) {
      if (!e.is_string()) return Bad("'" + std::string(key) + "' holds a non-string");
      to->push_back(e.get<std::string>());
    }
    return Status::Ok();
  };
  if (Status s = list("servers", &out->servers); !s.ok()) return s;
  if (Status s = list("recovery", &out->recovery); !s.ok()) return s;
  if (Status s = list("holding", &out->holding); !s.ok()) return s;
  if (auto it = hello.find("points"); it != hello.end()) {
    if (!it->is_array()) return Bad("'points' is not a list");
    for (const auto& p : *it) {
      if (p.is_string()) {
        out->points.push_back({p.get<std::string>(), ""});
      } else if (p.is_object() && p.contains("name") && p["name"].is_string()) {
        out->points.push_back({p["name"].get<std::string>(), ExecStringField(p, "help")});
      } else {
        return Bad("a point is neither a name nor {\"name\": ...}: " +
                   QuoteExecLine(p.dump()));
      }
    }
  }
  if (out->servers.empty()) return Bad("it names no servers");
  if (auto it = hello.find("footprints"); it != hello.end()) {
    if (!it->is_boolean()) {
      return Bad("'footprints' is not a boolean: " + QuoteExecLine(it->dump()));
    }
    out->footprints = it->get<bool>();
  }
  return Status::Ok();
}

Status ParseExecInspect(const json& j, Snapshot* out) {
  out->Clear();
  auto servers = j.find("servers");
  auto directory = j.find("directory");
  if (servers == j.end() || !servers->is_object() || directory == j.end() ||
      !directory->is_object()) {
    return Bad("needs 'servers' and 'directory' objects: " + QuoteExecLine(j.dump()));
  }
  for (const auto& [server, users] : servers->items()) {
    if (!users.is_object()) return Bad("servers." + server + " is not an object");
    for (const auto& [user, folders] : users.items()) {
      if (!folders.is_object()) {
        return Bad("servers." + server + "." + user + " is not an object");
      }
      for (const auto& [folder, ids] : folders.items()) {
        if (!ids.is_array()) {
          return Bad("servers." + server + "." + user + "." + folder +
                     " is not a list of Message-IDs");
        }
        for (const auto& id : ids) {
          if (!id.is_string()) return Bad("a Message-ID is not a string");
          out->copies.push_back({server, user, folder, id.get<std::string>()});
        }
      }
    }
  }
  for (const auto& [user, server] : directory->items()) {
    if (!server.is_string()) return Bad("directory." + user + " is not a string");
    out->directory.emplace_back(user, server.get<std::string>());
  }
  if (auto notes = j.find("notes"); notes != j.end() && notes->is_array()) {
    for (const auto& n : *notes) {
      if (n.is_string()) out->notes.push_back(n.get<std::string>());
    }
  }
  return Status::Ok();
}

Status ParseExecTouch(const json& line, std::vector<ExecTouch>* out) {
  out->clear();
  auto bad = [&](const std::string& what) {
    return Bad("a touch line " + what);
  };
  // A line is one thing: which would a touch-and-reply line be?
  static constexpr std::pair<const char*, const char*> kOthers[] = {
      {"ok", "reply"}, {"point", "point"}, {"note", "note"}};
  for (const auto& [key, what] : kOthers) {
    if (line.contains(key)) {
      return bad("is also a " + std::string(what) + " ('" + key +
                 "'); send each on a line of its own");
    }
  }
  const json& touch = line.at("touch");
  if (!touch.is_array()) return bad("needs 'touch' to be a list of [object, access]");
  for (size_t i = 0; i < touch.size(); ++i) {
    const json& e = touch[i];
    const std::string where = "has entry " + std::to_string(i + 1);
    if (!e.is_array() || e.size() != 2) {
      return bad(where + " that is not a 2-element list [object, access]");
    }
    if (!e[0].is_string()) return bad(where + " whose object is not a string");
    const std::string& object = e[0].get_ref<const std::string&>();
    if (object.empty()) return bad(where + " with an empty object name");
    if (object.size() > kMaxExecObjectBytes) {
      return bad(where + " with an object name of " + std::to_string(object.size()) +
                 " bytes (at most " + std::to_string(kMaxExecObjectBytes) + ")");
    }
    for (unsigned char c : object) {
      if (c < 0x20 || c == 0x7f) return bad(where + " with a control character in its object");
    }
    Access access;
    if (!e[1].is_string() || !ParseAccess(e[1].get_ref<const std::string&>(), &access)) {
      return bad(where + " whose access is not read, write or append");
    }
    out->emplace_back(object, access);
  }
  return Status::Ok();
}

}  // namespace intransit
