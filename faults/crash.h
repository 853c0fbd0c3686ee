// crash: the actor stops at the point, before the step. A mover's procedure
// is recovered later (the adapter's resume or rollback), after another actor
// has taken a step; a delivery that crashes is a lost connection, and the
// sender retries.
#pragma once

#include "faults/fault.h"

namespace intransit {

class CrashFault : public Fault {
 public:
  const char* kind() const override { return "crash"; }
  void Fire(FaultEffect* effect) const override;
  std::string Describe() const override { return "crash"; }
};

FaultKind CrashFaultKind();

}  // namespace intransit
