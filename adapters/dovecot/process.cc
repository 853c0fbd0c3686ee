// Child processes with deadlines, and the registry that kills them all on
// the way out. See process.h.
//
// Everything between fork and exec is async-signal-safe: the argv and envp
// arrays are built before fork, and the child only calls setpgid, prctl,
// dup2, sigaction-free resets and execve.
#include "adapters/dovecot/process.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <thread>

namespace intransit::dovecot {
namespace {

using Clock = std::chrono::steady_clock;

// The registry: a fixed array so the signal handler can walk it without
// locks or allocation. 0 = free slot.
constexpr int kSlots = 256;
std::atomic<pid_t> g_groups[kSlots];
struct sigaction g_old_int, g_old_term;
std::once_flag g_install_once;

void OnSignal(int sig) {
  KillAllRecorded();
  // Hand the signal on as if we had never been here: the CLI's own handler,
  // or the default (terminate).
  sigaction(sig, sig == SIGINT ? &g_old_int : &g_old_term, nullptr);
  raise(sig);
}

void InstallOnce() {
  std::call_once(g_install_once, [] {
    struct sigaction sa {};
    sa.sa_handler = OnSignal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &g_old_int);
    sigaction(SIGTERM, &sa, &g_old_term);
    // A write to a child that already exited must be an EPIPE, not our death.
    signal(SIGPIPE, SIG_IGN);
    std::atexit(KillAllRecorded);
  });
}

void Record(pid_t pgid) {
  InstallOnce();
  for (auto& slot : g_groups) {
    pid_t expected = 0;
    if (slot.compare_exchange_strong(expected, pgid)) return;
  }
  // More than kSlots live children: the adapter never has more than a few.
}

void Forget(pid_t pgid) {
  for (auto& slot : g_groups) {
    pid_t expected = pgid;
    if (slot.compare_exchange_strong(expected, 0)) return;
  }
}

// Waits (a few ms at a time) until no process is left in group `pgid`, up
// to `ms`. Children of a killed master are reparented and reaped by init.
// A zombie counts as gone: it runs nothing, and init reaps it when it gets
// to it (in a container that may take a second).
bool GroupHasLiveMembers(pid_t pgid) {
  if (kill(-pgid, 0) != 0) return false;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return true;
  bool live = false;
  while (dirent* e = readdir(proc)) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    char path[300];
    snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
    FILE* f = fopen(path, "r");
    if (f == nullptr) continue;
    char buf[512];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    // pid (comm) state ppid pgrp ...: comm may hold spaces, so parse after ')'.
    char* close_paren = strrchr(buf, ')');
    if (close_paren == nullptr) continue;
    char state = 0;
    int ppid = 0, pgrp = 0;
    if (sscanf(close_paren + 1, " %c %d %d", &state, &ppid, &pgrp) != 3) continue;
    if (pgrp == pgid && state != 'Z' && state != 'X') {
      live = true;
      break;
    }
  }
  closedir(proc);
  return live;
}

void AwaitGroupGone(pid_t pgid, int ms) {
  auto deadline = Clock::now() + std::chrono::milliseconds(ms);
  while (GroupHasLiveMembers(pgid) && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

std::string Resolve(const std::string& program) {
  if (program.find('/') != std::string::npos) return program;
  std::string path = kChildPath;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    std::string candidate = path.substr(start, end - start) + "/" + program;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return "";
}

// argv/envp as the C arrays execve wants; built before fork.
struct ExecArgs {
  std::string path;
  std::vector<std::string> storage_env;
  std::vector<char*> argv, envp;

  ExecArgs(const std::vector<std::string>& args, const std::vector<std::string>& env) {
    path = Resolve(args.at(0));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    storage_env.push_back(std::string("PATH=") + kChildPath);
    for (const auto& e : env) storage_env.push_back(e);
    for (auto& e : storage_env) envp.push_back(e.data());
    envp.push_back(nullptr);
  }
};

// In the child, after fork: own group, die with the parent, clean signals,
// fds 0-2 as given, everything else closed, exec. Reports exec's errno on
// `report_fd` (close-on-exec, so a successful exec closes it silently).
[[noreturn]] void ExecChild(const ExecArgs& a, pid_t parent, int in_fd, int out_fd, int err_fd,
                            int report_fd) {
  setpgid(0, 0);
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(127);  // the parent died before prctl
  signal(SIGPIPE, SIG_DFL);
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0) _exit(127);
  // Close every other descriptor but the report pipe (close-on-exec).
  for (int fd = 3; fd < 1024; ++fd) {
    if (fd != report_fd) close(fd);
  }
  execve(a.path.c_str(), a.argv.data(), a.envp.data());
  int e = errno;
  ssize_t ignored = write(report_fd, &e, sizeof e);
  (void)ignored;
  _exit(127);
}

// Forks and execs; returns the pid or an Infra error (exec failure included).
Result<pid_t> Spawn(const ExecArgs& a, int in_fd, int out_fd, int err_fd) {
  if (a.path.empty()) {
    return Status::Infra("cannot find '" + std::string(a.argv[0]) + "' in " + kChildPath);
  }
  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0) return Status::Infra(std::string("pipe: ") + strerror(errno));
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    close(report[0]);
    close(report[1]);
    return Status::Infra(std::string("fork: ") + strerror(errno));
  }
  if (pid == 0) ExecChild(a, parent, in_fd, out_fd, err_fd, report[1]);
  setpgid(pid, pid);  // also here: no race with a kill(-pid) right after
  Record(pid);
  close(report[1]);
  int e = 0;
  ssize_t n;
  do {
    n = read(report[0], &e, sizeof e);
  } while (n < 0 && errno == EINTR);
  close(report[0]);
  if (n == sizeof e) {
    waitpid(pid, nullptr, 0);
    Forget(pid);
    return Status::Infra("cannot run " + a.path + ": " + strerror(e));
  }
  return pid;
}

std::string DescribeStatus(int status) {
  if (WIFEXITED(status)) return "exit " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "status " + std::to_string(status);
}

struct Running {
  pid_t pid = -1;
  int in = -1, out = -1, err = -1;
  size_t written = 0;
  Clock::time_point deadline;
  bool done = false;
};

void CloseFd(int* fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

}  // namespace

void KillAllRecorded() {
  for (auto& slot : g_groups) {
    pid_t p = slot.load();
    if (p > 0) kill(-p, SIGKILL);
  }
  // Reap our direct children so no zombie outlives us (the masters'
  // children are reaped by init once the masters are gone).
  for (auto& slot : g_groups) {
    pid_t p = slot.exchange(0);
    if (p > 0) waitpid(p, nullptr, 0);
  }
}

std::vector<pid_t> RecordedGroups() {
  std::vector<pid_t> out;
  for (auto& slot : g_groups) {
    pid_t p = slot.load();
    if (p > 0) out.push_back(p);
  }
  return out;
}

std::string CommandResult::Describe() const {
  if (timed_out) return "timed out after " + std::to_string(elapsed_ms) + " ms (killed)";
  if (signal != 0) return "killed by signal " + std::to_string(signal);
  return "exit " + std::to_string(exit_code);
}

Status RunCommands(const std::vector<Command>& commands, std::vector<CommandResult>* results) {
  InstallOnce();
  results->assign(commands.size(), CommandResult());
  std::vector<Running> run(commands.size());
  auto start = Clock::now();
  Status failure;
  // On an early return: the commands already started must not outlive it
  // (nor their pipes stay open).
  auto abandon = [&](Status why) {
    for (Running& r : run) {
      if (r.done || r.pid < 0) continue;
      kill(-r.pid, SIGKILL);
      waitpid(r.pid, nullptr, 0);
      AwaitGroupGone(r.pid, 1000);
      Forget(r.pid);
      CloseFd(&r.in);
      CloseFd(&r.out);
      CloseFd(&r.err);
      r.done = true;
    }
    return why;
  };

  for (size_t i = 0; i < commands.size(); ++i) {
    int in[2], out[2], err[2];
    if (pipe2(in, O_CLOEXEC) != 0) {
      return abandon(Status::Infra(std::string("pipe: ") + strerror(errno)));
    }
    if (pipe2(out, O_CLOEXEC) != 0) {
      int e = errno;
      close(in[0]);
      close(in[1]);
      return abandon(Status::Infra(std::string("pipe: ") + strerror(e)));
    }
    if (pipe2(err, O_CLOEXEC) != 0) {
      int e = errno;
      for (int fd : {in[0], in[1], out[0], out[1]}) close(fd);
      return abandon(Status::Infra(std::string("pipe: ") + strerror(e)));
    }
    ExecArgs args(commands[i].argv, commands[i].env);
    auto pid = Spawn(args, in[0], out[1], err[1]);
    close(in[0]);
    close(out[1]);
    close(err[1]);
    if (!pid.ok()) {
      close(in[1]);
      close(out[0]);
      close(err[0]);
      failure = pid.status();
      run[i].done = true;
      continue;
    }
    run[i].pid = *pid;
    run[i].in = in[1];
    run[i].out = out[0];
    run[i].err = err[0];
    fcntl(run[i].in, F_SETFL, O_NONBLOCK);
    run[i].deadline = start + std::chrono::milliseconds(commands[i].timeout_ms);
    if (commands[i].input.empty()) CloseFd(&run[i].in);
  }

  char buf[65536];
  while (true) {
    std::vector<pollfd> fds;
    std::vector<std::pair<size_t, int*>> owners;
    bool pending = false;
    auto now = Clock::now();
    int wait_ms = 1000;
    for (size_t i = 0; i < run.size(); ++i) {
      Running& r = run[i];
      if (r.done) continue;
      CommandResult& res = (*results)[i];
      if (now >= r.deadline) {
        // Hard timeout: the whole group, no SIGTERM (doveadm may ignore it).
        kill(-r.pid, SIGKILL);
        int status = 0;
        waitpid(r.pid, &status, 0);
        AwaitGroupGone(r.pid, 1000);
        Forget(r.pid);
        CloseFd(&r.in);
        CloseFd(&r.out);
        CloseFd(&r.err);
        res.timed_out = true;
        res.signal = SIGKILL;
        res.elapsed_ms = static_cast<int>(
            std::chrono::duration_cast<std::chrono::milliseconds>(now - start).count());
        r.done = true;
        continue;
      }
      if (r.out < 0 && r.err < 0) {
        // Output closed: has it exited? Look without reaping, so the group
        // can be killed (stragglers) before the pid is released.
        siginfo_t info{};
        if (waitid(P_PID, r.pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == r.pid) {
          kill(-r.pid, SIGKILL);
          int status = 0;
          waitpid(r.pid, &status, 0);
          Forget(r.pid);
          CloseFd(&r.in);
          if (WIFEXITED(status)) res.exit_code = WEXITSTATUS(status);
          if (WIFSIGNALED(status)) res.signal = WTERMSIG(status);
          res.elapsed_ms = static_cast<int>(
              std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count());
          r.done = true;
          continue;
        }
        wait_ms = 1;
      }
      pending = true;
      int left = static_cast<int>(
          std::chrono::duration_cast<std::chrono::milliseconds>(r.deadline - now).count()) + 1;
      wait_ms = std::min(wait_ms, left);
      if (r.in >= 0) {
        fds.push_back({r.in, POLLOUT, 0});
        owners.emplace_back(i, &r.in);
      }
      if (r.out >= 0) {
        fds.push_back({r.out, POLLIN, 0});
        owners.emplace_back(i, &r.out);
      }
      if (r.err >= 0) {
        fds.push_back({r.err, POLLIN, 0});
        owners.emplace_back(i, &r.err);
      }
    }
    if (!pending) break;
    if (fds.empty()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(std::max(wait_ms, 0)));
      continue;
    }
    int n = poll(fds.data(), fds.size(), std::max(wait_ms, 0));
    if (n < 0 && errno != EINTR) {
      return abandon(Status::Infra(std::string("poll: ") + strerror(errno)));
    }
    for (size_t k = 0; k < fds.size(); ++k) {
      if (fds[k].revents == 0) continue;
      auto [i, fdp] = owners[k];
      Running& r = run[i];
      CommandResult& res = (*results)[i];
      if (fdp == &r.in) {
        const std::string& input = commands[i].input;
        ssize_t w = write(r.in, input.data() + r.written, input.size() - r.written);
        if (w > 0) r.written += static_cast<size_t>(w);
        if (w < 0 && errno != EAGAIN && errno != EINTR) CloseFd(&r.in);
        if (r.written == input.size()) CloseFd(&r.in);
        continue;
      }
      ssize_t got = read(*fdp, buf, sizeof buf);
      if (got > 0) {
        (fdp == &r.out ? res.out : res.err).append(buf, static_cast<size_t>(got));
      } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
        CloseFd(fdp);
      }
    }
  }
  if (getenv("INTRANSIT_DOVECOT_DEBUG") != nullptr) {
    // A trace of every command and its time, for tuning (stderr).
    for (size_t i = 0; i < commands.size(); ++i) {
      std::string line;
      for (const auto& a : commands[i].argv) line += a + " ";
      fprintf(stderr, "[dovecot %lld] %s-> %s in %d ms\n",
              static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                         Clock::now().time_since_epoch()).count() % 100000),
              line.c_str(), (*results)[i].Describe().c_str(), (*results)[i].elapsed_ms);
    }
  }
  return failure;
}

Result<CommandResult> RunCommand(const Command& command) {
  std::vector<CommandResult> results;
  Status s = RunCommands({command}, &results);

  if (!s.ok()) return s;
  return results[0];
}

Status Daemon::Start(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                     const std::string& log_path) {
  InstallOnce();
  int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) return Status::Infra("cannot open " + log_path + ": " + strerror(errno));
  int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null < 0) {
    // Else the child's dup2 fails and it exits 127, looking like a daemon
    // that died at start.
    Status s = Status::Infra(std::string("cannot open /dev/null: ") + strerror(errno));
    close(log);
    return s;
  }
  ExecArgs args(argv, env);
  auto pid = Spawn(args, null, log, log);
  close(log);
  close(null);
  if (!pid.ok()) return pid.status();
  pid_ = *pid;
  ended_.clear();
  terminated_ = false;
  return Status::Ok();
}

bool Daemon::Alive() {
  if (pid_ < 0) return false;
  if (!ended_.empty()) return false;
  int status = 0;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == 0) return true;
  ended_ = r == pid_ ? DescribeStatus(status) : "gone";
  // Its children exit with it; make sure of it.
  kill(-pid_, SIGKILL);
  return false;
}

bool Daemon::Stop(int grace_ms) {
  if (pid_ < 0) return true;
  bool graceful = true;
  if (Alive()) {
    // Once only: a second SIGTERM to a Dovecot master that is already
    // shutting down delayed its exit past the grace period (measured).
    if (!terminated_) kill(pid_, SIGTERM);
    terminated_ = true;
    auto deadline = Clock::now() + std::chrono::milliseconds(grace_ms);
    while (Alive() && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    if (Alive()) {
      graceful = false;
      kill(-pid_, SIGKILL);
      int status = 0;
      waitpid(pid_, &status, 0);
      ended_ = DescribeStatus(status);
    }
  }
  // Stragglers of the group (a stopped child ignores the master's exit).
  kill(-pid_, SIGKILL);
  AwaitGroupGone(pid_, 2000);
  Forget(pid_);
  pid_ = -1;
  return graceful;
}

void Daemon::Terminate() {
  if (Alive() && !terminated_) kill(pid_, SIGTERM);
  terminated_ = true;
}

}  // namespace intransit::dovecot
