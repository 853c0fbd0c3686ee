// exhaustive with reduction: source-DPOR with sleep sets (Abdulla, Aronis,
// Jonsson, Sagonas, "Optimal dynamic partial order reduction", POPL 2014,
// Algorithm 1), over the footprints the adapter declares (footprint.h).
//
// Stateless like ExhaustiveStrategy: every schedule runs from a fresh
// deployment, replaying a prefix of choices kept on a stack, then choosing
// anew. Every step is a node (even where only one actor can go); fire
// choices are frames of their own, always branched both ways. After each new
// step the strategy finds the steps it races with (dependent, of another
// actor, with nothing dependent between them) and adds, at the node where
// the earlier one ran, an actor that starts the reversed order. A node's
// sleep set holds actors whose steps from there were explored and commute
// with what ran since; a run where every enabled actor sleeps is
// sleep-blocked: stopped, not judged, counted.
//
// Splitting (--jobs, --shard): the nodes above the kSplitDepth-th branching
// node branch fully (sleep sets only, no races reversed into them); each
// subtree below is a DPOR of its own, owned round robin in DFS order. The
// unsharded run follows the same rule, so every split gives the same counts
// and the same first violation.
//
// A replayed prefix must behave as it did: the same actors enabled and the
// same footprint at every step. Otherwise the store is not deterministic,
// and error() says so (exit 3): the reduction would not be a proof.
#pragma once

#include <cstdint>
#include <vector>

#include "explore/split_strategy.h"

namespace intransit {

class DporStrategy : public SplitStrategy {
 public:
  // REQUIRES: 1 <= actors <= kMaxActors.
  explicit DporStrategy(int actors);

  static constexpr int kMaxActors = 64;
  static constexpr int kSplitDepth = 3;

  bool BeginSchedule(uint64_t index) override;
  int ChooseActor(const std::vector<int>& options, int, bool, int) override { return options[0]; }
  bool ChooseFire(double probability) override;
  void EndSchedule() override;
  bool complete() const override { return done_; }
  double progress() const override;
  // Sharded as ExhaustiveStrategy (split_strategy.h); a sleep-blocked run
  // is no one's.
  bool abandon() const override { return foreign_ || blocked_now_; }
  bool owns() const override { return !blocked_now_ && owns_split(); }
  Status error() const override { return error_; }

  bool tracks_steps() const override { return true; }
  int ChooseStep(const std::vector<int>& options) override;
  void StepDone(const Footprint& footprint) override;
  uint64_t sleep_blocked() const override { return blocked_; }

 private:
  struct Frame {
    bool fire = false;
    int value = 0;  // fire: 0 = fires, 1 = holds fire; a node: the actor it runs
    int node = -1;  // the step's node (a fire frame: the step it is in; -1 before any)
  };
  struct Node {
    std::vector<int> order;  // the enabled actors, in the runner's order
    uint64_t enabled = 0;
    uint64_t backtrack = 0;
    std::vector<std::pair<int, Footprint>> sleep;  // actor -> what its step touches
    Footprint variants;  // the union over the current actor's fire variants so far
    int branching = 0;   // branching nodes before this one
    bool top = false;    // above the split: branched fully
    // The event of the current run at this node.
    int actor = -1;
    Footprint fp;
    int seq = 0;
    std::vector<int> clock;
  };

  bool Asleep(const Node& n, int actor) const;
  // Whether event x happens before event y (x < y).
  bool HappensBefore(int x, int y) const;
  void Reverse(int i, int j);
  void Fail(const std::string& what);

  int actors_;
  std::vector<Frame> frames_;
  std::vector<Node> nodes_;
  size_t pos_ = 0;      // frames consumed this schedule
  size_t diverge_ = 0;  // the first frame that differs from the last schedule's
  int step_ = 0;        // steps begun this schedule
  bool done_ = false;
  Status error_;

  bool blocked_now_ = false;
  uint64_t blocked_ = 0;

  std::vector<int> races_;  // scratch
  std::vector<int> v_;      // scratch
  std::vector<int> first_seq_;
};

}  // namespace intransit
