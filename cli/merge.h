// `intransit merge SHARD.json... [--json F] [--junit F] [--html F]`: the
// result of a sharded run (--shard I/N on N machines, each writing --json)
// put back together: the console report, the reports asked for and the exit
// code the unsharded run gives. See explore/shard_merge.h for the rules.
#pragma once

#include <iosfwd>

namespace intransit {

// argv[0] is the program, argv[1] "merge". Returns the exit code: that of
// the merged run (0, 1, 3), or 2 when a file cannot be read or the files are
// not the shards of one run (mixed suites, seeds, versions or totals, a
// shard missing or given twice); the message names the files.
int CmdMerge(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace intransit
