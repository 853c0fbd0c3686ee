// intransit's entry point.
#include <iostream>

#include "base/process_registry.h"
#include "cli/cli.h"
#include "cli/preload.h"

int main(int argc, char** argv) {
  // First: a suite with posix/ faults needs libfiu's wrappers preloaded
  // (this may re-exec us, so nothing is set up before it).
  intransit::EnsurePosixPreload(argc, argv);
  // Before any thread starts: subreaper, SIGINT/SIGTERM to the cleanup
  // thread (process_registry.h).
  intransit::InstallProcessCleanup();
  int code = intransit::RunCli(argc, argv, std::cout, std::cerr);
  std::cout.flush();
  // Every process we started (setsid grandchildren included) is killed and
  // reaped, every temp dir removed, before we exit.
  intransit::FinishProcessCleanup();
  return code;
}
