// Processes seen through /proc, and intransit run in the background: see
// process_watch.h.
#include "tests/support/process_watch.h"

#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <sstream>

extern char** environ;

namespace intransit::testing {
namespace {

// With read(2), not a stream: a process that ends while we read its /proc
// file fails the read with ESRCH, which libstdc++'s filebuf throws.
std::string ReadAll(const std::string& path) {
  std::string out;
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  close(fd);
  return out;
}

struct Stat {
  bool ok = false;
  char state = 0;
  pid_t ppid = 0;
  unsigned long long start = 0;
};

// /proc/PID/stat: "pid (comm) state ppid ... starttime(22) ...". comm may
// hold spaces and ')', so the fields are read after the last ')'.
Stat ReadStat(pid_t pid) {
  Stat s;
  std::string text = ReadAll("/proc/" + std::to_string(pid) + "/stat");
  size_t paren = text.rfind(')');
  if (paren == std::string::npos) return s;
  std::istringstream rest(text.substr(paren + 1));
  std::string field;
  rest >> s.state >> s.ppid;
  // Fields 5 to 21 (pgrp .. itrealvalue), then 22, starttime.
  for (int i = 5; i <= 21 && rest >> field; ++i) {
  }
  s.ok = static_cast<bool>(rest >> s.start);
  return s;
}

bool Zombie(char state) { return state == 'Z' || state == 'X'; }

std::vector<pid_t> AllPids() {
  std::vector<pid_t> out;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return out;
  while (dirent* e = readdir(proc)) {
    if (e->d_name[0] >= '0' && e->d_name[0] <= '9') out.push_back(atoi(e->d_name));
  }
  closedir(proc);
  return out;
}

}  // namespace

std::vector<ProcessId> LiveProcessesMentioning(const std::string& needle) {
  std::vector<ProcessId> out;
  for (pid_t pid : AllPids()) {
    std::string cmd = ReadAll("/proc/" + std::to_string(pid) + "/cmdline");
    std::replace(cmd.begin(), cmd.end(), '\0', ' ');
    if (cmd.find(needle) == std::string::npos) continue;
    Stat s = ReadStat(pid);
    if (s.ok && !Zombie(s.state)) out.push_back({pid, s.start});
  }
  return out;
}

std::vector<ProcessId> LiveDescendantsOf(pid_t root) {
  std::multimap<pid_t, std::pair<pid_t, Stat>> children;
  for (pid_t pid : AllPids()) {
    Stat s = ReadStat(pid);
    if (s.ok) children.emplace(s.ppid, std::pair{pid, s});
  }
  std::vector<ProcessId> out;
  std::vector<pid_t> todo{root};
  while (!todo.empty()) {
    pid_t p = todo.back();
    todo.pop_back();
    auto [b, e] = children.equal_range(p);
    for (auto it = b; it != e; ++it) {
      const auto& [pid, s] = it->second;
      if (!Zombie(s.state)) out.push_back({pid, s.start});
      todo.push_back(pid);
    }
  }
  return out;
}

bool StillRunning(const ProcessId& p) {
  Stat s = ReadStat(p.pid);
  return s.ok && s.start == p.start && !Zombie(s.state);
}

bool NoneRunning(const std::vector<ProcessId>& ps) {
  return std::none_of(ps.begin(), ps.end(), StillRunning);
}

void KillStillRunning(const std::vector<ProcessId>& ps) {
  for (const ProcessId& p : ps) {
    if (StillRunning(p)) kill(p.pid, SIGKILL);
  }
}

std::vector<pid_t> NamespacePids(pid_t pid) {
  std::istringstream in(ReadAll("/proc/" + std::to_string(pid) + "/status"));
  std::string line;
  std::vector<pid_t> out;
  while (std::getline(in, line)) {
    if (line.rfind("NSpid:", 0) != 0) continue;
    std::istringstream fields(line.substr(6));
    pid_t p;
    while (fields >> p) out.push_back(p);
  }
  return out;
}

pid_t ParentPid(pid_t pid) {
  Stat s = ReadStat(pid);
  return s.ok ? s.ppid : 0;
}

std::string Comm(pid_t pid) {
  std::string c = ReadAll("/proc/" + std::to_string(pid) + "/comm");
  if (!c.empty() && c.back() == '\n') c.pop_back();
  return c;
}

bool PidNamespacesAllowed() {
  pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) _exit(unshare(CLONE_NEWPID) == 0 ? 0 : 1);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

std::string SetprivPath() {
  for (const char* p : {"/usr/bin/setpriv", "/bin/setpriv", "/usr/sbin/setpriv"}) {
    if (access(p, X_OK) == 0) return p;
  }
  return "";
}

std::vector<std::string> WithoutSysAdmin() {
  // Out of the bounding set, so the exec of intransit cannot regain it.
  return {SetprivPath(), "--inh-caps=-sys_admin", "--bounding-set=-sys_admin", "--"};
}

IntransitProcess::IntransitProcess(const std::string& dir, const std::vector<std::string>& args,
                                   const IntransitOptions& options)
    : out_path_(dir + "/intransit.out"), err_path_(dir + "/intransit.err") {
  // Everything the child needs is built before fork: the test binary may
  // run threads, and the child only calls async-signal-safe functions.
  std::vector<std::string> argv_s = options.prefix;
  argv_s.push_back(INTRANSIT_BINARY);
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_s;
  for (char** e = environ; *e != nullptr; ++e) {
    if (options.tmpdir.empty() || std::string(*e).rfind("TMPDIR=", 0) != 0) env_s.push_back(*e);
  }
  if (!options.tmpdir.empty()) env_s.push_back("TMPDIR=" + options.tmpdir);
  std::vector<char*> envp;
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);
  int out = open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  int err = open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
  const char* cwd = options.cwd.empty() ? nullptr : options.cwd.c_str();
  pid_ = fork();
  if (pid_ == 0) {
    // Its own group: the destructor's last-resort kill reaches all of it.
    setpgid(0, 0);
    if (cwd != nullptr && chdir(cwd) != 0) _exit(127);
    if (out < 0 || err < 0 || in < 0) _exit(127);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  if (pid_ > 0) setpgid(pid_, pid_);
  for (int fd : {out, err, in}) {
    if (fd >= 0) close(fd);
  }
}

IntransitProcess::~IntransitProcess() {
  if (pid_ > 0 && !reaped_) {
    kill(-pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

std::string IntransitProcess::Out() const { return ReadAll(out_path_); }
std::string IntransitProcess::Err() const { return ReadAll(err_path_); }

bool IntransitProcess::Exited() const {
  if (pid_ <= 0 || reaped_) return true;
  siginfo_t info{};
  return waitid(P_PID, pid_, &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid == pid_;
}

bool IntransitProcess::Signal(int sig) { return pid_ > 0 && !reaped_ && kill(pid_, sig) == 0; }

int IntransitProcess::Wait(int seconds) {
  if (pid_ <= 0 || reaped_) return -1;
  int status = 0;
  bool exited = PollUntil(
      [&] {
        pid_t r = waitpid(pid_, &status, WNOHANG);
        return r == pid_ || (r < 0 && errno != EINTR);
      },
      seconds);
  if (!exited) {
    kill(-pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    status = -1;
  }
  reaped_ = true;
  return status;
}

std::string DescribeStatus(int status) {
  if (status == -1) return "hung (killed)";
  if (WIFEXITED(status)) return "exit " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "signal " + std::to_string(WTERMSIG(status));
  return "status " + std::to_string(status);
}

}  // namespace intransit::testing
