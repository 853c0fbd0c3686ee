// The typed TOML reader with positions, under the suite loader: internal to
// suite/ (nothing outside the loader sees TOML; see suite_loader.h).
//
// A TomlReader reads one parsed document's values as the types a suite wants
// and words every mistake the same way, starting with where it is: the
// value's "file:line:column", or the --set / --adapter word that wrote it
// (MarkOrigin), since an override is checked exactly like the file's value.
//
//   TomlReader reader("suites/q.toml");
//   int64_t seed = 1;
//   if (Status s = reader.ReadInt(table, "[explore]", seed_spec, &seed); !s.ok()) return s;
//   // s: "suites/q.toml:4:8: key 'seed' in [explore] must be an integer, not a string"
//
// Every Read* leaves *out alone when the key is absent, so the caller's
// default stands. Not thread-safe; the nodes it is given must outlive it
// (positions are kept by node address).
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/params.h"
#include "base/status.h"
#include "suite/explore_kinds.h"

namespace intransit::loader_internal {

// What a node holds, for "must be an integer, not a string".
const char* NodeTypeName(const toml::node& n);

// Whether `name` is one of `names`.
bool Contains(const std::vector<std::string>& names, std::string_view name);

// "10m", "30s", "1h", "500ms", "2.5s" or a bare "90" (seconds) -> seconds.
// False (and *seconds untouched) when `text` is none of these or overflows.
bool ParseDuration(const std::string& text, double* seconds);

class TomlReader {
 public:
  // `path` names the document in every position ("path:line:column").
  explicit TomlReader(std::string path) : path_(std::move(path)) {}

  const std::string& path() const { return path_; }

  // Where a node came from: "file:line:col", or the override that made it
  // (the bare path for a table an override created).
  std::string Where(const toml::node& n) const;
  // A key's own position when it has one (the file), else its value's.
  std::string WhereKey(const toml::key& k, const toml::node& value) const;
  // Status::Invalid("<where>: <msg>").
  Status Fail(const std::string& where, const std::string& msg) const {
    return Status::Invalid(where + ": " + msg);
  }
  Status Fail(const toml::node& n, const std::string& msg) const { return Fail(Where(n), msg); }

  // Marks `n` and everything inside it as made by the override `origin`
  // ("--set explore.seed=x"): their messages name it instead of a position.
  void MarkOrigin(const toml::node& n, const std::string& origin);

  // Error at the first key of `t` not in `allowed`, listing `allowed`.
  Status CheckKeys(const toml::table& t, const std::string& label,
                   const std::vector<std::string>& allowed) const;
  // "key 'KEY' in LABEL is required", at `t`.
  Status Missing(const toml::node& t, const std::string& label, const std::string& key) const {
    return Fail(t, "key '" + key + "' in " + label + " is required");
  }

  // Typed reads. Each leaves *out alone when the key is absent.
  Status ReadString(const toml::table& t, const std::string& label, const std::string& key,
                    std::string* out) const;
  Status ReadChoice(const toml::table& t, const std::string& label, const std::string& key,
                    const std::vector<std::string>& allowed, std::string* out) const;
  // One of `spec.allowed`, read by `spec.name`.
  Status ReadChoice(const toml::table& t, const std::string& label, const ParamSpec& spec,
                    std::string* out) const {
    return ReadChoice(t, label, spec.name, spec.allowed, out);
  }
  // One of the names in `names`, read by `spec.name` and turned into its
  // value; the error names the key and lists `names` as ReadChoice does.
  // (spec.allowed, what `list` shows, is declared as NamesOf(names).)
  template <typename E, size_t N>
  Status ReadEnum(const toml::table& t, const std::string& label, const ParamSpec& spec,
                  const EnumName<E> (&names)[N], E* out) const {
    std::string word = NameOf(names, *out);
    if (Status s = ReadChoice(t, label, spec.name, NamesOf(names), &word); !s.ok()) return s;
    FromName(names, word, out);  // a name ReadChoice allowed: always found
    return Status::Ok();
  }
  // An integer within `spec`'s bounds, read by `spec.name`.
  Status ReadInt(const toml::table& t, const std::string& label, const ParamSpec& spec,
                 int64_t* out) const;
  // Error at `n` unless spec.min <= v <= spec.max.
  Status CheckBounds(const toml::node& n, const std::string& label, const ParamSpec& spec,
                     int64_t v) const;
  // Error at `n` unless `name` follows the name rule (base/name_rule.h).
  Status CheckNameAt(const toml::node& n, std::string_view what, const std::string& name) const;
  Status ReadBool(const toml::table& t, const std::string& label, const std::string& key,
                  bool* out) const;
  // "key 'KEY' in LABEL must be EXPECTED, not <what n holds>", at `n`.
  Status TypeError(const toml::node& n, const std::string& label, const std::string& key,
                   const std::string& expected) const {
    return Fail(
        n, "key '" + key + "' in " + label + " must be " + expected + ", not " + NodeTypeName(n));
  }
  // Checks `n` against a ParamSpec and converts it.
  Result<ParamValue> ReadParam(const toml::node& n, const std::string& label,
                               const ParamSpec& spec) const;
  // The array of tables under `key` ([[users]] ...), nullptr when there is
  // none, or an error if it is something else.
  Result<const toml::array*> TableArray(const toml::table& doc, const std::string& key) const;

 private:
  std::string path_;
  std::map<const toml::node*, std::string> origin_;
};

}  // namespace intransit::loader_internal
