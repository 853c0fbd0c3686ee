// The keys of the suite's own tables. See suite_keys.h.
//
// Each list is built once, on first use, and never changes: the loader and
// the tests hold references to it. docs/suite-format.md documents the keys;
// tests/framework/loader_bounds_test.cc holds its integer bounds to these.
#include "suite/suite_keys.h"

#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "suite/explore_kinds.h"
#include "suite/suite.h"
#include "suite/suite_loader.h"

namespace intransit {
namespace loader_internal {
namespace {

// `base`'s keys, then `own`: one kind of a table whose kinds share keys.
TableKeys Extend(const TableKeys& base, const std::vector<ParamSpec>& own) {
  TableKeys out = base;
  out.keys.insert(out.keys.end(), own.begin(), own.end());
  return out;
}

}  // namespace

const ParamSpec& TableKeys::Key(std::string_view name) const {
  for (const ParamSpec& spec : keys) {
    if (spec.name == name) return spec;
  }
  std::abort();  // a key read without a declaration: a bug in the loader
}

std::vector<std::string> TableKeys::Names() const {
  std::vector<std::string> names;
  for (const ParamSpec& spec : keys) names.push_back(spec.name);
  return names;
}

// Each ParamSpec: {name, type, help, allowed values, required, default
// shown, and for an integer its min and max}. Which keys must be present is
// for the readers to say (see suite_keys.h), so `required` stays false.
// clang-format off
const TableKeys& SuiteKeys() {
  static const TableKeys keys = {"[suite]", {
      {"name", ParamType::kString, "the suite's name", {}, false, "the file's stem"},
      {"description", ParamType::kString, "what the suite is about", {}, false, ""},
      {"expect", ParamType::kString, "what a correct store gives", {"pass", "violation"}, false,
       "pass"},
  }};
  return keys;
}

const TableKeys& AdapterKeys() {
  static const TableKeys keys = {"[adapter]", {
      {"name", ParamType::kString, "a registered adapter (or --adapter NAME)", {}, false, ""},
      {"variant", ParamType::kString, "one of the adapter's variants", {}, false,
       "the adapter's default"},
  }};
  return keys;
}

const TableKeys& UserKeys() {
  static const TableKeys keys = {"[[users]]", {
      {"name", ParamType::kString, "the user's name", {}, false, ""},
      {"home", ParamType::kString, "the server of the user's mailbox", {}, false, ""},
      {"messages", ParamType::kInt, "messages in the INBOX before the move", {}, false, "0", 0,
       kMaxMessages},
  }};
  return keys;
}

const TableKeys& ActorKeys() {
  static const TableKeys keys = {"[[actors]]", {
      {"kind", ParamType::kString, "what the actor does", {"mover", "sender"}, false, ""},
      {"name", ParamType::kString, "the actor's name", {}, false, "mover, mover-N or sender-N"},
      {"user", ParamType::kString, "a [[users]] name", {}, false, ""},
  }};
  return keys;
}

const TableKeys& MoverKeys() {
  static const TableKeys keys = Extend(ActorKeys(), {
      {"to", ParamType::kString, "the server to move to, not the user's home", {}, false, ""},
  });
  return keys;
}

const TableKeys& SenderKeys() {
  static const TableKeys keys = Extend(ActorKeys(), {
      {"messages", ParamType::kInt, "sender: how many it sends", {}, false, "1", 1, kMaxMessages},
      {"retry", ParamType::kInt, "sender: retries of a tempfail", {}, false, "5", 0, kMaxRetry},
  });
  return keys;
}

const TableKeys& ExploreKeys() {
  static const TableKeys keys = {"[explore]", {
      {"mode", ParamType::kString, "enumerate schedules, or repeat the scenario live",
       NamesOf(kExploreModeNames), false,
       ExploreModeName(ExploreSpec().mode)},
      {"strategy", ParamType::kString, "how schedules are chosen",
       NamesOf(kStrategyNames), false, StrategyName(ExploreSpec().strategy)},
      {"seed", ParamType::kInt, "random, pct and live draws", {}, false, "1", 0,
       std::numeric_limits<int64_t>::max()},
      {"max_schedules", ParamType::kInt, "the budget", {}, false, "100000", 1,
       1000000000000},
      {"schedule", ParamType::kString, "the token to replay (strategy = replay)", {}, false, ""},
      {"depth", ParamType::kInt, "pct's bug depth", {}, false, "3", 1, 100},
      {"max_preemptions", ParamType::kInt, "exhaustive: at most this many", {}, false, "", 0,
       10000},
      {"time_budget", ParamType::kString, "a duration (\"10m\") or a number of seconds; 0 = none",
       {}, false, "0"},
      {"iterations", ParamType::kInt, "live mode's budget", {}, false, "", 1, 1000000000},
      {"shrink", ParamType::kBool, "minimise a violation found by random or pct", {}, false,
       "true"},
      {"stop_at_first", ParamType::kBool, "stop at the first violation", {}, false, "false"},
      {"reduction", ParamType::kString, "exhaustive: the partial-order reduction",
       NamesOf(kReductionNames), false,
       ReductionName(ExploreSpec().reduction)},
  }};
  return keys;
}

const TableKeys& OracleKeys() {
  static const TableKeys keys = {"[oracle]", {
      {"invariants", ParamType::kStringList, "the invariants checked; no-silent-loss always is",
       {}, false, "all"},
      {"allow_duplicates", ParamType::kBool, "drop no-duplicates from the invariants", {}, false,
       "false"},
  }};
  return keys;
}
// clang-format on

}  // namespace loader_internal

const std::vector<TableIntKeys>& SuiteIntKeys() {
  static const std::vector<TableIntKeys> keys = [] {
    std::vector<TableIntKeys> out;
    for (const loader_internal::TableKeys* t :
         {&loader_internal::UserKeys(), &loader_internal::SenderKeys(),
          &loader_internal::ExploreKeys()}) {
      TableIntKeys ints{t->table, {}};
      for (const ParamSpec& spec : t->keys) {
        if (spec.type == ParamType::kInt) ints.keys.push_back(spec);
      }
      out.push_back(std::move(ints));
    }
    return out;
  }();
  return keys;
}

}  // namespace intransit
