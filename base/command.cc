// Commands with deadlines and daemons, on the framework's Subprocess. See
// command.h.
#include "base/command.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <thread>

namespace intransit {
namespace {

using Clock = std::chrono::steady_clock;

SpawnSpec Spec(const std::vector<std::string>& argv, const std::vector<std::string>& env,
               int in_fd, int out_fd, int err_fd) {
  SpawnSpec spec;
  spec.argv = argv;
  spec.search_path = kChildPath;
  std::vector<std::string> e{std::string("PATH=") + kChildPath};
  e.insert(e.end(), env.begin(), env.end());
  spec.env = std::move(e);
  spec.stdin_fd = in_fd;
  spec.stdout_fd = out_fd;
  spec.stderr_fd = err_fd;
  return spec;
}

std::string DescribeStatus(int status) {
  if (WIFEXITED(status)) return "exit " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "status " + std::to_string(status);
}

struct Running {
  Subprocess proc;
  int in = -1, out = -1, err = -1;
  size_t written = 0;
  Clock::time_point deadline;
  // With stall_ms: the last sample, when it last changed, the next check.
  IoSample io;
  bool sampled = false;  // io holds a sample (the first check takes it)
  Clock::time_point moved, next_check;
  bool done = false;
};

int Ms(Clock::duration d) {
  return static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(d).count());
}

int CheckEvery(const Command& c) { return std::clamp(c.stall_ms / 5, 10, 200); }

// The command's group (its pgid is its pid) and whoever else it names, in
// one scan of /proc.
IoSample Progress(const Command& c, pid_t pgid) {
  std::vector<WatchedGroup> groups = {{pgid, ""}};
  groups.insert(groups.end(), c.also_watch.begin(), c.also_watch.end());
  return SampleIo(ProcessGroupMembers(groups));
}

std::atomic<uint64_t> proc_scans{0};

void CloseFd(int* fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

}  // namespace

// Not an ifstream: a process that exits between open and read makes read
// fail with ESRCH, which libstdc++'s filebuf throws from an
// istreambuf_iterator.
std::string ReadProc(const std::string& path) {
  std::string text;
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return text;
  char buf[4096];
  ssize_t got;
  while ((got = read(fd, buf, sizeof buf)) > 0) text.append(buf, static_cast<size_t>(got));
  close(fd);
  return got < 0 ? std::string() : text;
}

std::vector<pid_t> ProcessGroupMembers(pid_t pgid, const std::string& comm) {
  return ProcessGroupMembers(std::vector<WatchedGroup>{{pgid, comm}});
}

uint64_t ProcScans() { return proc_scans.load(); }

std::vector<pid_t> ProcessGroupMembers(const std::vector<WatchedGroup>& groups) {
  std::vector<pid_t> members;
  ++proc_scans;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return members;
  while (dirent* e = readdir(proc)) {
    char* end = nullptr;
    long pid = strtol(e->d_name, &end, 10);
    if (pid <= 0 || *end != '\0') continue;
    std::string stat = ReadProc(std::string("/proc/") + e->d_name + "/stat");
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and ')'.
    size_t close_paren = stat.rfind(')');
    if (close_paren == std::string::npos) continue;
    char state = 0;
    long ppid = 0, pgrp = 0;
    if (sscanf(stat.c_str() + close_paren + 1, " %c %ld %ld", &state, &ppid, &pgrp) != 3) continue;
    if (state == 'Z') continue;
    std::string comm;  // read once, only for a group that asks
    bool member = false;
    for (const WatchedGroup& g : groups) {
      if (pgrp != g.pgid || g.pgid <= 0) continue;
      if (!g.comm.empty()) {
        if (comm.empty()) comm = ReadProc(std::string("/proc/") + e->d_name + "/comm");
        if (comm != g.comm + "\n") continue;
      }
      member = true;
      break;
    }
    if (member) members.push_back(static_cast<pid_t>(pid));
  }
  closedir(proc);
  return members;
}

IoSample SampleIo(const std::vector<pid_t>& pids) {
  IoSample sample;
  for (pid_t pid : pids) {
    // FNV-1a over the pids, in the order given (the same scan gives the
    // same order).
    sample.who = (sample.who ^ static_cast<uint64_t>(pid)) * 1099511628211ull;
    std::string io = ReadProc("/proc/" + std::to_string(pid) + "/io");
    for (const char* key : {"rchar: ", "wchar: "}) {
      size_t at = io.find(key);
      if (at != std::string::npos) sample.bytes += strtoull(io.c_str() + at + 7, nullptr, 10);
    }
  }
  return sample;
}

std::string CommandResult::Describe() const {
  if (stalled) {
    return "no I/O for " + std::to_string(stalled_ms) + " ms, killed after " +
           std::to_string(elapsed_ms) + " ms";
  }
  if (timed_out) return "timed out after " + std::to_string(elapsed_ms) + " ms (killed)";
  if (signal != 0) return "killed by signal " + std::to_string(signal);
  return "exit " + std::to_string(exit_code);
}

Status RunCommands(const std::vector<Command>& commands, std::vector<CommandResult>* results) {
  results->assign(commands.size(), CommandResult());
  std::vector<Running> run(commands.size());
  auto start = Clock::now();
  Status failure;
  // On an early return: the commands already started must not outlive it
  // (nor their pipes stay open).
  auto abandon = [&](Status why) {
    for (Running& r : run) {
      if (r.done || !r.proc.running()) continue;
      r.proc.Stop(0);
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
    Status started =
        run[i].proc.Start(Spec(commands[i].argv, commands[i].env, in[0], out[1], err[1]));
    close(in[0]);
    close(out[1]);
    close(err[1]);
    if (!started.ok()) {
      close(in[1]);
      close(out[0]);
      close(err[0]);
      failure = started;
      run[i].done = true;
      continue;
    }
    run[i].in = in[1];
    run[i].out = out[0];
    run[i].err = err[0];
    fcntl(run[i].in, F_SETFL, O_NONBLOCK);
    run[i].deadline = start + std::chrono::milliseconds(commands[i].timeout_ms);
    if (commands[i].stall_ms > 0) {
      // No scan yet: the first check takes the baseline (a short command
      // ends before it, and /proc is never read for it).
      run[i].moved = Clock::now();
      run[i].next_check = run[i].moved + std::chrono::milliseconds(CheckEvery(commands[i]));
    }
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
      const Command& c = commands[i];
      bool stalled = false;
      if (c.stall_ms > 0 && now >= r.next_check) {
        IoSample io = Progress(c, r.proc.pid());
        // The baseline's I/O is not progress: the command is given
        // stall_ms from its start, as if it had been still until then.
        if (r.sampled && !(io == r.io)) r.moved = now;
        r.io = io;
        r.sampled = true;
        r.next_check = now + std::chrono::milliseconds(CheckEvery(c));
        // With its output closed it is about to exit (reaped below), or the
        // deadline ends it.
        stalled = now - r.moved >= std::chrono::milliseconds(c.stall_ms) &&
                  (r.out >= 0 || r.err >= 0);
      }
      if (now >= r.deadline || stalled) {
        // Hard timeout: the whole group, no SIGTERM (doveadm may ignore it).
        r.proc.SignalGroup(SIGKILL);
        r.proc.Stop(0, /*term_sent=*/true);
        CloseFd(&r.in);
        CloseFd(&r.out);
        CloseFd(&r.err);
        res.timed_out = true;
        res.stalled = stalled && now < r.deadline;
        if (res.stalled) res.stalled_ms = Ms(now - r.moved);
        res.signal = SIGKILL;
        res.elapsed_ms = Ms(now - start);
        r.done = true;
        continue;
      }
      if (r.out < 0 && r.err < 0) {
        // Output closed: has it exited? Look without reaping, so the group
        // can be killed (stragglers) before the pid is released.
        if (r.proc.TryReap()) {
          int status = r.proc.status();
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
      int left = Ms(r.deadline - now) + 1;
      wait_ms = std::min(wait_ms, left);
      if (c.stall_ms > 0) wait_ms = std::min(wait_ms, Ms(r.next_check - now) + 1);
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
  int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) return Status::Infra("cannot open " + log_path + ": " + strerror(errno));
  Status s = proc_.Start(Spec(argv, env, /*stdin: /dev/null*/ -1, log, log));
  close(log);
  if (!s.ok()) return s;
  running_ = true;
  ended_.clear();
  terminated_ = false;
  return Status::Ok();
}

bool Daemon::Alive() {
  if (!running_) return false;
  if (!ended_.empty()) return false;
  // TryReap also sends SIGKILL to the rest of the group: its children exit
  // with the master; make sure of it.
  if (!proc_.TryReap()) return true;
  ended_ = DescribeStatus(proc_.status());
  return false;
}

bool Daemon::Stop(int grace_ms) {
  if (!running_) return true;
  // Once only: a second SIGTERM to a Dovecot master that is already
  // shutting down delayed its exit past the grace period (measured). The
  // master alone: it shuts its children down itself.
  if (!terminated_) proc_.Signal(SIGTERM);
  terminated_ = true;
  bool graceful = proc_.Stop(grace_ms, /*term_sent=*/true);
  if (ended_.empty()) ended_ = DescribeStatus(proc_.status());
  running_ = false;
  return graceful;
}

void Daemon::Terminate() {
  if (Alive() && !terminated_) proc_.Signal(SIGTERM);
  terminated_ = true;
}

}  // namespace intransit
