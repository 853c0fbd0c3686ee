// The systematic runner: see runner.h.
#include "run/runner.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "base/rng.h"
#include "store/actor_context.h"

namespace intransit {

struct Runner::Actor {
  int id = 0;
  const ActorSpec* spec = nullptr;
  std::unique_ptr<ActorContext> context;
  std::unique_ptr<ActorGate> gate;
  Status error;

  // Where it is parked, and what the fault plan said there.
  bool parked = false;
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

class Runner::ActorGate : public Gate {
 public:
  ActorGate(Runner* runner, Actor* actor) : runner_(runner), actor_(actor) {}

  Decision Pass(const PointCall& call) override { return runner_->Arrive(*actor_, call); }
  Decision Probe(const PointCall& call) override { return runner_->Probe(*actor_, call); }

  void Note(std::string_view text) override {
    if (actor_->event < 0) return;
    std::string& what = runner_->timeline_.at(actor_->event).what;
    // "deliver: stored in INBOX; accepted"
    if (!what.empty()) what += what.find(": ") == std::string::npos ? ": " : "; ";
    what += text;
  }

  void RanOn(std::string_view server) override {
    if (actor_->event < 0) return;
    std::string& s = runner_->timeline_.at(actor_->event).server;
    s.clear();
    s.append(server);
  }

  void Touch(std::string_view object, Access access) override { runner_->Touch(object, access); }
  bool TracksTouches() const override { return runner_->tracking_ && runner_->declared_; }

 private:
  Runner* runner_;
  Actor* actor_;
};

namespace {

constexpr int kMaxRestarts = 5;

std::string MessageId(char prefix, int n, const std::string& user) {
  return "<" + std::string(1, prefix) + std::to_string(n) + "." + user + "@intransit>";
}

}  // namespace

Runner::Runner(const Suite& suite, Deployment* deployment, bool use_threads)
    : suite_(suite), deployment_(deployment), use_threads_(use_threads) {
  for (size_t i = 0; i < suite_.actors.size(); ++i) {
    auto a = std::make_unique<Actor>();
    a->id = static_cast<int>(i);
    a->spec = &suite_.actors[i];
    a->gate = std::make_unique<ActorGate>(this, a.get());
    actors_.push_back(std::move(a));
  }
  rule_arrivals_.resize(suite_.faults.size());
  // A counted rule's counter is shared by every actor that arrives there.
  for (size_t i = 0; i < suite_.faults.size(); ++i) {
    rule_objects_.push_back(Intern("intransit/fault-rule/" + std::to_string(i + 1)));
  }
  rule_fired_.resize(suite_.faults.size());
  sender_messages_.resize(suite_.actors.size());
  retry_queues_.resize(suite_.actors.size());

  // Message-IDs are the same in every schedule: <p1.alice@intransit> for
  // mail there before the move, <m1.alice@intransit>... numbered per
  // recipient in actor order for the senders'.
  for (const UserSpec& u : suite_.users) {
    auto& ids = user_ids_.emplace_back();
    for (int n = 1; n <= u.messages; ++n) ids.push_back(MessageId('p', n, u.name));
  }
  std::vector<std::pair<std::string, int>> counters;
  for (const ActorSpec& spec : suite_.actors) {
    auto& ids = sent_ids_.emplace_back();
    if (spec.kind != ActorKind::kSender) continue;
    int* n = nullptr;
    for (auto& [user, count] : counters) {
      if (user == spec.user) n = &count;
    }
    if (n == nullptr) n = &counters.emplace_back(spec.user, 0).second;
    for (int k = 0; k < spec.messages; ++k) ids.push_back(MessageId('m', ++*n, spec.user));
  }
}

Runner::~Runner() = default;

int Runner::Intern(std::string_view object) {
  auto it = object_ids_.find(object);
  if (it != object_ids_.end()) return it->second;
  const int id = static_cast<int>(object_names_.size());
  object_names_.emplace_back(object);
  object_ids_.emplace(object_names_.back(), id);
  return id;
}

void Runner::Touch(std::string_view object, Access access) {
  if (!tracking_ || !declared_) return;
  step_fp_.Add(Intern(object), access);
}

Status Runner::Setup() {
  timeline_.Clear();
  schedule_.choices.clear();
  schedule_.preemptions = 0;
  std::fill(rule_arrivals_.begin(), rule_arrivals_.end(), 0);
  std::fill(rule_fired_.begin(), rule_fired_.end(), 0);
  last_ = -1;
  arrivals_ = 0;
  steps_ = 0;
  aborting_ = false;

  // Every schedule has the same messages: the ledger is built once and
  // then only rewound, its strings never copied again.
  const bool build = !ledger_built_;
  if (build) {
    ledger_.Clear();
  } else {
    ledger_.Rewind();
  }
  Status s = deployment_->Reset();
  if (!s.ok()) return s.Wrap("reset");
  for (size_t i = 0; i < suite_.users.size(); ++i) {
    const UserSpec& u = suite_.users[i];
    if (build) {
      for (const auto& id : user_ids_[i]) ledger_.AddMessage(id, u.name, "", true);
    }
    s = deployment_->Provision(u.name, u.home, user_ids_[i]);
    if (!s.ok()) return s.Wrap("provision " + u.name + " on " + u.home);
  }
  if (build) {
    for (auto& a : actors_) {
      sender_messages_[a->id].clear();
      for (const auto& id : sent_ids_[a->id]) {
        sender_messages_[a->id].push_back(
            ledger_.AddMessage(id, a->spec->user, a->spec->name, false));
      }
    }
    ledger_built_ = true;
  }
  return Status::Ok();
}

namespace {

// As `*h = Hold()`, keeping the strings' buffers. Every field of Hold
// (faults/fault.h) must be here.
void ResetHold(Hold* h) {
  h->steps = 0;
  h->until_point.clear();
  h->until_actor.clear();
  h->ms_lo = 0;
  h->ms_hi = 0;
  h->timeout_ms = 0;
}

}  // namespace

bool Runner::TakeArrival(Actor& a, const PointCall& call) {
  // Copied, straight into the slot the step will have in the timeline: the
  // call's strings need only live for the call.
  a.slot = timeline_.Stage();
  // Appended, not assigned: Stage left them empty, and append is the
  // shorter path through std::string.
  Event& e = timeline_.staged(a.slot);
  e.actor.append(a.spec->name);
  e.point.append(call.point);
  e.server.append(call.server);
  e.user.append(call.user);
  e.message.append(call.message);
  e.what.append(call.what);
  if (suite_.faults.empty()) {
    // Nothing to plan: the common case of exploring, kept free of the
    // FaultEffect's construction and copies.
    a.decision = Decision();
    a.injected = false;
    ResetHold(&a.hold);
    return false;
  }
  FaultEffect effect = Plan(a, call, &e.fault);
  a.decision = effect.decision.value_or(Decision());
  a.injected = effect.decision.has_value() && !a.decision.go();
  a.attempt_injected = a.attempt_injected || a.injected;
  if (effect.hold) {
    a.hold = std::move(*effect.hold);
  } else {
    ResetHold(&a.hold);
  }
  return effect.hold.has_value();
}

Decision Runner::Arrive(Actor& a, const PointCall& call) {
  if (live_) return ArriveLive(a, call);
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

  a.context->Suspend();  // back when the scheduler grants this actor

  a.parked = false;
  if (aborting_) {
    Decision d;
    d.action = Decision::Action::kCrash;
    return d;
  }
  return a.decision;
}

FaultEffect Runner::Plan(Actor& a, const PointCall& call, std::string* text) {
  // Rule by rule in suite order: counters, chance, effect.
  FaultEffect effect;
  for (size_t i = 0; i < suite_.faults.size(); ++i) {
    const FaultRule& r = suite_.faults[i];
    if (r.point != call.point) continue;
    int64_t n = ++rule_arrivals_[i];
    // Reduction: a counted rule is written at every arrival that counts —
    // until its effect no longer depends on which arrival came first.
    if (tracking_ && (r.nth > 1 || r.times != 0) &&
        !(r.times != 0 && rule_fired_[i] >= r.times) && !(r.times == 0 && n > r.nth)) {
      step_fp_.Add(rule_objects_[i], Access::kWrite);
    }
    if (n < r.nth) continue;
    if (r.times != 0 && rule_fired_[i] >= r.times) continue;
    if (r.probability <= 0) continue;
    if (r.probability < 1) {
      bool fire = live_ ? a.rng.Unit() < r.probability : strategy_->ChooseFire(r.probability);
      // Live mode's draws are not a schedule: threads race, nothing replays.
      if (!live_) schedule_.choices.push_back({ChoiceKind::kFire, fire ? 1 : 0, 1, 2});
      if (!fire) continue;
    }
    ++rule_fired_[i];
    r.fault->Fire(&effect);
    if (!text->empty()) *text += ", ";
    *text += r.fault->Describe();
  }
  return effect;
}

Decision Runner::Probe(Actor& a, const PointCall& call) {
  if (aborting_ || suite_.faults.empty()) return Decision();
  std::string text;
  std::unique_lock<std::mutex> lock(live_mu_, std::defer_lock);
  if (live_) lock.lock();
  FaultEffect effect = Plan(a, call, &text);
  if (!effect.decision || effect.decision->go()) return Decision();
  // Only a fired fault is worth a line: an I/O call that went through is
  // part of its step.
  Event& e = timeline_.Append();
  e.actor = a.spec->name;
  e.point.assign(call.point);
  e.server.assign(call.server);
  e.user.assign(call.user);
  e.message.assign(call.message);
  e.what.assign(call.what);
  e.fault = text;
  e.injected = true;
  e.probe = true;
  a.attempt_injected = true;
  return *effect.decision;
}

bool Runner::Released(const Actor& a) const {
  if (!a.holding) return true;
  if (a.steps_seen < a.hold.steps) return false;
  if (!a.hold.until_point.empty() && !a.until_seen) return false;
  return true;
}

void Runner::Grant(Actor& a) {
  Record(a);
  last_ = a.id;
  a.context->Resume();
}

void Runner::Record(Actor& a) {
  // Filled in at the arrival: now it takes its place in the timeline.
  Event& e = timeline_.staged(timeline_.Commit(a.slot));
  e.injected = a.injected;
  a.event = static_cast<int>(timeline_.size()) - 1;
  ++steps_;

  for (auto& other : actors_) {
    if (other.get() == &a || !other->parked || !other->holding) continue;
    ++other->steps_seen;
    if (!other->hold.until_point.empty() && other->hold.until_point == e.point &&
        (other->hold.until_actor.empty() || other->hold.until_actor == a.spec->name)) {
      other->until_seen = true;
    }
  }
}

std::chrono::steady_clock::time_point Runner::HoldEnd(int64_t ms) const {
  const auto now = std::chrono::steady_clock::now();
  // Compared in milliseconds first: now + ms could overflow the clock's
  // nanoseconds for a huge `ms`, never past the deadline's distance.
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(live_deadline_ - now);
  if (ms >= left.count()) return live_deadline_;
  return now + std::chrono::milliseconds(std::max<int64_t>(ms, 0));
}

Decision Runner::ArriveLive(Actor& a, const PointCall& call) {
  // The step that led here ends: give the store to the other actors.
  std::unique_lock<std::mutex> lock(live_mu_);
  a.holding = TakeArrival(a, call);
  a.until_seen = false;
  a.parked = true;
  const bool retry = a.retry_wait;
  a.retry_wait = false;
  if (a.holds_step) {
    a.holds_step = false;
    step_mu_.unlock();
  }
  // Wall-clock holds: a delay sleeps; a reorder waits for the point it
  // names (or its timeout), after the delay's sleep when both fired here; a
  // retry after a tempfail waits a moment.
  const bool sleeps = a.holding && a.hold.ms_hi > 0;
  const bool waits = a.holding && !a.hold.until_point.empty();
  if (sleeps) {
    int64_t span = a.hold.ms_hi - a.hold.ms_lo;
    int64_t ms = a.hold.ms_lo + (span > 0 ? static_cast<int64_t>(a.rng.Below(span + 1)) : 0);
    const auto until = HoldEnd(ms);
    lock.unlock();
    std::this_thread::sleep_until(until);
    lock.lock();
    if (until == live_deadline_) timeline_.staged(a.slot).fault += ", released: time budget spent";
  }
  if (waits) {
    const auto until = HoldEnd(a.hold.timeout_ms);
    if (!live_cv_.wait_until(lock, until, [&] { return a.until_seen; })) {
      timeline_.staged(a.slot).fault +=
          until == live_deadline_ ? ", released: time budget spent" : ", released: timeout";
    }
  }
  if (retry && !sleeps && !waits) {
    lock.unlock();
    std::this_thread::sleep_for(std::chrono::microseconds(200 + a.rng.Below(800)));
    lock.lock();
  }
  a.holding = false;
  a.parked = false;
  lock.unlock();

  step_mu_.lock();
  a.holds_step = true;
  lock.lock();
  Record(a);
  lock.unlock();
  live_cv_.notify_all();
  return a.decision;
}

Status Runner::RunLive(uint64_t seed, uint64_t iteration,
                       std::chrono::steady_clock::time_point deadline) {
  live_ = true;
  live_deadline_ = deadline;
  strategy_ = nullptr;
  Status s = Setup();
  if (!s.ok()) return s;
  std::vector<std::thread> threads;
  for (auto& a : actors_) {
    a->error = Status::Ok();
    a->parked = false;
    a->retry_wait = false;
    a->holds_step = false;
    a->event = -1;
    Rng mix(seed ^ (iteration * 0x9e3779b97f4a7c15ULL) ^ (static_cast<uint64_t>(a->id) << 48));
    a->rng = Rng(mix.Next());
  }
  for (auto& a : actors_) {
    Actor* actor = a.get();
    threads.emplace_back([this, actor] {
      // C code finds the actor's gate through libfiu by the thread.
      SetCurrentGateForThread(actor->gate.get());
      // The code before the first point is a step too: it runs under the lock.
      step_mu_.lock();
      actor->holds_step = true;
      if (actor->spec->kind == ActorKind::kMover) {
        RunMover(*actor);
      } else {
        RunSender(*actor);
      }
      if (actor->holds_step) {
        actor->holds_step = false;
        step_mu_.unlock();
      }
      SetCurrentGateForThread(nullptr);
    });
  }
  for (auto& t : threads) t.join();
  for (auto& a : actors_) {
    if (!a->error.ok()) return a->error;
  }
  s = deployment_->Inspect(&snapshot_);
  if (!s.ok()) return s.Wrap("inspect");
  return Status::Ok();
}

void Runner::RunSender(Actor& a) {
  const ActorSpec& spec = *a.spec;
  // Deferred mail: ledger index, attempts made. Retried oldest first.
  auto& queue = retry_queues_[a.id];
  queue.clear();
  size_t head = 0;

  auto attempt = [&](size_t idx, int attempts) -> bool {
    LedgerEntry& entry = ledger_.entry(idx);
    a.event = -1;
    a.attempt_injected = false;
    auto r = deployment_->Deliver(*a.gate, spec.user, entry.message);
    a.retry_wait = false;
    if (!r.ok()) {
      a.error = r.status().Wrap("deliver " + entry.message);
      return false;
    }
    Attempt& at = entry.attempts.emplace_back();
    at.step = a.event + 1;
    at.answer = r->answer;
    at.server = r->server;
    std::string note = AnswerName(r->answer);
    // A failure answer after a fault fired in the attempt, at a point or at
    // an I/O probe, is the fault's doing.
    if (a.attempt_injected && r->answer != Answer::kAccepted) note += " (injected)";
    ++attempts;
    if (r->answer == Answer::kPermfail) {
      entry.ndr = true;
      note += "; NDR sent";
    } else if (r->answer == Answer::kTempfail) {
      if (attempts > spec.retry) {
        entry.ndr = true;
        note += "; retries exhausted, NDR sent";
      } else {
        note += "; queued for retry";
        queue.emplace_back(idx, attempts);
      }
    }
    a.gate->Note(note);
    return true;
  };

  for (size_t idx : sender_messages_[a.id]) {
    if (!attempt(idx, 0)) return;
  }
  while (head < queue.size()) {
    auto [idx, attempts] = queue[head++];
    a.retry_wait = true;
    if (!attempt(idx, attempts)) return;
  }
}

void Runner::RunMover(Actor& a) {
  const ActorSpec& spec = *a.spec;
  std::string from;
  for (const auto& u : suite_.users) {
    if (u.name == spec.user) from = u.home;
  }
  auto r = deployment_->Move(*a.gate, spec.user, spec.to);
  bool recovered = false;
  // A crashed mover comes back later and runs the store's recovery, which
  // passes points of its own; it may crash again.
  for (int restarts = 0; r.ok() && *r == MoveResult::kCrashed && restarts < kMaxRestarts;
       ++restarts) {
    a.gate->Note("the mover crashed");
    a.retry_wait = true;
    Decision d =
        a.gate->Pass({kRecoverPoint, {}, spec.user, {}, "restart the mover, recover the move"});
    if (d.crash()) continue;
    r = deployment_->Recover(*a.gate, spec.user);
    if (!r.ok() && r.status().code() == Status::Code::kUnsupported) {
      a.gate->Note(r.status().message());
      r = MoveResult::kCrashed;
      break;
    }
    recovered = true;
  }
  if (!r.ok()) {
    a.error = r.status().Wrap("move " + spec.user);
    return;
  }
  a.gate->Note(*r == MoveResult::kDone     ? "move done"
               : *r == MoveResult::kFailed ? "move failed"
                                           : "move crashed");
  ledger_.AddMove({spec.name, spec.user, from, spec.to, *r, recovered});
}

void Runner::Abort() {
  aborting_ = true;
  for (auto& a : actors_) {
    while (a->context && !a->context->finished()) a->context->Resume();
  }
}

Status Runner::Run(Strategy* strategy) {
  live_ = false;
  strategy_ = strategy;
  tracking_ = strategy->tracks_steps();
  declared_ = deployment_->DeclaresFootprints();
  Status s = Setup();
  if (!s.ok()) return s;

  for (auto& a : actors_) {
    a->error = Status::Ok();
    a->parked = false;
    a->retry_wait = false;
    a->event = -1;
    // A finished fiber context can start again; threads are made anew.
    if (use_threads_ || !a->context) {
      a->context = use_threads_ ? NewThreadContext(a->gate.get()) : NewFiberContext(a->gate.get());
    }
  }
  // Each actor runs up to its first point, in actor order.
  for (auto& a : actors_) {
    Actor* actor = a.get();
    if (actor->spec->kind == ActorKind::kMover) {
      actor->context->Start([this, actor] { RunMover(*actor); });
    } else {
      actor->context->Start([this, actor] { RunSender(*actor); });
    }
    if (!actor->error.ok()) {
      Abort();
      return actor->error;
    }
  }

  while (true) {
    if (strategy_->abandon()) {
      // Another shard's schedule: stop here, nothing of it counts.
      Abort();
      return Status::Ok();
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
      if (oldest_held == nullptr) break;  // every actor finished
      // Everyone left is held: a hold never outlives the actors that could
      // release it, or the run would deadlock.
      oldest_held->holding = false;
      std::string& fault = timeline_.staged(oldest_held->slot).fault;
      fault += fault.empty() ? "" : ", ";
      fault += "released: nothing else could run";
      options_.push_back(oldest_held->id);
      forced = true;
    }

    int chosen = options_[0];
    if (tracking_) {
      chosen = strategy_->ChooseStep(options_);
      s = strategy_->error();
      if (strategy_->abandon() || !s.ok()) {
        // Sleep-blocked, another shard's, or not deterministic.
        Abort();
        return s;
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
      s = strategy_->error();
      if (!s.ok()) {
        Abort();
        return s;
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
    Grant(a);
    if (!a.error.ok()) {
      Status err = a.error;
      Abort();
      return err;
    }
    if (tracking_) {
      // A step that ends arriving with a hold (a delay, a reorder, a
      // retry's wait) changes who is enabled from then on.
      if (a.parked && a.holding) step_fp_.SetGlobal();
      strategy_->StepDone(step_fp_);
      s = strategy_->error();
      if (!s.ok()) {
        Abort();
        return s;
      }
    }
  }
  if (use_threads_) {
    for (auto& a : actors_) a->context.reset();
  }

  s = deployment_->Inspect(&snapshot_);
  if (!s.ok()) return s.Wrap("inspect");
  return Status::Ok();
}

}  // namespace intransit
