// The reduction bench (issue #13): what partial-order reduction saves, side
// by side with `reduction = none` wherever that finishes. Figures, never
// assertions: the machine is shared and noisy.
//
//   - reference, 3 senders x 2 messages, SP4 and pre-SP4: schedules and time,
//     reduced and full (the abstract model of REDUCTION.md gives 1,000 and
//     3,375 reduced schedules);
//   - reference, 5 x 2, SP4: the whole space covered (the full space is
//     908,107,200 interleavings, which no run covers);
//   - reference, 5 x 2, pre-SP4: the time to the first violation, and to
//     cover the space;
//   - dovecot, the documented runbook, 2 senders x 2 messages, on real
//     servers: the reduced space covered, with its time; without reduction
//     a sample of schedules gives the cost of one, and `full` runs it all.
#pragma once

#include <ostream>

namespace intransit {

// Prints one line per figure, on the core the bench runs on. `full`: also
// runs the Dovecot suite without reduction to the end (minutes).
// The Dovecot lines print a skip line when Dovecot is missing.
void RunReductionBench(std::ostream& out, bool full);

}  // namespace intransit
