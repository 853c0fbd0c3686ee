// What the exec adapter's test files share: where the scripts are, a check
// that a program's process is gone, temp dirs, configs, and a gate without
// a scheduler that decides each point from a table.
#pragma once

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "store/adapter.h"
#include "store/gate.h"
#include "tests/support/fake_gate.h"
#include "tests/support/temp_dir.h"

namespace intransit {
namespace exec_test {

namespace fs = std::filesystem;

inline const std::string kSource = INTRANSIT_SOURCE_DIR;
inline const std::string kScripts = kSource + "/tests/adapters/exec/";
inline const std::string kPythonStore = "python3 " + kSource + "/examples/python-store/store.py";

// True once `pid` runs no more: it does not exist, or is a zombie whose
// parent is not us (an orphan left to init: not running, nothing to reap).
inline bool Gone(pid_t pid, int wait_ms = 3000) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
  while (true) {
    if (kill(pid, 0) != 0 && errno == ESRCH) return true;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    size_t paren = text.rfind(')');
    if (paren != std::string::npos && paren + 2 < text.size() && text[paren + 2] == 'Z') {
      std::istringstream rest(text.substr(paren + 4));
      pid_t ppid = 0;
      rest >> ppid;
      if (ppid != getpid()) return true;
    }
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

using ::intransit::testing::TempDir;

inline std::vector<pid_t> ReadPids(const std::string& file) {
  std::vector<pid_t> pids;
  std::ifstream in(file);
  pid_t p;
  while (in >> p) pids.push_back(p);
  return pids;
}

inline AdapterConfig Config(const std::string& command, const std::string& variant = "",
                     int timeout_ms = 10000) {
  AdapterConfig c;
  c.variant = variant;
  c.options.Set("command", command);
  c.options.Set("timeout_ms", static_cast<int64_t>(timeout_ms));
  return c;
}

using ::intransit::testing::Crash;
using ::intransit::testing::Fail;
using ::intransit::testing::FakeGate;

inline std::vector<std::string> Where(const Snapshot& s, const std::string& server,
                               const std::string& folder) {
  std::vector<std::string> ids;
  for (const auto& c : s.copies) {
    if (c.server == server && c.folder == folder) ids.push_back(c.message);
  }
  return ids;
}

}  // namespace exec_test
}  // namespace intransit
