// replay: see replay_strategy.h.
#include "explore/replay_strategy.h"

#include <algorithm>

#include "explore/exhaustive_strategy.h"
#include "explore/pct_strategy.h"
#include "explore/random_strategy.h"
#include "suite/schedule_token.h"

namespace intransit {

int ReplayStrategy::ChooseActor(const std::vector<int>& options, int step, bool, int) {
  if (next_ >= values_.size()) return options[0];
  int v = values_[next_++];
  if (std::find(options.begin(), options.end(), v) == options.end()) {
    if (error_.ok() && !lenient_) {
      error_ = Status::Invalid("schedule token does not fit this suite: choice " +
                               std::to_string(next_) + " (step " + std::to_string(step) +
                               ") names actor " + std::to_string(v) +
                               ", which cannot run there");
    }
    return options[0];
  }
  return v;
}

void ReplayStrategy::EndSchedule() {
  ended_ = true;
  if (next_ < values_.size() && error_.ok() && !lenient_) {
    error_ = Status::Invalid("schedule token does not fit this suite: the schedule ended after " +
                             std::to_string(next_) + " choices, but the token has " +
                             std::to_string(values_.size()) + "; choice " +
                             std::to_string(next_ + 1) + " is extra");
  }
}

bool ReplayStrategy::ChooseFire(double) {
  if (next_ >= values_.size()) return true;
  int v = values_[next_++];
  if (v != 0 && v != 1 && error_.ok() && !lenient_) {
    error_ = Status::Invalid("schedule token does not fit this suite: choice " +
                             std::to_string(next_) + " should be a fault's fire/hold (a or b)");
  }
  return v == 1;
}

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
