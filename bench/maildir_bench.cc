// The maildir bench: see maildir_bench.h. Each schedule is a fresh tree on
// the file system under test: provisioning, deliveries by the Maildir
// protocol (write, fsync, rename), the six steps of the in-transit move,
// inspection of every file — what a real Maildir store costs per schedule.
#include "bench/maildir_bench.h"

#include <chrono>
#include <string>

#include "explore/explorer.h"
#include "faults/fault.h"
#include "store/adapter.h"
#include "suite/suite_loader.h"

namespace intransit {

void RunMaildirBench(std::ostream& out) {
  RegisterBuiltinFaults();
  const std::string file = std::string(INTRANSIT_SOURCE_DIR) + "/suites/maildir/in-transit.toml";
  struct Fs {
    const char* label;
    const char* root;
  };
  for (const Fs& fs : {Fs{"tmpfs", "/dev/shm"}, Fs{"disk", "/var/tmp"}}) {
    LoadOptions o;
    o.sets = {std::string("adapter.root=") + fs.root};
    auto suite = LoadSuite(file, o);
    if (!suite.ok()) {
      out << "maildir bench: " << suite.status().message() << "\n";
      return;
    }
    SuiteResult r = ExploreSuite(*suite, {});
    if (r.outcome == Outcome::kError) {
      out << "maildir bench (" << fs.label << "): " << r.error << "\n";
      continue;
    }
    double s = r.wall_ms / 1000.0;
    out << "maildir in-transit on " << fs.label << " (" << fs.root << "): " << r.schedules
        << " schedules in " << s << " s = " << (s > 0 ? r.schedules / s : 0)
        << " schedules/s (fsync on, " << (r.outcome == Outcome::kPass ? "pass" : "VIOLATION")
        << ")\n";
  }
}

}  // namespace intransit
