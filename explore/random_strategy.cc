// random: see random_strategy.h.
#include "explore/random_strategy.h"

namespace intransit {

bool RandomStrategy::BeginSchedule(uint64_t index) {
  if (!index_.Map(index, max_schedules_, &index)) return false;
  Rng mix(seed_ ^ (index * 0x2545f4914f6cdd1dULL));
  rng_ = Rng(mix.Next());
  return true;
}

int RandomStrategy::ChooseActor(const std::vector<int>& options, int, bool, int) {
  return options[rng_.Below(options.size())];
}

bool RandomStrategy::ChooseFire(double probability) { return rng_.Unit() < probability; }

}  // namespace intransit
