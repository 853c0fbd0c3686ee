// The in-process command line: see cli_runner.h.
#include "tests/support/cli_runner.h"

#include <sstream>

#include "cli/cli.h"

namespace intransit::testing {

Ran Cli(std::vector<std::string> args) {
  args.insert(args.begin(), "intransit");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  int code = RunCli(static_cast<int>(argv.size()), argv.data(), out, err);
  return {code, out.str(), err.str()};
}

}  // namespace intransit::testing
