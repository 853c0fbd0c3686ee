// `intransit run` with the cyrus adapter: the naive runbook's loss is found
// with a timeline that shows the sync, the delivery after it and the
// delete; and no Cyrus process or directory is left after a normal run, a
// failed run, SIGINT or SIGTERM (acceptance 3 of issue #16).
//
// Skipped, with the reason shown, only where Cyrus is not installed.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/adapters/cyrus/cyrus_support.h"
#include "tests/support/process_watch.h"

namespace intransit::cyrus {
namespace {

using ::intransit::testing::IntransitOptions;
using ::intransit::testing::IntransitProcess;
using ::intransit::testing::LiveDescendantsOf;
using ::intransit::testing::LiveProcessesMentioning;
using ::intransit::testing::NoneRunning;
using ::intransit::testing::PollUntil;
using ::intransit::testing::ProcessId;
using testing::TempDir;

// True when no intransit-cyrus.* directory is left in `dir`.
bool NoRootLeft(const std::string& dir) {
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().filename().string().rfind("intransit-cyrus.", 0) == 0) return false;
  }
  return true;
}

// Runs `intransit ARGS` from the source dir with TMPDIR under `tmp` and
// waits for it; checks that nothing it started is left.
int RunToEnd(const TempDir& tmp, const std::vector<std::string>& args, std::string* out) {
  std::string work = tmp.path() + "/work";
  std::filesystem::create_directories(work);
  std::filesystem::permissions(work, std::filesystem::perms::owner_all |
                                         std::filesystem::perms::group_read |
                                         std::filesystem::perms::group_exec |
                                         std::filesystem::perms::others_read |
                                         std::filesystem::perms::others_exec);
  IntransitOptions o;
  o.cwd = INTRANSIT_SOURCE_DIR;
  o.tmpdir = work;
  IntransitProcess run(tmp.path(), args, o);
  int status = run.Wait(300);
  *out = run.Out() + run.Err();
  CHECK(PollUntil([&] { return LiveProcessesMentioning(work).empty(); }, 10));
  CHECK(NoRootLeft(work));
  return status;
}

TEST_CASE("cyrus: intransit run finds the naive loss and leaves nothing", "[cyrus][cli]") {
  SKIP_WITHOUT_CYRUS();
  TempDir tmp;
  std::string out;
  int status = RunToEnd(tmp, {"run", "suites/cyrus/naive.toml"}, &out);
  CAPTURE(out);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK_THAT(out, Catch::Contains("expectation met"));
  // The timeline: the sync, the delivery the old server accepted after it,
  // the delete.
  CHECK_THAT(out, Catch::Contains("cyrus/sync"));
  CHECK_THAT(out, Catch::Contains("deliver"));
  CHECK_THAT(out, Catch::Contains("cleanup"));
  CHECK_THAT(out, Catch::Contains("LOST"));
}

TEST_CASE("cyrus: mail sent between XFER and the switch is bounced, not lost", "[cyrus][cli]") {
  SKIP_WITHOUT_CYRUS();
  TempDir tmp;
  std::string out;
  // 1.ab: XFER, then both messages to the old server, then the switch.
  int status = RunToEnd(tmp, {"replay", "suites/cyrus/xfer.toml", "--schedule", "1.ab"}, &out);
  CAPTURE(out);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK_THAT(out, Catch::Contains("cyrus/xfer"));
  CHECK_THAT(out, Catch::Contains("550 5.1.1 User unknown"));
  CHECK_THAT(out, Catch::Contains("bounced"));
  CHECK_THAT(out, !Catch::Contains("LOST"));
}

TEST_CASE("cyrus: a failed run (every IMAP reply times out) exits 3 and leaves nothing",
          "[cyrus][cli]") {
  SKIP_WITHOUT_CYRUS();
  TempDir tmp;
  std::string out;
  int status = RunToEnd(
      tmp, {"run", "suites/cyrus/naive.toml", "--set", "adapter.command_timeout_ms=1"}, &out);
  CAPTURE(out);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 3);
}

// Cyrus's LMTP reads al+ice as al's folder "ice" (plus-addressing, which no
// imapd.conf option turns off): the provision was a 550 and the run exited 3
// as if the store had broken. A name the adapter cannot serve is the suite's
// error: exit 2, naming the user and why.
TEST_CASE("cyrus: a user name with '+' is refused as the suite's error (exit 2)",
          "[cyrus][cli][plus]") {
  SKIP_WITHOUT_CYRUS();
  TempDir tmp;
  const std::string suite = tmp.path() + "/plus.toml";
  std::ofstream(suite) << "[suite]\nname = \"cyrus-plus\"\nexpect = \"pass\"\n"
                          "[adapter]\nname = \"cyrus\"\nvariant = \"sync-twice\"\n"
                          "[[users]]\nname = \"al+ice\"\nhome = \"src\"\nmessages = 1\n"
                          "[[actors]]\nkind = \"mover\"\nuser = \"al+ice\"\nto = \"dst\"\n"
                          "[[actors]]\nkind = \"sender\"\nuser = \"al+ice\"\nmessages = 1\n";
  std::string out;
  int status = RunToEnd(tmp, {"run", suite}, &out);
  CAPTURE(out);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 2);
  CHECK_THAT(out, Catch::Contains("user 'al+ice'"));
  CHECK_THAT(out, Catch::Contains("plus-addressing"));
}

TEST_CASE("cyrus: SIGINT or SIGTERM during a run leaves nothing", "[cyrus][cli]") {
  SKIP_WITHOUT_CYRUS();
  for (int sig : {SIGINT, SIGTERM}) {
    CAPTURE(sig);
    TempDir tmp;
    std::string work = tmp.path() + "/work";
    std::filesystem::create_directories(work);
    std::filesystem::permissions(work, std::filesystem::perms::owner_all |
                                           std::filesystem::perms::others_exec |
                                           std::filesystem::perms::group_exec);
    IntransitOptions o;
    o.cwd = INTRANSIT_SOURCE_DIR;
    o.tmpdir = work;
    IntransitProcess run(tmp.path(), {"run", "suites/cyrus/sync-twice.toml"}, o);
    REQUIRE(run.pid() > 0);
    // Until both masters run (their command lines name the work dir).
    bool appeared = PollUntil([&] { return LiveProcessesMentioning(work).size() >= 2; }, 30);
    std::vector<ProcessId> mine = LiveDescendantsOf(run.pid());
    REQUIRE(run.Signal(sig));
    int status = run.Wait(30);
    REQUIRE(appeared);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 128 + sig);
    CHECK(PollUntil([&] { return NoneRunning(mine); }, 10));
    CHECK(PollUntil([&] { return LiveProcessesMentioning(work).empty(); }, 10));
    CHECK(NoRootLeft(work));
    ::intransit::testing::KillStillRunning(mine);
  }
}

}  // namespace
}  // namespace intransit::cyrus
