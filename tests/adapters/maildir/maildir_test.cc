// The maildir adapter on real files: its runbooks found or proven, its trees
// read back with Python's mailbox.Maildir, I/O faults at its own points,
// recovery of a crashed move, the io fault kind, and the conformance command.
// (The libfiu POSIX points need the preload: see maildir_posix.cc.)
#include <sys/wait.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cerrno>
#include <filesystem>
#include <fstream>

#include "adapters/maildir/maildir_adapter.h"
#include "adapters/maildir/maildir_store.h"
#include "explore/explorer.h"
#include "faults/io.h"
#include "tests/adapters/maildir/maildir_helpers.h"
#include "tests/support/fake_gate.h"

namespace intransit {
namespace {

using maildir_test::ForEachSchedule;
using maildir_test::LoadMaildirSuite;
using maildir_test::RunLines;
using maildir_test::VerdictOf;

bool Has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

TEST_CASE("maildir: the naive runbook loses mail delivered to src after the copy",
          "[maildir]") {
  Suite s = LoadMaildirSuite("naive.toml");
  SuiteResult r = ExploreSuite(s, {});
  REQUIRE(r.outcome == Outcome::kViolation);
  CHECK(r.met);
  CHECK(r.complete);
  REQUIRE(!r.violations.empty());
  const Violation& v = r.violations[0];
  const MessageVerdict* m = nullptr;
  for (const auto& mv : v.messages) {
    if (mv.message == "<m1.alice@intransit>") m = &mv;
  }
  REQUIRE(m != nullptr);
  CHECK(m->verdict == Verdict::kLost);
  // The timeline names the real files: the delivery into src's new/, the
  // copy before it and the cleanup that deleted it.
  std::vector<std::string> points;
  bool named_file = false;
  for (const auto& e : v.timeline) {
    points.push_back(e.point);
    if (e.point == "deliver" && e.server == "src" && Has(e.what, "new/")) named_file = true;
  }
  CHECK(named_file);
  auto at = [&](const char* p) { return std::find(points.begin(), points.end(), p) - points.begin(); };
  CHECK(at("copy") < at("deliver"));
  CHECK(at("deliver") < at("route"));
}

TEST_CASE("maildir: the in-transit runbook passes exhaustively", "[maildir]") {
  Suite s = LoadMaildirSuite("in-transit.toml");
  s.explore.reduction = Reduction::kNone;
  SuiteResult r = ExploreSuite(s, {});
  CHECK(r.error == "");
  CHECK(r.outcome == Outcome::kPass);
  CHECK(r.complete);
  // Two deliveries among the six points of the move: 8!/(6!) = 56.
  CHECK(r.schedules == 56);
  s.explore.reduction = Reduction::kAuto;
  SuiteResult reduced = ExploreSuite(s, {});
  CHECK(reduced.reduction == Reduction::kDpor);
  CHECK(reduced.outcome == Outcome::kPass);
  CHECK(reduced.complete);
  CHECK(reduced.schedules < 56);
}

TEST_CASE("maildir: pre-sp4 loses the message delivered between create and flag",
          "[maildir]") {
  Suite s = LoadMaildirSuite("q277911.toml");
  SuiteResult r = ExploreSuite(s, {});
  REQUIRE(r.outcome == Outcome::kViolation);
  CHECK(r.violating_schedules == 1);
  const auto& t = r.violations[0].timeline;
  REQUIRE(t.size() >= 4);
  CHECK(t[0].point == "create");
  CHECK(t[1].point == "deliver");
  CHECK(t[1].server == "dst");
  CHECK(t[2].point == "flag");
  CHECK(Has(t[3].what, "overwriting 1 file(s)"));
}

TEST_CASE("maildir: kept trees open in Python's mailbox.Maildir and hold what the ledger says",
          "[maildir][python]") {
  Suite s = LoadMaildirSuite("naive.toml");
  s.adapter_config.keep = true;
  std::string base;
  int checked = 0;
  ForEachSchedule(s, 5, [&](const Runner& runner, const OracleResult& judged) {
    std::string tree;
    for (const auto& n : runner.snapshot().notes) {
      if (n.rfind("kept: ", 0) == 0) tree = n.substr(6);
    }
    REQUIRE(!tree.empty());
    base = std::filesystem::path(tree).parent_path();
    int status = -1;
    auto lines = RunLines("python3 " + std::string(INTRANSIT_TEST_DIR) +
                              "/adapters/maildir/read_maildirs.py " + tree,
                          &status);
    REQUIRE(status == 0);
    std::multiset<std::string> python(lines.begin(), lines.end());

    // What the ledger says: every message accepted (or there before) and not
    // judged LOST is once in alice's INBOX on her home server; the lost one
    // is nowhere.
    const Snapshot& snap = runner.snapshot();
    std::string home(snap.HomeOf("alice"));
    std::multiset<std::string> expected = {"directory alice " + home};
    const Ledger& ledger = runner.ledger();
    for (size_t i = 0; i < ledger.size(); ++i) {
      const LedgerEntry& e = ledger.entry(i);
      const MessageVerdict* v = VerdictOf(judged, e.message);
      REQUIRE(v != nullptr);
      if (v->verdict == Verdict::kLost) continue;
      REQUIRE((e.preexisting || e.accepted()));
      expected.insert(home + " alice INBOX " + e.message);
    }
    CAPTURE(tree);
    CHECK(python == expected);
    ++checked;
  });
  CHECK(checked == 5);
  REQUIRE(!base.empty());
  CHECK(std::filesystem::exists(base + "/schedule-000005"));
  std::filesystem::remove_all(base);
}

TEST_CASE("maildir: fsync failing during delivery answers tempfail and the retry lands once",
          "[maildir][io]") {
  // Only the adapter's own point here; libfiu's is in maildir_posix.cc.
  Suite s = LoadMaildirSuite("deliver-fsync.toml");
  s.faults.erase(std::remove_if(s.faults.begin(), s.faults.end(),
                                [](const FaultRule& r) { return r.point != "maildir/fsync"; }),
                 s.faults.end());
  REQUIRE(s.faults.size() == 1);
  int schedules = 0;
  ForEachSchedule(s, 1000, [&](const Runner& runner, const OracleResult& judged) {
    ++schedules;
    CHECK(judged.ok());
    // The first delivery's fsync failed with ENOSPC: tempfail, then accepted.
    const LedgerEntry* m1 = nullptr;
    for (size_t i = 0; i < runner.ledger().size(); ++i) {
      if (runner.ledger().entry(i).message == "<m1.alice@intransit>") m1 = &runner.ledger().entry(i);
    }
    REQUIRE(m1 != nullptr);
    REQUIRE(m1->attempts.size() == 2);
    CHECK(m1->attempts[0].answer == Answer::kTempfail);
    CHECK(m1->attempts[1].answer == Answer::kAccepted);
    bool fired = false, noted = false;
    const Timeline& t = runner.timeline();
    for (size_t i = 0; i < t.size(); ++i) {
      if (t[i].point == "maildir/fsync" && t[i].injected) fired = true;
      if (t[i].point == "deliver" && Has(t[i].what, "No space left on device; 451")) noted = true;
    }
    CHECK(fired);
    CHECK(noted);
    // No half-delivered file remains in any tmp/.
    for (const auto& n : runner.snapshot().notes) CHECK(!Has(n, "left behind"));
  });
  CHECK(schedules > 1);
}

TEST_CASE("maildir: a partial write surfaces as tempfail and leaves no file", "[maildir][io]") {
  Suite s = LoadMaildirSuite("partial-write.toml");
  SuiteResult r = ExploreSuite(s, {});
  CHECK(r.outcome == Outcome::kPass);
  ForEachSchedule(s, 3, [&](const Runner& runner, const OracleResult& judged) {
    CHECK(judged.ok());
    const LedgerEntry& m1 = runner.ledger().entry(1);
    REQUIRE(m1.attempts.size() == 2);
    CHECK(m1.attempts[0].answer == Answer::kTempfail);
    bool noted = false;
    for (size_t i = 0; i < runner.timeline().size(); ++i) {
      if (Has(runner.timeline()[i].what, "partial write of")) noted = true;
    }
    CHECK(noted);
    for (const auto& n : runner.snapshot().notes) CHECK(!Has(n, "left behind"));
  });
}

std::unique_ptr<Deployment> Open(const std::string& variant) {
  AdapterConfig c;
  c.variant = variant;
  c.options.Set("root", std::string("/dev/shm"));
  auto d = MaildirAdapterInfo().open(c);
  REQUIRE(d.ok());
  return std::move(*d);
}

std::vector<std::string> InboxOf(Deployment& d, const std::string& server) {
  Snapshot snap;
  REQUIRE(d.Inspect(&snap).ok());
  std::vector<std::string> ids;
  for (const auto& c : snap.copies) {
    if (c.server == server && c.folder == "INBOX") ids.push_back(c.message);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

TEST_CASE("maildir: a move that crashed at the copy is resumed by Recover", "[maildir][recover]") {
  auto d = Open("in-transit");
  REQUIRE(d->Reset().ok());
  REQUIRE(d->Provision("alice", "src", {"<p1.alice@intransit>", "<p2.alice@intransit>"}).ok());
  testing::FakeGate gate;
  gate.Script("copy", testing::Crash());
  auto moved = d->Move(gate, "alice", "dst");
  REQUIRE(moved.ok());
  CHECK(*moved == MoveResult::kCrashed);
  // The route already points at dst's .InTransit: a delivery lands there.
  auto delivered = d->Deliver(gate, "alice", "<m1.alice@intransit>");
  REQUIRE(delivered.ok());
  CHECK(delivered->answer == Answer::kAccepted);
  CHECK(delivered->folder == "InTransit");

  gate.ForgetSteps();
  auto recovered = d->Recover(gate, "alice");
  REQUIRE(recovered.ok());
  CHECK(*recovered == MoveResult::kDone);
  CHECK(gate.Passed() == std::vector<std::string>{"copy", "unflag", "flush", "cleanup"});
  CHECK(InboxOf(*d, "dst") == std::vector<std::string>{"<m1.alice@intransit>",
                                                       "<p1.alice@intransit>",
                                                       "<p2.alice@intransit>"});
  CHECK(InboxOf(*d, "src").empty());
}

TEST_CASE("maildir: a store that dies mid-copy leaves tmp/ files the recovery replaces",
          "[maildir][recover]") {
  auto d = Open("naive");
  REQUIRE(d->Reset().ok());
  REQUIRE(d->Provision("alice", "src", {"<p1.alice@intransit>", "<p2.alice@intransit>"}).ok());
  testing::FakeGate gate;
  gate.ScriptProbe("maildir/rename", testing::Crash());  // the first file's rename into cur/
  auto moved = d->Move(gate, "alice", "dst");
  REQUIRE(moved.ok());
  CHECK(*moved == MoveResult::kCrashed);
  Snapshot snap;
  REQUIRE(d->Inspect(&snap).ok());
  bool stranded = false;
  for (const auto& n : snap.notes) stranded = stranded || Has(n, "dst: alice/tmp/");
  CHECK(stranded);

  auto recovered = d->Recover(gate, "alice");
  REQUIRE(recovered.ok());
  CHECK(*recovered == MoveResult::kDone);
  CHECK(InboxOf(*d, "dst") ==
        std::vector<std::string>{"<p1.alice@intransit>", "<p2.alice@intransit>"});
  REQUIRE(d->Inspect(&snap).ok());
  for (const auto& n : snap.notes) CHECK(!Has(n, "left behind"));
}

TEST_CASE("maildir: Recover without a journal reports the move as failed", "[maildir][recover]") {
  auto d = Open("in-transit");
  REQUIRE(d->Reset().ok());
  REQUIRE(d->Provision("alice", "src", {"<p1.alice@intransit>"}).ok());
  testing::FakeGate gate;
  auto r = d->Recover(gate, "alice");
  REQUIRE(r.ok());
  CHECK(*r == MoveResult::kFailed);
}

TEST_CASE("maildir: inspection reads Message-IDs from disk and reports tmp/ files",
          "[maildir]") {
  auto d = Open("in-transit");
  REQUIRE(d->Reset().ok());
  REQUIRE(d->Provision("bob", "dst", {"<p1.bob@intransit>"}).ok());
  testing::FakeGate gate;
  gate.ScriptProbe("maildir/rename", testing::Crash());  // the delivery dies before its rename
  auto r = d->Deliver(gate, "bob", "<m1.bob@intransit>");
  REQUIRE(r.ok());
  CHECK(r->answer == Answer::kTempfail);
  Snapshot snap;
  REQUIRE(d->Inspect(&snap).ok());
  REQUIRE(snap.copies.size() == 2);
  CHECK(snap.copies[0].message == "<p1.bob@intransit>");
  CHECK(snap.copies[0].folder == "INBOX");
  CHECK(snap.copies[1].message == "<m1.bob@intransit>");
  CHECK(snap.copies[1].folder == "tmp");
  CHECK(std::find(snap.holding_folders.begin(), snap.holding_folders.end(), "tmp") !=
        snap.holding_folders.end());
  REQUIRE(snap.notes.size() == 1);
  CHECK(Has(snap.notes[0], "dst: bob/tmp/"));
  CHECK(Has(snap.notes[0], "left behind (<m1.bob@intransit>)"));
  CHECK(snap.directory == std::vector<std::pair<std::string, std::string>>{{"bob", "dst"}});
}

TEST_CASE("maildir: an unknown io_steps entry is an invalid option", "[maildir]") {
  AdapterConfig c;
  c.options.Set("io_steps", std::vector<std::string>{"flush", "fluhs"});
  auto d = MaildirAdapterInfo().open(c);
  REQUIRE(!d.ok());
  CHECK(d.status().code() == Status::Code::kInvalid);
  CHECK(Has(d.status().message(), "unknown step 'fluhs'"));
}

TEST_CASE("io fault: fails with the errno it names, before or after", "[faults][io]") {
  FaultKind k = IoFaultKind();
  Params p;
  p.Set("errno", std::string("ENOSPC"));
  p.Set("phase", std::string("after"));
  auto f = k.make(p);
  REQUIRE(f.ok());
  FaultEffect effect;
  (*f)->Fire(&effect);
  REQUIRE(effect.decision.has_value());
  CHECK(effect.decision->action == Decision::Action::kFail);
  CHECK(effect.decision->error == FailError::kIo);
  CHECK(effect.decision->phase == Phase::kAfter);
  CHECK(effect.decision->errno_value == ENOSPC);
  CHECK((*f)->Describe() == "io ENOSPC after");
  auto plain = k.make(Params());
  REQUIRE(plain.ok());
  FaultEffect e2;
  (*plain)->Fire(&e2);
  CHECK(e2.decision->errno_value == EIO);
  CHECK(e2.decision->phase == Phase::kBefore);
}

TEST_CASE("maildir: conform exits 0 on in-transit and 1 on naive", "[maildir][cli]") {
  // A battery of one suite: the Q277911 scenario (one sender), expected to
  // keep every message.
  std::string battery = "/dev/shm/intransit-conform-" + std::to_string(getpid());
  std::filesystem::create_directories(battery);
  std::filesystem::copy_file(std::string(INTRANSIT_SOURCE_DIR) + "/suites/q277911.toml",
                             battery + "/q277911.toml");
  const std::string cmd = std::string(INTRANSIT_BINARY) + " conform --adapter maildir --battery " +
                          battery + " --set adapter.root=/dev/shm --set suite.expect=pass";
  int status = -1;
  RunLines(cmd + " 2>&1", &status);
  CHECK(status == 0);
  RunLines(cmd + " --set adapter.variant=naive 2>&1", &status);
  CHECK(status == 1);
  std::filesystem::remove_all(battery);
}

}  // namespace
}  // namespace intransit
