// Bench of the exec adapter: schedules per second of the Q277911 scenario
// (one mover, one sender: 8 steps) on the Python example store, every point
// a round trip over the program's pipes. Target (issue 7): >= 1,000/s.
#pragma once

#include <ostream>

namespace intransit {

// Prints the figures. Needs python3; says so and returns when it is missing.
void RunExecBench(std::ostream& out);

}  // namespace intransit
