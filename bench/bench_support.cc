// The phases the real-server benches share: see bench_support.h.
#include "bench/bench_support.h"

#include "explore/explorer.h"
#include "suite/suite_loader.h"

namespace intransit::bench {
namespace {

// One sender of three messages, alice with two, the runbook of `variant`.
std::string Scenario(const std::string& suite, const std::string& adapter,
                     const std::string& variant) {
  return "[suite]\nname = \"" + suite + "\"\nexpect = \"" +
         (variant == "naive" ? "violation" : "pass") + "\"\n[adapter]\nname = \"" + adapter +
         "\"\nvariant = \"" + variant +
         "\"\n[[users]]\nname = \"alice\"\nhome = \"src\"\nmessages = 2\n"
         "[[actors]]\nkind = \"mover\"\nuser = \"alice\"\nto = \"dst\"\n"
         "[[actors]]\nkind = \"sender\"\nuser = \"alice\"\nmessages = 3\nretry = 10\n"
         "[explore]\nstrategy = \"exhaustive\"\n";
}

}  // namespace

bool TimeStartStop(std::ostream& out, const std::string& name, const AdapterInfo& info,
                   const AdapterConfig& config, int starts, double* start_ms, double* stop_ms) {
  for (int i = 0; i < starts; ++i) {
    auto t = Clock::now();
    auto d = info.open(config);
    *start_ms += MsSince(t);
    if (!d.ok()) {
      out << name << " bench: " << d.status().message() << "\n";
      return false;
    }
    t = Clock::now();
    d->reset();
    *stop_ms += MsSince(t);
  }
  return true;
}

bool TimeDeliveries(std::ostream& out, const std::string& name, Deployment& dep, double* ms,
                    int* delivered) {
  GoGate gate;
  auto t = Clock::now();
  for (int m = 1; m <= 5; ++m) {
    auto r = dep.Deliver(gate, "alice", "<m" + std::to_string(m) + ".alice@intransit>");
    if (!r.ok()) {
      out << name << " bench: " << r.status().message() << "\n";
      return false;
    }
    ++*delivered;
  }
  *ms += MsSince(t);
  return true;
}

bool TimeInspects(std::ostream& out, const std::string& name, Deployment& dep, int count,
                  double* mean_ms) {
  Snapshot snap;
  auto t = Clock::now();
  for (int i = 0; i < count; ++i) {
    Status s = dep.Inspect(&snap);
    if (!s.ok()) {
      out << name << " bench: " << s.message() << "\n";
      return false;
    }
  }
  *mean_ms = MsSince(t) / count;
  return true;
}

bool RunRunbooks(std::ostream& out, const std::string& name, const std::string& suite_prefix,
                 std::initializer_list<const char*> variants) {
  for (const char* variant : variants) {
    auto suite = LoadSuiteFromString(Scenario(suite_prefix + variant, name, variant),
                                     std::string("bench-") + variant + ".toml", LoadOptions());
    if (!suite.ok()) {
      out << name << " bench: " << suite.status().message() << "\n";
      return false;
    }
    SuiteResult r = ExploreSuite(*suite, {});
    if (r.outcome == Outcome::kError) {
      out << name << " bench (" << variant << "): " << r.error << "\n";
      continue;
    }
    double s = r.wall_ms / 1000.0;
    out << name << " " << variant << " runbook, 3 messages: " << r.schedules << " schedules in "
        << s << " s = " << (s > 0 ? r.schedules / s : 0) << " schedules/s, start included ("
        << (r.outcome == Outcome::kPass ? "pass" : "violation") << ")\n";
  }
  return true;
}

}  // namespace intransit::bench
