// The systematic runner: runs one schedule of a suite on a deployment.
//
// Actors (the mover, the senders) run one at a time, each in its own
// ActorContext. Every time an actor passes a point through its gate, it
// parks there; the fault plan may hold it (delay, reorder) or decide the
// step's outcome (fail); the runner then lets the strategy pick which
// enabled actor goes next and resumes it until its next point. When every
// actor has finished (senders keep retrying deferred mail until it is
// accepted or bounced: that is the drain of DESIGN §7) the deployment is
// inspected.
//
// What it shares with the live runner (live_runner.h) — the actors, the
// fault plan, the sender's and mover's bodies, the history — is
// runner_base.h. One Runner serves many schedules: Run resets the
// deployment and reuses every buffer, so exploring allocates little once
// warm.
#pragma once

#include <vector>

#include "run/runner_base.h"
#include "run/step_observer.h"
#include "run/strategy.h"
#include "store/adapter.h"
#include "suite/suite.h"

namespace intransit {

class Runner final : public RunnerBase {
 public:
  // REQUIRES: `suite` and `deployment` outlive the runner. `use_threads`
  // runs actors on OS threads instead of fibers (AdapterInfo::needs_threads).
  Runner(const Suite& suite, Deployment* deployment, bool use_threads);
  ~Runner() override;

  // Runs one schedule from a fresh deployment, asking `strategy` at every
  // choice. Not ok: the deployment failed (Infra) or the strategy could not
  // follow its schedule (Invalid); the history is then incomplete.
  Status Run(Strategy* strategy);
  // Runs after this are observed step by step (nullptr: not observed, the
  // default). REQUIRES: `observer` outlives its runs.
  void set_observer(StepObserver* observer) { observer_ = observer; }

 private:
  Decision Arrive(Actor& actor, const PointCall& call) override;
  Decision Probe(Actor& actor, const PointCall& call) override;
  // Asks the strategy, and the schedule keeps its answer.
  bool ChooseFire(Actor& actor, double probability) override;
  bool Released(const Actor& actor) const;
  // Who takes the next step: asks the strategy and keeps its answer.
  // nullptr: every actor finished, or the run stops (stop_).
  Actor* Pick();
  // The step `actor` was granted ended (it arrived at its next point, or
  // its body ended): its error, its footprint for the strategy. False: the
  // run stops (stop_).
  bool EndStep(Actor& actor);
  // Records the step `actor` is granted; the caller then runs it. Returns
  // the step's timeline number.
  int Grant(Actor& actor);
  bool Stop(const Status& status);  // sets stop_; returns false
  void Abort();

  bool use_threads_;
  bool direct_ = false;   // the actors' contexts hand steps to each other (SwitchTo)
  bool running_ = false;  // every actor reached its first point: steps are picked
  Strategy* strategy_ = nullptr;
  StepObserver* observer_ = nullptr;
  int last_ = -1;
  int arrivals_ = 0;
  bool aborting_ = false;
  bool stop_ = false;  // the run stops with stop_status_ (Ok: abandoned)
  Status stop_status_;
  std::vector<int> options_;
};

}  // namespace intransit
