// duplicate: the acknowledgement of an accepted delivery is lost. The store
// has the message, the sender hears a temporary failure and sends it again —
// a duplicate, unless the store drops the resend by its Message-ID.
#pragma once

#include "faults/fault.h"

namespace intransit {

class DuplicateFault : public Fault {
 public:
  const char* kind() const override { return "duplicate"; }
  void Fire(FaultEffect* effect) const override;
  std::string Describe() const override { return "duplicate (acknowledgement lost)"; }
};

FaultKind DuplicateFaultKind();

}  // namespace intransit
