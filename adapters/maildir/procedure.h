// The maildir mover's procedures, one per variant, as data: the steps in
// their order, each with the words the timeline shows, and how the store
// behaves around them — what create makes, where the switch sends new
// mail, whether the copy writes the new maildir over, whether a resent
// Message-ID is dropped, what the mover does when a step fails. The mover
// (maildir_mover.cc) runs any of them with one loop; a variant is an entry
// here, never a test of its name in the code. The reference store keeps its
// procedures the same way (adapters/reference/procedure.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace intransit::maildir {

enum class StepKind { kCreate, kFlag, kCopy, kRoute, kUnflag, kFlush, kCleanup };

struct Step {
  StepKind kind;
  const char* what;  // the step about to run, in the store's words
};

enum class OnFailure {
  kStop,             // the move fails where it stands (the buggy runbooks)
  kRetryOrRollBack,  // after the switch retried, else rolled back: maildir_mover.cc
};

struct Procedure {
  std::string name;
  std::vector<Step> steps;
  // create also makes the .InTransit folder (the switch routes to it).
  bool create_holding = false;
  // create points the directory's delivery route at the new maildir's
  // INBOX, the home staying the source: src forwards new mail to it.
  bool forward_from_create = false;
  // route sends new mail to .InTransit (else to the INBOX).
  bool route_to_holding = false;
  // The copy replaces the new maildir's cur/ and new/, taken to be empty.
  bool copy_over = false;
  // Delivery drops a Message-ID the user's maildir already holds, and the
  // flush a held one the INBOX holds: a resend is not stored twice.
  bool drop_resent = false;
  OnFailure on_failure = OnFailure::kStop;
};

// Every variant, in the order `intransit list` shows them.
const std::vector<Procedure>& Procedures();
// The variant named `name`; the default (in-transit) for any other name.
const Procedure& ProcedureOf(std::string_view name);
// The default variant's name.
const char* DefaultVariant();

// The core point passed before a step of kind `k` (store/points.h).
const char* StepPoint(StepKind k);

}  // namespace intransit::maildir
