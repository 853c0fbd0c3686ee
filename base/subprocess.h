// Subprocess: the one way intransit starts a child process (the exec
// adapter's store, Dovecot's masters and doveadm commands).
//
// Every child runs in a process group of its own (its pgid is its pid), so
// one kill reaches everything it starts without leaving the group; it is
// recorded in the process-wide registry (process_registry.h) from its start
// until its leader is reaped, so SIGINT/SIGTERM and the end of the run reach
// it; and it gets PR_SET_PDEATHSIG=SIGKILL, so a SIGKILL of intransit takes
// it along (and, in the keeper's PID namespace when there is one,
// pid_keeper.h, everything it starts). Between fork and exec the child does only async-signal-safe
// things (the framework runs threads); exec's errno comes back on a
// close-on-exec pipe, so "cannot run" is an error of Start, not a child that
// exits 127.
//
//   Subprocess p;
//   Status s = p.Start({.argv = {"/bin/sh", "-c", cmd}, .stdin_fd = in, ...});
//   ...
//   p.Stop(500);   // SIGTERM to the group, 500 ms, SIGKILL, reaped
//
// Not thread-safe: one owner at a time.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace intransit {

struct SpawnSpec {
  // argv[0] is a path, or a name looked up in `search_path` (a PATH-style
  // list; empty = our own PATH).
  std::vector<std::string> argv;
  std::string search_path;
  // The child's whole environment; nullopt = ours.
  std::optional<std::vector<std::string>> env;
  // The child's fds 0, 1 and 2 (dup2'd; -1 = /dev/null). Every other fd is
  // closed in the child.
  int stdin_fd = -1, stdout_fd = -1, stderr_fd = -1;
};

class Subprocess {
 public:
  Subprocess() = default;
  // Stop(0) if still running.
  ~Subprocess();
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  // Starts `spec` in a new process group, recorded in the registry.
  // REQUIRES: not started, or reaped. Errors: Status::Infra when the
  // program is not found, fork/pipe/exec fail, or a SIGINT/SIGTERM shutdown
  // has begun.
  Status Start(const SpawnSpec& spec);

  // Non-blocking: true once the leader has exited (it is then reaped, and
  // whatever is left of its group gets SIGKILL). True if never started.
  bool TryReap();

  // Blocks until the leader exits; then as TryReap.
  void Wait();

  // A signal to the leader only (a Dovecot master shuts its children down
  // itself) or to the whole group.
  void Signal(int sig);
  void SignalGroup(int sig);

  // Unless `term_sent`, SIGTERM to the group; up to `grace_ms` for the leader
  // to exit; then SIGKILL to the group; reaps the leader, and waits (up to
  // 2 s) until no member of the group is alive. Returns true when the
  // leader exited within the grace. Idempotent.
  bool Stop(int grace_ms, bool term_sent = false);

  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0 && !reaped_; }
  bool reaped() const { return reaped_; }
  // The wait status (valid once reaped; 0 when another thread reaped it).
  int status() const { return status_; }
  // "exited with status 1", "was killed by signal 9 (Killed)", "" while it runs.
  std::string ExitText() const;

 private:
  void Reaped(int status);

  pid_t pid_ = -1;
  bool reaped_ = false;
  bool stopped_ = false;  // Stop ran: the group is not ours to signal again
  int status_ = 0;
};

}  // namespace intransit
