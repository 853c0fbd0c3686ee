// The factory of strategies: the one place that turns a suite's
// [explore] strategy (an enum, suite/explore_kinds.h) into the object that
// makes a schedule's choices, and that says what each kind of strategy asks
// of the explorer (its traits). The explorer asks TraitsOf, never a name:
// a new strategy is a kind, a row of traits and a case here.
//
//   const StrategyTraits& t = TraitsOf(suite.explore.strategy);
//   if (t.calibrated) { ... measure k, then strategy->SetStepBound(k) ... }
//   auto made = MakeStrategy(suite, deployment->DeclaresFootprints());
#pragma once

#include <memory>
#include <optional>

#include "base/status.h"
#include "run/strategy.h"
#include "suite/suite.h"

namespace intransit {

// What a kind of strategy asks of the explorer around it.
struct StrategyTraits {
  // It enumerates the whole space (exhaustive): it may be bounded by
  // max_preemptions and reduced (dpor); its shards split the schedule count
  // exactly; its coverage is the space's, not a budget's.
  bool covers_space = false;
  // It samples (random, pct): a violation it finds is minimised (shrink).
  bool shrunk = false;
  // It needs the steps one schedule takes before it starts (pct's k): the
  // explorer runs MakeCalibration's strategy once and calls SetStepBound.
  bool calibrated = false;
  // It replays one token: it runs in one job whatever --jobs says, and the
  // run it made is reported whole as the trace, violating or not.
  bool replays = false;
};

// The traits of `kind`.
const StrategyTraits& TraitsOf(StrategyKind kind);

// A strategy made for a suite, and the reduction it applies (set for kinds
// that cover the space: kDpor or kNone; empty for the others).
struct MadeStrategy {
  std::unique_ptr<Strategy> strategy;
  std::optional<Reduction> reduction;
};

// Makes the strategy the suite asks for (explore.strategy, seed, token).
// For a kind that covers the space, `declares_footprints` (the store's)
// decides reduction = auto: dpor where the store declares footprints, the
// suite has 1..DporStrategy::kMaxActors actors and no preemption bound.
// Errors: a replay token that does not decode for this suite.
Result<MadeStrategy> MakeStrategy(const Suite& suite, bool declares_footprints);

// The strategy of the one unrecorded calibration run a calibrated kind
// needs (see pct_strategy.h): the same in every shard.
// REQUIRES: TraitsOf(suite.explore.strategy).calibrated.
std::unique_ptr<Strategy> MakeCalibration(const Suite& suite);

}  // namespace intransit
