// The choices an [explore] table makes among fixed words — the mode, the
// strategy, the reduction — as enums, each with the one table of its names.
//
// These tables are the only place the words "exhaustive", "pct", "live",
// "dpor" ... stand: the loader reads a key by its table
// (TomlReader::ReadEnum), the suite keys list the table as the allowed values
// (suite_keys.cc), reports print a value back by it. Every layer in between
// compares enums; what a strategy can do is explore/strategy_factory.h's
// TraitsOf, not a test of its name.
//
//   StrategyKind k;
//   if (FromName(kStrategyNames, "pct", &k)) ...   // k == StrategyKind::kPct
//   NameOf(kStrategyNames, StrategyKind::kReplay)  // "replay"
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace intransit {

// systematic: the runner's scheduler picks every step (a schedule can be
// replayed); live: the actors run on threads and race (LiveRunner).
enum class ExploreMode { kSystematic, kLive };
// Who makes a systematic run's choices (explore/strategy_factory.h).
enum class StrategyKind { kExhaustive, kRandom, kPct, kReplay };
// exhaustive's partial-order reduction: auto (dpor where the store declares
// footprints and no preemption bound is set), dpor, or none.
enum class Reduction { kAuto, kDpor, kNone };

// One value and the word that names it.
template <typename E>
struct EnumName {
  E value;
  const char* name;
};

// In the order messages list them ("allowed: exhaustive, random, pct or replay").
inline constexpr EnumName<ExploreMode> kExploreModeNames[] = {
    {ExploreMode::kSystematic, "systematic"},
    {ExploreMode::kLive, "live"},
};
inline constexpr EnumName<StrategyKind> kStrategyNames[] = {
    {StrategyKind::kExhaustive, "exhaustive"},
    {StrategyKind::kRandom, "random"},
    {StrategyKind::kPct, "pct"},
    {StrategyKind::kReplay, "replay"},
};
inline constexpr EnumName<Reduction> kReductionNames[] = {
    {Reduction::kAuto, "auto"},
    {Reduction::kDpor, "dpor"},
    {Reduction::kNone, "none"},
};

// The name of `value` in `table`; "?" for a value the table lacks (a bug).
template <typename E, size_t N>
const char* NameOf(const EnumName<E> (&table)[N], E value) {
  for (const EnumName<E>& entry : table) {
    if (entry.value == value) return entry.name;
  }
  return "?";
}

// Every name of `table`, in order.
template <typename E, size_t N>
std::vector<std::string> NamesOf(const EnumName<E> (&table)[N]) {
  std::vector<std::string> names;
  for (const EnumName<E>& entry : table) names.emplace_back(entry.name);
  return names;
}

// Sets *out to the value `name` names; false (and *out untouched) when
// `table` has no such name.
template <typename E, size_t N>
bool FromName(const EnumName<E> (&table)[N], std::string_view name, E* out) {
  for (const EnumName<E>& entry : table) {
    if (name == entry.name) {
      *out = entry.value;
      return true;
    }
  }
  return false;
}

inline const char* ExploreModeName(ExploreMode m) { return NameOf(kExploreModeNames, m); }
inline const char* StrategyName(StrategyKind k) { return NameOf(kStrategyNames, k); }
inline const char* ReductionName(Reduction r) { return NameOf(kReductionNames, r); }

}  // namespace intransit
