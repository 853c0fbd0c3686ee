// random: see random_strategy.h.
#include "explore/random_strategy.h"

namespace intransit {

int RandomStrategy::ChooseActor(const std::vector<int>& options, int, bool, int) {
  return options[rng_.Below(options.size())];
}

}  // namespace intransit
