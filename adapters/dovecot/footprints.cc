// Footprints of the dovecot adapter's steps; see footprints.h.
#include "adapters/dovecot/footprints.h"

namespace intransit::dovecot {

Touches StepFootprint(StepKind kind, std::string_view user, std::string_view from,
                      std::string_view to) {
  switch (kind) {
    case StepKind::kBackup:
    case StepKind::kSync:
    case StepKind::kStartBackup:
    case StepKind::kWaitBackup:
      // Both servers are checked alive; the pass runs on the user's whole
      // store on both sides (wait-backup: the background pass up to its end).
      return WholeUserPass(user, from, to);
    case StepKind::kDelete:
      return UserWrites(from, user);
    case StepKind::kSwitch:
    case StepKind::kHold:
    case StepKind::kRelease:
      break;  // every two-server runbook's: the table's role says
  }
  return SharedStepFootprint(RoleOf(AllSteps(), static_cast<int>(kind)), user, from, to);
}

}  // namespace intransit::dovecot
