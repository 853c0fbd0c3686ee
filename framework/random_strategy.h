// random: every choice drawn from a seeded generator. Schedule i uses its own
// stream derived from (seed, i), so any schedule can be rerun alone, and the
// draws do not depend on the standard library (std:: distributions differ
// between implementations).
#pragma once

#include "framework/strategy.h"

namespace intransit {

// SplitMix64: small, fast, and the same on every machine.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next();
  // Uniform in [0, n). REQUIRES: n > 0.
  uint64_t Below(uint64_t n);
  // Uniform in [0, 1).
  double Unit();

 private:
  uint64_t state_;
};

class RandomStrategy : public Strategy {
 public:
  RandomStrategy(uint64_t seed, uint64_t max_schedules)
      : seed_(seed), max_schedules_(max_schedules), rng_(seed) {}

  const char* name() const override { return "random"; }
  bool BeginSchedule(uint64_t index) override;
  int ChooseActor(const std::vector<int>& options, int step, bool first_continues,
                  int preemptions) override;
  bool ChooseFire(double probability) override;
  void EndSchedule() override {}
  bool complete() const override { return exhausted_; }
  // Shard i of n runs schedules i, i+n, i+2n, ... of the unsharded run.
  void SetShard(int index, int count) override {
    shard_ = index;
    shards_ = count;
  }
  uint64_t position() const override { return index_; }

 private:
  uint64_t seed_;
  uint64_t max_schedules_;
  bool exhausted_ = false;
  uint64_t index_ = 0;  // of the current schedule in the unsharded run
  int shard_ = 0;
  int shards_ = 1;
  Rng rng_;
};

}  // namespace intransit
