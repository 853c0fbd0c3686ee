// The command line: `intransit run|replay|conform|check|list`.
#pragma once

#include <iosfwd>

namespace intransit {

// Runs the command line; returns the exit code of DESIGN §10:
// 0 every suite met its expectation, 1 one did not, 2 usage or suite error,
// 3 adapter or infrastructure error.
int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace intransit
