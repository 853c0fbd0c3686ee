// What a run found, suite by suite: the input of every report.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "oracle/oracle.h"
#include "run/history.h"
#include "suite/suite.h"

namespace intransit {

struct Violation {
  std::string token;   // the schedule
  std::string replay;  // the command that replays it
  std::vector<std::string> invariants;
  std::vector<Breach> breaches;
  std::vector<MessageVerdict> messages;
  std::vector<Event> timeline;
  int preemptions = 0;
  std::vector<std::string> shrunk;  // what shrinking removed, if it ran
  // --keep: the tree the store kept for this schedule ("" when nothing was
  // kept, or the store keeps one tree for every schedule and did not say).
  std::string kept;
};

enum class Outcome { kPass, kViolation, kError };
const char* OutcomeName(Outcome o);

struct SuiteResult {
  std::string file;
  std::string name;
  std::string description;
  std::string adapter;
  std::string variant;
  std::string strategy;
  uint64_t seed = 0;
  Expect expect = Expect::kPass;
  Outcome outcome = Outcome::kPass;
  bool met = false;
  // False for a shard of an expect = "violation" suite that found none: the
  // violation may be in another shard, so only the merge of all shards
  // (intransit merge) judges it. `met` is then false and means nothing;
  // the exit code, the console, JSON (met: null) and JUnit (skipped) say so.
  bool judged = true;
  uint64_t schedules = 0;
  bool complete = false;
  int64_t wall_ms = 0;
  uint64_t violating_schedules = 0;
  int64_t max_preemptions = -1;  // the exhaustive bound the run used (-1: none)
  // exhaustive: "dpor" (reduced by footprints) or "none"; "" for the others.
  std::string reduction;
  uint64_t sleep_blocked = 0;  // dpor: runs stopped asleep, not judged
  std::string shard;             // "2/4" when this run covered one shard of the space
  uint64_t first_position = 0;   // of violations[0] in the unsharded run's order
  std::vector<Violation> violations;  // the first one found, in full
  // strategy = replay: the schedule that ran, violating or not.
  bool has_trace = false;
  Violation trace;
  std::string error;                  // outcome == kError
  int exit_code_hint = 0;             // 2 or 3 for errors
};

struct RunResult {
  std::vector<SuiteResult> suites;
};

}  // namespace intransit
