// delay: see delay.h.
#include "faults/delay.h"

#include <algorithm>

namespace intransit {

void DelayFault::Fire(FaultEffect* effect) const {
  Hold& hold = effect->hold ? *effect->hold : effect->hold.emplace();
  hold.steps = std::max(hold.steps, steps_);
  hold.ms_lo = ms_.first;
  hold.ms_hi = ms_.second;
}

std::string DelayFault::Describe() const {
  std::string s = "delay " + std::to_string(steps_) + " step" + (steps_ == 1 ? "" : "s");
  if (ms_.second > 0) {
    s += " / " + std::to_string(ms_.first);
    if (ms_.second != ms_.first) s += "-" + std::to_string(ms_.second);
    s += " ms";
  }
  return s;
}

FaultKind DelayFaultKind() {
  return {
      "delay",
      "hold the actor at the point while `steps` other steps run (live mode: sleep `ms`)",
      {{"steps", ParamType::kInt, "steps of other actors to wait for", {}, false, "1", 0, 10000},
       {"ms", ParamType::kIntOrRange, "live mode: milliseconds, or a range [lo, hi]", {}, false,
        "0", 0, kMaxWaitMs}},
      [](const Params& p) -> Result<std::unique_ptr<Fault>> {
        int64_t steps = p.Int("steps", 1);
        if (steps < 0) return Status::Invalid("key 'steps' must be >= 0");
        IntRange ms = p.Range("ms", {0, 0});
        if (ms.first < 0 || ms.second < ms.first) {
          return Status::Invalid("key 'ms' must be >= 0, a range [lo, hi] with lo <= hi");
        }
        return std::unique_ptr<Fault>(new DelayFault(static_cast<int>(steps), ms));
      },
  };
}

}  // namespace intransit
