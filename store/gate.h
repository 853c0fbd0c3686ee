// The gate: the one place where an actor hands control to the framework.
//
// An adapter calls Gate::Pass before every step of a procedure, naming the
// point ("create", "flag", "deliver", "maildir/rename", ...). The call returns
// when the scheduler lets this actor go on, with the fault plan's decision
// for this step:
//
//   Decision d = gate.Pass({.point = "flag", .server = "dst", .user = user,
//                           .what = "set InTransit on the new mailbox"});
//   if (d.crash()) return MoveResult::kCrashed;
//   if (d.fails_before()) return MoveResult::kFailed;   // nothing happened
//   SetFlag(...);
//   if (d.fails_after()) return MoveResult::kFailed;    // it happened anyway
//
// Adapters know nothing of strategies: the gate is all they see. C code
// instrumented with libfiu reaches the same gate through FiuGate.
#pragma once

#include <string>
#include <string_view>

#include "store/footprint.h"

namespace intransit {

// What a failing step reports: a 4xx, a 5xx, or an I/O error.
enum class FailError { kTempfail, kPermfail, kIo };
// Before: the step is not done. After: it is done, but the caller hears
// failure (the ambiguous outcome: a lost acknowledgement).
enum class Phase { kBefore, kAfter };

const char* FailErrorName(FailError e);
const char* PhaseName(Phase p);

struct Decision {
  enum class Action { kGo, kFail, kCrash };
  Action action = Action::kGo;
  FailError error = FailError::kTempfail;
  Phase phase = Phase::kBefore;
  int errno_value = 0;  // kIo: the errno to report (EIO when 0)

  bool go() const { return action == Action::kGo; }
  bool crash() const { return action == Action::kCrash; }
  bool fails_before() const { return action == Action::kFail && phase == Phase::kBefore; }
  bool fails_after() const { return action == Action::kFail && phase == Phase::kAfter; }
};

// One announcement of a point. The strings need only live for the call: the
// history copies them.
struct PointCall {
  std::string_view point;
  std::string_view server;   // the server the step works on, as the store intends
  std::string_view user;
  std::string_view message;  // Message-ID, at a delivery
  std::string_view what;     // the step about to run, in the store's words
};

class Gate {
 public:
  virtual ~Gate() = default;

  // Announces a point and waits for the framework's decision.
  // REQUIRES: called from the actor's own execution context (the fiber or
  // thread the runner started it on), never from inside another actor.
  virtual Decision Pass(const PointCall& call) = 0;

  // Asks the fault plan about a point that is not a scheduling point: an
  // I/O call inside a step (`posix/io/dir/rename`, `maildir/fsync`). Never
  // waits and never lets another actor run; a fault that fires there is
  // recorded in the timeline as injected. Counts toward nth/times like Pass.
  virtual Decision Probe(const PointCall& call) = 0;

  // Adds what the step just did to the current timeline entry
  // ("accepted into InTransit", "copied 2 messages"). Optional.
  virtual void Note(std::string_view text) = 0;

  // Says on which server the current step really ran, when that is not the
  // server announced at the point (a delivery routed again after a wait).
  virtual void RanOn(std::string_view server) = 0;

  // Declares that the step under way touches `object` ("dir/alice",
  // "dst/alice/INBOX": a name of the adapter's own, the same in every run)
  // with `access`; see footprint.h for what commutes. An adapter whose
  // Deployment::DeclaresFootprints() is true calls it for everything each
  // step reads or changes, before or after the work, as long as it is
  // within the step (between two Pass calls). Gates that do not reduce
  // ignore it.
  // REQUIRES: called from the actor's own execution context.
  virtual void Touch(std::string_view object, Access access) {
    (void)object;
    (void)access;
  }

  // True when Touch is recorded (an exhaustive run reducing by footprints).
  // An adapter may skip building object names when it is false: the other
  // strategies run hundreds of thousands of schedules a second.
  virtual bool TracksTouches() const { return false; }
};

// Declares `access` to the object named by the parts joined with '/'
// ("box/dst/alice", "dst/alice/INBOX"), as Gate::Touch; `c` may be empty.
// Builds the name only when the gate records it (Gate::TracksTouches): the
// stores call it at every step of every schedule.
inline void TouchParts(Gate& gate, Access access, std::string_view a, std::string_view b,
                       std::string_view c = {}) {
  if (!gate.TracksTouches()) return;
  thread_local std::string name;  // one buffer: the name need only live for the call
  name.assign(a);
  name += '/';
  name += b;
  if (!c.empty()) {
    name += '/';
    name += c;
  }
  gate.Touch(name, access);
}

// The stores that hold mail in transit in a holding folder (maildir,
// reference) declare the same two steps of a move:
//
// A flush of `holding` into `inbox` on `to`: reads whether the mailbox
// exists ("box/<to>/<user>"), empties the holding folder and adds to the
// inbox with `inbox_access` (append where nothing observes the order of
// what it adds, else write).
inline void TouchFlush(Gate& gate, std::string_view to, std::string_view user,
                       std::string_view holding, std::string_view inbox, Access inbox_access) {
  TouchParts(gate, Access::kRead, "box", to, user);
  TouchParts(gate, Access::kWrite, to, user, holding);
  TouchParts(gate, inbox_access, to, user, inbox);
}

// The cleanup of the old mailbox on `from`: its existence and both folders,
// written.
inline void TouchCleanup(Gate& gate, std::string_view from, std::string_view user,
                         std::string_view holding, std::string_view inbox) {
  TouchParts(gate, Access::kWrite, "box", from, user);
  TouchParts(gate, Access::kWrite, from, user, inbox);
  TouchParts(gate, Access::kWrite, from, user, holding);
}

}  // namespace intransit
