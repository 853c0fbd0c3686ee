// The shrinker: makes a violating schedule as small as it can before it is
// reported, so the timeline a person reads is the race and nothing else.
//
// It replays edited schedules and keeps an edit when the run still breaks
// one of the same invariants and is smaller: fewer messages that ended
// badly, then fewer fired faults, then fewer preemptions, then fewer steps,
// then lower actors first. Edits, in order: a whole run of one actor's
// steps moved out of the way (replayed as "who goes next", so the rest keeps
// its meaning); the tail of the choices dropped; a choice deleted; a choice
// lowered; a preemption undone; a fault that fired by chance made not to
// fire. Greedy, deterministic, bounded by a number of replays.
#pragma once

#include <string>
#include <vector>

#include "oracle/oracle.h"
#include "run/runner.h"
#include "run/strategy.h"

namespace intransit {

struct ShrinkResult {
  Schedule schedule;                 // the smallest violating schedule found
  std::vector<std::string> removed;  // "preemptions 5 -> 1", ... (empty: nothing smaller)
  int runs = 0;                      // schedules replayed while shrinking
};

// REQUIRES: replaying `original` on `runner` breaks an invariant of
// `invariants`; `actor_names` are the suite's actors in order (their ids). Replays at most `max_runs` schedules. Error: the deployment
// failed during a replay (Infra).
Result<ShrinkResult> ShrinkSchedule(Runner* runner, const Oracle& oracle,
                                    const Schedule& original,
                                    const std::vector<std::string>& invariants,
                                    const std::vector<std::string>& actor_names,
                                    int max_runs = 2000);

}  // namespace intransit
