// Names of run outcomes, and what a result says of its strategy.
#include "explore/result.h"

#include "explore/strategy_factory.h"

namespace intransit {

const char* OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kPass: return "pass";
    case Outcome::kViolation: return "violation";
    case Outcome::kError: return "error";
  }
  return "?";
}

const char* SuiteResult::StrategyLabel() const {
  return mode == ExploreMode::kLive ? ExploreModeName(mode) : StrategyName(strategy);
}

bool SuiteResult::CoversSpace() const {
  return mode != ExploreMode::kLive && TraitsOf(strategy).covers_space;
}

}  // namespace intransit
