// Work in progress: replaced by the full command line.
#include "framework/cli/cli.h"

#include <ostream>

namespace intransit {
int RunCli(int, const char* const*, std::ostream&, std::ostream& err) {
  err << "intransit: not built yet\n";
  return 2;
}
}  // namespace intransit
