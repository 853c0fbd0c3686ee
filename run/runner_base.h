// What the systematic runner (runner.h) and the live runner (live_runner.h)
// share: the suite's actors on a deployment, each with its gate; the
// messages and their Message-IDs, the same in every run; the fault plan at
// an arrival (the counted rules, their chances, the holds they put on the
// actor); the sender's and the mover's bodies; and what one run leaves — the
// timeline, the ledger, the schedule and the snapshot the deployment ends in.
//
// The two runners differ only in who decides what runs next: the systematic
// one parks every actor at its points and asks a strategy, the live one lets
// the OS race threads. They say so through the three hooks below: Arrive and
// Probe, the gate's two ways in, and ChooseFire, a rule's chance.
//
// One runner serves many runs: Setup resets the deployment and reuses every
// buffer, so exploring allocates little once warm.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "run/history.h"
#include "run/strategy.h"
#include "store/adapter.h"
#include "store/footprint.h"
#include "suite/suite.h"

namespace intransit {

class RunnerBase {
 public:
  virtual ~RunnerBase();
  RunnerBase(const RunnerBase&) = delete;
  RunnerBase& operator=(const RunnerBase&) = delete;

  // What the last run left. The history is incomplete when the run was not
  // ok; live mode leaves the schedule empty.
  const Timeline& timeline() const { return timeline_; }
  const Ledger& ledger() const { return ledger_; }
  const Snapshot& snapshot() const { return snapshot_; }
  const Schedule& schedule() const { return schedule_; }
  // The steps of the last schedule run; probe events are not steps.
  int steps() const { return steps_; }
  // The name of an object id in the footprints given to the strategy.
  const std::string& object_name(int id) const { return object_names_[id]; }

  // Whether runs write their timeline's text (on by default). Off, a run
  // numbers its steps and attempts as it would with it on, and ends with the
  // same ledger, snapshot and schedule, but timeline() stays empty: for
  // exploring, where only a reported schedule's timeline is read and that
  // schedule is run again with the text on. Copying every step's strings
  // and notes was a fifth of a schedule's cost.
  void set_timeline_text(bool on) { text_ = on; }
  bool timeline_text() const { return text_; }

 protected:
  // REQUIRES: `suite` and `deployment` outlive the runner.
  RunnerBase(const Suite& suite, Deployment* deployment);

  struct Actor;  // run/runner_actor.h
  class ActorGate;

  // `actor` passes a point: returns what its step does there, once it may
  // take it.
  virtual Decision Arrive(Actor& actor, const PointCall& call) = 0;
  // `actor` makes an I/O call; only asked when the suite has fault rules.
  virtual Decision Probe(Actor& actor, const PointCall& call) = 0;
  // Whether a rule of `probability` (strictly between 0 and 1) fires at
  // `actor`'s arrival.
  virtual bool ChooseFire(Actor& actor, double probability) = 0;

  // A fresh deployment with the suite's users, a rewound ledger, an empty
  // history and every actor back at its start. Not ok: the deployment failed.
  Status Setup();
  // Records where `actor` arrived (in a staged timeline slot) and what the
  // fault plan says there; true if a fault holds it.
  bool TakeArrival(Actor& actor, const PointCall& call);
  // The fault plan at an I/O call: a fired fault gets its own timeline line.
  Decision TakeProbe(Actor& actor, const PointCall& call);
  // Appends the step `actor` is about to take to the timeline.
  void Record(Actor& actor);
  // Runs `actor`'s body, the mover's or a sender's, to its end; an adapter
  // error is left in actor.error.
  void RunActor(Actor& actor);

  const Suite& suite_;
  Deployment* deployment_;
  std::vector<std::unique_ptr<Actor>> actors_;
  int steps_ = 0;   // steps recorded this schedule; probe events are not steps
  int events_ = 0;  // timeline entries this schedule, probe events included
  bool text_ = true;

  // Reduction: the footprint of the step under way (only the systematic
  // runner tracks steps).
  bool tracking_ = false;  // the strategy tracks steps
  bool declared_ = false;  // the deployment declares its footprints
  Footprint step_fp_;

  Timeline timeline_;
  Snapshot snapshot_;
  Schedule schedule_;

 private:
  // The fault plan at one arrival: counters, chances, effect; `text`, when
  // not null (the timeline has text), gets the words for what fired.
  FaultEffect Plan(Actor& actor, const PointCall& call, std::string* text);
  void RunSender(Actor& actor);
  void RunMover(Actor& actor);
  // Footprints (only while a strategy tracks steps): the id of `object`.
  int Intern(std::string_view object);
  void Touch(std::string_view object, Access access);

  std::vector<int64_t> rule_arrivals_;
  std::vector<int64_t> rule_fired_;
  std::vector<std::vector<size_t>> sender_messages_;               // per actor: ledger indices
  std::vector<std::vector<std::pair<size_t, int>>> retry_queues_;  // per actor
  std::vector<std::vector<std::string>> user_ids_;                 // per user: its pre-existing ids
  std::vector<std::vector<std::string>> sent_ids_;                 // per actor: the ids it sends

  struct NameHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, int, NameHash, std::equal_to<>> object_ids_;
  std::vector<std::string> object_names_;
  std::vector<int> rule_objects_;  // per fault rule: the object its counter is


  Ledger ledger_;
  bool ledger_built_ = false;  // ledger_ holds the suite's messages: rewind it
};

}  // namespace intransit
