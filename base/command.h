// Child processes for the stores that run real servers (Dovecot, Cyrus):
// commands with a hard timeout and long-lived daemons, every one of them
// recorded and reaped.
//
// Dovecot's tools do not always honour SIGTERM (a `doveadm` waiting on a
// lock ignores it), so every command runs with a deadline after which its
// whole process group gets SIGKILL. The processes themselves are the
// framework's Subprocess (base/subprocess.h): a process group each,
// recorded in the process-wide registry that SIGINT, SIGTERM and the end of
// the run empty, and PR_SET_PDEATHSIG=SIGKILL, so that if intransit itself
// is killed with SIGKILL the Dovecot masters die with it (and their
// children exit with the master).
//
//   CommandResult r = RunCommand({.argv = {"doveadm", "-c", conf, "fetch", ...},
//                                 .timeout_ms = 10000});
//   if (r.timed_out) ...;   // the group was killed and reaped
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "base/process_registry.h"  // RecordedGroups, for tests
#include "base/status.h"
#include "base/subprocess.h"

namespace intransit {

// The PATH every child gets: Dovecot's tools live in /usr/sbin and /usr/bin.
inline constexpr const char* kChildPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

struct Command {
  std::vector<std::string> argv;  // argv[0] is looked up in kChildPath
  // The whole environment, besides PATH. Children never inherit ours: a
  // doveadm started by another doveadm would otherwise ignore -c (FACTS.md).
  std::vector<std::string> env;
  std::string input;  // written to stdin, then stdin is closed
  int timeout_ms = 10000;
};

struct CommandResult {
  int exit_code = -1;   // when it exited normally
  int signal = 0;       // when a signal ended it (SIGKILL after a timeout)
  bool timed_out = false;
  std::string out, err;
  int elapsed_ms = 0;

  bool ok() const { return exit_code == 0 && !timed_out; }
  // "exit 75", "killed by signal 6", "timed out after 10000 ms".
  std::string Describe() const;
};

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
