// Footprints of the cyrus adapter's steps; see footprints.h.
#include "adapters/cyrus/footprints.h"

namespace intransit::cyrus {

Touches StepFootprint(StepKind kind, std::string_view user, std::string_view from,
                      std::string_view to) {
  switch (kind) {
    case StepKind::kSync:
    case StepKind::kXfer:
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

}  // namespace intransit::cyrus
