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
// One Runner serves many schedules: Run resets the deployment and reuses
// every buffer, so exploring allocates little once warm.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
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

class Runner {
 public:
  // REQUIRES: `suite` and `deployment` outlive the runner. `use_threads`
  // runs actors on OS threads instead of fibers (AdapterInfo::needs_threads).
  Runner(const Suite& suite, Deployment* deployment, bool use_threads);
  ~Runner();
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  // Runs one schedule from a fresh deployment, asking `strategy` at every
  // choice. Not ok: the deployment failed (Infra) or the strategy could not
  // follow its schedule (Invalid); the history is then incomplete.
  Status Run(Strategy* strategy);

  // Live mode: every actor on its own thread at once, the OS deciding the
  // interleaving. A step (from one point to the next) still runs alone —
  // each actor holds the store's step lock between its points — but who
  // comes next is a race. Delays sleep `ms`, reorders wait with a timeout;
  // every draw comes from (seed, iteration, actor), the thread timing does
  // not replay. The schedule stays empty. No hold lasts past `deadline`
  // (the run's time budget): a delay's sleep and a reorder's wait end there,
  // the fault's text saying so, and the iteration runs on to its end.
  Status RunLive(uint64_t seed, uint64_t iteration,
                 std::chrono::steady_clock::time_point deadline =
                     std::chrono::steady_clock::time_point::max());

  const Timeline& timeline() const { return timeline_; }
  const Ledger& ledger() const { return ledger_; }
  const Snapshot& snapshot() const { return snapshot_; }
  const Schedule& schedule() const { return schedule_; }
  // The steps of the last schedule run; probe events are not steps.
  int steps() const { return steps_; }
  // The name of an object id in the footprints given to the strategy.
  const std::string& object_name(int id) const { return object_names_[id]; }

 private:
  struct Actor;
  class ActorGate;

  Decision Arrive(Actor& actor, const PointCall& call);
  Decision ArriveLive(Actor& actor, const PointCall& call);
  // Live: when a hold of `ms` from now ends, cut at the deadline.
  std::chrono::steady_clock::time_point HoldEnd(int64_t ms) const;
  // Records where `actor` arrived (in a staged timeline slot) and what the
  // fault plan says there; true if a fault holds it.
  bool TakeArrival(Actor& actor, const PointCall& call);
  Decision Probe(Actor& actor, const PointCall& call);
  // The fault plan at one arrival: counters, chances, effect; `text` gets
  // what fired.
  FaultEffect Plan(Actor& actor, const PointCall& call, std::string* text);
  // Appends the step `actor` is about to take to the timeline.
  void Record(Actor& actor);
  bool Released(const Actor& actor) const;
  void Grant(Actor& actor);
  void RunSender(Actor& actor);
  void RunMover(Actor& actor);
  void Abort();
  Status Setup();
  // Footprints (only while a strategy tracks steps): the id of `object`.
  int Intern(std::string_view object);
  void Touch(std::string_view object, Access access);

  const Suite& suite_;
  Deployment* deployment_;
  bool use_threads_;
  Strategy* strategy_ = nullptr;

  std::vector<std::unique_ptr<Actor>> actors_;
  std::vector<int64_t> rule_arrivals_;
  std::vector<int64_t> rule_fired_;
  std::vector<std::vector<size_t>> sender_messages_;               // per actor: ledger indices
  std::vector<std::vector<std::pair<size_t, int>>> retry_queues_;  // per actor
  std::vector<std::vector<std::string>> user_ids_;                 // per user: its pre-existing ids
  std::vector<std::vector<std::string>> sent_ids_;                 // per actor: the ids it sends
  int last_ = -1;
  int arrivals_ = 0;
  int steps_ = 0;  // steps recorded this schedule; probe events are not steps
  bool aborting_ = false;
  bool live_ = false;
  std::chrono::steady_clock::time_point live_deadline_;  // live: no hold lasts past it
  std::mutex live_mu_;               // live: the fault plan, holds, timeline
  std::condition_variable live_cv_;  // live: a point was passed
  std::mutex step_mu_;               // live: one step at a time

  // Reduction: the footprint of the step under way, and the object names.
  bool tracking_ = false;  // the strategy tracks steps
  bool declared_ = false;  // the deployment declares its footprints
  Footprint step_fp_;
  struct NameHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, int, NameHash, std::equal_to<>> object_ids_;
  std::vector<std::string> object_names_;
  std::vector<int> rule_objects_;  // per fault rule: the object its counter is

  Timeline timeline_;
  Ledger ledger_;
  bool ledger_built_ = false;  // ledger_ holds the suite's messages: rewind it
  Snapshot snapshot_;
  Schedule schedule_;
  std::vector<int> options_;
};

}  // namespace intransit
