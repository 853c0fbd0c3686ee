// The registry of live process groups and temp dirs, and the shutdown that
// empties it. See process_registry.h.
//
// Why a sigwait thread and not a signal handler: the shutdown must wait
// (a polled grace after SIGTERM), walk /proc, reap, and remove directory
// trees. opendir, std::filesystem and sleeping in a loop are not
// async-signal-safe, and doing it in a handler would run it on top of
// whatever the interrupted thread held (malloc's lock, the registry's
// mutex). So SIGINT and SIGTERM are blocked in every thread (the mask is set
// in main before any thread exists and inherited by all of them; children
// get an empty mask back in Subprocess) and one dedicated thread takes them
// with sigwait, where ordinary code is safe. The registry's mutex is only
// held briefly by the other threads, so the shutdown thread never waits long
// for it; and because it sets `shutdown` under that mutex, a spawn or a
// mkdtemp racing with it either is recorded before (and cleaned up) or is
// refused after.
#include "base/process_registry.h"

#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "base/pid_keeper.h"

namespace intransit {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// How long recorded groups get to exit after SIGTERM on SIGINT/SIGTERM, and
// how long descendants are hunted before we give up and exit anyway.
constexpr auto kTermGrace = std::chrono::milliseconds(2000);
constexpr auto kReapDeadline = std::chrono::milliseconds(5000);

std::mutex g_mu;
std::set<pid_t> g_groups;          // under g_mu
std::vector<std::string> g_dirs;   // under g_mu
bool g_shutdown = false;           // under g_mu: no more spawns nor temp dirs
std::atomic<int> g_signal{0};      // the signal being handled, 0 if none

struct ProcEntry {
  pid_t pid = 0, ppid = 0, pgrp = 0;
  char state = 0;
};

// Every process /proc shows us (threads are not listed at the top level).
std::vector<ProcEntry> ScanProc() {
  std::vector<ProcEntry> out;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return out;
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
    // pid (comm) state ppid pgrp ...: comm may hold spaces and ')', so parse
    // after the last ')'.
    char* close_paren = strrchr(buf, ')');
    if (close_paren == nullptr) continue;
    ProcEntry p;
    p.pid = atoi(e->d_name);
    if (sscanf(close_paren + 1, " %c %d %d", &p.state, &p.ppid, &p.pgrp) != 3) continue;
    out.push_back(p);
  }
  closedir(proc);
  return out;
}

bool Dead(char state) { return state == 'Z' || state == 'X'; }

std::vector<pid_t> Snapshot() {
  std::lock_guard<std::mutex> lock(g_mu);
  return {g_groups.begin(), g_groups.end()};
}

void SignalGroups(int sig) {
  for (pid_t g : Snapshot()) kill(-g, sig);
}

// Kills and reaps every descendant. Only our direct children are killed by
// pid: a child we have not reaped keeps its pid, so the kill cannot reach a
// stranger. A grandchild whose parent dies is reparented to us (we are a
// subreaper) and is killed on the next round; so the loop ends when
// waitpid says we have no child left, or at the deadline. With a keeper
// (pid_keeper.h) orphans go to the keeper instead, and the keeper's death
// takes them; its own exit waits until we have reaped our children of the
// namespace, which is why this reaps any child, never the keeper alone.
void KillAndReapDescendants(Clock::time_point deadline) {
  const pid_t me = getpid();
  while (true) {
    for (const ProcEntry& e : ScanProc()) {
      if (e.ppid == me && !Dead(e.state)) kill(e.pid, SIGKILL);
    }
    while (true) {
      pid_t r = waitpid(-1, nullptr, WNOHANG | __WALL);
      if (r < 0 && errno == ECHILD) return;
      if (r <= 0) break;
    }
    if (Clock::now() >= deadline) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

// Removes every recorded temp dir; returns how many.
int RemoveRecordedDirs() {
  std::vector<std::string> dirs;
  {
    std::lock_guard<std::mutex> lock(g_mu);
    dirs.swap(g_dirs);
  }
  // Retried: while we shut down, the main thread may still be writing into
  // a tree (its servers died under it), and remove_all then fails with
  // "directory not empty"; it stops soon enough.
  auto end = Clock::now() + std::chrono::milliseconds(2000);
  for (const auto& d : dirs) {
    std::error_code ec;
    while (fs::remove_all(d, ec), fs::exists(d, ec) && Clock::now() < end) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  return static_cast<int>(dirs.size());
}

[[noreturn]] void Shutdown(int sig) {
  g_signal = sig;
  {
    std::lock_guard<std::mutex> lock(g_mu);
    g_shutdown = true;
  }
  std::vector<pid_t> groups = Snapshot();
  // SIGTERM first: a store may want to flush its log; a short polled grace.
  SignalGroups(SIGTERM);
  auto grace_end = Clock::now() + kTermGrace;
  while (Clock::now() < grace_end) {
    bool alive = false;
    for (pid_t g : Snapshot()) alive = alive || GroupHasLiveMembers(g);
    if (!alive) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  SignalGroups(SIGKILL);
  // Last, the keeper (if any): whatever of the namespace is left dies with it.
  KillKeeper();
  KillAndReapDescendants(Clock::now() + kReapDeadline);
  int dirs = RemoveRecordedDirs();
  fprintf(stderr, "intransit: %s: stopped %zu process group(s), removed %d temp dir(s)\n",
          sig == SIGINT ? "SIGINT" : "SIGTERM", groups.size(), dirs);
  fflush(stderr);
  fflush(stdout);
  _exit(128 + sig);
}

}  // namespace

void InstallProcessCleanup() {
  // First of all: the keeper must be the first child we fork (pid_keeper.h).
  StartKeeper();
  // Without it a setsid grandchild is reparented to init when its parent
  // dies, and we could neither kill nor reap it by the rules above.
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([set] {
    int sig = 0;
    while (sigwait(&set, &sig) != 0) {
    }
    Shutdown(sig);
  }).detach();
}

void FinishProcessCleanup() {
  if (g_signal.load() != 0) {
    // The signal thread is cleaning up and will exit with 130/143.
    while (true) std::this_thread::sleep_for(std::chrono::hours(1));
  }
  KillRecordedGroups();
  KillKeeper();
  KillAndReapDescendants(Clock::now() + kReapDeadline);
  RemoveRecordedDirs();
}

bool RecordGroup(pid_t pgid) {
  std::lock_guard<std::mutex> lock(g_mu);
  if (g_shutdown) return false;
  g_groups.insert(pgid);
  return true;
}

void ForgetGroup(pid_t pgid) {
  std::lock_guard<std::mutex> lock(g_mu);
  g_groups.erase(pgid);
}

std::vector<pid_t> RecordedGroups() { return Snapshot(); }

void KillRecordedGroups() {
  std::vector<pid_t> groups;
  {
    std::lock_guard<std::mutex> lock(g_mu);
    groups.assign(g_groups.begin(), g_groups.end());
    g_groups.clear();
  }
  for (pid_t g : groups) kill(-g, SIGKILL);
  // Reap the leaders (our children) so no zombie outlives us.
  for (pid_t g : groups) waitpid(g, nullptr, 0);
}

Result<std::string> MakeTempDir(const std::string& parent, const std::string& prefix,
                                bool record) {
  std::string pattern = parent + "/" + prefix + "XXXXXX";
  std::lock_guard<std::mutex> lock(g_mu);
  if (g_shutdown) return Status::Infra("interrupted: not creating a directory in " + parent);
  if (mkdtemp(pattern.data()) == nullptr) {
    return Status::Infra("cannot create a directory in " + parent + ": " + strerror(errno));
  }
  if (record) g_dirs.push_back(pattern);
  return pattern;
}

void RemoveTempDir(const std::string& path) {
  std::error_code ec;
  fs::remove_all(path, ec);
  ForgetTempDir(path);
}

void ForgetTempDir(const std::string& path) {
  std::lock_guard<std::mutex> lock(g_mu);
  std::erase(g_dirs, path);
}

std::vector<std::string> RecordedTempDirs() {
  std::lock_guard<std::mutex> lock(g_mu);
  return g_dirs;
}

bool ShuttingDown() {
  std::lock_guard<std::mutex> lock(g_mu);
  return g_shutdown;
}

std::vector<pid_t> LiveDescendants(pid_t root) {
  std::multimap<pid_t, const ProcEntry*> children;
  std::vector<ProcEntry> all = ScanProc();
  for (const ProcEntry& e : all) children.emplace(e.ppid, &e);
  std::vector<pid_t> out, todo{root};
  while (!todo.empty()) {
    pid_t p = todo.back();
    todo.pop_back();
    auto [b, e] = children.equal_range(p);
    for (auto it = b; it != e; ++it) {
      if (!Dead(it->second->state)) out.push_back(it->second->pid);
      todo.push_back(it->second->pid);
    }
  }
  return out;
}

bool GroupHasLiveMembers(pid_t pgid) {
  if (kill(-pgid, 0) != 0) return false;
  for (const ProcEntry& e : ScanProc()) {
    if (e.pgrp == pgid && !Dead(e.state)) return true;
  }
  return false;
}

}  // namespace intransit
