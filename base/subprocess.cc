// Subprocess: see subprocess.h.
//
// fork + execve rather than posix_spawn: PR_SET_PDEATHSIG must be set in the
// child, between the two, and posix_spawn has no hook for it. Everything the
// child touches (argv, envp, the resolved path) is built before fork.
#include "base/subprocess.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>
#include <thread>

#include "base/pid_keeper.h"
#include "base/process_registry.h"

extern char** environ;

namespace intransit {
namespace {

using Clock = std::chrono::steady_clock;

std::once_flag g_once;

void InitOnce() {
  std::call_once(g_once, [] {
    // A write to a child that already exited must be EPIPE, not our death.
    signal(SIGPIPE, SIG_IGN);
    // However the process ends (a test binary, an early exit), no recorded
    // group outlives it.
    std::atexit(KillRecordedGroups);
  });
}

std::string Resolve(const std::string& program, const std::string& search_path) {
  if (program.find('/') != std::string::npos) return program;
  std::string path = search_path;
  if (path.empty()) {
    const char* p = getenv("PATH");
    path = p != nullptr ? p : "/usr/bin:/bin";
  }
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    std::string dir = path.substr(start, end - start);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return "";
}

void CloseFrom(int first, int last) {
  // close_range when the kernel has it; else a loop over the usual limit.
  if (first > last) return;
  if (syscall(SYS_close_range, first, last, 0) == 0) return;
  for (int fd = first; fd <= last && fd < 4096; ++fd) close(fd);
}

// In the child, after fork: own group, die with the parent, clean signals,
// fds 0-2 as given, every other fd closed, exec. Reports exec's errno on
// `report_fd` (close-on-exec: a successful exec closes it silently).
[[noreturn]] void ExecChild(const char* path, char* const* argv, char* const* envp, pid_t parent,
                            int in_fd, int out_fd, int err_fd, int report_fd) {
  setpgid(0, 0);
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  // The parent may have died between fork and prctl: then nothing would
  // ever kill us. (`parent` is what getppid() shows here: 0 in the keeper's
  // namespace, where our parent is outside and an orphan's is the keeper.)
  if (getppid() != parent) _exit(127);
  for (int sig = 1; sig < NSIG; ++sig) signal(sig, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);  // we block SIGINT/SIGTERM
  // Move the given fds above 2 first, so dup2 to 0-2 cannot clobber one
  // that is still to be duplicated.
  int fds[3] = {in_fd, out_fd, err_fd};
  for (int& fd : fds) {
    if (fd < 0) fd = open("/dev/null", O_RDWR);
    if (fd < 0) _exit(127);
    if (fd <= 2) {
      fd = fcntl(fd, F_DUPFD, 3);
      if (fd < 0) _exit(127);
    }
  }
  for (int i = 0; i < 3; ++i) {
    if (dup2(fds[i], i) < 0) _exit(127);
  }
  CloseFrom(3, report_fd - 1);
  CloseFrom(report_fd + 1, ~0);
  execve(path, argv, envp);
  int e = errno;
  ssize_t ignored = write(report_fd, &e, sizeof e);
  (void)ignored;
  _exit(127);
}

}  // namespace

Subprocess::~Subprocess() {
  if (running()) Stop(0);
}

Status Subprocess::Start(const SpawnSpec& spec) {
  InitOnce();
  if (spec.argv.empty()) return Status::Infra("spawn: no program given");
  std::string path = Resolve(spec.argv[0], spec.search_path);
  if (path.empty()) {
    return Status::Infra("cannot find '" + spec.argv[0] + "' in " +
                         (spec.search_path.empty() ? "PATH" : spec.search_path));
  }
  std::vector<char*> argv, envp;
  for (const auto& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  if (spec.env) {
    for (const auto& e : *spec.env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
  }
  char* const* env = spec.env ? envp.data() : environ;

  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0) return Status::Infra(std::string("pipe: ") + strerror(errno));
  // Into the keeper's PID namespace when there is one (pid_keeper.h); the
  // child checks its parent against what getppid() shows it there.
  pid_t parent = 0;
  pid_t pid = ForkIntoNamespace(&parent);
  if (pid < 0) {
    int e = errno;
    close(report[0]);
    close(report[1]);
    return Status::Infra(std::string("fork: ") + strerror(e));
  }
  if (pid == 0) {
    ExecChild(path.c_str(), argv.data(), env, parent, spec.stdin_fd, spec.stdout_fd,
              spec.stderr_fd, report[1]);
  }
  setpgid(pid, pid);  // also here: no race with a kill(-pid) right after
  pid_ = pid;
  reaped_ = false;
  stopped_ = false;
  status_ = 0;
  close(report[1]);
  if (!RecordGroup(pid)) {
    // A SIGINT/SIGTERM shutdown began while we forked: it will not see us.
    close(report[0]);
    kill(-pid, SIGKILL);
    Wait();
    return Status::Infra("interrupted: not starting " + path);
  }
  int e = 0;
  ssize_t n;
  do {
    n = read(report[0], &e, sizeof e);
  } while (n < 0 && errno == EINTR);
  close(report[0]);
  if (n == sizeof e) {
    Wait();
    return Status::Infra("cannot run " + path + ": " + strerror(e));
  }
  return Status::Ok();
}

void Subprocess::Reaped(int status) {
  reaped_ = true;
  status_ = status;
  ForgetGroup(pid_);
}

bool Subprocess::TryReap() {
  if (pid_ < 0 || reaped_) return true;
  // Look without reaping, so the group can be killed before the pid is free.
  siginfo_t info{};
  int r = waitid(P_PID, pid_, &info, WEXITED | WNOHANG | WNOWAIT);
  if (r < 0 && errno == ECHILD) {  // reaped by the shutdown thread
    Reaped(0);
    return true;
  }
  if (r != 0 || info.si_pid != pid_) return false;
  // Whatever else the command started is in the leader's group: the group
  // id stays reserved while the leader is an unreaped zombie, so this
  // reaches our processes only.
  kill(-pid_, SIGKILL);
  int st = 0;
  pid_t w;
  do {
    w = waitpid(pid_, &st, 0);
  } while (w < 0 && errno == EINTR);
  Reaped(w == pid_ ? st : 0);
  return true;
}

void Subprocess::Wait() {
  if (pid_ < 0 || reaped_) return;
  siginfo_t info{};
  while (waitid(P_PID, pid_, &info, WEXITED | WNOWAIT) < 0 && errno == EINTR) {
  }
  TryReap();
}

void Subprocess::Signal(int sig) {
  if (running()) kill(pid_, sig);
}

void Subprocess::SignalGroup(int sig) {
  if (running()) kill(-pid_, sig);
}

bool Subprocess::Stop(int grace_ms, bool term_sent) {
  if (pid_ < 0 || stopped_) return true;
  stopped_ = true;
  bool graceful = true;
  if (!reaped_) {
    if (!term_sent) kill(-pid_, SIGTERM);
    auto deadline = Clock::now() + std::chrono::milliseconds(grace_ms);
    while (!TryReap() && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (!reaped_) {
      graceful = false;
      kill(-pid_, SIGKILL);
      Wait();
    }
  }
  // The group got SIGKILL when the leader was reaped; wait for its members
  // to be gone, so a caller that removes their files next does not race them.
  auto deadline = Clock::now() + std::chrono::milliseconds(2000);
  while (GroupHasLiveMembers(pid_) && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return graceful;
}

std::string Subprocess::ExitText() const {
  if (!reaped_) return "";
  if (WIFEXITED(status_)) return "exited with status " + std::to_string(WEXITSTATUS(status_));
  if (WIFSIGNALED(status_)) {
    return "was killed by signal " + std::to_string(WTERMSIG(status_)) + " (" +
           strsignal(WTERMSIG(status_)) + ")";
  }
  return "ended";
}

}  // namespace intransit
