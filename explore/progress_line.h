// The progress line a long exploration writes to a terminal now and then
// (`intransit run` on a tty): schedules so far, rate, violating ones, the
// part of the space done with an ETA where the space is known or estimated,
// summed over all the jobs of a run (--jobs).
//
//   ProgressCounts c{.name = "q277911", .schedules = 1234, .seconds = 1.5,
//                    .explored = 0.45, .budget = 100000};
//   err << "\r" << ProgressLine(c) << std::flush;
//   // "  q277911: 1234 schedules, 823/s, 0 violating, ~45%, ETA 1.8 s, space ~2742"
#pragma once

#include <cstdint>
#include <string>

namespace intransit {

struct ProgressCounts {
  std::string name;        // the suite's, already made safe for a terminal
  uint64_t schedules = 0;  // judged so far, over all jobs
  uint64_t violating = 0;
  double seconds = 0;      // since the run began
  // Exhaustive: how far the depth-first walk is through the space, 0..1
  // (averaged over the jobs, each of which walks the whole top of the
  // tree); -1 when the strategy cannot say (random, pct, live).
  double explored = -1;
  uint64_t budget = 0;        // the schedules this run may run at most; 0: no limit
  double time_budget_s = 0;   // the run stops after this long; 0: no limit
  bool dpor = false;
  uint64_t sleep_blocked = 0;
};

// The part of the run done, in [0, 0.99], or -1 when nothing says. The run
// ends at whichever comes first: the space walked (an estimate:
// *estimated = true), the schedule budget or the time budget, so the
// largest of the three fractions.
double FractionDone(const ProgressCounts& c, bool* estimated);

// The line, without "\r" or padding. Percent and ETA only when
// FractionDone says; "~" marks an estimate.
std::string ProgressLine(const ProgressCounts& c);

}  // namespace intransit
