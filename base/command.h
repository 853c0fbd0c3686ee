// Child processes for the stores that run real servers (Dovecot, Cyrus):
// commands with a hard timeout and long-lived daemons, every one of them
// recorded and reaped.
//
// Dovecot's tools do not always honour SIGTERM (a `doveadm` waiting on a
// lock ignores it), so every command runs with a deadline after which its
// whole process group gets SIGKILL. A long command (a dsync of thousands of
// messages on a loaded machine) may also get a no-progress timeout instead:
// it is killed early only when it stops moving bytes, and a slow one that
// works is let run up to its deadline (docs/dovecot.md: such a dsync was
// once taken for a hung one). The processes themselves are the
// framework's Subprocess (base/subprocess.h): a process group each,
// recorded in the process-wide registry that SIGINT, SIGTERM and the end of
// the run empty, and PR_SET_PDEATHSIG=SIGKILL, so that if intransit itself
// is killed with SIGKILL the Dovecot masters die with it (and their
// children exit with the master).
//
//   CommandResult r = RunCommand({.argv = {"doveadm", "-c", conf, "fetch", ...},
//                                 .timeout_ms = 10000});
//   if (r.timed_out) ...;   // the group was killed and reaped
//
//   // Killed after 10 s without I/O (its own or dst's doveadm-servers'),
//   // or after 120 s whatever it does:
//   RunCommand({.argv = ..., .timeout_ms = 120000, .stall_ms = 10000,
//               .also_watch = {{dst_pgid, "doveadm-server"}}});
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/process_registry.h"  // RecordedGroups, for tests
#include "base/status.h"
#include "base/subprocess.h"

namespace intransit {

// The PATH every child gets: Dovecot's tools live in /usr/sbin and /usr/bin.
inline constexpr const char* kChildPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// Processes whose I/O a command's progress counts besides its own group's:
// the members of process group `pgid`, only those whose /proc/PID/comm is
// `comm` when it is not empty (a dsync counts dst's "doveadm-server"
// processes, not its log or stats process).
struct WatchedGroup {
  pid_t pgid = -1;
  std::string comm;
};

struct Command {
  std::vector<std::string> argv;  // argv[0] is looked up in kChildPath
  // The whole environment, besides PATH. Children never inherit ours: a
  // doveadm started by another doveadm would otherwise ignore -c (FACTS.md).
  std::vector<std::string> env;
  std::string input;  // written to stdin, then stdin is closed
  // The hard deadline: past it the group is killed, working or not.
  int timeout_ms = 10000;
  // 0: off. Else the group is also killed once no process of it, nor any
  // process `also_watch` names, has read or written a byte (/proc/PID/io
  // rchar and wchar: files, pipes and sockets alike) for this long. The
  // check runs every stall_ms / 5 ms (10 to 200 ms), so a stall is seen
  // between stall_ms and stall_ms + 200 ms after the last byte. A process
  // whose io this process may not read counts as idle. Each check scans
  // /proc once (the command's group and every watched one together); the
  // first only takes the baseline, so a command that ends before it costs
  // no scan at all.
  int stall_ms = 0;
  // Who else's I/O is the command's progress: the other end of a protocol
  // it waits on (some processes of a server's group, say). Their members
  // are looked up again at every check; may be empty.
  std::vector<WatchedGroup> also_watch;
};

struct CommandResult {
  int exit_code = -1;   // when it exited normally
  int signal = 0;       // when a signal ended it (SIGKILL after a timeout)
  bool timed_out = false;  // killed at its deadline or for want of progress
  bool stalled = false;    // timed_out because of stall_ms
  int stalled_ms = 0;      // then: how long it had moved no byte
  std::string out, err;
  int elapsed_ms = 0;

  bool ok() const { return exit_code == 0 && !timed_out; }
  // "exit 75", "killed by signal 6", "timed out after 10000 ms (killed)",
  // "no I/O for 10000 ms, killed after 41230 ms".
  std::string Describe() const;
};

// A /proc file's text (/proc/PID/stat, say), "" when it cannot be opened
// or read: the process is gone. Safe against a process that exits while it
// is read (tests use it too).
std::string ReadProc(const std::string& path);

// The live processes whose process group is `pgid` (a scan of /proc: its
// pids are this process's), only those whose /proc/PID/comm is `comm` when
// it is not empty. Empty when there are none or /proc cannot be read.
std::vector<pid_t> ProcessGroupMembers(pid_t pgid, const std::string& comm = "");

// The live members of every group in `groups` (each with its comm filter),
// in one scan of /proc.
std::vector<pid_t> ProcessGroupMembers(const std::vector<WatchedGroup>& groups);

// How many times this process has scanned /proc for group members so far:
// for tests of what a stall check costs.
uint64_t ProcScans();

// What `pids` have read and written so far, in bytes (/proc/PID/io rchar +
// wchar summed; a process that is gone or unreadable adds 0), and a
// fingerprint of who was counted: two calls that return different values
// saw some progress, or a process come or go.
struct IoSample {
  uint64_t bytes = 0;
  uint64_t who = 0;
  bool operator==(const IoSample&) const = default;
};
IoSample SampleIo(const std::vector<pid_t>& pids);

// Runs every command at once and waits for all of them (each against its own
// deadline). Returns Infra only when a command could not be started (fork,
// pipe or exec failed; exit 127 from exec is reported as an Infra error
// naming the program). A timeout is not an error here: the caller decides
// (the result says timed_out, the group has been killed and reaped).
Status RunCommands(const std::vector<Command>& commands, std::vector<CommandResult>* results);

// One command; see RunCommands.
Result<CommandResult> RunCommand(const Command& command);

// A long-lived child (a Dovecot or Cyrus master run in the foreground). Its stdout and stderr
// go to `log_path`. Stop() or the destructor ends the whole group.
class Daemon {
 public:
  Daemon() = default;
  ~Daemon() { Stop(0); }
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Starts `argv` with exactly `env` (plus PATH) in a new process group.
  // REQUIRES: not running.
  Status Start(const std::vector<std::string>& argv, const std::vector<std::string>& env,
               const std::string& log_path);

  // True while the process has not exited. Reaps it when it has (so a dead
  // master is noticed without a zombie lingering).
  bool Alive();

  // SIGTERM to the process, up to `grace_ms` for it to exit, then SIGKILL to
  // the whole group; reaps the process. Afterwards the group is killed with
  // SIGKILL anyway, so a child the master left behind (a stopped one, say)
  // does not survive it. Returns true when it exited within the grace period.
  bool Stop(int grace_ms);

  // Sends SIGTERM and returns at once: several daemons then shut down in
  // parallel before Stop waits for each.
  void Terminate();

  pid_t pid() const { return running_ ? proc_.pid() : -1; }
  // How it ended: "exit 89", "killed by signal 9", or "" while running.
  const std::string& ended() const { return ended_; }

 private:
  Subprocess proc_;
  bool running_ = false;  // started and not yet stopped
  std::string ended_;
  bool terminated_ = false;  // SIGTERM sent
};

}  // namespace intransit
