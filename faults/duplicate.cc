// duplicate: see duplicate.h. A lost acknowledgement is the step done and a
// temporary failure heard: fail tempfail, phase after.
#include "faults/duplicate.h"

namespace intransit {

void DuplicateFault::Fire(FaultEffect* effect) const {
  Decision d;
  d.action = Decision::Action::kFail;
  d.error = FailError::kTempfail;
  d.phase = Phase::kAfter;
  effect->decision = d;
}

FaultKind DuplicateFaultKind() {
  return {
      "duplicate",
      "the acknowledgement of an accepted delivery is lost; the sender sends it again",
      {},
      [](const Params&) -> Result<std::unique_ptr<Fault>> {
        return std::unique_ptr<Fault>(new DuplicateFault());
      },
  };
}

}  // namespace intransit
