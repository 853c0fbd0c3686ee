// HangingRun: see hanging_store.h.
#include "tests/support/hanging_store.h"

#include <filesystem>
#include <fstream>

namespace intransit::testing {
namespace {

// Starts a setsid grandchild (its stdio inherited, as a careless store's
// would be), says it is ready, then answers nothing: the run hangs in
// `hello` until killed.
const char* kStore = R"PY(
import os, subprocess, sys, time
d = sys.argv[1]
subprocess.Popen(["setsid", sys.executable, "-c", "import time; time.sleep(300)",
                  os.path.join(d, "grandchild")])
open(os.path.join(d, "ready"), "w").write("1")
time.sleep(300)
)PY";

std::string Written(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
  return path;
}

IntransitOptions Options(const std::string& dir, const std::vector<std::string>& prefix) {
  IntransitOptions o;
  o.tmpdir = dir;
  o.prefix = prefix;
  return o;
}

}  // namespace

HangingRun::HangingRun(const std::string& dir, const std::vector<std::string>& prefix)
    : sweep{dir},
      run(dir,
          {"run", Written(dir + "/suite.toml",
                          "[adapter]\nname = \"exec\"\ncommand = \"python3 " +
                              Written(dir + "/store.py", kStore) + " " + dir + "\"\n" +
                              "[[users]]\nname = \"alice\"\nhome = \"src\"\n"
                              "[[actors]]\nkind = \"mover\"\nuser = \"alice\"\nto = \"dst\"\n")},
          Options(dir, prefix)) {
  if (run.pid() <= 0) return;
  // Ready once the grandchild is python itself: while setsid(1) execs it,
  // its cmdline reads empty for a moment, and a second look could miss it.
  ready = PollUntil([&] {
    if (!std::filesystem::exists(dir + "/ready")) return false;
    store = LiveProcessesMentioning(dir + "/store.py");
    grandchild = LiveProcessesMentioning(dir + "/grandchild");
    return !store.empty() && grandchild.size() == 1 &&
           Comm(grandchild[0].pid).rfind("python", 0) == 0;
  });
  all = LiveDescendantsOf(run.pid());
}

}  // namespace intransit::testing
