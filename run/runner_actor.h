// One actor as the runners see it: its spec, the context it runs in, its
// gate, and where it is parked with what the fault plan said there. Shared
// by runner_base.cc, runner.cc and live_runner.cc only: callers of the
// runners never see an actor.
#pragma once

#include <memory>

#include "base/rng.h"
#include "run/runner_base.h"
#include "store/actor_context.h"

namespace intransit {

struct RunnerBase::Actor {
  int id = 0;
  const ActorSpec* spec = nullptr;
  std::unique_ptr<ActorContext> context;
  std::unique_ptr<Gate> gate;  // an ActorGate (runner_base.cc)
  Status error;

  // Where it is parked, and what the fault plan said there.
  bool parked = false;
  // The point it is parked at: alive until its Pass returns, which is after
  // the step is granted and recorded.
  const PointCall* call = nullptr;
  // The timeline slot staged at its arrival for the step it is about to
  // take (point, server, user, ... fault), committed when it is granted.
  size_t slot = 0;
  Decision decision;
  bool injected = false;          // the step's failure was planted
  bool attempt_injected = false;  // a fault fired in this delivery attempt, probes included
  bool holding = false;
  Hold hold;
  int steps_seen = 0;
  bool until_seen = false;
  int arrival_seq = 0;
  bool retry_wait = false;  // a sender's retry waits for another actor's step

  int event = -1;  // timeline index of its current step

  // Live mode: its own seeded draws, and whether it holds the step lock.
  Rng rng{0};
  bool holds_step = false;
};

}  // namespace intransit
