// crash: see crash.h.
#include "faults/crash.h"

namespace intransit {

void CrashFault::Fire(FaultEffect* effect) const {
  Decision d;
  d.action = Decision::Action::kCrash;
  effect->decision = d;
}

FaultKind CrashFaultKind() {
  return {
      "crash",
      "the actor stops at the point; a move is recovered later (resume or rollback)",
      {},
      [](const Params&) -> Result<std::unique_ptr<Fault>> {
        return std::unique_ptr<Fault>(new CrashFault());
      },
  };
}

}  // namespace intransit
