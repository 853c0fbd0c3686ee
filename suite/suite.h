// A suite, loaded and validated: the scenario to run and how to explore it.
//
// SuiteLoader turns a TOML file (plus --adapter / --set overrides) into a
// Suite; everything after that works on this plain value and never sees
// TOML. Every name here is already checked: actor kinds, users, servers the
// adapter has, fault kinds and their keys. Points are checked against the
// adapter by CheckPoints once the adapter is known.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "faults/fault.h"
#include "store/adapter.h"
#include "suite/explore_kinds.h"

namespace intransit {

enum class Expect { kPass, kViolation };

struct UserSpec {
  std::string name;
  std::string home;
  int messages = 0;  // already in the INBOX before the move
  std::string where;
};

enum class ActorKind { kMover, kSender };

struct ActorSpec {
  ActorKind kind = ActorKind::kSender;
  std::string name;  // "mover", "sender-1", ... unless the suite names it
  std::string user;
  std::string to;    // mover: destination server
  int messages = 1;  // sender: how many to send
  int retry = 5;     // sender: retries after the first attempt before an NDR
  std::string where;
};

struct ExploreSpec {
  ExploreMode mode = ExploreMode::kSystematic;
  StrategyKind strategy = StrategyKind::kExhaustive;
  uint64_t seed = 1;
  uint64_t max_schedules = 100000;
  std::string schedule;  // the token, for strategy = replay
  int depth = 3;         // pct
  int64_t max_preemptions = -1;  // exhaustive: -1 = unbounded
  Reduction reduction = Reduction::kAuto;  // exhaustive's (explore_kinds.h)
  double time_budget_s = 0;      // 0 = none
  bool stop_at_first = false;    // stop at the first violation
  bool shrink = true;            // minimise a violation found by random or pct
};

// The invariants of DESIGN §7, as named in reports.
inline constexpr const char* kNoSilentLoss = "no-silent-loss";
inline constexpr const char* kNoDuplicates = "no-duplicates";
inline constexpr const char* kNoStranded = "no-stranded";
inline constexpr const char* kPreserved = "preserved";
inline constexpr const char* kNoMisdelivery = "no-misdelivery";
inline constexpr const char* kMoveCompletes = "move-completes";
std::vector<std::string> AllInvariants();

struct OracleSpec {
  std::vector<std::string> invariants;  // checked; no-silent-loss always among them
  bool Checks(std::string_view name) const;
};

struct Suite {
  std::string file;  // as given on the command line
  std::string name;
  std::string description;
  Expect expect = Expect::kPass;

  std::string adapter;
  AdapterConfig adapter_config;

  std::vector<UserSpec> users;
  std::vector<ActorSpec> actors;
  std::vector<FaultRule> faults;
  ExploreSpec explore;
  OracleSpec oracle;

  // The --adapter and --set arguments that shaped it, to print a replay
  // command that rebuilds the same suite: {"--set", "adapter.variant=pre-sp4"}.
  std::vector<std::string> overrides;
};

const char* ExpectName(Expect e);

// Checks every point the suite names against what `adapter` passes (and
// the runner's own "recover").
// An error names the fault's file:line:column and lists the known points.
Status CheckPoints(const Suite& suite, const AdapterInfo& adapter);

}  // namespace intransit
