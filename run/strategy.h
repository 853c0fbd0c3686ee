// Strategies: who decides each choice of a schedule.
//
// The runner meets two kinds of choice: which enabled actor passes its point
// next, and whether a fault with a probability fires at an arrival. It asks
// the strategy; it records every answer in the Schedule, whatever the
// strategy, so any run prints as a token that ReplayStrategy replays.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/footprint.h"
#include "suite/schedule_token.h"
#include "suite/suite.h"

namespace intransit {

class Strategy {
 public:
  virtual ~Strategy() = default;

  // Starts schedule number `index` (0-based). Returns false when the
  // strategy has nothing more to run.
  virtual bool BeginSchedule(uint64_t index) = 0;
  // Picks one of `options` (actor ids). When `first_continues`, options[0] is
  // the actor that ran last and is still enabled: any other pick preempts
  // it. `preemptions`: how many this schedule has had so far.
  // REQUIRES: options.size() >= 2.
  virtual int ChooseActor(const std::vector<int>& options, int step, bool first_continues,
                          int preemptions) = 0;
  // Whether a fault with chance `probability` (0 < p < 1) fires.
  virtual bool ChooseFire(double probability) = 0;
  // Ends the schedule that began last.
  virtual void EndSchedule() = 0;
  // True when the runs so far covered the whole space (exhaustive) or the
  // whole budget the strategy was given.
  virtual bool complete() const = 0;
  // Splitting the space (--jobs, --shard): this strategy runs only shard
  // `index` of `count`, a part no other shard runs, the same on every
  // machine. REQUIRES: before the first BeginSchedule.
  virtual void SetShard(int index, int count) {
    (void)index;
    (void)count;
  }
  // How many steps a schedule of this suite takes, measured by the explorer
  // the same way in every shard before the first BeginSchedule (pct's k).
  virtual void SetStepBound(int steps) { (void)steps; }
  // The schedule under way turned out to belong to another shard: the runner
  // stops it at once, and it is not counted.
  virtual bool abandon() const { return false; }
  // Whether the schedule that just ran is this shard's to count and judge.
  virtual bool owns() const { return true; }
  // Where the schedule that just ran stands in the unsharded run's order
  // (smaller = earlier), so merged shards report the violation one run would.
  virtual uint64_t position() const { return 0; }

  // How much of its space the strategy has covered, in [0, 1]; -1 when it
  // cannot tell. For progress lines only.
  virtual double progress() const { return -1; }
  // A choice could not be followed (replay token does not fit the suite).
  virtual Status error() const { return Status::Ok(); }

  // Reduction (DporStrategy). A strategy that tracks steps is asked about
  // every step, not only where there is a choice, and told each step's
  // footprint once it ran; ChooseActor is then not called.
  virtual bool tracks_steps() const { return false; }
  // Picks the actor for the next step among `options` (size >= 1, the
  // runner's order: options[0] continues the actor that ran last when it
  // can). May set abandon(): every option sleeps (the run is sleep-blocked)
  // or the run entered another shard's part; the runner then stops it.
  // REQUIRES: tracks_steps().
  virtual int ChooseStep(const std::vector<int>& options) { return options[0]; }
  // The step just granted ran; `footprint` is all it touched (global when
  // it may touch anything). REQUIRES: tracks_steps().
  virtual void StepDone(const Footprint& footprint) { (void)footprint; }
  // Runs stopped because every enabled actor was asleep (not judged).
  virtual uint64_t sleep_blocked() const { return 0; }
};

}  // namespace intransit
