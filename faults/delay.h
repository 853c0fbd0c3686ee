// delay: hold the actor at the point while `steps` steps of other actors run
// (systematic mode), or sleep `ms` (a number or [lo, hi]) in live mode.
#pragma once

#include "faults/fault.h"

namespace intransit {

class DelayFault : public Fault {
 public:
  DelayFault(int steps, IntRange ms) : steps_(steps), ms_(ms) {}
  const char* kind() const override { return "delay"; }
  void Fire(FaultEffect* effect) const override;
  std::string Describe() const override;

 private:
  int steps_;
  IntRange ms_;
};

FaultKind DelayFaultKind();

}  // namespace intransit
