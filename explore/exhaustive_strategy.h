// exhaustive: every interleaving, depth first. Stateless model checking: each
// schedule replays the prefix of choices kept on a stack, then takes the
// first option at every new choice; the next schedule advances the deepest
// choice that still has untried options. The space is covered when the stack
// empties. Optional preemption bound: options that would switch away from a
// still-enabled actor are skipped once `max_preemptions` were spent.
#pragma once

#include "explore/split_strategy.h"

namespace intransit {

class ExhaustiveStrategy : public SplitStrategy {
 public:
  explicit ExhaustiveStrategy(int64_t max_preemptions = -1) : max_preemptions_(max_preemptions) {}

  bool BeginSchedule(uint64_t index) override;
  int ChooseActor(const std::vector<int>& options, int step, bool first_continues,
                  int preemptions) override;
  bool ChooseFire(double probability) override;
  void EndSchedule() override;
  bool complete() const override { return done_; }
  // The DFS position read as a mixed-radix fraction of the tree.
  double progress() const override;
  // Shards own the subtrees below the kSplitDepth-th choice, numbered in
  // DFS order, round robin (split_strategy.h).
  bool abandon() const override { return foreign_; }
  bool owns() const override { return owns_split(); }

  static constexpr size_t kSplitDepth = 3;

 private:
  struct Frame {
    int index;
    int count;
  };
  int Next(int count);

  int64_t max_preemptions_;
  std::vector<Frame> stack_;
  size_t depth_ = 0;
  bool done_ = false;
};

}  // namespace intransit
