// The command line: `intransit run|replay|conform|check|list|merge|schema`,
// and `help`. One table (CliCommands) names the commands: the dispatcher, the
// overview `help` prints and `help all` read it, so a command added there
// is listed and documented everywhere.
#pragma once

#include <iosfwd>
#include <vector>

namespace intransit {

// A command of the command line (`help` itself is not one: it reads these).
// Not `Command`: base/command.h names a child process so, and two classes
// of one name in one program are one class to the linker.
struct CliCommand {
  const char* name;      // "run"
  const char* synopsis;  // as the overview lists it: "run SUITE..."
  const char* summary;   // one line: "explore suites, judge every schedule, report"
  // Runs `intransit NAME ...` (argv[1] is NAME); `NAME --help` prints a
  // usage line and the options and exits 0.
  int (*run)(int argc, const char* const* argv, std::ostream& out, std::ostream& err);
};

// Every command, in the order the overview lists them.
const std::vector<CliCommand>& CliCommands();

// Runs the command line; returns the exit code of DESIGN §10:
// 0 every suite met its expectation, 1 one did not, 2 usage or suite error,
// 3 adapter or infrastructure error.
int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace intransit
