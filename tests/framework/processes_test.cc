// Tests of the one spawner and its registry ("[processes]"): an exec store's
// stderr is bounded (issue #11 item 8), and the real `intransit` binary,
// interrupted mid-run, leaves no process behind and exits 130 / 143
// (item 5); killed with SIGKILL, it takes its store's setsid grandchild
// along where it may make a PID namespace (pid_keeper.h); ended normally,
// it leaves no setsid grandchild, with or without that namespace. Each
// test polls (30 s deadlines) rather than sleeps.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <sstream>
#include <string>

#include "adapters/exec/child_process.h"
#include "base/process_registry.h"
#include "tests/support/hanging_store.h"
#include "tests/support/process_watch.h"
#include "tests/support/temp_dir.h"

namespace intransit {
namespace {

TEST_CASE("processes: an exec store's stderr with no newline is cut and the quoted tail bounded",
          "[processes][exec]") {
  std::ostringstream log;
  // 8 MB of stderr with no newline, then a line, then exit 1.
  auto child = ChildProcess::Start(
      "head -c 8000000 /dev/zero | tr '\\0' x >&2; echo ' end' >&2; exit 1", &log);
  REQUIRE(child.ok());
  auto line = (*child)->ReadLine(30000);
  REQUIRE_FALSE(line.ok());
  std::string tail = (*child)->LastStderr();
  CHECK(tail.size() <= 4200);
  CHECK_THAT(tail, Catch::Contains("more bytes dropped"));
  CHECK(log.str().size() < 70000);  // one line, cut at 64 KiB
  CHECK(line.status().message().size() < 8000);
}

bool Contains(const std::vector<testing::ProcessId>& all, const testing::ProcessId& p) {
  return std::find(all.begin(), all.end(), p) != all.end();
}

// Runs intransit on the hanging store (hanging_store.h), sends `sig` once
// the store and its setsid grandchild run, and checks how intransit ended
// and that every process it had is gone (for SIGKILL too: the keeper's
// namespace takes them).
void KillTest(int sig, int expected_exit) {
  testing::TempDir dir;
  testing::HangingRun h(dir.path());
  CAPTURE(h.run.Err());
  REQUIRE(h.ready);
  REQUIRE(h.store.size() >= 1);
  REQUIRE(h.grandchild.size() == 1);
  // Still one tree under intransit, though the grandchild left its session.
  CHECK(Contains(h.all, h.grandchild[0]));
  REQUIRE(h.run.Signal(sig));
  int status = h.run.Wait(60);
  INFO("intransit ended with " << testing::DescribeStatus(status));
  if (sig == SIGKILL) {
    CHECK((status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL));
  } else {
    REQUIRE(status != -1);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == expected_exit);
  }
  CHECK(testing::PollUntil([&] { return testing::NoneRunning(h.store); }));
  CHECK(testing::PollUntil([&] { return testing::NoneRunning(h.grandchild); }));
  CHECK(testing::PollUntil([&] { return testing::NoneRunning(h.all); }));
  CHECK(testing::LiveProcessesMentioning(dir.path()).empty());
}

TEST_CASE("processes: SIGINT to intransit mid-run kills the exec store and its setsid grandchild",
          "[processes]") {
  KillTest(SIGINT, 130);
}

TEST_CASE("processes: SIGTERM to intransit mid-run kills the exec store and its setsid grandchild",
          "[processes]") {
  KillTest(SIGTERM, 143);
}

// Closed by the keeper's PID namespace (base/pid_keeper.h). The store's
// grandchild calls setsid, and the store itself may be forked by `sh -c`
// rather than exec'd (it is where python3 is a wrapper such as pyenv's
// shim), so PDEATHSIG alone reaches neither. Without the namespace the gap
// stays (docs/processes.md; pinned by the keeper tests): this case skips.
TEST_CASE("processes: SIGKILL to intransit mid-run kills the exec store and its setsid grandchild",
          "[processes]") {
  if (!testing::PidNamespacesAllowed()) {
    WARN("skipped: no PID namespace allowed here (no CAP_SYS_ADMIN), so intransit runs "
         "without its keeper and a SIGKILL leaves a setsid grandchild behind");
    return;
  }
  KillTest(SIGKILL, 0);
}

// A store that starts a setsid grandchild (which holds none of its pipes)
// and then becomes the Python example store: the run ends normally.
const char* kWrapper = R"PY(
import os, subprocess, sys
d = sys.argv[1]
subprocess.Popen(["setsid", sys.executable, "-c", "import time; time.sleep(300)",
                  os.path.join(d, "grandchild")],
                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
os.execv(sys.executable, [sys.executable, sys.argv[2]])
)PY";

const std::string kExampleStore = INTRANSIT_SOURCE_DIR "/examples/python-store/store.py";

// A normal end with and without the keeper: `prefix` drops CAP_SYS_ADMIN.
void NormalEndTest(const std::vector<std::string>& prefix) {
  testing::TempDir dir;
  const std::string d = dir.path();
  testing::SweepOnExit sweep{d};
  dir.Write("wrapper.py", kWrapper);
  dir.Write("suite.toml",
            "[suite]\nname = \"setsid-normal-end\"\nexpect = \"pass\"\n"
            "[adapter]\nname = \"exec\"\nvariant = \"correct\"\ncommand = \"python3 " + d +
                "/wrapper.py " + d + " " + kExampleStore + "\"\n"
                "[[users]]\nname = \"alice\"\nhome = \"src\"\nmessages = 2\n"
                "[[actors]]\nkind = \"mover\"\nuser = \"alice\"\nto = \"dst\"\n"
                "[[actors]]\nkind = \"sender\"\nuser = \"alice\"\nmessages = 1\nretry = 5\n");
  testing::IntransitOptions options;
  options.tmpdir = d;
  options.prefix = prefix;
  testing::IntransitProcess run(d, {"run", d + "/suite.toml"}, options);
  REQUIRE(run.pid() > 0);
  // Every grandchild seen while it runs (one per store started).
  std::vector<testing::ProcessId> seen;
  testing::PollUntil(
      [&] {
        for (const auto& p : testing::LiveProcessesMentioning(d + "/grandchild")) {
          if (!Contains(seen, p)) seen.push_back(p);
        }
        return run.Exited();
      },
      120);
  int status = run.Wait(1);
  INFO("intransit ended with " << testing::DescribeStatus(status) << "\n"
                               << run.Out() << run.Err());
  REQUIRE(status != -1);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK_THAT(run.Out(), Catch::Contains("PASS  setsid-normal-end"));
  CHECK(!seen.empty());
  // Gone when intransit is: its end kills and reaps before it exits.
  CHECK(testing::NoneRunning(seen));
  CHECK(testing::LiveProcessesMentioning(d).empty());
}

TEST_CASE("processes: an exec store's setsid grandchild is gone when intransit ends normally",
          "[processes]") {
  NormalEndTest({});
}

TEST_CASE("processes: without CAP_SYS_ADMIN too a setsid grandchild is gone at a normal end",
          "[processes][keeper]") {
  if (testing::SetprivPath().empty()) {
    WARN("skipped: no setpriv(1) to drop CAP_SYS_ADMIN with");
    return;
  }
  NormalEndTest(testing::WithoutSysAdmin());
}

}  // namespace
}  // namespace intransit
