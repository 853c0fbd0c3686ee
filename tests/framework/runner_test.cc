// The runner's edges: an adapter error stops the schedule cleanly, whatever
// state the other actors are in, and the runner can run again afterwards.
#include "run/runner.h"

#include <catch2/catch.hpp>

#include "explore/exhaustive_strategy.h"
#include "explore/random_strategy.h"
#include "explore/replay_strategy.h"
#include "run/live_runner.h"
#include "run/step_observer.h"
#include "tests/support/suites.h"

namespace intransit {
namespace {

// A store whose delivery breaks before it passes any point, on demand.
class BrokenDelivery : public Deployment {
 public:
  bool broken = true;
  Status Reset() override { return Status::Ok(); }
  Status Provision(std::string_view, std::string_view, const std::vector<std::string>&) override {
    return Status::Ok();
  }
  Result<DeliverResult> Deliver(Gate& gate, std::string_view user,
                                std::string_view message) override {
    if (broken) return Status::Infra("the store's socket is gone");
    gate.Pass({"deliver", "src", user, message, "deliver"});
    return DeliverResult{Answer::kAccepted, "src", "INBOX"};
  }
  Result<MoveResult> Move(Gate& gate, std::string_view user, std::string_view) override {
    gate.Pass({"create", "dst", user, {}, "create"});
    gate.Pass({"cleanup", "src", user, {}, "cleanup"});
    return MoveResult::kDone;
  }
  Status Inspect(Snapshot* out) override {
    out->Clear();
    return Status::Ok();
  }
};

// A store with an I/O call (a probe) inside delivery and inside the move.
class ProbingStore : public Deployment {
 public:
  Status Reset() override { return Status::Ok(); }
  Status Provision(std::string_view, std::string_view, const std::vector<std::string>&) override {
    return Status::Ok();
  }
  Result<DeliverResult> Deliver(Gate& gate, std::string_view user,
                                std::string_view message) override {
    gate.Pass({"deliver", "src", user, message, "deliver"});
    if (!gate.Probe({"fsync", "src", user, message, "fsync the new file"}).go()) {
      return DeliverResult{Answer::kTempfail, "src", ""};
    }
    return DeliverResult{Answer::kAccepted, "src", "INBOX"};
  }
  Result<MoveResult> Move(Gate& gate, std::string_view user, std::string_view) override {
    gate.Pass({"create", "dst", user, {}, "create"});
    gate.Probe({"fsync", "dst", user, {}, "fsync the new mailbox"});
    gate.Pass({"cleanup", "src", user, {}, "cleanup"});
    return MoveResult::kDone;
  }
  Status Inspect(Snapshot* out) override {
    out->Clear();
    return Status::Ok();
  }
};

// Takes the last option, and notes the step number each choice was given
// next to the steps (not probes) the timeline holds by then.
class StepRecorder : public Strategy {
 public:
  explicit StepRecorder(const Runner* runner) : runner_(runner) {}
  bool BeginSchedule(uint64_t) override { return true; }
  int ChooseActor(const std::vector<int>& options, int step, bool, int) override {
    int taken = 0;
    for (size_t i = 0; i < runner_->timeline().size(); ++i) taken += !runner_->timeline()[i].probe;
    given.push_back(step);
    expected.push_back(taken + 1);
    return options.back();
  }
  bool ChooseFire(double) override { return true; }
  void EndSchedule() override {}
  bool complete() const override { return true; }

  std::vector<int> given, expected;

 private:
  const Runner* runner_;
};

TEST_CASE("runner: strategies number steps without the probe events", "[runner]") {
  Suite s = testing::Q277911Suite("correct", 2, 1);
  testing::AddFault(&s, "fsync", "io", Params(), 1, 3);
  ProbingStore store;
  Runner runner(s, &store, false);
  StepRecorder strategy(&runner);
  REQUIRE(runner.Run(&strategy).ok());
  int probes = 0;
  for (size_t i = 0; i < runner.timeline().size(); ++i) probes += runner.timeline()[i].probe;
  CHECK(probes == 3);
  REQUIRE(strategy.given.size() >= 3);
  CHECK(strategy.given == strategy.expected);
}

// Notes the step number of every AfterStep.
class StepNumbers : public StepObserver {
 public:
  Status AfterStep(int step) override {
    steps.push_back(step);
    return Status::Ok();
  }
  std::vector<int> steps;
};

TEST_CASE("runner: the step observer gets the timeline's step numbers with the text off",
          "[runner]") {
  Suite s = testing::Q277911Suite("correct", 2, 1);
  testing::AddFault(&s, "fsync", "io", Params(), 1, 3);
  ProbingStore store;
  auto numbers = [&](bool text, std::vector<int>* timeline_steps) {
    Runner runner(s, &store, false);
    runner.set_timeline_text(text);
    StepNumbers seen;
    runner.set_observer(&seen);
    ExhaustiveStrategy strategy;
    strategy.BeginSchedule(0);
    REQUIRE(runner.Run(&strategy).ok());
    for (size_t i = 0; i < runner.timeline().size(); ++i) {
      if (!runner.timeline()[i].probe) timeline_steps->push_back(runner.timeline()[i].step);
    }
    return seen.steps;
  };
  std::vector<int> with_text, without_text;
  const std::vector<int> on = numbers(true, &with_text);
  const std::vector<int> off = numbers(false, &without_text);
  CHECK(without_text.empty());
  // Step 0 first (before any step), then every step's timeline number.
  REQUIRE(on.size() == with_text.size() + 1);
  CHECK(on.front() == 0);
  CHECK(std::vector<int>(on.begin() + 1, on.end()) == with_text);
  CHECK(off == on);
  for (size_t i = 1; i < off.size(); ++i) CHECK(off[i] > off[i - 1]);
}

TEST_CASE("runner: a delivery failed by a fault at a probe is marked injected", "[runner]") {
  Suite s = testing::Q277911Suite("correct", 1, 1);
  testing::AddFault(&s, "fsync", "io", Params(), 1, 1);
  ProbingStore store;
  Runner runner(s, &store, false);
  ExhaustiveStrategy strategy;
  REQUIRE(strategy.BeginSchedule(0));
  REQUIRE(runner.Run(&strategy).ok());
  // The mover goes first: its fsync takes the one fault, the delivery goes through.
  std::vector<std::string> deliveries;
  for (size_t i = 0; i < runner.timeline().size(); ++i) {
    const Event& e = runner.timeline()[i];
    if (e.point == "deliver" && !e.probe) deliveries.push_back(e.what);
  }
  REQUIRE(deliveries.size() == 1);
  CHECK_THAT(deliveries[0], !Catch::Contains("injected"));

  // The sender first: its fsync fails, the tempfail is the fault's.
  std::rotate(s.actors.begin(), s.actors.begin() + 1, s.actors.end());
  Runner sender_first(s, &store, false);
  ExhaustiveStrategy again;
  REQUIRE(again.BeginSchedule(0));
  REQUIRE(sender_first.Run(&again).ok());
  deliveries.clear();
  for (size_t i = 0; i < sender_first.timeline().size(); ++i) {
    const Event& e = sender_first.timeline()[i];
    if (e.point == "deliver" && !e.probe) deliveries.push_back(e.what);
  }
  REQUIRE(deliveries.size() == 2);
  CHECK_THAT(deliveries[0], Catch::Contains("tempfail (injected); queued for retry"));
  CHECK_THAT(deliveries[1], !Catch::Contains("injected"));
}

TEST_CASE("runner: live mode leaves the schedule empty, chance draws included", "[runner][live]") {
  Suite s = testing::Q277911Suite("correct", 2, 1);
  testing::AddFault(&s, "deliver", "delay", Params(), 1, 0, 0.5);
  ProbingStore store;
  LiveRunner runner(s, &store);
  REQUIRE(runner.Run(1, 0).ok());
  CHECK(runner.schedule().choices.empty());
}

TEST_CASE("runner: an adapter error while actors start stops the schedule cleanly", "[runner]") {
  bool threads = GENERATE(false, true);
  CAPTURE(threads);
  Suite s = testing::Q277911Suite("correct", 2, 1);
  // Senders first: the first one fails before any other actor has started.
  std::rotate(s.actors.begin(), s.actors.begin() + 1, s.actors.end());
  BrokenDelivery store;
  Runner runner(s, &store, threads);
  ExhaustiveStrategy strategy;
  REQUIRE(strategy.BeginSchedule(0));
  Status st = runner.Run(&strategy);
  CHECK(st.code() == Status::Code::kInfra);
  CHECK_THAT(st.message(), Catch::Contains("socket is gone"));

  // And again, mended: the runner is usable.
  store.broken = false;
  ExhaustiveStrategy again;
  REQUIRE(again.BeginSchedule(0));
  CHECK(runner.Run(&again).ok());
  CHECK(runner.timeline().size() == 4);
}

// Runs every schedule `strategy` gives (at most `max`) and counts those in
// which the fault at "deliver" fired.
struct Fired {
  int schedules = 0;
  int fired = 0;
};
Fired CountFired(const Suite& s, Strategy* strategy, int max) {
  ProbingStore store;
  Runner runner(s, &store, false);
  Fired f;
  for (int i = 0; i < max && strategy->BeginSchedule(static_cast<uint64_t>(i)); ++i) {
    REQUIRE(runner.Run(strategy).ok());
    strategy->EndSchedule();
    ++f.schedules;
    bool fired = false;
    for (size_t e = 0; e < runner.timeline().size(); ++e) {
      const Event& ev = runner.timeline()[e];
      fired = fired || (ev.point == "deliver" && !ev.fault.empty());
    }
    f.fired += fired;
  }
  return f;
}

Suite WithChance(double probability) {
  Suite s = testing::Q277911Suite("correct", 1, 1);
  Params p;
  p.Set("error", std::string("tempfail"));
  testing::AddFault(&s, "deliver", "fail", p, 1, 1, probability);
  return s;
}

TEST_CASE("runner: a fault with probability 0.5 fires on one branch and not the other",
          "[runner][hardening]") {
  // Exhaustive explores both outcomes of the draw: twice the schedules of
  // the plain space, the fault fired in exactly half of them.
  ExhaustiveStrategy plain_strategy;
  Fired plain = CountFired(testing::Q277911Suite("correct", 1, 1), &plain_strategy, 1000);
  REQUIRE(plain.schedules > 1);
  CHECK(plain.fired == 0);

  ExhaustiveStrategy always_strategy;
  Fired always = CountFired(WithChance(1.0), &always_strategy, 1000);
  CHECK(always.schedules == plain.schedules);
  CHECK(always.fired == always.schedules);

  ExhaustiveStrategy half_strategy;
  Fired half = CountFired(WithChance(0.5), &half_strategy, 1000);
  CHECK(half.schedules == 2 * plain.schedules);
  CHECK(half.fired == plain.schedules);
}

TEST_CASE("runner: under random a fault fires in about its probability's share of schedules",
          "[runner][hardening]") {
  // Seeded: the same draws on every machine, so these bounds are no flake;
  // they are wide enough that any sound generator passes them.
  RandomStrategy half_strategy(7, 400);
  Fired half = CountFired(WithChance(0.5), &half_strategy, 400);
  CHECK(half.schedules == 400);
  CHECK(half.fired > 150);
  CHECK(half.fired < 250);
  RandomStrategy tenth_strategy(7, 400);
  Fired tenth = CountFired(WithChance(0.1), &tenth_strategy, 400);
  CHECK(tenth.fired > 15);
  CHECK(tenth.fired < 70);
}

}  // namespace
}  // namespace intransit

namespace intransit {
namespace {

// Everything one schedule left behind, in words a CHECK can compare.
std::vector<std::string> Dump(const Runner& r) {
  std::vector<std::string> out;
  for (size_t i = 0; i < r.timeline().size(); ++i) {
    const Event& e = r.timeline()[i];
    out.push_back(std::to_string(e.step) + " " + e.actor + " " + e.point + " " + e.server + " " +
                  e.user + " " + e.message + " | " + e.what + " | " + e.fault +
                  (e.injected ? " injected" : "") + (e.probe ? " probe" : ""));
  }
  for (size_t i = 0; i < r.ledger().size(); ++i) {
    const LedgerEntry& m = r.ledger().entry(i);
    std::string line = m.message + " " + m.user + " " + m.actor + (m.ndr ? " ndr" : "");
    for (const Attempt& a : m.attempts) {
      line += " [" + std::to_string(a.step) + " " + AnswerName(a.answer) + " " + a.server + "]";
    }
    out.push_back(line);
  }
  for (const MoveRecord& m : r.ledger().moves()) {
    out.push_back("move " + m.actor + " " + m.from + " " + m.to + " " +
                  std::to_string(static_cast<int>(m.result)) + (m.recovered ? " recovered" : ""));
  }
  for (const MessageCopy& c : r.snapshot().copies) {
    out.push_back("copy " + c.server + ":" + c.user + "/" + c.folder + " " + c.message);
  }
  return out;
}

}  // namespace

TEST_CASE("runner: a runner reused across schedules records what a fresh runner records",
          "[runner]") {
  // The runner keeps its timeline slots, ledger and fibers from one
  // schedule to the next; nothing of one schedule may show in another's
  // history. Holds (delay, reorder, a forced release), failures and retries
  // exercise every field a step's slot carries.
  Suite s = testing::Q277911Suite("pre-sp4", 2, 2);
  Params tempfail;
  tempfail.Set("error", std::string("tempfail"));
  testing::AddFault(&s, "deliver", "fail", tempfail, 1, 1);
  Params two;
  two.Set("steps", int64_t{2});
  testing::AddFault(&s, "copy", "delay", two, 1, 1);
  Params never;
  never.Set("until", std::string(kRecoverPoint));  // no mover crashes: a forced release
  testing::AddFault(&s, "deliver", "reorder", never, 2, 1);
  AdapterConfig config = s.adapter_config;
  for (const FaultRule& rule : s.faults) config.armed_points.push_back(rule.point);
  const AdapterInfo* info = AdapterRegistry::Global().Find(s.adapter);
  REQUIRE(info != nullptr);
  auto reused_deployment = info->open(config);
  REQUIRE(reused_deployment.ok());
  Runner reused(s, reused_deployment->get(), false);

  ExhaustiveStrategy exhaustive;
  int schedules = 0;
  bool forced = false;
  bool retried = false;
  for (uint64_t i = 0; i < 400 && exhaustive.BeginSchedule(i); ++i) {
    REQUIRE(reused.Run(&exhaustive).ok());
    exhaustive.EndSchedule();
    std::vector<int> values;
    for (const auto& c : reused.schedule().choices) values.push_back(c.value);

    auto fresh_deployment = info->open(config);
    REQUIRE(fresh_deployment.ok());
    Runner fresh(s, fresh_deployment->get(), false);
    ReplayStrategy replay(values);
    replay.BeginSchedule(0);
    REQUIRE(fresh.Run(&replay).ok());
    const std::vector<std::string> got = Dump(reused);
    REQUIRE(got == Dump(fresh));
    for (const std::string& line : got) {
      forced = forced || line.find("released: nothing else could run") != std::string::npos;
      retried = retried || line.find("queued for retry") != std::string::npos;
    }
    ++schedules;
  }
  CHECK(exhaustive.complete());
  CHECK(schedules > 100);
  CHECK(forced);
  CHECK(retried);
}


// What a run leaves besides its timeline's text, as a string to compare.
std::string RunOutcome(const Runner& r) {
  std::string out = "steps " + std::to_string(r.steps()) + " choices";
  for (const auto& c : r.schedule().choices) out += " " + std::to_string(c.value);
  out += " preemptions " + std::to_string(r.schedule().preemptions) + "\n";
  for (size_t i = 0; i < r.ledger().size(); ++i) {
    const LedgerEntry& e = r.ledger().entry(i);
    out += e.message + (e.ndr ? " ndr" : "");
    for (const auto& a : e.attempts) {
      out += " [" + std::to_string(a.step) + " " + AnswerName(a.answer) + " " + a.server + "]";
    }
    out += "\n";
  }
  for (const auto& m : r.ledger().moves()) out += m.actor + " " + std::to_string(int(m.result)) + "\n";
  for (const auto& c : r.snapshot().copies) {
    out += c.server + ":" + c.user + "/" + c.folder + " " + c.message + "\n";
  }
  return out;
}

TEST_CASE("runner: without the timeline's text a run ends the same, step numbers included",
          "[runner]") {
  // Probe events (numbered in the timeline), a reorder's hold released at
  // a point by name, a delay, a forced release, retries.
  Suite probing = testing::Q277911Suite("correct", 2, 1);
  testing::AddFault(&probing, "fsync", "io", Params(), 1, 3);
  Suite holding = testing::Q277911Suite("sp4", 2, 1);
  Params reorder;
  reorder.Set("until", std::string("route"));
  testing::AddFault(&holding, "deliver", "reorder", reorder, 1, 2);
  Params tempfail;
  tempfail.Set("error", std::string("tempfail"));
  testing::AddFault(&holding, "deliver", "fail", tempfail, 2, 1);
  const AdapterInfo* info = AdapterRegistry::Global().Find("reference");
  REQUIRE(info != nullptr);
  for (Suite* s : {&probing, &holding}) {
    ProbingStore probe_store;
    auto reference = info->open(s->adapter_config);
    REQUIRE(reference.ok());
    Deployment* store = s == &probing ? static_cast<Deployment*>(&probe_store) : reference->get();
    Runner with(*s, store, false);
    Runner without(*s, store, false);
    without.set_timeline_text(false);
    ExhaustiveStrategy strategy;
    int schedules = 0;
    int held_steps = 0;
    for (uint64_t i = 0; i < 400 && strategy.BeginSchedule(i); ++i) {
      REQUIRE(without.Run(&strategy).ok());
      strategy.EndSchedule();
      const std::string expected = RunOutcome(without);
      CHECK(without.timeline().size() == 0);
      std::vector<int> values;
      for (const auto& c : without.schedule().choices) values.push_back(c.value);
      ReplayStrategy replay(values);
      replay.BeginSchedule(0);
      REQUIRE(with.Run(&replay).ok());
      REQUIRE(RunOutcome(with) == expected);
      for (size_t e = 0; e < with.timeline().size(); ++e) {
        held_steps += with.timeline()[e].fault.find("reorder") != std::string::npos;
      }
      ++schedules;
    }
    CHECK(schedules > 10);
    if (s == &holding) CHECK(held_steps > 0);
  }
}

}  // namespace intransit
