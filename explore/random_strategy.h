// random: every choice drawn from a seeded generator. Schedule i uses its own
// stream derived from (seed, i), so any schedule can be rerun alone, and the
// draws do not depend on the standard library (std:: distributions differ
// between implementations).
#pragma once

#include "base/rng.h"
#include "run/strategy.h"

namespace intransit {

// The schedules of one shard of a sampling strategy: shard i of n takes
// schedules i, i+n, i+2n, ... of the unsharded run (random, pct).
class ShardedIndex {
 public:
  void Set(int index, int count) {
    shard_ = static_cast<uint64_t>(index);
    shards_ = static_cast<uint64_t>(count);
  }
  // The unsharded index of this shard's schedule `local`, into *global;
  // false once it reaches `max` (and exhausted() says so from then on).
  bool Map(uint64_t local, uint64_t max, uint64_t* global) {
    current_ = local * shards_ + shard_;
    exhausted_ = current_ >= max;
    *global = current_;
    return !exhausted_;
  }
  bool exhausted() const { return exhausted_; }
  uint64_t current() const { return current_; }

 private:
  uint64_t shard_ = 0;
  uint64_t shards_ = 1;
  uint64_t current_ = 0;
  bool exhausted_ = false;
};

// What the sampling strategies (random, pct) share: max_schedules seeded
// schedules, sharded by ShardedIndex, each with its own generator, and fault
// choices drawn from it.
class SampledStrategy : public Strategy {
 public:
  SampledStrategy(uint64_t seed, uint64_t max_schedules)
      : seed_(seed), max_schedules_(max_schedules) {}

  bool ChooseFire(double probability) override { return rng_.Unit() < probability; }
  void EndSchedule() override {}
  bool complete() const override { return index_.exhausted(); }
  void SetShard(int index, int count) override { index_.Set(index, count); }
  uint64_t position() const override { return index_.current(); }

 protected:
  // Maps this shard's schedule `index` to the unsharded one and seeds rng_
  // from (seed, that index, salt); false once max_schedules is reached. The
  // salt keeps each strategy's streams its own.
  bool StartSchedule(uint64_t index, uint64_t salt) {
    if (!index_.Map(index, max_schedules_, &index)) return false;
    Rng mix(seed_ ^ (index * salt));
    rng_ = Rng(mix.Next());
    return true;
  }

  Rng rng_{0};  // drawn anew for each schedule by StartSchedule

 private:
  uint64_t seed_;
  uint64_t max_schedules_;
  ShardedIndex index_;
};

class RandomStrategy : public SampledStrategy {
 public:
  RandomStrategy(uint64_t seed, uint64_t max_schedules) : SampledStrategy(seed, max_schedules) {}

  bool BeginSchedule(uint64_t index) override { return StartSchedule(index, 0x2545f4914f6cdd1dULL); }
  int ChooseActor(const std::vector<int>& options, int step, bool first_continues,
                  int preemptions) override;
};

}  // namespace intransit
