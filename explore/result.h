// What a run found, suite by suite: the input of every report.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "oracle/custody.h"
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
  // Where each message was after every step, one per `messages` entry, and
  // each bad verdict's decisive step (explore/custody_recorder.h). Empty
  // when it could not be recorded (live mode, a failed rerun): custody_note
  // says why.
  std::vector<MessageCustody> custody;
  std::string custody_note;
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
  // The suite's own procedure, when it spells one (a Dovecot `runbook`):
  // "backup, sync, switch, delete". Empty: the variant's.
  std::string procedure;
  ExploreMode mode = ExploreMode::kSystematic;
  StrategyKind strategy = StrategyKind::kExhaustive;  // live mode runs none
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
  // A strategy that covers the space: kDpor (reduced by footprints) or
  // kNone; empty for the others and in live mode.
  std::optional<Reduction> reduction;
  uint64_t sleep_blocked = 0;  // dpor: runs stopped asleep, not judged
  std::string shard;             // "2/4" when this run covered one shard of the space
  uint64_t first_position = 0;   // of violations[0] in the unsharded run's order
  std::vector<Violation> violations;  // the first one found, in full
  // strategy = replay: the schedule that ran, violating or not.
  bool has_trace = false;
  Violation trace;
  std::string error;                  // outcome == kError
  int exit_code_hint = 0;             // 2 or 3 for errors

  // How reports name what explored: the strategy's name, "live" in live mode.
  const char* StrategyLabel() const;
  // Whether the run set out to cover the whole space (an exhaustive
  // strategy, systematic mode) rather than a budget.
  bool CoversSpace() const;
};

// A suite the run did not explore, and why (conform: the adapter does not
// pass a point the suite arms).
struct SkippedSuite {
  std::string file;
  std::string name;
  std::string adapter;
  std::string reason;
};

struct RunResult {
  std::vector<SuiteResult> suites;
  std::vector<SkippedSuite> skipped;
  // Where and when the run happened, for the reports; "" leaves each out
  // (the tests' fixed results, so that golden files stay put).
  std::string tool_version;  // intransit's version, "0.1.0"
  std::string timestamp;     // start of the run, UTC: "2026-12-06T18:40:00Z"
  std::string hostname;
};

}  // namespace intransit
