// The reduction bench: see reduction_bench.h. Every line runs the explorer
// as `intransit run` does; the suites are the shipped ones' shapes, built
// in code so that the sizes are the bench's, not a file's.
#include "bench/reduction_bench.h"

#include <sched.h>

#include <chrono>
#include <iomanip>
#include <string>

#include "adapters/dovecot/dovecot_server.h"
#include "explore/explorer.h"
#include "store/adapter.h"
#include "suite/suite_loader.h"
#include "tests/support/suites.h"

namespace intransit {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

struct Timed {
  SuiteResult result;
  double seconds = 0;
};

Timed Explore(const Suite& suite) {
  auto start = Clock::now();
  Timed t;
  t.result = ExploreSuite(suite, {});
  t.seconds = Seconds(start);
  return t;
}

Suite ModelSuite(const char* variant, int senders, const char* reduction) {
  Suite s = testing::Q277911Suite(variant, senders, 2);
  s.explore.max_schedules = 100000000;
  FromName(kReductionNames, reduction, &s.explore.reduction);
  return s;
}

// "  1000 schedules (space covered, 0 sleep-blocked) in 0.012 s"
void Line(std::ostream& out, const char* label, const Timed& t) {
  const SuiteResult& r = t.result;
  out << "  " << std::left << std::setw(22) << label << std::right;
  if (r.outcome == Outcome::kError) {
    out << "error: " << r.error << "\n";
    return;
  }
  out << std::setw(9) << r.schedules << " schedules ("
      << (r.complete ? "space covered" : "NOT covered");
  if (r.reduction == Reduction::kDpor) out << ", " << r.sleep_blocked << " sleep-blocked";
  out << ", " << r.violating_schedules << " violating) in " << std::fixed << std::setprecision(3)
      << t.seconds << " s\n";
}

void ReferenceLines(std::ostream& out) {
  out << "reference adapter, exhaustive, 3 senders x 2 messages (model: 1,000 SP4 and 3,375 "
         "pre-SP4 reduced schedules)\n";
  for (const char* variant : {"sp4", "pre-sp4"}) {
    Line(out, (std::string(variant) + ", dpor").c_str(), Explore(ModelSuite(variant, 3, "dpor")));
    Line(out, (std::string(variant) + ", none").c_str(), Explore(ModelSuite(variant, 3, "none")));
  }

  out << "reference adapter, exhaustive, 5 senders x 2 messages (908,107,200 SP4 interleavings; "
         "none does not finish)\n";
  Line(out, "sp4, dpor", Explore(ModelSuite("sp4", 5, "dpor")));
  Suite first = ModelSuite("pre-sp4", 5, "dpor");
  first.explore.stop_at_first = true;
  Timed found = Explore(first);
  out << "  pre-sp4, dpor, first    violation after " << found.result.schedules
      << " schedules in " << std::fixed << std::setprecision(3) << found.seconds << " s\n";
  Line(out, "pre-sp4, dpor, all", Explore(ModelSuite("pre-sp4", 5, "dpor")));
}

// The shipped suites/dovecot/documented-2x2.toml, with `reduction` set.
std::string DovecotSuite(const char* reduction, uint64_t max_schedules) {
  std::string s =
      "[suite]\nname = \"bench-documented-2x2\"\nexpect = \"pass\"\n"
      "[adapter]\nname = \"dovecot\"\nvariant = \"documented\"\n"
      "[[users]]\nname = \"alice\"\nhome = \"src\"\nmessages = 2\n"
      "[[actors]]\nkind = \"mover\"\nuser = \"alice\"\nto = \"dst\"\n";
  for (int i = 0; i < 2; ++i) {
    s += "[[actors]]\nkind = \"sender\"\nuser = \"alice\"\nmessages = 2\nretry = 5\n";
  }
  s += "[explore]\nstrategy = \"exhaustive\"\nreduction = \"" + std::string(reduction) +
       "\"\nmax_schedules = " + std::to_string(max_schedules) + "\n";
  return s;
}

void DovecotLines(std::ostream& out, bool full) {
  if (!dovecot::DovecotInstalled()) {
    out << "dovecot lines skipped: dovecot not found (install dovecot-core "
           "dovecot-lmtpd)\n";
    return;
  }
  out << "dovecot, documented runbook, 2 senders x 2 messages, real servers\n";
  auto run = [&](const char* label, const char* reduction, uint64_t max) {
    auto suite = LoadSuiteFromString(DovecotSuite(reduction, max), "bench-documented-2x2.toml",
                                     LoadOptions());
    if (!suite.ok()) {
      out << "  " << label << ": " << suite.status().message() << "\n";
      return Timed();
    }
    Timed t = Explore(*suite);
    Line(out, label, t);
    return t;
  };
  Timed dpor = run("dpor", "dpor", 100000);
  if (full) {
    run("none", "none", 100000);
    return;
  }
  constexpr uint64_t kSample = 30;
  Timed sample = run("none, first 30", "none", kSample);
  if (sample.result.schedules > 0 && dpor.result.schedules > 0) {
    out << "  per schedule: dpor " << std::setprecision(3)
        << dpor.seconds / static_cast<double>(dpor.result.schedules) << " s, none "
        << sample.seconds / static_cast<double>(sample.result.schedules)
        << " s (start included); `intransit_bench reduction-full` runs none to the end\n";
  }
}

}  // namespace

void RunReductionBench(std::ostream& out, bool full) {
  RegisterBuiltinFaults();
  // One core, as the targets say.
  cpu_set_t one;
  CPU_ZERO(&one);
  const int cpu = sched_getcpu();
  CPU_SET(cpu < 0 ? 0 : cpu, &one);
  bool pinned = sched_setaffinity(0, sizeof(one), &one) == 0;
  out << "reduction bench" << (pinned ? " (pinned to one core)" : "") << "\n";
  ReferenceLines(out);
  DovecotLines(out, full);
}

}  // namespace intransit
