// Putting a suite's parts back together: the jobs of one run (--jobs) and
// the shards of a nightly (--shard I/N, then `intransit merge`) cover
// disjoint parts of one schedule space, and their combination is the result
// the unsharded run gives: counts add up, the violation reported is the one
// the unsharded run meets first (the smallest first_position, whatever the
// machines' timing), the space is covered when every part covered its own.
//
//   SuiteResult whole = CombineParts(parts);
//   Judge(&whole, /*whole_space=*/true);
//
// A part alone cannot say an expect = "violation" suite failed: the violation
// may be in another part. Judge marks such a part not judged.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "explore/result.h"

namespace intransit {

// The combination of `parts`, the results of disjoint parts of one suite's
// space in part order. REQUIRES: parts non-empty, all of the same suite.
// Schedules, violating schedules and sleep-blocked runs add up; complete
// only if every part is; wall_ms is the longest part's; the first error in
// part order wins. outcome, met and judged are left to Judge.
SuiteResult CombineParts(const std::vector<SuiteResult>& parts);

// Sets r's outcome (pass or violation, from its violations; an error stays
// an error), met and judged. `whole_space`: r covers the whole space, or
// only a shard of it, where finding no violation in an expect = "violation"
// suite is not judged (judged = false, met = false).
void Judge(SuiteResult* r, bool whole_space);

// One shard's result as read back from its JSON report.
struct ShardFile {
  std::string path;          // for error messages
  std::string tool_version;  // "" when the report does not say
  RunResult run;
};

// The run the unsharded run gives, from the results of all its shards, in
// any order; the suites it skipped are the first file's (a skip depends on
// the suite and the adapter, never the shard). Error (Invalid), naming the files: no file, a file without
// suites, files of different suites (file, name, adapter, variant, strategy,
// seed, expect, bound, reduction), tool versions or shard totals, a shard
// given twice or missing.
Result<RunResult> MergeShardFiles(const std::vector<ShardFile>& files);

}  // namespace intransit
