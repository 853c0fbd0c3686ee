// Custody: where each message was after every step of one schedule, and for
// a bad verdict the step that decided it.
//
// The explorer reruns a violating schedule with a StepObserver
// (run/step_observer.h) that inspects the deployment after every step; this
// unit turns those snapshots into a trail per message and names the
// decisive step the way a mail engineer would (issue #15):
//   LOST          the step after which it was nowhere (the last one it was
//                 somewhere is the step before); never stored at all: the
//                 step that answered 250;
//   DUPLICATED    the step that made the second copy in the home mailbox
//                 (that stayed until the end);
//   STRANDED      the step that put it where it ended (a holding folder, a
//                 server that is not home) when no later step took it out;
//   MISDELIVERED  the step that put it in the wrong user's mailbox.
// Pure: it reads copies, the timeline and the verdicts, never a Deployment.
#pragma once

#include <string>
#include <vector>

#include "oracle/oracle.h"
#include "run/history.h"
#include "store/adapter.h"

namespace intransit {

// The copies of every message after one step (0: before the first).
struct StepState {
  int step = 0;
  std::vector<MessageCopy> copies;
};

// What the ledger and the oracle say of one message.
struct CustodySubject {
  std::string message;
  std::string user;
  Verdict verdict = Verdict::kDelivered;
  int accepted_step = 0;  // the step of the attempt answered 250; 0: none
  bool preexisting = false;
};

// One place the message was in after `step`; `location` is
// "server:user/folder", or "" for nowhere (only right after a step that
// took the last copy away).
struct CustodyEntry {
  int step = 0;
  std::string location;
};

// A step that changed where the message was.
struct CustodyMove {
  int step = 0;
  std::string point;  // the step's point ("copy", "flush")
  std::string what;   // "copied to dst:alice/INBOX", "gone from dst:alice/INBOX: overwritten"
};

struct MessageCustody {
  std::string message;
  std::vector<CustodyEntry> trail;  // every step it was somewhere, in order
  std::vector<CustodyMove> moves;
  int decisive_step = 0;  // 0: a good verdict, or none could be named
  std::string mark;       // for the timeline: "gone: overwritten", "second copy"
  std::string story;      // "accepted into dst:alice/INBOX at step 2 (deliver), ..."
};

// One custody per subject, in the subjects' order. `states` in step order
// (the first one the state before any step); `end` gives the directory and
// the holding folders. `timeline` names each step's point.
std::vector<MessageCustody> DeriveCustody(const std::vector<CustodySubject>& subjects,
                                          const std::vector<StepState>& states,
                                          const std::vector<Event>& timeline, const Snapshot& end);

}  // namespace intransit
