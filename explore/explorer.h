// The explorer: runs a suite's schedules with its strategy and judges each.
//
// suite -> adapter (opened once) -> runner (one schedule at a time, a fresh
// deployment each) -> oracle -> SuiteResult. It keeps the first violation in
// full (timeline, verdicts, token, replay command) and counts the rest.
#pragma once

#include <iosfwd>
#include <string>

#include "explore/result.h"
#include "suite/suite.h"

namespace intransit {

struct ExploreOptions {
  double time_budget_s = 0;        // 0 = no limit beyond the suite's own
  std::ostream* progress = nullptr;  // a progress line now and then, or nullptr
  // Run only shard `shard` of `shards` of the schedule space (--shard I/N),
  // in `jobs` threads, each a shard of its own (shard*jobs + j of
  // shards*jobs) with its own deployment. Shards never overlap, and together
  // cover what one unsharded run covers.
  int shard = 0;
  int shards = 1;
  int jobs = 1;
};

// Runs `suite` to the end of its strategy's space or budget. Never throws;
// an adapter failure comes back as outcome kError with exit_code_hint 3, a
// bad token as kError with exit_code_hint 2.
SuiteResult ExploreSuite(const Suite& suite, const ExploreOptions& options);

// "intransit replay FILE --schedule TOKEN [--adapter A] [--set K=V]...",
// quoted for a POSIX shell.
std::string ReplayCommand(const Suite& suite, const std::string& token);

}  // namespace intransit
