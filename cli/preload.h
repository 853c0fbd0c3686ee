// Getting libfiu's POSIX wrappers into the intransit process when a suite
// needs them, so that nobody runs `fiu-run` by hand.
//
// A suite that arms a `posix/...` point (posix/io/dir/rename, ...) fails the
// adapter's own libc calls; those calls only consult libfiu when
// fiu_posix_preload.so is preloaded. EnsurePosixPreload looks at the suites
// named on the command line and, when one arms a posix point and the preload
// is missing, re-executes /proc/self/exe with the same arguments and
// LD_PRELOAD extended. In the re-executed process it restores LD_PRELOAD as
// the user had it, so child processes (a Dovecot, an exec store) do not
// inherit the wrappers.
//
//   int main(int argc, char** argv) {
//     intransit::EnsurePosixPreload(argc, argv);   // first thing
//     return intransit::RunCli(argc, argv, std::cout, std::cerr);
//   }
#pragma once

#include <string>

namespace intransit {

inline constexpr const char* kPosixPreload = "/usr/lib/fiu/fiu_posix_preload.so";

// Returns normally when no re-execution is needed (or possible: then a
// warning on stderr says posix faults will not fire); otherwise does not
// return. REQUIRES: called from main before any thread is started.
void EnsurePosixPreload(int argc, char** argv);

// Whether the suite files among `argv` arm a posix/ point (a plain text look
// for "posix/" in each argument ending in .toml). Exposed for tests.
bool SuitesArmPosixPoints(int argc, char** argv);

}  // namespace intransit
