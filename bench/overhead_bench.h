// The runner's overhead (issue #13's last target, <= 1.5x): the time and the
// work per schedule of exhaustive exploration on the reference adapter
// (sp4, 3 senders x 2 messages, no reduction) against the same store
// operations and oracle check run in a fixed order, with no scheduler.
#pragma once

#include <cstdint>
#include <iosfwd>

#include "suite/suite.h"

namespace intransit {

// The suite both sides run: q277911 on `variant`, 3 senders x 2 messages,
// exhaustive, at most `max_schedules`, with `reduction`.
Suite OverheadSuite(const char* variant, Reduction reduction, uint64_t max_schedules);

// Seconds per iteration of the fixed order: reset, provision, the move,
// every delivery, inspect and the oracle's check, `iterations` times.
// `on_fiber`: the move and the deliveries run on a fiber that returns to
// the caller at every point, as the runner's actors do (the switches' price).
double FixedOrderSecondsPerSchedule(const Suite& suite, int iterations, bool on_fiber = false);

// Prints both sides' time per schedule, best of `rounds`, and the ratio.
void RunOverheadBench(std::ostream& out, int rounds);

// For counting instructions (valgrind --tool=cachegrind): runs only one
// side, `side` "runner", "fixed" or "fixed-fiber", for `n` schedules. Two counts with
// different `n` give the work per schedule without the start-up.
void RunOverheadSide(std::ostream& out, const char* side, uint64_t n);

}  // namespace intransit
