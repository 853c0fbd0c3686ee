// The Catch2 main of intransit_tests: the test program is a composition root
// like the command line, so it registers the built-in stores before any case
// loads a suite.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "cli/builtin_adapters.h"

int main(int argc, char* argv[]) {
  intransit::RegisterBuiltinAdapters();
  return Catch::Session().run(argc, argv);
}
