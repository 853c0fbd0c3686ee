// Benchmarks of the explorer on the reference adapter (DESIGN §12).
#pragma once

#include <iosfwd>

namespace intransit {

// Prints: exhaustive schedules/s for 3 senders x 2 messages (sp4 and
// pre-sp4, with the actual interleaving counts), and the runner's overhead:
// the time per schedule under the scheduler against the same store
// operations and oracle check run in a fixed order without it.
void RunReferenceBench(std::ostream& out);

}  // namespace intransit
