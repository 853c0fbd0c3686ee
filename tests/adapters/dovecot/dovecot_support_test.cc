// Helpers for the Dovecot adapter's tests (see dovecot_support.h). Named
// *_test.cc so the test glob picks it up; it holds no test cases.
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "adapters/dovecot/dovecot_server.h"
#include "base/command.h"  // ReadProc
#include "tests/adapters/dovecot/dovecot_support.h"

namespace intransit::dovecot::testing {

std::string MissingDovecot() {
  if (DovecotInstalled()) return "";
  return "dovecot not found: install the Debian packages dovecot-core "
         "dovecot-lmtpd (the Dovecot tests are skipped)";
}

Result<std::unique_ptr<Deployment>> OpenDovecot(const std::string& work_dir,
                                                const std::string& variant, Params options) {
  const AdapterInfo* info = AdapterRegistry::Global().Find("dovecot");
  AdapterConfig config;
  config.variant = variant;
  config.options = std::move(options);
  config.work_dir = work_dir;
  auto opened = info->open(config);
  // Said with the next assertion, the REQUIRE(d.ok()) that fails: why.
  if (!opened.ok()) UNSCOPED_INFO("open dovecot: " << opened.status().message());
  return opened;
}

std::vector<int> ProcessesMentioning(const std::string& needle) {
  std::vector<int> out;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return out;
  while (dirent* e = readdir(proc)) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    std::string base = std::string("/proc/") + e->d_name;
    std::string s = ReadProc(base + "/stat");
    size_t paren = s.rfind(')');
    if (paren == std::string::npos || paren + 2 >= s.size() || s[paren + 2] == 'Z') continue;
    std::string c = ReadProc(base + "/cmdline");
    std::replace(c.begin(), c.end(), '\0', ' ');
    if (c.find(needle) != std::string::npos) out.push_back(std::atoi(e->d_name));
  }
  closedir(proc);
  return out;
}

std::vector<int> LeftBehind(const std::string& work_dir, int pid) {
  std::vector<int> out = ProcessesMentioning(work_dir);
  for (const char* name : {"src", "dst"}) {
    // The slash ends the pid: intransit-src-12 must not match -123.
    for (int p :
         ProcessesMentioning("intransit-" + std::string(name) + "-" + std::to_string(pid) + "/")) {
      if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
    }
  }
  return out;
}

std::vector<int> LeftBehindAfter(const std::string& work_dir, int pid, int ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  std::vector<int> left = LeftBehind(work_dir, pid);
  while (!left.empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    left = LeftBehind(work_dir, pid);
  }
  return left;
}

bool AwaitExit(int pid, int ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (true) {
    std::string s = ReadProc("/proc/" + std::to_string(pid) + "/stat");
    if (s.empty()) return true;  // reaped
    size_t paren = s.rfind(')');
    if (paren != std::string::npos && paren + 2 < s.size() &&
        (s[paren + 2] == 'Z' || s[paren + 2] == 'X')) {
      return true;
    }
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

int MasterPid(const std::string& work_dir, const std::string& name) {
  for (const auto& entry : std::filesystem::directory_iterator(work_dir)) {
    std::ifstream f(entry.path().string() + "/" + name + "/run/master.pid");
    int pid = -1;
    if (f >> pid) return pid;
  }
  return -1;
}

std::vector<std::string> IdsOn(const Snapshot& snapshot, const std::string& server,
                               const std::string& user) {
  std::vector<std::string> ids;
  for (const auto& c : snapshot.copies) {
    if (c.server == server && c.user == user) ids.push_back(c.message);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

int Shell(const std::string& command, std::string* out) {
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return -1;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out->append(buf, n);
  int status = pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace intransit::dovecot::testing
