// intransit_bench: prints the figures of DESIGN §12. `intransit_bench NAME...`
// runs only the named benches (reference, pct, maildir, exec, dovecot,
// cyrus, reduction, overhead; reduction-full adds the Dovecot run without
// reduction, minutes). Without a name: all but reduction-full.
// `intransit_bench overhead-runner N` / `overhead-fixed N` run one side of
// the overhead comparison for N schedules, for counting instructions.
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include "bench/cyrus_bench.h"
#include "bench/dovecot_bench.h"
#include "bench/exec_bench.h"
#include "bench/maildir_bench.h"
#include "bench/overhead_bench.h"
#include "bench/pct_bench.h"
#include "bench/reduction_bench.h"
#include "bench/reference_bench.h"
#include "cli/builtin_adapters.h"

int main(int argc, char** argv) {
  intransit::RegisterBuiltinAdapters();
  if (argc == 3 && std::strncmp(argv[1], "overhead-", 9) == 0) {
    intransit::RunOverheadSide(std::cout, argv[1] + 9, std::strtoull(argv[2], nullptr, 10));
    return 0;
  }
  auto wanted = [&](const char* name) {
    if (argc < 2) return std::strcmp(name, "reduction-full") != 0;
    for (int i = 1; i < argc; ++i) {
      if (std::strcmp(argv[i], name) == 0) return true;
    }
    return false;
  };
  if (wanted("reference")) intransit::RunReferenceBench(std::cout);
  if (wanted("pct")) intransit::RunPctBench(std::cout);
  if (wanted("maildir")) intransit::RunMaildirBench(std::cout);
  if (wanted("exec")) intransit::RunExecBench(std::cout);
  if (wanted("dovecot")) intransit::RunDovecotBench(std::cout);
  if (wanted("overhead")) intransit::RunOverheadBench(std::cout, 5);
  if (wanted("cyrus")) intransit::RunCyrusBench(std::cout);
  if (wanted("reduction-full")) {
    intransit::RunReductionBench(std::cout, true);
  } else if (wanted("reduction")) {
    intransit::RunReductionBench(std::cout, false);
  }
  return 0;
}
