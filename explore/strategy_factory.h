// The factory of strategies: the one place that turns a suite's
// [explore] strategy into the object that makes a schedule's choices.
#pragma once

#include <memory>

#include "base/status.h"
#include "run/strategy.h"
#include "suite/suite.h"

namespace intransit {

// Makes the strategy the suite asks for (explore.strategy, seed, token).
Result<std::unique_ptr<Strategy>> MakeStrategy(const Suite& suite);

}  // namespace intransit
