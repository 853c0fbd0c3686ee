// See strategy_factory.h.
#include "explore/strategy_factory.h"

#include "explore/exhaustive_strategy.h"
#include "explore/pct_strategy.h"
#include "explore/random_strategy.h"
#include "explore/replay_strategy.h"
#include "suite/schedule_token.h"

namespace intransit {

Result<std::unique_ptr<Strategy>> MakeStrategy(const Suite& suite) {
  const ExploreSpec& e = suite.explore;
  if (e.strategy == "exhaustive") {
    return std::unique_ptr<Strategy>(new ExhaustiveStrategy(e.max_preemptions));
  }
  if (e.strategy == "random") {
    return std::unique_ptr<Strategy>(new RandomStrategy(e.seed, e.max_schedules));
  }
  if (e.strategy == "pct") {
    return std::unique_ptr<Strategy>(new PctStrategy(e.seed, e.max_schedules, e.depth));
  }
  if (e.strategy == "replay") {
    auto values = DecodeSchedule(e.schedule, TokenLimitsFor(suite));
    if (!values.ok()) return values.status();
    return std::unique_ptr<Strategy>(new ReplayStrategy(std::move(*values)));
  }
  return Status::Invalid("strategy '" + e.strategy + "' is not available; use exhaustive, random, pct or replay");
}

}  // namespace intransit
