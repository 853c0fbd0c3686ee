// pct against random: schedules until the first violation (DESIGN §6).
#pragma once

#include <iosfwd>

namespace intransit {

// For 5 senders x 2 messages on reference variants whose bug has depth >= 2,
// prints the median (over 20 seeds) of schedules until the first violation
// for pct and for random.
void RunPctBench(std::ostream& out);

}  // namespace intransit
