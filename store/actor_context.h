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
  // Hands control straight to `next`, parked in Suspend or SwitchTo, without
  // the round trip through the scheduler (half the switches of a step, and
  // each costs more than its instructions: the return addresses the CPU
  // predicts belong to the other stack). Returns when this actor is resumed
  // or switched to; its Suspend, or its body's end, then goes to the
  // scheduler `next`'s would have. REQUIRES: direct(); called by this actor;
  // `next` of the same kind, started by the same scheduler, not finished.
  virtual void SwitchTo(ActorContext& next) { (void)next; }
  // When the body running now returns, control goes straight to `next`, as
  // SwitchTo, not back to the scheduler. REQUIRES: direct(); called by this
  // actor, as the last thing its body does.
  virtual void HandOffAtEnd(ActorContext* next) { (void)next; }
  // Whether SwitchTo and HandOffAtEnd work (fibers; not threads).
  virtual bool direct() const { return false; }
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
