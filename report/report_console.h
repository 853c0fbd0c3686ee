// The console report: what a person reads after `intransit run`.
//
// A suite that met its expectation without a violation is one line. A
// violation is the KB article's CAUSE section written by the tool: the
// invariants broken and why, the numbered timeline of the schedule that broke
// them (which actor passed which point, on which server, for which message,
// what it did, which fault fired there), every message's verdict with the
// ones that were not delivered marked, the command that replays the
// schedule, and how much of the space was explored. An error is one line
// with its message. Every suite ends with whether its expectation was met.
//
//   for (const SuiteResult& s : run.suites) PrintSuiteResult(s, std::cout);
//   PrintSummary(run, std::cout);
//
// The output is deterministic for a given result (the JUnit report embeds
// it, and golden files compare it byte for byte); only wall_ms varies from
// run to run.
#pragma once

#include <ostream>

#include "explore/result.h"

namespace intransit {

// Writes the report of one suite to `out`, ending with a newline.
// Pass, met:   "PASS  q277911-sp4  (reference/sp4, exhaustive)  83160 schedules, space covered, 1.2 s"
// Violation:   "VIOLATION  q277911  (reference/pre-sp4, exhaustive) — expected: violation (met)"
//              then breaches, timeline, verdicts, replay command, counts.
// Error:       "ERROR  q277911: <message>".
// A shard that does not judge (r.judged false) says "not judged here
// (judged over all shards)" where the expectation goes. With --keep, a
// violation names the tree kept for its schedule ("kept: DIR").
void PrintSuiteResult(const SuiteResult& r, std::ostream& out);

// Writes the schedule a replay ran (r.has_trace), timeline and verdicts,
// whether it broke an invariant or not.
void PrintTrace(const SuiteResult& r, std::ostream& out);

// Writes the closing line of a run: "3 suites: 2 met, 1 not met, 0 errors".
// A suite whose outcome is error counts as an error, not as "not met".
// Shards not judged are counted apart ("1 not judged here"), when there are.
void PrintSummary(const RunResult& r, std::ostream& out);

}  // namespace intransit
