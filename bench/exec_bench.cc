// Exec bench: see exec_bench.h.
//
// The program is started once (as a run does) and the timed loop is the
// explorer's own: reset, provision, the actors' requests and points, inspect
// and the oracle, per schedule. Process start-up (python3's ~50-400 ms on a
// loaded machine) is printed apart, since a run pays it once. Figures, not
// assertions: the machines are shared and noisy.
#include "bench/exec_bench.h"

#include <chrono>
#include <iomanip>
#include <ostream>

#include "explore/strategy_factory.h"
#include "oracle/oracle.h"
#include "run/runner.h"
#include "run/strategy.h"
#include "suite/suite_loader.h"

namespace intransit {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

void BenchVariant(std::ostream& out, const std::string& variant, uint64_t schedules) {
  const std::string src = INTRANSIT_SOURCE_DIR;
  LoadOptions opts;
  opts.sets = {"adapter.command=python3 " + src + "/examples/python-store/store.py",
               "explore.strategy=random", "explore.max_schedules=" + std::to_string(schedules)};
  const std::string file = src + "/suites/exec/q277911-" + variant + ".toml";
  Result<Suite> suite = LoadSuite(file, opts);
  if (!suite.ok()) {
    out << "  " << variant << ": cannot load: " << suite.status().message() << "\n";
    return;
  }
  const AdapterInfo* info = AdapterRegistry::Global().Find("exec");
  auto start = Clock::now();
  auto deployment = info->open(suite->adapter_config);
  double open_s = Seconds(start);
  if (!deployment.ok()) {
    out << "  " << variant << ": " << deployment.status().message() << "\n";
    return;
  }
  auto made = MakeStrategy(*suite, false);  // random: no reduction
  if (!made.ok()) {
    out << "  " << variant << ": " << made.status().message() << "\n";
    return;
  }
  Strategy* strategy = made->strategy.get();
  Runner runner(*suite, deployment->get(), info->needs_threads);
  Oracle oracle(suite->oracle);
  OracleResult judged;
  uint64_t violating = 0, done = 0;
  start = Clock::now();
  for (uint64_t i = 0; i < schedules; ++i) {
    if (!strategy->BeginSchedule(i)) break;
    Status s = runner.Run(strategy);
    strategy->EndSchedule();
    if (!s.ok()) {
      out << "  " << variant << ": " << s.message() << "\n";
      return;
    }
    oracle.Check(runner.ledger(), runner.snapshot(), &judged);
    if (!judged.ok()) ++violating;
    ++done;
  }
  double loop_s = Seconds(start);
  start = Clock::now();
  deployment->reset();  // bye, and the program exits
  double close_s = Seconds(start);
  out << "  " << std::left << std::setw(8) << variant << std::right << std::setw(6) << done
      << " schedules in " << std::fixed << std::setprecision(2) << loop_s << " s = "
      << std::setprecision(0) << std::setw(6) << done / loop_s << " schedules/s  ("
      << std::setprecision(1) << 1e6 * loop_s / done << " us each; " << violating
      << " violating; start " << std::setprecision(0) << open_s * 1000 << " ms, bye "
      << close_s * 1000 << " ms)\n";
}

}  // namespace

void RunExecBench(std::ostream& out) {
  out << "exec: Q277911 scenario (1 mover, 1 sender, 8 steps) on examples/python-store,\n"
         "      random strategy, one python3 process per run; target >= 1000 schedules/s\n";
  if (std::system("python3 -c '' >/dev/null 2>&1") != 0) {
    out << "  skipped: python3 not found\n";
    return;
  }
  BenchVariant(out, "correct", 5000);
  BenchVariant(out, "pre-sp4", 5000);
}

}  // namespace intransit
