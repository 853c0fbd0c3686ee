// The typed TOML reader with positions. See toml_reader.h.
//
// Positions come from TOML++'s source regions; a node an override wrote has
// none of its own, so its origin is kept by address and wins over them.
#include "suite/toml_reader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

#include "base/name_rule.h"

namespace intransit::loader_internal {

const char* NodeTypeName(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    default:
      return "nothing";
  }
}

bool Contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool ParseDuration(const std::string& text, double* seconds) {
  size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) {
    ++i;
  }
  if (i == 0) return false;
  double number = 0;
  try {
    size_t used = 0;
    number = std::stod(text.substr(0, i), &used);
    if (used != i) return false;
  } catch (...) {
    return false;
  }
  std::string unit = text.substr(i);
  double scale = 0;
  if (unit.empty() || unit == "s") {
    scale = 1;
  } else if (unit == "ms") {
    scale = 0.001;
  } else if (unit == "m") {
    scale = 60;
  } else if (unit == "h") {
    scale = 3600;
  } else {
    return false;
  }
  *seconds = number * scale;
  return std::isfinite(*seconds);
}

std::string TomlReader::Where(const toml::node& n) const {
  auto it = origin_.find(&n);
  if (it != origin_.end()) return it->second;
  const auto& begin = n.source().begin;
  if (begin.line == 0) return path_;  // a table an override created
  return path_ + ":" + std::to_string(begin.line) + ":" + std::to_string(begin.column);
}

std::string TomlReader::WhereKey(const toml::key& k, const toml::node& value) const {
  if (origin_.count(&value) == 0 && k.source().begin.line != 0) {
    return path_ + ":" + std::to_string(k.source().begin.line) + ":" +
           std::to_string(k.source().begin.column);
  }
  return Where(value);
}

void TomlReader::MarkOrigin(const toml::node& n, const std::string& origin) {
  origin_[&n] = origin;
  if (const toml::array* a = n.as_array()) {
    for (const auto& e : *a) MarkOrigin(e, origin);
  } else if (const toml::table* t = n.as_table()) {
    for (const auto& [k, v] : *t) MarkOrigin(v, origin);
  }
}

Status TomlReader::CheckNameAt(const toml::node& n, std::string_view what,
                               const std::string& name) const {
  if (Status s = CheckName(what, name); !s.ok()) return Fail(n, s.message());
  return Status::Ok();
}

Status TomlReader::CheckKeys(const toml::table& t, const std::string& label,
                             const std::vector<std::string>& allowed) const {
  for (const auto& [k, v] : t) {
    if (!Contains(allowed, k.str())) {
      return Fail(WhereKey(k, v), "unknown key '" + std::string(k.str()) + "' in " + label +
                                      "; allowed: " + JoinAlternatives(allowed));
    }
  }
  return Status::Ok();
}

Status TomlReader::ReadString(const toml::table& t, const std::string& label,
                              const std::string& key, std::string* out) const {
  const toml::node* n = t.get(key);
  if (n == nullptr) return Status::Ok();
  if (!n->is_string()) return TypeError(*n, label, key, "a string");
  *out = n->as_string()->get();
  return Status::Ok();
}

Status TomlReader::ReadChoice(const toml::table& t, const std::string& label,
                              const std::string& key, const std::vector<std::string>& allowed,
                              std::string* out) const {
  std::string value;
  const toml::node* n = t.get(key);
  if (n == nullptr) return Status::Ok();
  if (Status s = ReadString(t, label, key, &value); !s.ok()) return s;
  if (!Contains(allowed, value)) {
    return Fail(*n, "key '" + key + "' in " + label + ": unknown value '" + value +
                        "'; allowed: " + JoinAlternatives(allowed));
  }
  *out = value;
  return Status::Ok();
}

Status TomlReader::ReadInt(const toml::table& t, const std::string& label, const ParamSpec& spec,
                           int64_t* out) const {
  const toml::node* n = t.get(spec.name);
  if (n == nullptr) return Status::Ok();
  if (!n->is_integer()) return TypeError(*n, label, spec.name, "an integer");
  int64_t v = n->as_integer()->get();
  if (Status s = CheckBounds(*n, label, spec, v); !s.ok()) return s;
  *out = v;
  return Status::Ok();
}

Status TomlReader::CheckBounds(const toml::node& n, const std::string& label, const ParamSpec& spec,
                               int64_t v) const {
  if (v < spec.min || v > spec.max) {
    return Fail(n, "key '" + spec.name + "' in " + label + " must be " + IntBoundsText(spec) +
                       ", not " + std::to_string(v));
  }
  return Status::Ok();
}

Status TomlReader::ReadBool(const toml::table& t, const std::string& label, const std::string& key,
                            bool* out) const {
  const toml::node* n = t.get(key);
  if (n == nullptr) return Status::Ok();
  if (!n->is_boolean()) return TypeError(*n, label, key, "true or false");
  *out = n->as_boolean()->get();
  return Status::Ok();
}

Result<ParamValue> TomlReader::ReadParam(const toml::node& n, const std::string& label,
                                         const ParamSpec& spec) const {
  const std::string& key = spec.name;
  switch (spec.type) {
    case ParamType::kString:
    case ParamType::kPoint:
    case ParamType::kActor: {
      if (!n.is_string()) return TypeError(n, label, key, ParamTypeName(spec.type));
      std::string v = n.as_string()->get();
      if (!spec.allowed.empty() && !Contains(spec.allowed, v)) {
        return Fail(n, "key '" + key + "' in " + label + ": unknown value '" + v +
                           "'; allowed: " + JoinAlternatives(spec.allowed));
      }
      return ParamValue(v);
    }
    case ParamType::kInt: {
      if (!n.is_integer()) return TypeError(n, label, key, ParamTypeName(spec.type));
      int64_t v = n.as_integer()->get();
      if (Status s = CheckBounds(n, label, spec, v); !s.ok()) return s;
      return ParamValue(v);
    }
    case ParamType::kFloat:
      if (n.is_integer()) return ParamValue(static_cast<double>(n.as_integer()->get()));
      if (!n.is_floating_point()) return TypeError(n, label, key, ParamTypeName(spec.type));
      return ParamValue(n.as_floating_point()->get());
    case ParamType::kBool:
      if (!n.is_boolean()) return TypeError(n, label, key, ParamTypeName(spec.type));
      return ParamValue(n.as_boolean()->get());
    case ParamType::kIntOrRange: {
      if (n.is_integer()) {
        int64_t v = n.as_integer()->get();
        if (Status s = CheckBounds(n, label, spec, v); !s.ok()) return s;
        return ParamValue(v);
      }
      const toml::array* a = n.as_array();
      if (a == nullptr || a->size() != 2 || !(*a)[0].is_integer() || !(*a)[1].is_integer()) {
        return TypeError(n, label, key, ParamTypeName(spec.type));
      }
      IntRange r{(*a)[0].as_integer()->get(), (*a)[1].as_integer()->get()};
      for (const toml::node& end : *a) {
        if (Status s = CheckBounds(end, label, spec, end.as_integer()->get()); !s.ok()) return s;
      }
      if (r.first > r.second) {
        return Fail(n, "key '" + key + "' in " + label + ": range [" + std::to_string(r.first) +
                           ", " + std::to_string(r.second) + "] has lo > hi");
      }
      return ParamValue(r);
    }
    case ParamType::kStringList: {
      const toml::array* a = n.as_array();
      if (a == nullptr) return TypeError(n, label, key, ParamTypeName(spec.type));
      std::vector<std::string> list;
      for (const auto& e : *a) {
        if (!e.is_string()) return TypeError(e, label, key, ParamTypeName(spec.type));
        std::string v = e.as_string()->get();
        if (!spec.allowed.empty() && !Contains(spec.allowed, v)) {
          return Fail(e, "key '" + key + "' in " + label + ": unknown value '" + v +
                             "'; allowed: " + JoinAlternatives(spec.allowed));
        }
        list.push_back(v);
      }
      return ParamValue(list);
    }
  }
  return Fail(n, "key '" + key + "': unsupported parameter type");
}

Result<const toml::array*> TomlReader::TableArray(const toml::table& doc,
                                                  const std::string& key) const {
  const toml::node* n = doc.get(key);
  if (n == nullptr) return static_cast<const toml::array*>(nullptr);
  const toml::array* a = n->as_array();
  if (a == nullptr || !a->is_array_of_tables()) {
    return Fail(
        *n, "'" + key + "' must be an array of tables ([[" + key + "]]), not " + NodeTypeName(*n));
  }
  return a;
}

}  // namespace intransit::loader_internal
