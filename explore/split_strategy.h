// The sharding bookkeeping the exhaustive and DPOR strategies share: both
// split the space at a fixed depth into subtrees numbered in DFS order and
// own them round robin (--jobs, --shard). This base keeps the shard, the
// subtree count and whether the current schedule reached the split or is in
// another shard's subtree; each strategy decides when those change.
#pragma once

#include <cstdint>

#include "run/strategy.h"

namespace intransit {

class SplitStrategy : public Strategy {
 public:
  void SetShard(int index, int count) override {
    shard_ = index;
    shards_ = count;
  }
  // Subtree s is 2s+1; a schedule too short to reach the split, run after c
  // subtrees were entered, is 2c: between subtree c-1 and subtree c.
  uint64_t position() const override { return reached_split_ ? 2 * subtrees_ - 1 : 2 * subtrees_; }

 protected:
  // Whether the current schedule is this shard's as far as the split goes: a
  // schedule with fewer choices than the split depth is shard 0's.
  bool owns_split() const { return !foreign_ && (reached_split_ || shard_ == 0); }

  int shard_ = 0;
  int shards_ = 1;
  uint64_t subtrees_ = 0;  // subtrees entered at the split depth so far, in DFS order
  bool foreign_ = false;   // the current schedule is in another shard's subtree
  bool reached_split_ = false;
};

}  // namespace intransit
