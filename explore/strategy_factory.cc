// See strategy_factory.h.
#include "explore/strategy_factory.h"

#include "explore/dpor_strategy.h"
#include "explore/exhaustive_strategy.h"
#include "explore/pct_strategy.h"
#include "explore/random_strategy.h"
#include "explore/replay_strategy.h"
#include "suite/schedule_token.h"

namespace intransit {

const StrategyTraits& TraitsOf(StrategyKind kind) {
  //                                          covers  shrunk calibr. replays
  static const StrategyTraits kExhaustive = {true, false, false, false};
  static const StrategyTraits kRandom = {false, true, false, false};
  static const StrategyTraits kPct = {false, true, true, false};
  static const StrategyTraits kReplay = {false, false, false, true};
  switch (kind) {
    case StrategyKind::kExhaustive:
      return kExhaustive;
    case StrategyKind::kRandom:
      return kRandom;
    case StrategyKind::kPct:
      return kPct;
    case StrategyKind::kReplay:
      return kReplay;
  }
  return kRandom;  // not reached: every kind is a case
}

namespace {

// Whether exhaustive exploration of `suite` is reduced (see MakeStrategy).
bool Reduces(const Suite& suite, bool declares_footprints) {
  const ExploreSpec& e = suite.explore;
  const int actors = static_cast<int>(suite.actors.size());
  if (actors < 1 || actors > DporStrategy::kMaxActors) return false;
  // The loader refused dpor with a preemption bound; auto leaves a bounded
  // space alone.
  return e.reduction == Reduction::kDpor ||
         (e.reduction == Reduction::kAuto && declares_footprints && e.max_preemptions < 0);
}

}  // namespace

Result<MadeStrategy> MakeStrategy(const Suite& suite, bool declares_footprints) {
  const ExploreSpec& e = suite.explore;
  MadeStrategy made;
  switch (e.strategy) {
    case StrategyKind::kExhaustive: {
      const bool dpor = Reduces(suite, declares_footprints);
      if (dpor) {
        made.strategy = std::make_unique<DporStrategy>(static_cast<int>(suite.actors.size()));
      } else {
        made.strategy = std::make_unique<ExhaustiveStrategy>(e.max_preemptions);
      }
      made.reduction = dpor ? Reduction::kDpor : Reduction::kNone;
      return made;
    }
    case StrategyKind::kRandom:
      made.strategy = std::make_unique<RandomStrategy>(e.seed, e.max_schedules);
      return made;
    case StrategyKind::kPct:
      made.strategy = std::make_unique<PctStrategy>(e.seed, e.max_schedules, e.depth);
      return made;
    case StrategyKind::kReplay: {
      auto values = DecodeSchedule(e.schedule, TokenLimitsFor(suite));
      if (!values.ok()) return values.status();
      made.strategy = std::make_unique<ReplayStrategy>(std::move(*values));
      return made;
    }
  }
  return Status::Invalid(std::string("strategy '") + StrategyName(e.strategy) +
                         "' is not available");
}

std::unique_ptr<Strategy> MakeCalibration(const Suite& suite) {
  // Depth 1, one schedule: every actor run to its end in the seed's order.
  return std::make_unique<PctStrategy>(suite.explore.seed, 1, 1);
}

}  // namespace intransit
