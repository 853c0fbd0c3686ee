// reorder: hold the point until another actor has passed point `until`
// (only `actor`, when named). Systematic mode holds it for as long as any
// other actor can still run; live mode also gives up after `timeout_ms`.
#pragma once

#include "faults/fault.h"

namespace intransit {

class ReorderFault : public Fault {
 public:
  ReorderFault(std::string until, std::string actor, int64_t timeout_ms)
      : until_(std::move(until)), actor_(std::move(actor)), timeout_ms_(timeout_ms) {}
  const char* kind() const override { return "reorder"; }
  void Fire(FaultEffect* effect) const override;
  std::string Describe() const override;

 private:
  std::string until_;
  std::string actor_;
  int64_t timeout_ms_;
};

FaultKind ReorderFaultKind();

}  // namespace intransit
