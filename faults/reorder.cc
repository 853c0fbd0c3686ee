// reorder: see reorder.h.
#include "faults/reorder.h"

#include <algorithm>

namespace intransit {

void ReorderFault::Fire(FaultEffect* effect) const {
  Hold& hold = effect->hold ? *effect->hold : effect->hold.emplace();
  hold.until_point = until_;
  hold.until_actor = actor_;
  hold.timeout_ms = std::max(hold.timeout_ms, timeout_ms_);
}

std::string ReorderFault::Describe() const {
  std::string s = "reorder until " + until_;
  if (!actor_.empty()) s += " of " + actor_;
  return s;
}

FaultKind ReorderFaultKind() {
  return {
      "reorder",
      "hold the point until another actor has passed point `until` (of `actor`, when named)",
      {{"until", ParamType::kPoint, "the point another actor must pass first", {}, true, ""},
       {"actor", ParamType::kActor, "the actor that must pass it (default: any other)", {}, false,
        ""},
       {"timeout_ms", ParamType::kInt, "live mode: give up waiting after this long", {}, false,
        "1000", 0, kMaxWaitMs}},
      [](const Params& p) -> Result<std::unique_ptr<Fault>> {
        int64_t timeout = p.Int("timeout_ms", 1000);
        if (timeout < 0) return Status::Invalid("key 'timeout_ms' must be >= 0");
        return std::unique_ptr<Fault>(
            new ReorderFault(p.String("until", ""), p.String("actor", ""), timeout));
      },
  };
}

}  // namespace intransit
