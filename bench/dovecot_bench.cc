// The dovecot bench: see dovecot_bench.h. Every figure is measured on real
// servers started here; nothing is left running afterwards.
#include "bench/dovecot_bench.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "adapters/dovecot/dovecot_server.h"
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
  return "[suite]\nname = \"bench-" + variant + "\"\nexpect = \"" +
         (variant == "naive" ? "violation" : "pass") +
         "\"\n[adapter]\nname = \"dovecot\"\nvariant = \"" + variant +
         "\"\n[[users]]\nname = \"alice\"\nhome = \"src\"\nmessages = 2\n"
         "[[actors]]\nkind = \"mover\"\nuser = \"alice\"\nto = \"dst\"\n"
         "[[actors]]\nkind = \"sender\"\nuser = \"alice\"\nmessages = 3\nretry = 10\n"
         "[explore]\nstrategy = \"exhaustive\"\n";
}

}  // namespace

void RunDovecotBench(std::ostream& out) {
  if (!dovecot::DovecotInstalled()) {
    out << "dovecot bench: skipped: dovecot not found (install dovecot-core "
           "dovecot-lmtpd)\n";
    return;
  }
  RegisterBuiltinFaults();
  const AdapterInfo* info = AdapterRegistry::Global().Find("dovecot");
  AdapterConfig config;
  config.variant = "documented";

  // Start and stop: two masters, ports polled until they accept.
  constexpr int kStarts = 3;
  double start_ms = 0, stop_ms = 0;
  for (int i = 0; i < kStarts; ++i) {
    auto t = Clock::now();
    auto d = info->open(config);
    start_ms += MsSince(t);
    if (!d.ok()) {
      out << "dovecot bench: " << d.status().message() << "\n";
      return;
    }
    t = Clock::now();
    d->reset();
    stop_ms += MsSince(t);
  }
  out << "dovecot deployment start (2 masters, ready on their ports): " << start_ms / kStarts
      << " ms; stop right after the start (SIGTERM to both, SIGKILL after 2 s): "
      << stop_ms / kStarts << " ms\n";

  {
    auto d = info->open(config);
    if (!d.ok()) {
      out << "dovecot bench: " << d.status().message() << "\n";
      return;
    }
    Deployment& dep = **d;
    GoGate gate;
    // Reset by fresh user names: delete the last schedule's homes.
    constexpr int kResets = 20;
    double reset_ms = 0, lmtp_ms = 0;
    int delivered = 0;
    for (int i = 0; i < kResets; ++i) {
      auto t = Clock::now();
      Status s = dep.Reset();
      reset_ms += MsSince(t);
      if (!s.ok()) {
        out << "dovecot bench: " << s.message() << "\n";
        return;
      }
      s = dep.Provision("alice", "src", {});
      t = Clock::now();
      for (int m = 1; m <= 5; ++m) {
        auto r = dep.Deliver(gate, "alice", "<m" + std::to_string(m) + ".alice@intransit>");
        if (!r.ok()) {
          out << "dovecot bench: " << r.status().message() << "\n";
          return;
        }
        ++delivered;
      }
      lmtp_ms += MsSince(t);
    }
    out << "dovecot reset by fresh user names (delete the last schedule's homes): "
        << reset_ms / kResets << " ms; vs restarting both masters: " << (start_ms + stop_ms) / kStarts
        << " ms\n";
    out << "dovecot LMTP delivery, one kept connection (first message of a user creates its "
           "mailbox): "
        << lmtp_ms / delivered << " ms/message\n";
    Snapshot snap;
    auto t = Clock::now();
    constexpr int kInspects = 10;
    for (int i = 0; i < kInspects; ++i) {
      Status s = dep.Inspect(&snap);
      if (!s.ok()) {
        out << "dovecot bench: " << s.message() << "\n";
        return;
      }
    }
    out << "dovecot inspect (doveadm fetch, one server holds mail): " << MsSince(t) / kInspects
        << " ms\n";
    t = Clock::now();
    d->reset();
    out << "dovecot deployment stop after use: " << MsSince(t)
        << " ms (Dovecot's own shutdown takes about a second)\n";
  }

  // Schedules per second: every interleaving of 3 deliveries with the runbook.
  for (const char* variant : {"hold", "naive", "documented"}) {
    auto suite = LoadSuiteFromString(Scenario(variant), std::string("bench-") + variant + ".toml",
                                     LoadOptions());
    if (!suite.ok()) {
      out << "dovecot bench: " << suite.status().message() << "\n";
      return;
    }
    SuiteResult r = ExploreSuite(*suite, {});
    if (r.outcome == Outcome::kError) {
      out << "dovecot bench (" << variant << "): " << r.error << "\n";
      continue;
    }
    double s = r.wall_ms / 1000.0;
    out << "dovecot " << variant << " runbook, 3 messages: " << r.schedules << " schedules in "
        << s << " s = " << (s > 0 ? r.schedules / s : 0)
        << " schedules/s, start included ("
        << (r.outcome == Outcome::kPass ? "pass" : "violation") << ")\n";
  }
}

}  // namespace intransit
