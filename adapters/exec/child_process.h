// A child program spoken to in lines: spawn, line framing, timeouts, reaping.
//
// The exec adapter runs a vendor's store as a child process and exchanges
// one JSON object per line with it. ChildProcess owns that process and
// nothing else about the protocol: it starts `/bin/sh -c COMMAND` in a
// process group of its own, writes whole lines to its stdin, reads whole
// lines from its stdout with a deadline, forwards its stderr line by line
// to a log stream (keeping the last few lines for error messages: a line is
// cut at 64 KiB, the quoted tail at 4 KiB), and makes sure that no process
// of the group outlives it: Stop sends SIGTERM to the group, waits a grace
// period, sends SIGKILL and reaps the leader. The process is a Subprocess
// (base/subprocess.h): recorded, and killed on SIGINT/SIGTERM.
//
//   auto child = ChildProcess::Start("python3 store.py", &std::cerr);
//   if (!child.ok()) return child.status();
//   (*child)->WriteLine(R"({"id": 1, "op": "hello"})");
//   Result<std::string> line = (*child)->ReadLine(10000);
//   (*child)->Stop();  // also done by the destructor
//
// Not thread-safe: one caller at a time (the exec adapter's actors run one
// at a time, on fibers of one thread).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <deque>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include "base/status.h"
#include "base/subprocess.h"

namespace intransit {

class ChildProcess {
 public:
  // Why the last ReadLine or WriteLine failed.
  enum class Failure { kNone, kExited, kTimeout, kIo };

  // Starts `command` under /bin/sh -c in a new process group, in our
  // working directory. Its stderr lines go to `log` prefixed "[exec PID] " (nullptr
  // = dropped; they are still kept for LastStderr).
  // Errors: Status::Infra when the sockets or the spawn fail.
  static Result<std::unique_ptr<ChildProcess>> Start(const std::string& command, std::ostream* log);

  // Stops the process group if it still runs (see Stop).
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Writes `line` and a newline. Fails (Infra, failure() = kExited or kIo)
  // when the child closed its stdin or is gone; never raises SIGPIPE.
  // Waits at most `timeout_ms` for room in the pipe (kTimeout).
  Status WriteLine(std::string_view line, int timeout_ms);

  // Returns the next line of the child's stdout, without its newline.
  // Waits at most `timeout_ms` (kTimeout). EOF (the child closed stdout or
  // exited) is kExited; the message then says how it exited when it did
  // within a moment. Lines longer than 16 MiB are kIo.
  Result<std::string> ReadLine(int timeout_ms);

  // Waits up to `timeout_ms` for the child to exit on its own (after `bye`),
  // then stops whatever is left of its group. Returns the exit status
  // (as from waitpid), or -1 if it had to be killed.
  int WaitExit(int timeout_ms);

  // SIGTERM to the process group, up to `grace_ms` for it to exit, then
  // SIGKILL, then reaps the leader. Idempotent.
  void Stop(int grace_ms = 500);

  pid_t pid() const { return proc_.pid(); }
  bool running() const { return proc_.running(); }
  Failure failure() const { return failure_; }
  // "exited with status 1", "killed by signal 9", or "" while it runs.
  std::string ExitText() const;
  // The last lines the child wrote to stderr, newest last, joined by " | ";
  // at most the last 4 KiB of them.
  std::string LastStderr() const;

 private:
  ChildProcess() = default;
  // Reads what is available on stderr and forwards complete lines (a line
  // longer than 64 KiB is cut; `final`: the partial last line too).
  void DrainStderr(bool final);
  // Forwards one stderr line to the log and keeps it in the tail.
  void EmitStderr(std::string line);
  // Polls until stdout is readable or the deadline passes; keeps serving
  // stderr meanwhile. Returns false on timeout.
  bool WaitReadable(std::chrono::steady_clock::time_point deadline);
  // Non-blocking reap of the leader (and SIGKILL to the rest of its group);
  // true once it is reaped.
  bool TryReap();
  void CloseFds();

  Subprocess proc_;
  int in_fd_ = -1;   // the child's stdin (we write)
  int out_fd_ = -1;  // the child's stdout (we read)
  int err_fd_ = -1;  // the child's stderr (we read)
  std::string out_buf_;
  size_t out_pos_ = 0;
  std::string err_buf_;     // the partial stderr line, at most 64 KiB
  size_t err_dropped_ = 0;  // > 0: inside an overlong line, bytes dropped so far
  std::deque<std::string> err_tail_;
  std::ostream* log_ = nullptr;
  Failure failure_ = Failure::kNone;
};

}  // namespace intransit
