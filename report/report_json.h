// The JSON report (`--json FILE`): the stable, versioned result for CI
// dashboards and scripts, format "intransit-result/1" of DESIGN §11.
//
// Keys appear in the documented order. Beyond §11, and only where they
// apply: per suite "violating_schedules" (how many schedules broke an
// invariant) and "error" (outcome error); per violation "breaches"
// ([{invariant, detail}], after "invariants"); per timeline event "message"
// only when the step concerns one, "fault" only when a fault fired there and
// "injected": true only when the step's failure was planted, "probe": true
// only for an I/O call inside a step where a fault fired (not a step); per
// custody of a bad verdict "mark" (the timeline's note at its decisive
// step); per violation
// "kept" (--keep: the tree the store kept for that schedule). A shard's
// suite (--shard I/N) has "shard" and, with a violation, "first_position"
// (its place in the unsharded run's order, for `intransit merge`); "met" is
// null where the shard does not judge (SuiteResult::judged). A script that
// knows §11 reads this unchanged.
//
//   Status s = WriteFile(path, JsonReport(run));
#pragma once

#include <string>

#include "explore/result.h"

namespace intransit {

// Renders `r` as pretty-printed JSON (2-space indent, trailing newline).
// With include_timings = false every "wall_ms" is 0 and "timestamp" is left
// out, so two runs of the same suite, strategy and seed give byte-identical
// text (determinism tests compare it). Strings that are not valid UTF-8 (a
// store may hand back any bytes) have the bad bytes replaced by U+FFFD
// rather than failing.
std::string JsonReport(const RunResult& r, bool include_timings = true);

}  // namespace intransit
