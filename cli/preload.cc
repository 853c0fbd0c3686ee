// The POSIX preload: see preload.h.
#include "cli/preload.h"

#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

namespace intransit {
namespace {

// Set in the re-executed process: the LD_PRELOAD the user had ("" = none).
constexpr const char* kGuard = "INTRANSIT_PRELOAD_ORIGINAL";

bool EndsWith(const std::string& s, const char* suffix) {
  size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

}  // namespace

bool SuitesArmPosixPoints(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (!EndsWith(arg, ".toml")) continue;
    std::ifstream in(arg);
    if (!in) continue;
    std::stringstream text;
    text << in.rdbuf();
    if (text.str().find("\"posix/") != std::string::npos) return true;
  }
  return false;
}

void EnsurePosixPreload(int argc, char** argv) {
  if (const char* original = getenv(kGuard)) {
    // We are the re-executed process: the wrappers are loaded; children get
    // the environment the user gave us.
    if (*original == '\0') {
      unsetenv("LD_PRELOAD");
    } else {
      setenv("LD_PRELOAD", original, 1);
    }
    unsetenv(kGuard);
    return;
  }
  const char* current = getenv("LD_PRELOAD");
  std::string preload = current != nullptr ? current : "";
  if (preload.find("fiu_posix_preload.so") != std::string::npos) return;
  if (!SuitesArmPosixPoints(argc, argv)) return;
  if (access(kPosixPreload, R_OK) != 0) {
    std::cerr << "intransit: warning: a suite arms posix/ points but " << kPosixPreload
              << " is missing (install fiu-utils); those faults will not fire\n";
    return;
  }
  setenv(kGuard, preload.c_str(), 1);
  setenv("LD_PRELOAD", (preload.empty() ? std::string(kPosixPreload)
                                        : std::string(kPosixPreload) + ":" + preload)
                           .c_str(),
         1);
  execv("/proc/self/exe", argv);
  std::cerr << "intransit: warning: cannot re-execute with " << kPosixPreload << ": "
            << std::strerror(errno) << "; posix faults will not fire\n";
  unsetenv(kGuard);
  if (preload.empty()) {
    unsetenv("LD_PRELOAD");
  } else {
    setenv("LD_PRELOAD", preload.c_str(), 1);
  }
}

}  // namespace intransit
