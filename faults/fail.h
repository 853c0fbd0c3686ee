// fail: the step fails with `error` (tempfail, permfail, io), either before
// it runs (`phase = "before"`: nothing happened) or after it ran (`"after"`:
// it happened, but the caller hears failure — the ambiguous outcome).
#pragma once

#include "faults/fault.h"

namespace intransit {

class FailFault : public Fault {
 public:
  FailFault(FailError error, Phase phase) : error_(error), phase_(phase) {}
  const char* kind() const override { return "fail"; }
  void Fire(FaultEffect* effect) const override;
  std::string Describe() const override;

 private:
  FailError error_;
  Phase phase_;
};

FaultKind FailFaultKind();

}  // namespace intransit
