// `intransit conform --adapter NAME`: the conformance battery.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace intransit {

// Runs every suite of the battery (suites/conformance/*.toml, or --battery
// DIR) against one adapter, prints a table (suite, invariant, result,
// schedules, replay command) and writes JSON/JUnit like `run`. Exit 0 only
// when every suite met its expectation; a suite naming a point the adapter
// does not pass is skipped and says so.
int CmdConform(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

// Where the battery is looked for, in order, when --battery is not given:
// $INTRANSIT_DATA_DIR/conformance, <binary's dir>/../share/intransit/
// conformance (an installed intransit), ./suites/conformance (a checkout),
// and last the source tree the binary was built from. Found at run time, so
// an installed binary finds its battery wherever the prefix was moved.
std::vector<std::string> BatteryCandidates();

}  // namespace intransit
