// pct: see pct_strategy.h.
#include "explore/pct_strategy.h"

#include <algorithm>

namespace intransit {

bool PctStrategy::BeginSchedule(uint64_t index) {
  if (!StartSchedule(index, 0x9e3779b97f4a7c15ULL)) return false;
  priority_.clear();
  change_points_.clear();
  for (int i = 1; i < depth_; ++i) {
    change_points_.push_back(1 + static_cast<int>(rng_.Below(steps_bound_)));
  }
  std::sort(change_points_.begin(), change_points_.end());
  next_change_ = 0;
  return true;
}

double PctStrategy::PriorityOf(int actor) {
  auto it = priority_.find(actor);
  if (it != priority_.end()) return it->second;
  // Initial priorities lie above every change point's (1 .. depth-1), in a
  // random order: a fresh uniform draw per actor, first seen first drawn.
  double p = depth_ + rng_.Unit();
  priority_[actor] = p;
  return p;
}

int PctStrategy::ChooseActor(const std::vector<int>& options, int step, bool, int) {
  auto highest = [&] {
    int best = options[0];
    for (int a : options) {
      if (PriorityOf(a) > PriorityOf(best)) best = a;
    }
    return best;
  };
  int chosen = highest();
  // The runner asks only when there is a choice: a change point that fell on
  // a forced step (one option) takes effect at the next choice, not never.
  for (; next_change_ < change_points_.size() && change_points_[next_change_] <= step;
       ++next_change_) {
    priority_[chosen] = static_cast<double>(next_change_ + 1) - 0.5;  // below every initial one
    chosen = highest();
  }
  return chosen;
}

}  // namespace intransit
