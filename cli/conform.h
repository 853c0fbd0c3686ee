// `intransit conform --adapter NAME`: the conformance battery.
#pragma once

#include <iosfwd>

namespace intransit {

// Runs every suite of the battery (suites/conformance/*.toml, or --battery
// DIR) against one adapter, prints a table (suite, invariant, result,
// schedules, replay command) and writes JSON/JUnit like `run`. Exit 0 only
// when every suite met its expectation; a suite naming a point the adapter
// does not pass is skipped and says so.
int CmdConform(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace intransit
