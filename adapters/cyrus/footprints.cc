// Footprints of the cyrus adapter's steps; see footprints.h.
#include "adapters/cyrus/footprints.h"

namespace intransit::cyrus {

Touches StepFootprint(StepKind kind, std::string_view user, std::string_view from,
                      std::string_view to) {
  return intransit::StepFootprint(RoleOf(Runbooks().steps, static_cast<int>(kind)), user, from, to);
}

}  // namespace intransit::cyrus
