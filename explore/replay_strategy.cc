// replay: see replay_strategy.h.
#include "explore/replay_strategy.h"

#include <algorithm>

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

}  // namespace intransit
