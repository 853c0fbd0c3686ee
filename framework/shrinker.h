// The shrinker: makes a violating schedule as small as it can before it is
// reported, so the timeline a person reads is the race and nothing else.
//
// It edits the schedule's choices and replays them (leniently: an edited
// choice that no longer fits takes the default) and keeps an edit when the
// run still breaks one of the same invariants and is smaller: fewer messages
// that ended badly, then fewer fired faults, then fewer preemptions, then
// fewer steps. Edits: a preemption turned back into "the same actor goes
// on", a fault that fired by chance made not to fire, the tail of the
// schedule dropped (defaults from there on), a choice deleted (the later
// ones move up). Greedy, deterministic, bounded.
#pragma once

#include <string>
#include <vector>

#include "framework/oracle.h"
#include "framework/runner.h"
#include "framework/strategy.h"

namespace intransit {

struct ShrinkResult {
  Schedule schedule;                 // the smallest violating schedule found
  std::vector<std::string> removed;  // "preemptions 5 -> 1", ... (empty: nothing smaller)
  int runs = 0;                      // schedules replayed while shrinking
};

// REQUIRES: replaying `original` on `runner` breaks an invariant of
// `invariants`. Replays at most `max_runs` schedules. Error: the deployment
// failed during a replay (Infra).
Result<ShrinkResult> ShrinkSchedule(Runner* runner, const Oracle& oracle,
                                    const Schedule& original,
                                    const std::vector<std::string>& invariants, int max_runs = 2000);

}  // namespace intransit
