// Runs the command line in process, for tests: exit code, stdout, stderr.
#pragma once

#include <string>
#include <vector>

namespace intransit::testing {

struct Ran {
  int code;
  std::string out;
  std::string err;
};

// `args` without the program name: {"run", "suites/q277911.toml"}.
Ran Cli(std::vector<std::string> args);

}  // namespace intransit::testing
