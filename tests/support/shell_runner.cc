// RunShell: see shell_runner.h.
#include "tests/support/shell_runner.h"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

extern char** environ;

namespace intransit::testing {

Finished RunShell(const std::string& command, double deadline_s) {
  using Clock = std::chrono::steady_clock;
  Finished f;
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // Its own group: a kill at the deadline reaches whatever it started.
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
  pid_t pid = -1;
  const auto start = Clock::now();
  int err = posix_spawn(&pid, "/bin/sh", nullptr, &attr, const_cast<char**>(argv), environ);
  posix_spawnattr_destroy(&attr);
  if (err != 0) return f;
  int status = 0;
  for (;;) {
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    f.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (done == pid) {
      f.in_time = true;
      f.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      ::kill(-pid, SIGKILL);  // anything the command left behind in its group
      return f;
    }
    if (f.seconds > deadline_s) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(-pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  return f;
}

std::string ShellQuote(const std::string& text) {
  std::string q = "'";
  for (char c : text) {
    if (c == '\'') {
      q += "'\\''";
    } else {
      q += c;
    }
  }
  return q + "'";
}

}  // namespace intransit::testing
