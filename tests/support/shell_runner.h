// Runs a shell command line as a real process, for tests that need the
// binary's own stdout (a pipe, a file) or must not wait forever on a hang.
#pragma once

#include <string>

namespace intransit::testing {

struct Finished {
  bool in_time = false;  // ended before the deadline (else killed: a hang)
  int code = -1;         // its exit code; -1 when killed or not started
  double seconds = 0;    // wall time it ran
};

// Runs `/bin/sh -c command` in a process group of its own and polls it until
// `deadline_s` seconds have passed; past that, kills the whole group and
// reaps it. Nothing it started is left running either way.
Finished RunShell(const std::string& command, double deadline_s);

// `text` quoted for /bin/sh.
std::string ShellQuote(const std::string& text);

}  // namespace intransit::testing
