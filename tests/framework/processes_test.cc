// Tests of the one spawner and its registry ("[processes]"): an exec store's
// stderr is bounded (issue #11 item 8), and the real `intransit` binary,
// interrupted mid-run, leaves no process behind and exits 130 / 143
// (item 5). Each kill test polls (30 s deadlines) rather than sleeps.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "adapters/exec/child_process.h"
#include "base/process_registry.h"
#include "tests/support/temp_dir.h"

namespace fs = std::filesystem;

namespace intransit {
namespace {

using Clock = std::chrono::steady_clock;

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

bool Alive(pid_t pid) {
  if (kill(pid, 0) != 0) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string all((std::istreambuf_iterator<char>(stat)), {});
  auto p = all.rfind(')');
  return p != std::string::npos && p + 2 < all.size() && all[p + 2] != 'Z';
}

template <typename F>
bool PollUntil(F f, int seconds = 30) {
  auto end = Clock::now() + std::chrono::seconds(seconds);
  while (Clock::now() < end) {
    if (f()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return f();
}

// A store that records its pid, starts a setsid grandchild that records its
// own, then answers nothing: the run hangs in `hello` until killed.
const char* kStore = R"PY(
import os, subprocess, sys, time
d = sys.argv[1]
g = subprocess.Popen(["setsid", "sleep", "300"])
open(os.path.join(d, "grandchild.pid"), "w").write(str(g.pid))
open(os.path.join(d, "store.pid"), "w").write(str(os.getpid()))
time.sleep(300)
)PY";

pid_t ReadPid(const fs::path& p) {
  std::ifstream in(p);
  pid_t pid = 0;
  in >> pid;
  return pid;
}

void KillTest(int sig, int expected_exit) {
  testing::TempDir dir;
  fs::path d = dir.path();
  std::ofstream(d / "store.py") << kStore;
  std::ofstream(d / "suite.toml")
      << "[adapter]\nname = \"exec\"\ncommand = \"python3 " << (d / "store.py").string()
      << " " << d.string() << "\"\n"
      << "[[users]]\nname = \"alice\"\nhome = \"src\"\n"
      << "[[actors]]\nkind = \"mover\"\nuser = \"alice\"\nto = \"dst\"\n";
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    setenv("TMPDIR", d.c_str(), 1);
    execl(INTRANSIT_BINARY, INTRANSIT_BINARY, "run", (d / "suite.toml").c_str(), nullptr);
    _exit(127);
  }
  REQUIRE(PollUntil([&] { return fs::exists(d / "store.pid") && ReadPid(d / "store.pid") > 0; }));
  pid_t store = ReadPid(d / "store.pid");
  pid_t grandchild = ReadPid(d / "grandchild.pid");
  REQUIRE(Alive(grandchild));
  kill(pid, sig);
  int status = 0;
  waitpid(pid, &status, 0);
  if (sig == SIGKILL) {
    CHECK(WIFSIGNALED(status));
  } else {
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == expected_exit);
  }
  CHECK(PollUntil([&] { return !Alive(store); }));
  if (sig != SIGKILL) CHECK(PollUntil([&] { return !Alive(grandchild); }));
  // Ours to clean up whatever the run left (SIGKILL: the setsid grandchild).
  kill(grandchild, SIGKILL);
}

TEST_CASE("processes: SIGINT to intransit mid-run kills the exec store and its setsid grandchild",
          "[processes]") {
  KillTest(SIGINT, 130);
}

TEST_CASE("processes: SIGTERM to intransit mid-run kills the exec store and its setsid grandchild",
          "[processes]") {
  KillTest(SIGTERM, 143);
}

// KNOWN GAP (left for the lead): PDEATHSIG is set on the group leader
// (/bin/sh -c ...) only; when sh forks the store instead of exec'ing it, the
// store outlives a SIGKILL of intransit. Marked !shouldfail so it turns red
// once fixed (e.g. PDEATHSIG through a keeper process, or `exec` in sh -c).
TEST_CASE("processes: SIGKILL to intransit mid-run takes the exec store along",
          "[processes][!shouldfail]") {
  KillTest(SIGKILL, 0);
}

}  // namespace
}  // namespace intransit
