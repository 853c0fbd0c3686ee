// The live runner: live mode (explore.mode = "live"), every actor on its
// own thread at once, the OS deciding the interleaving.
//
// A step (from one point to the next) still runs alone — each actor holds
// the store's step lock between its points — but who comes next is a race.
// Delays sleep their `ms`, reorders wait with a timeout; every draw comes
// from (seed, iteration, actor), the thread timing does not replay. The
// schedule stays empty.
//
// The actors, the fault plan, the sender's and mover's bodies and the
// history are the systematic runner's (runner_base.h); only the waiting
// differs.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

#include "run/runner_base.h"
#include "store/adapter.h"
#include "suite/suite.h"

namespace intransit {

class LiveRunner final : public RunnerBase {
 public:
  // REQUIRES: `suite` and `deployment` outlive the runner.
  LiveRunner(const Suite& suite, Deployment* deployment);
  ~LiveRunner() override;

  // Runs iteration `iteration` from a fresh deployment, its draws seeded by
  // (`seed`, `iteration`). No hold lasts past `deadline` (the run's time
  // budget): a delay's sleep and a reorder's wait end there, the fault's
  // text saying so, and the iteration runs on to its end. Not ok: the
  // deployment failed (Infra); the history is then incomplete.
  Status Run(uint64_t seed, uint64_t iteration,
             std::chrono::steady_clock::time_point deadline =
                 std::chrono::steady_clock::time_point::max());

 private:
  Decision Arrive(Actor& actor, const PointCall& call) override;
  Decision Probe(Actor& actor, const PointCall& call) override;
  // Draws from the actor's own seeded source.
  bool ChooseFire(Actor& actor, double probability) override;
  // When a hold of `ms` from now ends, cut at the deadline.
  std::chrono::steady_clock::time_point HoldEnd(int64_t ms) const;

  // No hold lasts past it.
  std::chrono::steady_clock::time_point live_deadline_;
  std::mutex live_mu_;               // the fault plan, holds, timeline
  std::condition_variable live_cv_;  // a point was passed
  std::mutex step_mu_;               // one step at a time
};

}  // namespace intransit
