// intransit's entry point.
#include <iostream>

#include "framework/cli/cli.h"
#include "framework/cli/preload.h"

int main(int argc, char** argv) {
  // First: a suite with posix/ faults needs libfiu's wrappers preloaded.
  intransit::EnsurePosixPreload(argc, argv);
  return intransit::RunCli(argc, argv, std::cout, std::cerr);
}
