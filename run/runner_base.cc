// What both runners share: see runner_base.h.
#include "run/runner_base.h"

#include <algorithm>

#include "run/runner_actor.h"

namespace intransit {

class RunnerBase::ActorGate : public Gate {
 public:
  ActorGate(RunnerBase* runner, Actor* actor) : runner_(runner), actor_(actor) {}

  Decision Pass(const PointCall& call) override { return runner_->Arrive(*actor_, call); }
  Decision Probe(const PointCall& call) override {
    // Nothing to plan: the common case of exploring, kept off the runner.
    if (runner_->suite_.faults.empty()) return Decision();
    return runner_->Probe(*actor_, call);
  }

  void Note(std::string_view text) override {
    if (actor_->event < 0 || !runner_->text_) return;
    std::string& what = runner_->timeline_.at(actor_->event).what;
    // "deliver: stored in INBOX; accepted"
    if (!what.empty()) what += what.find(": ") == std::string::npos ? ": " : "; ";
    what += text;
  }

  void RanOn(std::string_view server) override {
    if (actor_->event < 0 || !runner_->text_) return;
    std::string& s = runner_->timeline_.at(actor_->event).server;
    s.clear();
    s.append(server);
  }

  void Touch(std::string_view object, Access access) override { runner_->Touch(object, access); }
  bool TracksTouches() const override { return runner_->tracking_ && runner_->declared_; }

 private:
  RunnerBase* runner_;
  Actor* actor_;
};

namespace {

constexpr int kMaxRestarts = 5;

std::string MessageId(char prefix, int n, const std::string& user) {
  return "<" + std::string(1, prefix) + std::to_string(n) + "." + user + "@intransit>";
}

}  // namespace

RunnerBase::RunnerBase(const Suite& suite, Deployment* deployment)
    : suite_(suite), deployment_(deployment) {
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

RunnerBase::~RunnerBase() = default;

int RunnerBase::Intern(std::string_view object) {
  auto it = object_ids_.find(object);
  if (it != object_ids_.end()) return it->second;
  const int id = static_cast<int>(object_names_.size());
  object_names_.emplace_back(object);
  object_ids_.emplace(object_names_.back(), id);
  return id;
}

void RunnerBase::Touch(std::string_view object, Access access) {
  if (!tracking_ || !declared_) return;
  step_fp_.Add(Intern(object), access);
}

Status RunnerBase::Setup() {
  timeline_.Clear();
  schedule_.choices.clear();
  schedule_.preemptions = 0;
  std::fill(rule_arrivals_.begin(), rule_arrivals_.end(), 0);
  std::fill(rule_fired_.begin(), rule_fired_.end(), 0);
  steps_ = 0;
  events_ = 0;

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
  for (auto& a : actors_) {
    a->error = Status::Ok();
    a->parked = false;
    a->retry_wait = false;
    a->event = -1;
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

bool RunnerBase::TakeArrival(Actor& a, const PointCall& call) {
  a.call = &call;
  // What fired is words for the timeline: without its text, no words.
  std::string* fault_text = nullptr;
  if (text_) {
    // Copied, straight into the slot the step will have in the timeline:
    // the call's strings need only live for the call.
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
    fault_text = &e.fault;
  }
  if (suite_.faults.empty()) {
    // Nothing to plan: the common case of exploring, kept free of the
    // FaultEffect's construction and copies.
    a.decision = Decision();
    a.injected = false;
    ResetHold(&a.hold);
    return false;
  }
  FaultEffect effect = Plan(a, call, fault_text);
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

FaultEffect RunnerBase::Plan(Actor& a, const PointCall& call, std::string* text) {
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
      if (!ChooseFire(a, r.probability)) continue;
    }
    ++rule_fired_[i];
    r.fault->Fire(&effect);
    if (text == nullptr) continue;
    if (!text->empty()) *text += ", ";
    *text += r.fault->Describe();
  }
  return effect;
}

Decision RunnerBase::TakeProbe(Actor& a, const PointCall& call) {
  std::string text;
  FaultEffect effect = Plan(a, call, text_ ? &text : nullptr);
  if (!effect.decision || effect.decision->go()) return Decision();
  // Only a fired fault is worth a line: an I/O call that went through is
  // part of its step.
  ++events_;
  a.attempt_injected = true;
  if (!text_) return *effect.decision;
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
  return *effect.decision;
}

void RunnerBase::Record(Actor& a) {
  if (text_) {
    // Filled in at the arrival: now it takes its place in the timeline.
    timeline_.staged(timeline_.Commit(a.slot)).injected = a.injected;
  }
  a.event = events_++;
  ++steps_;

  for (auto& other : actors_) {
    if (other.get() == &a || !other->parked || !other->holding) continue;
    ++other->steps_seen;
    if (!other->hold.until_point.empty() && other->hold.until_point == a.call->point &&
        (other->hold.until_actor.empty() || other->hold.until_actor == a.spec->name)) {
      other->until_seen = true;
    }
  }
}

void RunnerBase::RunSender(Actor& a) {
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
    ++attempts;
    const bool exhausted = attempts > spec.retry;
    if (r->answer == Answer::kPermfail || (r->answer == Answer::kTempfail && exhausted)) {
      entry.ndr = true;
    } else if (r->answer == Answer::kTempfail) {
      queue.emplace_back(idx, attempts);
    }
    if (!text_) return true;
    std::string note = AnswerName(r->answer);
    // A failure answer after a fault fired in the attempt, at a point or at
    // an I/O probe, is the fault's doing.
    if (a.attempt_injected && r->answer != Answer::kAccepted) note += " (injected)";
    if (r->answer == Answer::kPermfail) {
      note += "; NDR sent";
    } else if (r->answer == Answer::kTempfail) {
      note += exhausted ? "; retries exhausted, NDR sent" : "; queued for retry";
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

void RunnerBase::RunMover(Actor& a) {
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

void RunnerBase::RunActor(Actor& a) {
  if (a.spec->kind == ActorKind::kMover) {
    RunMover(a);
  } else {
    RunSender(a);
  }
}

}  // namespace intransit
