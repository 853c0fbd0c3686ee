// Params getters and the small helpers error messages share.
#include "base/params.h"

namespace intransit {

const char* ParamTypeName(ParamType type) {
  switch (type) {
    case ParamType::kString: return "a string";
    case ParamType::kInt: return "an integer";
    case ParamType::kFloat: return "a number";
    case ParamType::kBool: return "true or false";
    case ParamType::kIntOrRange: return "an integer or a range [lo, hi]";
    case ParamType::kStringList: return "a list of strings";
    case ParamType::kPoint: return "a point name";
    case ParamType::kActor: return "an actor name";
  }
  return "?";
}

int64_t Params::Int(const std::string& key, int64_t fallback) const {
  auto it = values_.find(key);
  if (it == values_.end()) return fallback;
  if (auto* v = std::get_if<int64_t>(&it->second)) return *v;
  return fallback;
}

double Params::Float(const std::string& key, double fallback) const {
  auto it = values_.find(key);
  if (it == values_.end()) return fallback;
  if (auto* v = std::get_if<double>(&it->second)) return *v;
  if (auto* v = std::get_if<int64_t>(&it->second)) return static_cast<double>(*v);
  return fallback;
}

bool Params::Bool(const std::string& key, bool fallback) const {
  auto it = values_.find(key);
  if (it == values_.end()) return fallback;
  if (auto* v = std::get_if<bool>(&it->second)) return *v;
  return fallback;
}

std::string Params::String(const std::string& key, const std::string& fallback) const {
  auto it = values_.find(key);
  if (it == values_.end()) return fallback;
  if (auto* v = std::get_if<std::string>(&it->second)) return *v;
  return fallback;
}

IntRange Params::Range(const std::string& key, IntRange fallback) const {
  auto it = values_.find(key);
  if (it == values_.end()) return fallback;
  if (auto* v = std::get_if<IntRange>(&it->second)) return *v;
  if (auto* v = std::get_if<int64_t>(&it->second)) return {*v, *v};
  return fallback;
}

std::vector<std::string> Params::StringList(const std::string& key) const {
  auto it = values_.find(key);
  if (it == values_.end()) return {};
  if (auto* v = std::get_if<std::vector<std::string>>(&it->second)) return *v;
  return {};
}

std::string IntBoundsText(const ParamSpec& spec) {
  return "from " + std::to_string(spec.min) + " to " + std::to_string(spec.max);
}

std::string JoinAlternatives(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += (i + 1 == names.size()) ? " or " : ", ";
    out += names[i];
  }
  return out;
}

}  // namespace intransit
