// The maildir adapter under libfiu's POSIX preload: posix/io/dir/rename and
// posix/io/sync/fsync fail inside libc, in the adapter's own calls only.
//
// Built as its own executable (intransit_maildir_posix_tests, see
// CMakeLists.txt here) and run by ctest with
// LD_PRELOAD=/usr/lib/fiu/fiu_posix_preload.so; the name does not end in
// _test.cc so the plain test binary, which has no preload, does not glob it.
#include <catch2/catch.hpp>
#include <filesystem>

#include "adapters/maildir/maildir_store.h"
#include "adapters/maildir/posix_faults.h"
#include "explore/explorer.h"
#include "tests/adapters/maildir/maildir_helpers.h"

namespace intransit {
namespace {

using maildir_test::ForEachSchedule;
using maildir_test::LoadMaildirSuite;
using maildir_test::VerdictOf;

bool Has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

TEST_CASE("maildir posix: the preload is loaded", "[maildir-posix]") {
  REQUIRE(PosixPreloadActive());
}

TEST_CASE("maildir posix: a rename failing once during the flush is retried, nothing lost",
          "[maildir-posix]") {
  REQUIRE(PosixPreloadActive());
  Suite s = LoadMaildirSuite("flush-rename-once.toml");
  int flushed_after_failure = 0;
  int fired_schedules = 0;
  ForEachSchedule(s, 100, [&](const Runner& runner, const OracleResult& judged) {
    CHECK(judged.ok());
    const Timeline& t = runner.timeline();
    bool fired = false;
    for (size_t i = 0; i < t.size(); ++i) {
      if (t[i].point == "posix/io/dir/rename" && t[i].injected) fired = true;
      // The real rename(2) returned -1 with errno EIO: the mover's note
      // carries its strerror, then the retry flushed the file.
      if (t[i].point == "flush" && Has(t[i].what, "attempt 1 failed: rename .InTransit/new/") &&
          Has(t[i].what, "Input/output error; retrying") && Has(t[i].what, "flushed 1 file(s)")) {
        ++flushed_after_failure;
      }
    }
    const MessageVerdict* m1 = VerdictOf(judged, "<m1.alice@intransit>");
    REQUIRE(m1 != nullptr);
    CHECK(m1->verdict == Verdict::kDelivered);
    if (fired) ++fired_schedules;
  });
  CHECK(fired_schedules == flushed_after_failure);
  // In the schedules where the message was held in .InTransit, the flush's
  // first rename really failed.
  CHECK(flushed_after_failure > 0);
}

TEST_CASE("maildir posix: renames that always fail during the flush strand mail, never lose it",
          "[maildir-posix]") {
  REQUIRE(PosixPreloadActive());
  Suite s = LoadMaildirSuite("flush-rename-always.toml");
  s.adapter_config.keep = true;
  s.oracle.invariants = AllInvariants();
  std::string base;
  int stranded = 0;
  ForEachSchedule(s, 100, [&](const Runner& runner, const OracleResult& judged) {
    std::string tree;
    for (const auto& n : runner.snapshot().notes) {
      if (n.rfind("kept: ", 0) == 0) tree = n.substr(6);
    }
    base = std::filesystem::path(tree).parent_path();
    for (const auto& v : judged.verdicts) CHECK(v.verdict != Verdict::kLost);
    const MessageVerdict* m1 = VerdictOf(judged, "<m1.alice@intransit>");
    REQUIRE(m1 != nullptr);
    if (m1->verdict != Verdict::kStranded) return;
    ++stranded;
    CHECK(Has(m1->detail, "InTransit"));
    // The file is really still in dst's .InTransit, and rename(2) really
    // returned EIO: three attempts, each noted with strerror(EIO).
    auto held = ListFiles(tree + "/dst/alice/.InTransit/new");
    CHECK(held.size() == 1);
    const Timeline& t = runner.timeline();
    int injected = 0;
    bool gave_up = false;
    for (size_t i = 0; i < t.size(); ++i) {
      if (t[i].point == "posix/io/dir/rename" && t[i].injected) ++injected;
      if (t[i].point == "flush" && Has(t[i].what, "Input/output error; giving up")) gave_up = true;
    }
    CHECK(injected == 3);
    CHECK(gave_up);
    CHECK(runner.ledger().moves().at(0).result == MoveResult::kFailed);
  });
  CHECK(stranded > 0);
  if (!base.empty()) std::filesystem::remove_all(base);
}

TEST_CASE("maildir posix: fsync failing in libc during delivery answers tempfail",
          "[maildir-posix]") {
  REQUIRE(PosixPreloadActive());
  Suite s = LoadMaildirSuite("deliver-fsync.toml");
  s.faults.erase(std::remove_if(s.faults.begin(), s.faults.end(),
                                [](const FaultRule& r) { return r.point != "posix/io/sync/fsync"; }),
                 s.faults.end());
  REQUIRE(s.faults.size() == 1);
  int schedules = 0;
  ForEachSchedule(s, 1000, [&](const Runner& runner, const OracleResult& judged) {
    ++schedules;
    CHECK(judged.ok());
    const LedgerEntry& m1 = runner.ledger().entry(1);
    REQUIRE(m1.message == "<m1.alice@intransit>");
    REQUIRE(m1.attempts.size() == 2);
    CHECK(m1.attempts[0].answer == Answer::kTempfail);
    CHECK(m1.attempts[1].answer == Answer::kAccepted);
    bool noted = false;
    for (size_t i = 0; i < runner.timeline().size(); ++i) {
      if (Has(runner.timeline()[i].what, "fsync ") && Has(runner.timeline()[i].what, "tmp/") &&
          Has(runner.timeline()[i].what, "Input/output error; 451")) {
        noted = true;
      }
    }
    CHECK(noted);
  });
  CHECK(schedules > 1);
}

TEST_CASE("maildir posix: the framework's own I/O outside a step never fails", "[maildir-posix]") {
  REQUIRE(PosixPreloadActive());
  EnablePosixPoints();
  // No scope is open: the callback answers "go" for this rename.
  std::string dir = "/dev/shm/intransit-posix-" + std::to_string(getpid());
  std::filesystem::create_directories(dir);
  MaildirIo io(nullptr, "harness", "", true, true);
  CHECK(io.PutFile(dir + "/a.tmp", dir + "/a", "x") == 0);
  CHECK(std::filesystem::exists(dir + "/a"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace intransit
