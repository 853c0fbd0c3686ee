// The move procedures of the reference store, one per variant.
//
// Each variant is the procedure a mail-store vendor could really have
// written: a list of steps (each passing its point) plus how the store
// behaves around them — whether the new mailbox starts in transit, whether
// the old server forwards new mail from the start, what it does when a step
// fails, how it recovers from a crash, whether delivery drops a resent
// Message-ID. The bugs are in the procedures, never a switch that drops mail.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace intransit {

enum class StepKind {
  kCreate,        // create the mailbox on the destination
  kFlag,          // set InTransit on it
  kCopyOver,      // copy the source mailbox, writing the new one over
  kCopyMerge,     // copy the source mailbox, adding what is not there yet
  kRoute,         // point the directory at the destination
  kUnflag,        // clear InTransit
  kFlushAppend,   // append the InTransit folder to the mailbox
  kFlushRebuild,  // rebuild the mailbox as copy + InTransit, written over
  kCleanup,       // delete the old mailbox
};

enum class OnFailure {
  kStop,           // return failed, leave everything as it is
  kRollBack,       // before the switch: undo, all mail back on the source
  kIgnoreCopy,     // a failed copy is logged and the move goes on
};

enum class Recovery {
  kNone,
  kResume,          // redo the step it crashed at, then the rest
  kRollBackForget,  // undo the move, forgetting the InTransit folder
};

struct Procedure {
  std::string name;
  std::string summary;
  std::vector<StepKind> steps;
  bool create_in_transit = false;    // the new mailbox starts in transit
  bool forward_from_create = true;   // the old server forwards new mail once it exists
  bool drop_resent = false;          // delivery drops a Message-ID already stored
  bool tempfail_as_accepted = false; // a failed store answers "accepted" anyway
  bool retry_after_route = false;    // a step failing after the switch is retried
  OnFailure on_failure = OnFailure::kStop;
  Recovery recovery = Recovery::kNone;
};

// Every variant, the default (correct) first.
const std::vector<Procedure>& Procedures();
// nullptr when no variant has that name.
const Procedure* FindProcedure(std::string_view name);

const char* StepPoint(StepKind k);
const char* StepWhat(StepKind k);

}  // namespace intransit
