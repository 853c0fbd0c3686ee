// exhaustive: every interleaving, depth first. Stateless model checking: each
// schedule replays the prefix of choices kept on a stack, then takes the
// first option at every new choice; the next schedule advances the deepest
// choice that still has untried options. The space is covered when the stack
// empties. Optional preemption bound: options that would switch away from a
// still-enabled actor are skipped once `max_preemptions` were spent.
#pragma once

#include "run/strategy.h"

namespace intransit {

class ExhaustiveStrategy : public Strategy {
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
  // DFS order, round robin. A schedule with fewer choices is shard 0's.
  void SetShard(int index, int count) override {
    shard_ = index;
    shards_ = count;
  }
  bool abandon() const override { return foreign_; }
  bool owns() const override { return !foreign_ && (reached_split_ || shard_ == 0); }
  // Subtree s is 2s+1; a schedule too short to reach the split, run after c
  // subtrees were entered, is 2c: between subtree c-1 and subtree c.
  uint64_t position() const override { return reached_split_ ? 2 * subtrees_ - 1 : 2 * subtrees_; }

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
  int shard_ = 0;
  int shards_ = 1;
  uint64_t subtrees_ = 0;  // subtrees entered at kSplitDepth so far, in DFS order
  bool foreign_ = false;   // the current schedule is in another shard's subtree
  bool reached_split_ = false;
};

}  // namespace intransit
