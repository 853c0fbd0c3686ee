// The cyrus bench: see cyrus_bench.h. Every figure is measured on real
// servers started here; nothing is left running afterwards.
#include "bench/cyrus_bench.h"

#include "adapters/cyrus/cyrus_server.h"
#include "bench/bench_support.h"
#include "faults/fault.h"
#include "store/adapter.h"

namespace intransit {

using bench::Clock;
using bench::MsSince;

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
  if (!bench::TimeStartStop(out, "cyrus", *info, config, kStarts, &start_ms, &stop_ms)) return;
  out << "cyrus deployment start (2 masters, both greeting on LMTP and IMAP): "
      << start_ms / kStarts << " ms; stop right after the start: " << stop_ms / kStarts << " ms\n";

  {
    auto d = info->open(config);
    if (!d.ok()) {
      out << "cyrus bench: " << d.status().message() << "\n";
      return;
    }
    Deployment& dep = **d;
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
      if (!bench::TimeDeliveries(out, "cyrus", dep, &lmtp_ms, &delivered)) return;
    }
    out << "cyrus reset by fresh user names (the last schedule's user deleted on both servers): "
        << reset_ms / kResets << " ms; vs restarting both masters: "
        << (start_ms + stop_ms) / kStarts << " ms\n";
    out << "cyrus LMTP delivery, one kept connection: " << lmtp_ms / delivered << " ms/message\n";
    double inspect_ms = 0;
    if (!bench::TimeInspects(out, "cyrus", dep, 10, &inspect_ms)) return;
    out << "cyrus inspect (IMAP as the user on both servers, 5 messages): " << inspect_ms
        << " ms\n";
    auto t = Clock::now();
    d->reset();
    out << "cyrus deployment stop after use: " << MsSince(t) << " ms\n";
  }

  bench::RunRunbooks(out, "cyrus", "bench-cyrus-", {"naive", "sync-twice", "xfer"});
}

}  // namespace intransit
