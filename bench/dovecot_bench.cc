// The dovecot bench: see dovecot_bench.h. Every figure is measured on real
// servers started here; nothing is left running afterwards.
#include "bench/dovecot_bench.h"

#include "adapters/dovecot/dovecot_server.h"
#include "bench/bench_support.h"
#include "faults/fault.h"
#include "store/adapter.h"

namespace intransit {

using bench::Clock;
using bench::MsSince;

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
  if (!bench::TimeStartStop(out, "dovecot", *info, config, kStarts, &start_ms, &stop_ms)) return;
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
    // Reset by fresh user names: delete the last schedule's homes.
    constexpr int kResets = 20;
    double reset_ms = 0, lmtp_ms = 0;
    int delivered = 0;
    for (int i = 0; i < kResets; ++i) {
      auto t = Clock::now();
      Status s = dep.Reset();
      reset_ms += MsSince(t);
      if (s.ok()) s = dep.Provision("alice", "src", {});
      if (!s.ok()) {
        out << "dovecot bench: " << s.message() << "\n";
        return;
      }
      if (!bench::TimeDeliveries(out, "dovecot", dep, &lmtp_ms, &delivered)) return;
    }
    out << "dovecot reset by fresh user names (delete the last schedule's homes): "
        << reset_ms / kResets << " ms; vs restarting both masters: " << (start_ms + stop_ms) / kStarts
        << " ms\n";
    out << "dovecot LMTP delivery, one kept connection (first message of a user creates its "
           "mailbox): "
        << lmtp_ms / delivered << " ms/message\n";
    double inspect_ms = 0;
    if (!bench::TimeInspects(out, "dovecot", dep, 10, &inspect_ms)) return;
    out << "dovecot inspect (doveadm fetch, one server holds mail): " << inspect_ms << " ms\n";
    auto t = Clock::now();
    d->reset();
    out << "dovecot deployment stop after use: " << MsSince(t)
        << " ms (Dovecot's own shutdown takes about a second)\n";
  }

  // Schedules per second: every interleaving of 3 deliveries with the runbook.
  bench::RunRunbooks(out, "dovecot", "bench-", {"hold", "naive", "documented"});
}

}  // namespace intransit
