// The cyrus bench: see cyrus_bench.h. Every figure is measured on real
// servers started here; nothing is left running afterwards.
#include "bench/cyrus_bench.h"

#include <chrono>
#include <string>

#include "adapters/cyrus/cyrus_server.h"
#include "bench/bench_support.h"
#include "explore/explorer.h"
#include "faults/fault.h"
#include "store/adapter.h"
#include "suite/suite_loader.h"

namespace intransit {
namespace {

using bench::Clock;
using bench::GoGate;
using bench::MsSince;

// One sender of three messages, alice with two, the runbook of `variant`.
std::string Scenario(const std::string& variant) {
  return "[suite]\nname = \"bench-cyrus-" + variant + "\"\nexpect = \"" +
         (variant == "naive" ? "violation" : "pass") +
         "\"\n[adapter]\nname = \"cyrus\"\nvariant = \"" + variant +
         "\"\n[[users]]\nname = \"alice\"\nhome = \"src\"\nmessages = 2\n"
         "[[actors]]\nkind = \"mover\"\nuser = \"alice\"\nto = \"dst\"\n"
         "[[actors]]\nkind = \"sender\"\nuser = \"alice\"\nmessages = 3\nretry = 10\n"
         "[explore]\nstrategy = \"exhaustive\"\n";
}

}  // namespace

void RunCyrusBench(std::ostream& out) {
  if (!cyrus::CyrusInstalled()) {
    out << "cyrus bench: skipped: cyrus not found (install cyrus-imapd cyrus-admin "
           "cyrus-clients cyrus-replication)\n";
    return;
  }
  RegisterBuiltinFaults();
  const AdapterInfo* info = AdapterRegistry::Global().Find("cyrus");
  AdapterConfig config;
  config.variant = "sync-twice";

  constexpr int kStarts = 3;
  double start_ms = 0, stop_ms = 0;
  for (int i = 0; i < kStarts; ++i) {
    auto t = Clock::now();
    auto d = info->open(config);
    start_ms += MsSince(t);
    if (!d.ok()) {
      out << "cyrus bench: " << d.status().message() << "\n";
      return;
    }
    t = Clock::now();
    d->reset();
    stop_ms += MsSince(t);
  }
  out << "cyrus deployment start (2 masters, both greeting on LMTP and IMAP): "
      << start_ms / kStarts << " ms; stop right after the start: " << stop_ms / kStarts << " ms\n";

  {
    auto d = info->open(config);
    if (!d.ok()) {
      out << "cyrus bench: " << d.status().message() << "\n";
      return;
    }
    Deployment& dep = **d;
    GoGate gate;
    constexpr int kResets = 20;
    double reset_ms = 0, lmtp_ms = 0;
    int delivered = 0;
    for (int i = 0; i < kResets; ++i) {
      auto t = Clock::now();
      Status s = dep.Reset();
      reset_ms += MsSince(t);
      if (s.ok()) s = dep.Provision("alice", "src", {});
      if (!s.ok()) {
        out << "cyrus bench: " << s.message() << "\n";
        return;
      }
      t = Clock::now();
      for (int m = 1; m <= 5; ++m) {
        auto r = dep.Deliver(gate, "alice", "<m" + std::to_string(m) + ".alice@intransit>");
        if (!r.ok()) {
          out << "cyrus bench: " << r.status().message() << "\n";
          return;
        }
        ++delivered;
      }
      lmtp_ms += MsSince(t);
    }
    out << "cyrus reset by fresh user names (the last schedule's user deleted on both servers): "
        << reset_ms / kResets << " ms; vs restarting both masters: "
        << (start_ms + stop_ms) / kStarts << " ms\n";
    out << "cyrus LMTP delivery, one kept connection: " << lmtp_ms / delivered << " ms/message\n";
    Snapshot snap;
    auto t = Clock::now();
    constexpr int kInspects = 10;
    for (int i = 0; i < kInspects; ++i) {
      Status s = dep.Inspect(&snap);
      if (!s.ok()) {
        out << "cyrus bench: " << s.message() << "\n";
        return;
      }
    }
    out << "cyrus inspect (IMAP as the user on both servers, 5 messages): "
        << MsSince(t) / kInspects << " ms\n";
    t = Clock::now();
    d->reset();
    out << "cyrus deployment stop after use: " << MsSince(t) << " ms\n";
  }

  for (const char* variant : {"naive", "sync-twice", "xfer"}) {
    auto suite = LoadSuiteFromString(Scenario(variant), std::string("bench-") + variant + ".toml",
                                     LoadOptions());
    if (!suite.ok()) {
      out << "cyrus bench: " << suite.status().message() << "\n";
      return;
    }
    SuiteResult r = ExploreSuite(*suite, {});
    if (r.outcome == Outcome::kError) {
      out << "cyrus bench (" << variant << "): " << r.error << "\n";
      continue;
    }
    double s = r.wall_ms / 1000.0;
    out << "cyrus " << variant << " runbook, 3 messages: " << r.schedules << " schedules in " << s
        << " s = " << (s > 0 ? r.schedules / s : 0) << " schedules/s, start included ("
        << (r.outcome == Outcome::kPass ? "pass" : "violation") << ")\n";
  }
}

}  // namespace intransit
