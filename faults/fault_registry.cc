// The fault registry and the keys every fault kind shares.
#include <mutex>

#include "faults/crash.h"
#include "faults/delay.h"
#include "faults/duplicate.h"
#include "faults/fail.h"
#include "faults/fault.h"
#include "faults/io.h"
#include "faults/reorder.h"

namespace intransit {

std::vector<ParamSpec> SharedFaultKeys() {
  return {
      {"point", ParamType::kString, "the point the fault is armed at", {}, true, ""},
      {"kind", ParamType::kString, "the fault kind", {}, true, ""},
      {"nth", ParamType::kInt, "the first arrival at the point that may fire (1-based)", {}, false,
       "1", 1, kMaxArrivals},
      {"times", ParamType::kInt, "how many arrivals fire; 0 = every one from nth on", {}, false,
       "1", 0, kMaxArrivals},
      {"probability", ParamType::kFloat,
       "chance that an eligible arrival fires (a recorded choice of the schedule)", {}, false,
       "1.0"},
  };
}

FaultRegistry& FaultRegistry::Global() {
  static FaultRegistry registry;
  return registry;
}

void FaultRegistry::Add(FaultKind kind) {
  if (Find(kind.name) != nullptr) return;
  kinds_.push_back(std::move(kind));
}

const FaultKind* FaultRegistry::Find(const std::string& name) const {
  for (const auto& k : kinds_) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

std::vector<std::string> FaultRegistry::Names() const {
  std::vector<std::string> names;
  for (const auto& k : kinds_) names.push_back(k.name);
  return names;
}

void RegisterBuiltinFaults() {
  // Once, whoever asks first: explorer jobs run on several threads.
  static std::once_flag once;
  std::call_once(once, [] {
    FaultRegistry& r = FaultRegistry::Global();
    r.Add(DelayFaultKind());
    r.Add(ReorderFaultKind());
    r.Add(FailFaultKind());
    r.Add(CrashFaultKind());
    r.Add(DuplicateFaultKind());
    r.Add(IoFaultKind());
  });
}

}  // namespace intransit
