// Typed key/value parameters declared by adapters and fault kinds.
//
// An adapter or a fault kind declares the keys it accepts as ParamSpecs; the
// suite loader checks a TOML table against them (unknown key, wrong type,
// value not among the allowed ones, an integer outside [min, max]: each an
// error naming file:line:column, the key and what is allowed) and hands over
// a Params holding only typed, valid values. Neither side ever sees TOML.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace intransit {

// The upper bound of an integer key that declares none: an int's, so a
// holder that keeps it in an int never truncates it (4294967297 ms is an
// error, not 1 ms).
inline constexpr int64_t kIntKeyMax = 2147483647;

enum class ParamType {
  kString,
  kInt,
  kFloat,       // accepts an integer too
  kBool,
  kIntOrRange,  // 5 or [2, 9]
  kStringList,
  kPoint,       // a string naming a point the adapter passes
  kActor,       // a string naming an actor of the suite
};

const char* ParamTypeName(ParamType type);

struct ParamSpec {
  std::string name;
  ParamType type = ParamType::kString;
  std::string help;
  std::vector<std::string> allowed;  // for kString: the only values accepted
  bool required = false;
  std::string default_text;  // shown by `intransit list`
  // kInt and kIntOrRange (each end of a range): the values accepted, both
  // ends included; the loader refuses any other at the value's position.
  int64_t min = 0;
  int64_t max = kIntKeyMax;
};

// "from 1 to 10000": the bounds of an integer spec, for messages and docs.
std::string IntBoundsText(const ParamSpec& spec);

using IntRange = std::pair<int64_t, int64_t>;
using ParamValue =
    std::variant<bool, int64_t, double, std::string, IntRange, std::vector<std::string>>;

// Typed values by key. Getters return the fallback when the key is absent;
// REQUIRES: a present key holds the type its spec declares (the loader checks).
class Params {
 public:
  void Set(const std::string& key, ParamValue value) { values_[key] = std::move(value); }
  bool Has(const std::string& key) const { return values_.count(key) != 0; }

  int64_t Int(const std::string& key, int64_t fallback) const;
  double Float(const std::string& key, double fallback) const;
  bool Bool(const std::string& key, bool fallback) const;
  std::string String(const std::string& key, const std::string& fallback) const;
  IntRange Range(const std::string& key, IntRange fallback) const;  // an int n is [n, n]
  std::vector<std::string> StringList(const std::string& key) const;

  const std::map<std::string, ParamValue>& values() const { return values_; }

 private:
  std::map<std::string, ParamValue> values_;
};

// "a, b or c": for error messages that list what is allowed.
std::string JoinAlternatives(const std::vector<std::string>& names);

}  // namespace intransit
