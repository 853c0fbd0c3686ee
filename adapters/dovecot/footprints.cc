// Footprints of the dovecot adapter's steps; see footprints.h.
#include "adapters/dovecot/footprints.h"

namespace intransit::dovecot {

Touches StepFootprint(StepKind kind, std::string_view user, std::string_view from,
                      std::string_view to) {
  return intransit::StepFootprint(RoleOf(Runbooks().steps, static_cast<int>(kind)), user, from, to);
}

}  // namespace intransit::dovecot
