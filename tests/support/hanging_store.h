// The real `intransit` binary on an exec store that starts a `setsid`
// grandchild and then hangs, for the tests that kill intransit mid-run and
// check what it leaves behind (tests/framework/processes_test.cc,
// pid_keeper_test.cc).
//
// The store's and the grandchild's command lines name the test's temp dir,
// so they are found in /proc (never by a pid the store writes: inside
// intransit's PID namespace the store knows itself by another pid), and
// whatever still names it when the HangingRun ends is killed, passed or
// failed: a setsid grandchild is in no group IntransitProcess would kill.
//
//   testing::TempDir dir;
//   HangingRun h(dir.path());
//   REQUIRE(h.ready);
//   h.run.Signal(SIGTERM);
//   CHECK(PollUntil([&] { return NoneRunning(h.all); }));
#pragma once

#include <string>
#include <vector>

#include "tests/support/process_watch.h"

namespace intransit::testing {

// Kills whatever still mentions `dir` when it goes out of scope.
struct SweepOnExit {
  std::string dir;
  ~SweepOnExit() { KillStillRunning(LiveProcessesMentioning(dir)); }
};

class HangingRun {
 public:
  // Writes the store and its suite into `dir`, starts intransit on it
  // (TMPDIR = `dir`, argv prefixed with `prefix`), and polls (30 s) until
  // the grandchild runs; then takes the snapshots below.
  explicit HangingRun(const std::string& dir, const std::vector<std::string>& prefix = {});

  SweepOnExit sweep;  // destroyed last: after `run` is killed and reaped
  IntransitProcess run;
  bool ready = false;  // the store and its grandchild ran before the deadline
  std::vector<ProcessId> store;       // python3 DIR/store.py (and its sh -c)
  std::vector<ProcessId> grandchild;  // the setsid one
  std::vector<ProcessId> all;         // every live descendant of intransit
};

}  // namespace intransit::testing
