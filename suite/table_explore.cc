// The [explore] table: how the schedules are explored (mode, strategy,
// budgets, reduction, a replay token checked against the suite's shape).
// Part of the suite loader; see loader_internal.h.
#include <cstdint>
#include <string>
#include <vector>

#include "suite/loader_internal.h"
#include "suite/schedule_token.h"

namespace intransit::loader_internal {

Status Loader::LoadExplore(const toml::table& doc, Suite* suite) {
  const toml::table* t = doc.get_as<toml::table>("explore");
  if (t == nullptr) return Status::Ok();
  const TableKeys& keys = ExploreKeys();
  const std::string& label = keys.table;
  ExploreSpec& e = suite->explore;
  if (Status s = CheckKeys(*t, label, keys.Names()); !s.ok()) return s;
  if (Status s = ReadEnum(*t, label, keys.Key("mode"), kExploreModeNames, &e.mode); !s.ok()) {
    return s;
  }
  if (Status s = ReadEnum(*t, label, keys.Key("strategy"), kStrategyNames, &e.strategy); !s.ok()) {
    return s;
  }
  int64_t v = static_cast<int64_t>(e.seed);
  if (Status s = ReadInt(*t, label, keys.Key("seed"), &v); !s.ok()) return s;
  e.seed = static_cast<uint64_t>(v);
  v = static_cast<int64_t>(e.max_schedules);
  if (Status s = ReadInt(*t, label, keys.Key("max_schedules"), &v); !s.ok()) return s;
  e.max_schedules = static_cast<uint64_t>(v);
  if (Status s = ReadString(*t, label, "schedule", &e.schedule); !s.ok()) return s;
  v = e.depth;
  if (Status s = ReadInt(*t, label, keys.Key("depth"), &v); !s.ok()) return s;
  e.depth = static_cast<int>(v);
  if (Status s = ReadInt(*t, label, keys.Key("max_preemptions"), &e.max_preemptions); !s.ok()) {
    return s;
  }
  if (Status s = ReadEnum(*t, label, keys.Key("reduction"), kReductionNames, &e.reduction);
      !s.ok()) {
    return s;
  }
  if (e.reduction == Reduction::kDpor && e.max_preemptions >= 0) {
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
    if (Status s = ReadInt(*t, label, keys.Key("iterations"), &v); !s.ok()) return s;
    if (e.mode != ExploreMode::kLive) {
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
  if (e.strategy == StrategyKind::kReplay && e.schedule.empty()) {
    const toml::node* n = t->get("strategy");
    return Fail(n != nullptr ? Where(*n) : Where(*t),
                "key 'schedule' in [explore] is required when strategy = \"replay\"");
  }
  return Status::Ok();
}

}  // namespace intransit::loader_internal
