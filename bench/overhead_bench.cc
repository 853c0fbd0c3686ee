// The runner's overhead: see overhead_bench.h.
//
// Fairness of the comparison: the fixed order runs what one explored
// schedule runs on the store — reset, provision, the move, six deliveries,
// inspect — and judges it as the explorer judges every schedule (without
// words). It leaves out what only the runner does: the actors' fibers, the
// strategy, the timeline, the schedule. Its one order (the move, then every
// delivery) is not the mix of orders the runner explores, whose store work
// differs a little (mail through InTransit and the flush); the instruction
// counts of the store's own functions on both sides say by how much.
#include "bench/overhead_bench.h"

#include <sched.h>

#include <algorithm>
#include <chrono>
#include <iomanip>
#include <ostream>
#include <string>
#include <vector>

#include "explore/explorer.h"
#include "oracle/oracle.h"
#include "store/actor_context.h"
#include "tests/support/suites.h"

namespace intransit {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// A gate that lets every step through at once: the store without a scheduler.
class DirectGate : public Gate {
 public:
  Decision Pass(const PointCall&) override { return Decision(); }
  Decision Probe(const PointCall&) override { return Decision(); }
  void Note(std::string_view) override {}
  void RanOn(std::string_view) override {}
};

// As DirectGate, but every step is a round trip to the scheduler: the
// fixed order on a fiber, to price the runner's switches alone.
class SwitchingGate : public DirectGate {
 public:
  Decision Pass(const PointCall&) override {
    context->Suspend();
    return Decision();
  }
  ActorContext* context = nullptr;
};

// Seconds per judged schedule of one exhaustive run; `schedules` gets the count.
double ExploredSecondsPerSchedule(const Suite& s, uint64_t* schedules) {
  auto start = Clock::now();
  SuiteResult r = ExploreSuite(s, {});
  *schedules = r.schedules;
  return Seconds(start) / static_cast<double>(std::max<uint64_t>(r.schedules, 1));
}

// One core: the one it runs on, so that `taskset -c N` can move it.
bool PinToOneCore() {
  cpu_set_t one;
  CPU_ZERO(&one);
  const int cpu = sched_getcpu();
  CPU_SET(cpu < 0 ? 0 : cpu, &one);
  return sched_setaffinity(0, sizeof(one), &one) == 0;
}

}  // namespace

Suite OverheadSuite(const char* variant, Reduction reduction, uint64_t max_schedules) {
  Suite s = testing::Q277911Suite(variant, 3, 2);
  s.explore.max_schedules = max_schedules;
  s.explore.reduction = reduction;
  return s;
}

// The same work as one schedule, in a fixed order: reset, provision, the
// move, every delivery, inspect, the oracle — judged without words, as the
// explorer judges every schedule (it asks for them only for a violation).
double FixedOrderSecondsPerSchedule(const Suite& suite, int iterations, bool on_fiber) {
  const AdapterInfo* info = AdapterRegistry::Global().Find(suite.adapter);
  auto deployment = info->open(suite.adapter_config);
  Oracle oracle(suite.oracle);
  Ledger ledger;
  Snapshot snapshot;
  OracleResult judged;
  SwitchingGate switching;
  DirectGate direct;
  Gate& gate = on_fiber ? switching : direct;
  std::unique_ptr<ActorContext> context = NewFiberContext(&gate);
  switching.context = context.get();
  std::vector<std::string> pre = {"<p1.alice@intransit>", "<p2.alice@intransit>"};
  std::vector<std::string> ids;
  for (int i = 1; i <= 6; ++i) ids.push_back("<m" + std::to_string(i) + ".alice@intransit>");
  auto start = Clock::now();
  for (int it = 0; it < iterations; ++it) {
    Deployment& d = **deployment;
    (void)d.Reset();
    ledger.Clear();
    for (const auto& p : pre) ledger.AddMessage(p, "alice", "", true);
    (void)d.Provision("alice", "src", pre);
    auto body = [&] {
      auto moved = d.Move(gate, "alice", "dst");
      ledger.AddMove({"mover", "alice", "src", "dst", *moved, false});
      for (const auto& id : ids) {
        size_t idx = ledger.AddMessage(id, "alice", "sender-1", false);
        auto r = d.Deliver(gate, "alice", id);
        ledger.entry(idx).attempts.push_back({0, r->answer, r->server});
      }
    };
    if (on_fiber) {
      context->Start(body);
      while (!context->finished()) context->Resume();
    } else {
      body();
    }
    (void)d.Inspect(&snapshot);
    oracle.Check(ledger, snapshot, &judged, false);
  }
  return Seconds(start) / iterations;
}

void RunOverheadBench(std::ostream& out, int rounds) {
  const bool pinned = PinToOneCore();
  const Suite none = OverheadSuite("sp4", Reduction::kNone, 10000000);
  double fixed = 1e9, explored = 1e9, switching = 1e9;
  uint64_t schedules = 0;
  for (int round = 0; round < rounds; ++round) {
    fixed = std::min(fixed, FixedOrderSecondsPerSchedule(none, 100000));
    switching = std::min(switching, FixedOrderSecondsPerSchedule(none, 100000, true));
    explored = std::min(explored, ExploredSecondsPerSchedule(none, &schedules));
  }
  out << "runner overhead (sp4, 3x2, reduction none, " << schedules << " schedules, best of "
      << rounds << (pinned ? ", one core" : "") << "): " << std::fixed << std::setprecision(2)
      << explored * 1e6 << " us per explored schedule vs " << fixed * 1e6
      << " us for the same store operations and oracle in a fixed order = " << explored / fixed
      << "x (target <= 1.5x)\n";
  out << "  the fixed order with a round trip to a scheduler fiber at every point: "
      << switching * 1e6 << " us = " << switching / fixed << "x\n";
}

void RunOverheadSide(std::ostream& out, const char* side, uint64_t n) {
  const Suite none = OverheadSuite("sp4", Reduction::kNone, n);
  if (std::string(side) == "fixed" || std::string(side) == "fixed-fiber") {
    double s = FixedOrderSecondsPerSchedule(none, static_cast<int>(n), side[5] == '-');
    out << side << ": " << n << " schedules, " << std::setprecision(3) << s * 1e6
        << " us each\n";
  } else {
    uint64_t schedules = 0;
    double s = ExploredSecondsPerSchedule(none, &schedules);
    out << "runner: " << schedules << " schedules, " << std::setprecision(3) << s * 1e6
        << " us each\n";
  }
}

}  // namespace intransit
