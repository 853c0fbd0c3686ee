// exhaustive: see exhaustive_strategy.h.
#include "explore/exhaustive_strategy.h"

namespace intransit {

bool ExhaustiveStrategy::BeginSchedule(uint64_t) {
  depth_ = 0;
  foreign_ = false;
  reached_split_ = false;
  return !done_;
}

int ExhaustiveStrategy::Next(int count) {
  if (depth_ == kSplitDepth) {
    reached_split_ = true;
    // A new subtree starts when the frame at the split depth is pushed;
    // EndSchedule counts the ones it enters by advancing that frame.
    if (depth_ >= stack_.size()) ++subtrees_;
    foreign_ = shards_ > 1 &&
               (subtrees_ - 1) % static_cast<uint64_t>(shards_) != static_cast<uint64_t>(shard_);
  }
  if (depth_ < stack_.size()) return stack_[depth_++].index;
  stack_.push_back({0, count});
  ++depth_;
  return 0;
}

int ExhaustiveStrategy::ChooseActor(const std::vector<int>& options, int, bool first_continues,
                                    int preemptions) {
  // options[0] continues the running actor when it can; every other option
  // is a preemption then. With the bound spent, only options[0] is left.
  int count = static_cast<int>(options.size());
  if (first_continues && max_preemptions_ >= 0 && preemptions >= max_preemptions_) count = 1;
  return options[Next(count)];
}

bool ExhaustiveStrategy::ChooseFire(double) { return Next(2) == 0; }

double ExhaustiveStrategy::progress() const {
  if (done_) return 1;
  double fraction = 0, scale = 1;
  for (const Frame& f : stack_) {
    scale /= f.count;
    fraction += f.index * scale;
  }
  return fraction;
}

void ExhaustiveStrategy::EndSchedule() {
  // An abandoned schedule may have pushed frames below the split before the
  // runner saw abandon(): drop them, or the next schedule would enter the
  // same foreign subtree again for each of their untried options.
  stack_.resize(foreign_ ? kSplitDepth + 1 : depth_);
  while (!stack_.empty() && stack_.back().index + 1 >= stack_.back().count) stack_.pop_back();
  if (stack_.empty()) {
    done_ = true;
    return;
  }
  ++stack_.back().index;
  if (stack_.size() == kSplitDepth + 1) ++subtrees_;  // the next subtree at the split depth
}

}  // namespace intransit
