// pct: probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi,
// Nagarakatte, ASPLOS 2010). Each schedule gives every actor a random
// priority above `depth`, and picks depth-1 change points among the k steps
// a schedule takes; it always runs the enabled actor of highest priority,
// and at the i-th change point demotes the actor about to run to priority i.
// A bug of depth d (d orderings that must happen) is then found with
// probability at least 1/(n·k^(d−1)) per schedule, for n actors — however
// unlikely the orderings are under uniform random choices.
//
// k is fixed for the whole run, so that schedule g draws the same change
// points whatever ran before it: in every shard, --jobs thread or unsharded
// run alike (explorer.h: shards cover exactly what one run covers). Before
// exploring, the explorer runs one calibration schedule, unrecorded — depth
// 1's ordering of schedule 0 for the seed, every actor run to its end — and
// hands its step count to SetStepBound. A schedule stretched past it (a
// retried delivery) gets no change point in its extra steps.
#pragma once

#include <map>

#include "explore/random_strategy.h"

namespace intransit {

class PctStrategy : public SampledStrategy {
 public:
  PctStrategy(uint64_t seed, uint64_t max_schedules, int depth)
      : SampledStrategy(seed, max_schedules), depth_(depth < 1 ? 1 : depth) {}

  bool BeginSchedule(uint64_t index) override;
  int ChooseActor(const std::vector<int>& options, int step, bool first_continues,
                  int preemptions) override;
  // k: change points are drawn among steps 1..k. REQUIRES: k >= 1, before
  // the first BeginSchedule.
  void SetStepBound(int k) override { steps_bound_ = k; }

 private:
  double PriorityOf(int actor);

  int depth_;
  int steps_bound_ = 16;  // k, until the explorer measures it
  std::map<int, double> priority_;
  std::vector<int> change_points_;  // sorted steps; the i-th demotes to priority i
  size_t next_change_ = 0;          // change points before this one were applied
};

}  // namespace intransit
