// The schedule token: a short, printable, shell-safe text that replays a run
// step for step on any machine.
//
// "1." then the schedule's choices, one letter each ('a' = 0 ... 'z' = 25,
// "_N_" for larger values), a letter followed by a count repeats it
// ("a3" = "aaa"). Trailing choices that took the default are dropped: the
// replay takes the default when the token runs out. Example: "1.ab".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "framework/status.h"
#include "framework/strategy.h"

namespace intransit {

std::string EncodeSchedule(const Schedule& schedule);

// The choice values of a token. Error: Invalid, naming the offending position.
Result<std::vector<int>> DecodeSchedule(std::string_view token);

}  // namespace intransit
