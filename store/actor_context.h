// Where an actor's code runs: a fiber (the fast default) or an OS thread
// (for store code that reaches the gate through libfiu, whose callbacks may
// not switch fibers). Either way exactly one side runs at a time: the
// scheduler resumes an actor, the actor runs until it suspends at its next
// point or its body returns, and control comes back to the scheduler.
#pragma once

#include <functional>
#include <memory>

namespace intransit {

class Gate;

class ActorContext {
 public:
  virtual ~ActorContext() = default;

  // Starts `body` and runs it until it first suspends or returns.
  // REQUIRES: called by the scheduler; never started, or finished (a fiber
  // context may be started again; a thread context only once).
  virtual void Start(std::function<void()> body) = 0;
  // Runs the actor until it suspends again or its body returns.
  // REQUIRES: called by the scheduler; !finished().
  virtual void Resume() = 0;
  // Hands control back to the scheduler. REQUIRES: called by the actor.
  virtual void Suspend() = 0;
  // True before Start and after the body returned: nothing to resume.
  virtual bool finished() const = 0;
};

// A fresh context of the kind asked for. `gate` is what the libfiu bridge
// finds as "the gate of the code running on this thread" while the actor runs.
std::unique_ptr<ActorContext> NewFiberContext(Gate* gate);
std::unique_ptr<ActorContext> NewThreadContext(Gate* gate);

// The gate of the actor running on the calling thread, or nullptr outside
// any actor (the framework's own code, a test's set-up).
Gate* CurrentGate();

// Makes `gate` what CurrentGate returns on the calling thread, for a thread
// the framework starts outside any context (live mode's actors); nullptr
// clears it.
void SetCurrentGateForThread(Gate* gate);

}  // namespace intransit
