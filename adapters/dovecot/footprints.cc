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
    case StepKind::kSwitch:
      return {{RouteObject(user), Access::kWrite}};
    case StepKind::kHold:
    case StepKind::kRelease:
      return {{HoldObject(user), Access::kWrite}};
    case StepKind::kDelete:
      return UserWrites(from, user);
  }
  return UnknownStep(user, from, to);  // not in this table: sound
}

}  // namespace intransit::dovecot
