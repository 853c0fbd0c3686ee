// SIGINT and SIGTERM to the real `intransit` binary in the middle of a run
// on the in-process adapters ("[processes]"): like the exec store's kill
// tests (processes_test.cc) and Dovecot's Ctrl-C (dovecot_adapter_test.cc),
// the run exits 130 / 143, its maildir temp dir (`intransit-maildir-*`) is
// removed, and no process it had (the keeper, when there is one) is left.
//
// "Mid-run" is observed, never slept for: the run's first suite is one
// quick schedule, whose result line on stdout says the second has begun;
// the second explores at random until a 300 s budget, far beyond the kill.
#include <signal.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/process_watch.h"
#include "tests/support/temp_dir.h"

namespace intransit {
namespace {

const char* kQuickSuite = R"(
[suite]
name = "kill-quick"
expect = "pass"
[adapter]
name = "reference"
[[users]]
name = "alice"
home = "src"
messages = 1
[[actors]]
kind = "mover"
user = "alice"
to = "dst"
[explore]
strategy = "exhaustive"
)";

// A move with a delivery, at random, for 300 s, on `adapter_block`.
std::string LongSuite(const std::string& adapter_block) {
  return R"(
[suite]
name = "kill-long"
expect = "pass"
)" + adapter_block + R"(
[[users]]
name = "alice"
home = "src"
messages = 2
[[actors]]
kind = "mover"
user = "alice"
to = "dst"
[[actors]]
kind = "sender"
user = "alice"
messages = 1
retry = 5
[explore]
strategy = "random"
max_schedules = 1000000000
time_budget = "300s"
)";
}

std::vector<std::string> MaildirTempDirs(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    std::string name = e.path().filename().string();
    if (name.rfind("intransit-maildir-", 0) == 0) out.push_back(name);
  }
  return out;
}

void InterruptTest(const std::string& adapter_block, bool maildir, int sig, int expected_exit) {
  testing::TempDir dir;
  const std::string d = dir.path();
  dir.Write("quick.toml", kQuickSuite);
  dir.Write("long.toml", LongSuite(adapter_block));
  testing::IntransitOptions options;
  options.tmpdir = d;
  testing::IntransitProcess run(d, {"run", d + "/quick.toml", d + "/long.toml"}, options);
  REQUIRE(run.pid() > 0);
  bool mid_run = testing::PollUntil([&] {
    return run.Out().find("kill-quick") != std::string::npos &&
           (!maildir || !MaildirTempDirs(d).empty());
  });
  CAPTURE(run.Out(), run.Err());
  REQUIRE(mid_run);
  REQUIRE_FALSE(run.Exited());
  std::vector<testing::ProcessId> all = testing::LiveDescendantsOf(run.pid());
  REQUIRE(run.Signal(sig));
  int status = run.Wait(60);
  INFO("intransit ended with " << testing::DescribeStatus(status) << "\n"
                               << run.Out() << run.Err());
  REQUIRE(status != -1);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == expected_exit);
  // Interrupted, not ended at its budget. (The main thread may still report
  // the long suite, as an error of its vanished files, before the signal
  // thread's exit: the exit code is what holds.)
  CHECK(run.Out().find("PASS  kill-long") == std::string::npos);
  CHECK_THAT(run.Err(), Catch::Contains(sig == SIGINT ? "intransit: SIGINT: stopped"
                                                      : "intransit: SIGTERM: stopped"));
  if (maildir) CHECK_THAT(run.Err(), Catch::Contains("removed 1 temp dir(s)"));
  CHECK(MaildirTempDirs(d).empty());
  CHECK(testing::PollUntil([&] { return testing::NoneRunning(all); }));
  testing::KillStillRunning(all);
}

const char* kReference = "[adapter]\nname = \"reference\"\n";
const char* kMaildir = "[adapter]\nname = \"maildir\"\nvariant = \"in-transit\"\n";

TEST_CASE("processes: SIGINT mid-run on the reference adapter exits 130, no process left",
          "[processes][reference]") {
  InterruptTest(kReference, false, SIGINT, 130);
}

TEST_CASE("processes: SIGTERM mid-run on the reference adapter exits 143, no process left",
          "[processes][reference]") {
  InterruptTest(kReference, false, SIGTERM, 143);
}

TEST_CASE("processes: SIGINT mid-run on the maildir adapter exits 130, no temp dir nor process",
          "[processes][maildir]") {
  InterruptTest(kMaildir, true, SIGINT, 130);
}

TEST_CASE("processes: SIGTERM mid-run on the maildir adapter exits 143, no temp dir nor process",
          "[processes][maildir]") {
  InterruptTest(kMaildir, true, SIGTERM, 143);
}

}  // namespace
}  // namespace intransit
