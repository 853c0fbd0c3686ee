// For the tests that run the real `intransit` binary and check that it
// leaves no process behind: start it in the background, see its processes
// through /proc, poll until they are gone.
//
// Processes are told apart by pid *and* start time (ProcessId), so a pid
// that a loaded machine reuses for a stranger is never taken for one of
// ours, neither when checking it is gone nor when killing it. Pids come
// from /proc, never from a file a child wrote: a child in intransit's PID
// namespace (base/pid_keeper.h) knows itself by another pid.
//
//   IntransitProcess run(dir.path(), {"run", suite});
//   REQUIRE(PollUntil([&] { return run.Out().find("PASS") != npos; }));
//   std::vector<ProcessId> mine = LiveDescendantsOf(run.pid());
//   run.Signal(SIGINT);
//   int status = run.Wait(30);
//   CHECK(PollUntil([&] { return NoneRunning(mine); }));
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace intransit::testing {

struct ProcessId {
  pid_t pid = 0;
  unsigned long long start = 0;  // /proc/PID/stat field 22, clock ticks after boot
  bool operator==(const ProcessId&) const = default;
};

// The live (not zombie) processes whose command line contains `needle`.
std::vector<ProcessId> LiveProcessesMentioning(const std::string& needle);
// The live descendants of `root` (through ppid links, at this instant).
std::vector<ProcessId> LiveDescendantsOf(pid_t root);
// True while `p` runs: same pid, same start time, not a zombie.
bool StillRunning(const ProcessId& p);
bool NoneRunning(const std::vector<ProcessId>& ps);
// SIGKILL to each of `ps` that still runs (a test's last resort, so that a
// failed check leaves nothing behind).
void KillStillRunning(const std::vector<ProcessId>& ps);

// The last field of /proc/PID/status's "NSpid:" line is the pid in the
// process's own namespace; the number of fields is how deep that namespace
// is. Empty when the process is gone.
std::vector<pid_t> NamespacePids(pid_t pid);
// /proc/PID/stat's ppid (0 when gone).
pid_t ParentPid(pid_t pid);
// /proc/PID/comm without its newline ("" when gone).
std::string Comm(pid_t pid);

// Whether this process may create a PID namespace (what intransit's keeper
// needs), asked of a forked child so that this process is left unchanged.
bool PidNamespacesAllowed();
// The path of setpriv(1), which runs intransit without CAP_SYS_ADMIN (so
// without a namespace, as an unprivileged user would); "" when absent.
std::string SetprivPath();
// The argv prefix that drops CAP_SYS_ADMIN: {setpriv, ..., "--"}.
std::vector<std::string> WithoutSysAdmin();

// Calls `f` every 10 ms until it returns true or `seconds` have passed;
// returns its last answer. Never a fixed sleep: a loaded machine only
// makes it poll longer.
template <typename F>
bool PollUntil(F f, int seconds = 30) {
  auto end = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < end) {
    if (f()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return f();
}

struct IntransitOptions {
  std::string cwd;                  // its working directory ("" = ours)
  std::string tmpdir;               // its TMPDIR ("" = ours)
  std::vector<std::string> prefix;  // run through this first (WithoutSysAdmin())
};

// The `intransit` binary (INTRANSIT_BINARY) started in the background, in a
// process group of its own, its stdout and stderr in files of `dir`.
class IntransitProcess {
 public:
  // `args` without the program name. REQUIRE-free: pid() < 0 when the fork
  // failed.
  IntransitProcess(const std::string& dir, const std::vector<std::string>& args,
                   const IntransitOptions& options = {});
  // If it still runs: SIGKILL to its group, and reaped.
  ~IntransitProcess();
  IntransitProcess(const IntransitProcess&) = delete;
  IntransitProcess& operator=(const IntransitProcess&) = delete;

  pid_t pid() const { return pid_; }
  std::string Out() const;
  std::string Err() const;
  // True once it has exited (it is not reaped: Wait does that).
  bool Exited() const;
  // kill(pid, sig) while it has not been reaped; false otherwise.
  bool Signal(int sig);
  // Waits up to `seconds` for it to exit and returns its wait status; past
  // the deadline kills its group and returns -1 (a hang).
  int Wait(int seconds = 60);

 private:
  std::string out_path_, err_path_;
  pid_t pid_ = -1;
  bool reaped_ = false;
};

// "exit 130", "signal 9", "hung (killed)" for a wait status from Wait.
std::string DescribeStatus(int status);

}  // namespace intransit::testing
