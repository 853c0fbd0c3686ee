// pct: probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi,
// Nagarakatte, ASPLOS 2010). Each schedule gives every actor a random
// priority above `depth`, and picks depth-1 change points among the k steps
// a schedule takes; it always runs the enabled actor of highest priority,
// and at the i-th change point demotes the actor about to run to priority i.
// A bug of depth d (d orderings that must happen) is then found with
// probability at least 1/(n·k^(d−1)) per schedule, for n actors — however
// unlikely the orderings are under uniform random choices.
#pragma once

#include <map>

#include "framework/random_strategy.h"
#include "framework/strategy.h"

namespace intransit {

class PctStrategy : public Strategy {
 public:
  PctStrategy(uint64_t seed, uint64_t max_schedules, int depth)
      : seed_(seed), max_schedules_(max_schedules), depth_(depth < 1 ? 1 : depth), rng_(seed) {}

  const char* name() const override { return "pct"; }
  bool BeginSchedule(uint64_t index) override;
  int ChooseActor(const std::vector<int>& options, int step, bool first_continues,
                  int preemptions) override;
  bool ChooseFire(double probability) override;
  void EndSchedule() override;
  bool complete() const override { return index_.exhausted(); }
  void SetShard(int index, int count) override { index_.Set(index, count); }
  uint64_t position() const override { return index_.current(); }

 private:
  double PriorityOf(int actor);

  uint64_t seed_;
  uint64_t max_schedules_;
  int depth_;
  ShardedIndex index_;
  Rng rng_;
  int steps_estimate_ = 16;  // k: the longest schedule seen so far
  int last_step_ = 0;
  std::map<int, double> priority_;
  std::vector<int> change_points_;  // sorted steps; the i-th demotes to priority i
  size_t next_change_ = 0;          // change points before this one were applied
};

}  // namespace intransit
