// Footprints of the cyrus adapter's steps; see footprints.h.
#include "adapters/cyrus/footprints.h"

namespace intransit::cyrus {

Touches StepFootprint(StepKind kind, std::string_view user, std::string_view from,
                      std::string_view to) {
  switch (kind) {
    case StepKind::kSync:
    case StepKind::kXfer:
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

}  // namespace intransit::cyrus
