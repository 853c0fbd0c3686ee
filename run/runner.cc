// The systematic runner: see runner.h.
#include "run/runner.h"

#include <algorithm>

#include "run/runner_actor.h"
#include "store/actor_context.h"

namespace intransit {

Runner::Runner(const Suite& suite, Deployment* deployment, bool use_threads)
    : RunnerBase(suite, deployment), use_threads_(use_threads) {}

Runner::~Runner() = default;

Decision Runner::Arrive(Actor& a, const PointCall& call) {
  if (aborting_) {
    Decision d;
    d.action = Decision::Action::kCrash;
    return d;
  }
  const bool held = TakeArrival(a, call);
  a.holding = held || a.retry_wait;
  if (a.retry_wait) a.hold.steps = std::max(a.hold.steps, 1);
  a.retry_wait = false;
  a.steps_seen = 0;
  a.until_seen = false;
  a.arrival_seq = ++arrivals_;
  a.parked = true;

  if (direct_ && running_) {
    // The step that led here ends here, and the next one is picked here:
    // the chosen actor runs without a detour through the scheduler, and
    // when that is this one, nothing switches at all.
    Actor* next = EndStep(a) ? Pick() : nullptr;
    if (next != nullptr) Grant(*next);
    if (next == nullptr) {
      a.context->Suspend();  // the run stops: the scheduler aborts it
    } else if (next != &a) {
      a.context->SwitchTo(*next->context);  // back when an actor picks this one
    }
  } else {
    a.context->Suspend();  // back when the scheduler grants this actor
  }

  a.parked = false;
  if (aborting_) {
    Decision d;
    d.action = Decision::Action::kCrash;
    return d;
  }
  return a.decision;
}

Decision Runner::Probe(Actor& a, const PointCall& call) {
  if (aborting_) return Decision();
  return TakeProbe(a, call);
}

bool Runner::ChooseFire(Actor&, double probability) {
  const bool fire = strategy_->ChooseFire(probability);
  schedule_.choices.push_back({ChoiceKind::kFire, fire ? 1 : 0, 1, 2});
  return fire;
}

bool Runner::Released(const Actor& a) const {
  if (!a.holding) return true;
  if (a.steps_seen < a.hold.steps) return false;
  if (!a.hold.until_point.empty() && !a.until_seen) return false;
  return true;
}

int Runner::Grant(Actor& a) {
  Record(a);
  // The step's timeline number, counted whether or not the timeline's text
  // is written (exploring leaves it off, and the timeline then stays empty).
  const int step = events_;
  last_ = a.id;
  return step;
}

bool Runner::Stop(const Status& status) {
  stop_ = true;
  stop_status_ = status;
  return false;
}

bool Runner::EndStep(Actor& a) {
  if (!a.error.ok()) return Stop(a.error);
  if (tracking_) {
    // A step that ends arriving with a hold (a delay, a reorder, a
    // retry's wait) changes who is enabled from then on.
    if (a.parked && a.holding) step_fp_.SetGlobal();
    strategy_->StepDone(step_fp_);
    Status s = strategy_->error();
    if (!s.ok()) return Stop(s);
  }
  return true;
}

Runner::Actor* Runner::Pick() {
  if (strategy_->abandon()) {
    // Another shard's schedule: stop here, nothing of it counts.
    Stop(Status::Ok());
    return nullptr;
  }
  options_.clear();
  Actor* oldest_held = nullptr;
  bool last_enabled = false;
  for (auto& a : actors_) {
    if (!a->parked) continue;
    if (Released(*a)) {
      if (a->id == last_) {
        last_enabled = true;
      } else {
        options_.push_back(a->id);
      }
    } else if (oldest_held == nullptr || a->arrival_seq < oldest_held->arrival_seq) {
      oldest_held = a.get();
    }
  }
  if (last_enabled) options_.insert(options_.begin(), last_);
  bool forced = false;
  if (options_.empty()) {
    if (oldest_held == nullptr) return nullptr;  // every actor finished
    // Everyone left is held: a hold never outlives the actors that could
    // release it, or the run would deadlock.
    oldest_held->holding = false;
    if (text_) {
      std::string& fault = timeline_.staged(oldest_held->slot).fault;
      fault += fault.empty() ? "" : ", ";
      fault += "released: nothing else could run";
    }
    options_.push_back(oldest_held->id);
    forced = true;
  }

  int chosen = options_[0];
  if (tracking_) {
    chosen = strategy_->ChooseStep(options_);
    Status s = strategy_->error();
    if (strategy_->abandon() || !s.ok()) {
      // Sleep-blocked, another shard's, or not deterministic.
      Stop(s);
      return nullptr;
    }
    if (options_.size() > 1) {
      schedule_.choices.push_back(
          {ChoiceKind::kActor, chosen, options_[0], static_cast<int>(options_.size())});
      if (last_enabled && chosen != options_[0]) ++schedule_.preemptions;
    }
  } else if (options_.size() > 1) {
    // Counted without probes: strategies number the steps actors take.
    chosen = strategy_->ChooseActor(options_, steps_ + 1, last_enabled, schedule_.preemptions);
    schedule_.choices.push_back(
        {ChoiceKind::kActor, chosen, options_[0], static_cast<int>(options_.size())});
    if (last_enabled && chosen != options_[0]) ++schedule_.preemptions;
    Status s = strategy_->error();
    if (!s.ok()) {
      Stop(s);
      return nullptr;
    }
  }
  Actor& a = *actors_[chosen];
  if (tracking_) {
    step_fp_.Clear();
    // Global steps: a forced release; a step while another actor is
    // parked with a hold (it counts the steps that release it).
    if (forced || !declared_) step_fp_.SetGlobal();
    for (auto& other : actors_) {
      if (other.get() != &a && other->parked && other->holding) step_fp_.SetGlobal();
    }
  }
  return &a;
}

void Runner::Abort() {
  aborting_ = true;
  for (auto& a : actors_) {
    while (a->context && !a->context->finished()) a->context->Resume();
  }
}

Status Runner::Run(Strategy* strategy) {
  strategy_ = strategy;
  tracking_ = strategy->tracks_steps();
  declared_ = deployment_->DeclaresFootprints();
  last_ = -1;
  arrivals_ = 0;
  aborting_ = false;
  running_ = false;
  stop_ = false;
  stop_status_ = Status::Ok();
  Status s = Setup();
  if (!s.ok()) return s;

  for (auto& a : actors_) {
    // A finished fiber context can start again; threads are made anew.
    if (use_threads_ || !a->context) {
      a->context = use_threads_ ? NewThreadContext(a->gate.get()) : NewFiberContext(a->gate.get());
    }
  }
  // An observed run goes back to the scheduler after every step: the
  // observer inspects the store there, never on an actor's stack.
  direct_ = observer_ == nullptr && (actors_.empty() || actors_[0]->context->direct());
  // Each actor runs up to its first point, in actor order.
  for (auto& a : actors_) {
    Actor* actor = a.get();
    actor->context->Start([this, actor] {
      RunActor(*actor);
      if (direct_ && running_ && !aborting_) {
        // This step ends with the body: the next is picked here too.
        Actor* next = EndStep(*actor) ? Pick() : nullptr;
        if (next != nullptr) {
          Grant(*next);
          actor->context->HandOffAtEnd(next->context.get());
        }
        // Otherwise back to the scheduler: every actor finished, or the
        // run stops.
      }
    });
    if (!actor->error.ok()) {
      Abort();
      return actor->error;
    }
  }

  if (observer_ != nullptr) {
    s = observer_->AfterStep(0);
    if (!s.ok()) {
      Abort();
      return s;
    }
  }

  // The scheduler picks the first step; when the contexts can switch
  // directly, every later one is picked where the step before ended (at
  // an arrival, or at a body's end), else here.
  running_ = true;
  while (true) {
    Actor* next = Pick();
    if (stop_) {
      Abort();
      return stop_status_;
    }
    if (next == nullptr) break;  // every actor finished
    const int step = Grant(*next);
    next->context->Resume();
    // Back when the step of `next` ended; with direct switches, only once
    // every actor finished or the run stops (the actors picked every step
    // in between, and ended each).
    if (stop_) {
      Abort();
      return stop_status_;
    }
    if (direct_) break;
    if (!EndStep(*next)) {
      Abort();
      return stop_status_;
    }
    if (observer_ != nullptr) {
      s = observer_->AfterStep(step);
      if (!s.ok()) {
        Abort();
        return s;
      }
    }
  }
  running_ = false;
  if (use_threads_) {
    for (auto& a : actors_) a->context.reset();
  }

  s = deployment_->Inspect(&snapshot_);
  if (!s.ok()) return s.Wrap("inspect");
  return Status::Ok();
}

}  // namespace intransit
