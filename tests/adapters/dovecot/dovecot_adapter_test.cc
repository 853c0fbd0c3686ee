// The dovecot adapter against two real Dovecot servers: each runbook moves
// delivered mail (read back with doveadm fetch), the naive runbook really
// deletes mail, hold answers tempfail, a large backup duplicates what is
// delivered during it, a failed step stops the runbook and a crashed one is
// resumed, a move stopped during a background backup ends cleanly. When the
// servers or a CLI run break: dovecot_failures_test.cc.
//
// Skipped, with the reason shown, only where `dovecot` is not installed.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <map>
#include <sstream>
#include <thread>

#include "base/command.h"
#include "oracle/oracle.h"
#include "run/history.h"
#include "suite/suite.h"
#include "tests/adapters/dovecot/dovecot_support.h"

namespace intransit::dovecot {
namespace {

using testing::GoGate;
using testing::IdsOn;
using testing::LeftBehind;
using testing::OpenDovecot;
using testing::TempDir;

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}


TEST_CASE("dovecot: every runbook moves the mailbox with the mail delivered before and after",
          "[dovecot]") {
  SKIP_WITHOUT_DOVECOT();
  TempDir tmp;
  for (const char* variant : {"naive", "documented", "hold"}) {
      CAPTURE(variant);
      auto dv = OpenDovecot(tmp.path(), variant);
      REQUIRE(dv.ok());
      Deployment& v = **dv;
      REQUIRE(v.Reset().ok());
      REQUIRE(v.Provision("alice", "src", {"<p1.alice@intransit>", "<p2.alice@intransit>"}).ok());
      GoGate gate;
      auto before = v.Deliver(gate, "alice", "<m1.alice@intransit>");
      REQUIRE(before.ok());
      CHECK(before->answer == Answer::kAccepted);
      CHECK(before->server == "src");
      auto moved = v.Move(gate, "alice", "dst");
      REQUIRE(moved.ok());
      CHECK(*moved == MoveResult::kDone);
      auto after = v.Deliver(gate, "alice", "<m2.alice@intransit>");
      REQUIRE(after.ok());
      CHECK(after->answer == Answer::kAccepted);
      CHECK(after->server == "dst");
      Snapshot snap;
      REQUIRE(v.Inspect(&snap).ok());
      CHECK(snap.HomeOf("alice") == "dst");
      CHECK(IdsOn(snap, "dst", "alice") ==
            Sorted({"<m1.alice@intransit>", "<m2.alice@intransit>", "<p1.alice@intransit>",
                    "<p2.alice@intransit>"}));
      CHECK(IdsOn(snap, "src", "alice").empty());
    }
  CHECK(LeftBehind(tmp.path(), getpid()).empty());
}

TEST_CASE("dovecot: the naive runbook's second backup deletes mail the destination accepted",
          "[dovecot]") {
  SKIP_WITHOUT_DOVECOT();
  TempDir tmp;
  {
    auto d = OpenDovecot(tmp.path(), "naive");
    REQUIRE(d.ok());
    Deployment& dep = **d;
    REQUIRE(dep.Reset().ok());
    REQUIRE(dep.Provision("alice", "src", {"<p1.alice@intransit>"}).ok());
    GoGate sender;
    GoGate mover;
    int backups = 0;
    Answer answer = Answer::kPermfail;
    std::string where;
    // The sender delivers right before the second backup: the directory
    // already names dst.
    mover.at = [&](const PointCall& call) {
      if (call.point == "dovecot/backup" && ++backups == 2) {
        auto r = dep.Deliver(sender, "alice", "<m1.alice@intransit>");
        REQUIRE(r.ok());
        answer = r->answer;
        where = r->server;
      }
    };
    auto moved = dep.Move(mover, "alice", "dst");
    REQUIRE(moved.ok());
    CHECK(answer == Answer::kAccepted);
    CHECK(where == "dst");
    CHECK(mover.points ==
          std::vector<std::string>{"dovecot/backup", "route", "dovecot/backup"});
    CHECK(*moved == MoveResult::kFailed);  // dsync exit 75: not done
    Snapshot snap;
    REQUIRE(dep.Inspect(&snap).ok());
    // Accepted by dst, and gone from everywhere. The backup that exits 75
    // leaves dst without alice's mail (the first backup's copy of p1 is gone
    // too); src keeps p1, as no delete ran. Nothing else anywhere.
    CHECK(IdsOn(snap, "src", "alice") == std::vector<std::string>{"<p1.alice@intransit>"});
    CHECK(IdsOn(snap, "dst", "alice").empty());
    CHECK(snap.copies.size() == 1);
  }
  CHECK(LeftBehind(tmp.path(), getpid()).empty());
}

TEST_CASE("dovecot: hold answers tempfail while the queue is held", "[dovecot]") {
  SKIP_WITHOUT_DOVECOT();
  TempDir tmp;
  auto d = OpenDovecot(tmp.path(), "hold");
  REQUIRE(d.ok());
  Deployment& dep = **d;
  REQUIRE(dep.Reset().ok());
  REQUIRE(dep.Provision("alice", "src", {}).ok());
  GoGate sender, mover;
  std::vector<Answer> answers;
  mover.at = [&](const PointCall& call) {
    if (call.point == "route") {
      auto r = dep.Deliver(sender, "alice", "<m1.alice@intransit>");
      REQUIRE(r.ok());
      answers.push_back(r->answer);
    }
  };
  auto moved = dep.Move(mover, "alice", "dst");
  REQUIRE(moved.ok());
  CHECK(*moved == MoveResult::kDone);
  REQUIRE(answers.size() == 1);
  CHECK(answers[0] == Answer::kTempfail);
  auto retry = dep.Deliver(sender, "alice", "<m1.alice@intransit>");
  REQUIRE(retry.ok());
  CHECK(retry->answer == Answer::kAccepted);
  CHECK(retry->server == "dst");
}

}  // namespace
}  // namespace intransit::dovecot

namespace intransit::dovecot {
namespace {

// Every Message-ID with its number of copies, as `doveadm fetch` prints
// them for `duser` on the server whose config is `conf` (run here, apart
// from the adapter).
std::map<std::string, int> FetchCounts(const std::string& conf, const std::string& duser) {
  std::string out;
  testing::Shell("env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin doveadm -c " + conf +
                     " -f tab fetch -u " + duser + " hdr.message-id ALL",
                 &out);
  std::map<std::string, int> counts;
  std::istringstream in(out);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (!line.empty()) ++counts[line];
  }
  return counts;
}

// The message files in the Maildir under `home` (its cur/, new/, tmp/).
int MessageFiles(const std::string& home) {
  int n = 0;
  for (const char* sub : {"/Maildir/cur", "/Maildir/new", "/Maildir/tmp"}) {
    std::error_code ec;
    for (std::filesystem::directory_iterator it(home + sub, ec), end; !ec && it != end;
         it.increment(ec)) {
      ++n;
    }
  }
  return n;
}

TEST_CASE("dovecot: deliveries during a large backup end up DUPLICATED, as doveadm fetch shows",
          "[dovecot][duplicates]") {
  SKIP_WITHOUT_DOVECOT();
  TempDir tmp;
  Params p;
  p.Set("runbook", std::vector<std::string>{"start-backup", "switch", "wait-backup", "sync",
                                            "delete"});
  p.Set("provision", std::string("maildir"));
  // Dovecot's fsyncs made the backup 5 to 10 times slower under load, and
  // change nothing intransit can see (docs/dovecot.md).
  p.Set("mail_fsync", std::string("never"));
  auto d = OpenDovecot(tmp.path(), "documented", p);
  REQUIRE(d.ok());
  Deployment& dep = **d;
  std::string conf, dst_home;
  for (const auto& e : std::filesystem::directory_iterator(tmp.path())) {
    conf = e.path().string() + "/dst/dovecot.conf";
    dst_home = e.path().string() + "/dst/home/";
  }
  // The race in real Dovecot ends one of three ways, depending on where the
  // delivery lands in the copy: the backup exits 2 and sync -1 leaves
  // hundreds of duplicates (FACTS.md); it exits 75 having deleted the
  // delivered message (as the naive runbook does); or, now and then, it
  // catches up cleanly. Up to twenty schedules, until one duplicates; in
  // every one the verdicts must be what doveadm fetch shows. (Six were too
  // few on a loaded machine: there the backup caught up cleanly in all six
  // in 1 of 14 runs. A schedule takes about 4 s, and the loop stops at the
  // first one that duplicates, usually the first or second.)
  int duplicated_runs = 0;
  for (int schedule = 1; schedule <= 20 && duplicated_runs == 0; ++schedule) {
    CAPTURE(schedule);
    REQUIRE(dep.Reset().ok());
    Ledger ledger;
    std::vector<std::string> ids;
    for (int i = 1; i <= 1000; ++i) {
      ids.push_back("<p" + std::to_string(i) + ".alice@intransit>");
      ledger.AddMessage(ids.back(), "alice", "", true);
    }
    REQUIRE(dep.Provision("alice", "src", ids).ok());
    GoGate sender, mover;
    mover.at = [&](const PointCall& call) {
      if (call.point != "dovecot/wait") return;
      // The backup runs; the directory already names dst. (With three
      // deliveries in a row, right at the start of the copy, the backup
      // hung past its timeout in 3 of 4 runs here: the adapter reports that
      // as an infrastructure error.)
      for (int i = 1; i <= 2; ++i) {
        std::string id = "<m" + std::to_string(i) + ".alice@intransit>";
        size_t idx = ledger.AddMessage(id, "alice", "sender-1", false);
        auto r = dep.Deliver(sender, "alice", id);
        REQUIRE(r.ok());
        REQUIRE(r->answer == Answer::kAccepted);
        Attempt& a = ledger.entry(idx).attempts.emplace_back();
        a.step = i;
        a.answer = r->answer;
        a.server = r->server;
        // The second one further into the copy: once it has written 100
        // more files (or stopped writing: then the copy is over).
        std::string home = dst_home + "alice-g" + std::to_string(schedule);
        int seen = MessageFiles(home);
        for (int idle = 0, n = seen; n < seen + 100 && idle < 100; ++idle) {
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
          int now = MessageFiles(home);
          if (now != n) idle = 0;
          n = now;
        }
      }
    };
    auto moved = dep.Move(mover, "alice", "dst");
    if (!moved.ok()) {
      // A backup racing deliveries sometimes never returns (a real dsync
      // hang, killed at its timeout): an infrastructure error, as it should
      // be, and no verdict. Try the next schedule; one must duplicate.
      REQUIRE(moved.status().code() == Status::Code::kInfra);
      WARN("schedule " << schedule << ": " << moved.status().message());
      continue;
    }
    ledger.AddMove({"mover", "alice", "src", "dst", *moved, false});
    Snapshot snap;
    REQUIRE(dep.Inspect(&snap).ok());

    // Independently of the adapter: what doveadm fetch shows on dst for this
    // schedule's Dovecot user.
    std::map<std::string, int> counts = FetchCounts(conf, "alice-g" + std::to_string(schedule));
    REQUIRE_FALSE(counts.empty());
    int duplicated_by_fetch = 0;
    for (const auto& [id, n] : counts) duplicated_by_fetch += n > 1;

    OracleSpec spec;
    spec.invariants = AllInvariants();
    OracleResult judged;
    Oracle(spec).Check(ledger, snap, &judged);
    int duplicated = 0, lost = 0;
    for (const auto& v : judged.verdicts) {
      CAPTURE(v.message);
      if (v.verdict == Verdict::kDuplicated) {
        ++duplicated;
        CHECK(counts[v.message] > 1);
      }
      if (v.verdict == Verdict::kLost) {
        ++lost;
        CHECK(counts.count(v.message) == 0);
      }
    }
    CHECK(duplicated == duplicated_by_fetch);
    std::string notes;
    for (const auto& n : mover.notes) notes += " | " + n.substr(0, 90);
    WARN("schedule " << schedule << ": " << duplicated << " DUPLICATED, " << lost << " LOST"
                     << notes);
    duplicated_runs += duplicated > 0;
  }
  CHECK(duplicated_runs > 0);
}

}  // namespace
}  // namespace intransit::dovecot

namespace intransit::dovecot {
namespace {

// Decides one point: fail it (before or after) or crash there.
class DecideGate : public testing::GoGate {
 public:
  std::string point;
  Decision decision;
  Decision Pass(const PointCall& call) override {
    GoGate::Pass(call);
    return call.point == point ? decision : Decision();
  }
};

TEST_CASE("dovecot: a failed step stops the runbook - a crashed one is resumed by Recover",
          "[dovecot]") {
  SKIP_WITHOUT_DOVECOT();
  TempDir tmp;
  auto d = OpenDovecot(tmp.path(), "documented");
  REQUIRE(d.ok());
  Deployment& dep = **d;

  SECTION("fail before the switch: not switched, mail stays on src") {
    REQUIRE(dep.Reset().ok());
    REQUIRE(dep.Provision("alice", "src", {"<p1.alice@intransit>"}).ok());
    DecideGate gate;
    gate.point = "route";
    gate.decision.action = Decision::Action::kFail;
    gate.decision.phase = Phase::kBefore;
    auto r = dep.Move(gate, "alice", "dst");
    REQUIRE(r.ok());
    CHECK(*r == MoveResult::kFailed);
    CHECK(gate.points == std::vector<std::string>{"dovecot/backup", "dovecot/backup", "route"});
    Snapshot snap;
    REQUIRE(dep.Inspect(&snap).ok());
    CHECK(snap.HomeOf("alice") == "src");
    CHECK(IdsOn(snap, "src", "alice") == std::vector<std::string>{"<p1.alice@intransit>"});
  }
  SECTION("fail after the switch: switched, and the caller hears failure") {
    REQUIRE(dep.Reset().ok());
    REQUIRE(dep.Provision("alice", "src", {"<p1.alice@intransit>"}).ok());
    DecideGate gate;
    gate.point = "route";
    gate.decision.action = Decision::Action::kFail;
    gate.decision.phase = Phase::kAfter;
    auto r = dep.Move(gate, "alice", "dst");
    REQUIRE(r.ok());
    CHECK(*r == MoveResult::kFailed);
    Snapshot snap;
    REQUIRE(dep.Inspect(&snap).ok());
    CHECK(snap.HomeOf("alice") == "dst");
  }
  SECTION("crash at sync -1, then Recover runs sync -1 and delete") {
    REQUIRE(dep.Reset().ok());
    REQUIRE(dep.Provision("alice", "src", {"<p1.alice@intransit>"}).ok());
    DecideGate gate;
    gate.point = "dovecot/sync";
    gate.decision.action = Decision::Action::kCrash;
    auto r = dep.Move(gate, "alice", "dst");
    REQUIRE(r.ok());
    CHECK(*r == MoveResult::kCrashed);
    testing::GoGate resume;
    auto rec = dep.Recover(resume, "alice");
    REQUIRE(rec.ok());
    CHECK(*rec == MoveResult::kDone);
    CHECK(resume.points == std::vector<std::string>{"dovecot/sync", "cleanup"});
    Snapshot snap;
    REQUIRE(dep.Inspect(&snap).ok());
    CHECK(IdsOn(snap, "dst", "alice") == std::vector<std::string>{"<p1.alice@intransit>"});
    CHECK(IdsOn(snap, "src", "alice").empty());
  }
}

}  // namespace
}  // namespace intransit::dovecot

namespace intransit::dovecot {
namespace {

// The runbook of suites/dovecot/duplicates.toml: a backup in the background.
Params BackgroundRunbook() {
  Params p;
  p.Set("runbook",
        std::vector<std::string>{"start-backup", "switch", "wait-backup", "sync", "delete"});
  p.Set("provision", std::string("maildir"));
  return p;
}

// More message files than the adapter's "under way" mark (50): the backup
// still runs when the next step's point is passed.
std::vector<std::string> ManyIds(int n) {
  std::vector<std::string> ids;
  for (int i = 1; i <= n; ++i) ids.push_back("<p" + std::to_string(i) + ".alice@intransit>");
  return Sorted(ids);
}

TEST_CASE("dovecot: a move that stops while its background backup runs ends cleanly", "[dovecot]") {
  SKIP_WITHOUT_DOVECOT();
  TempDir tmp;
  {
    auto d = OpenDovecot(tmp.path(), "documented", BackgroundRunbook());
    REQUIRE(d.ok());
    Deployment& dep = **d;
    REQUIRE(dep.Reset().ok());
    const std::vector<std::string> ids = ManyIds(300);
    REQUIRE(dep.Provision("alice", "src", ids).ok());
    DecideGate gate;
    gate.decision.action = Decision::Action::kFail;
    std::string home = "src";
    SECTION("fail before the switch") {
      gate.point = "route";
      gate.decision.phase = Phase::kBefore;
    }
    SECTION("fail before the wait") {
      gate.point = "dovecot/wait";
      gate.decision.phase = Phase::kBefore;
      home = "dst";
    }
    SECTION("fail after start-backup") {
      gate.point = "dovecot/backup";
      gate.decision.phase = Phase::kAfter;
    }
    auto r = dep.Move(gate, "alice", "dst");
    REQUIRE(r.ok());
    CHECK(*r == MoveResult::kFailed);
    Snapshot snap;
    REQUIRE(dep.Inspect(&snap).ok());
    CHECK(snap.HomeOf("alice") == home);
    CHECK(IdsOn(snap, "src", "alice") == ids);  // nothing was deleted
  }
  CHECK(LeftBehind(tmp.path(), getpid()).empty());
  CHECK(RecordedGroups().empty());
}

TEST_CASE("dovecot: a new move after a crash with a background backup running starts afresh",
          "[dovecot]") {
  SKIP_WITHOUT_DOVECOT();
  TempDir tmp;
  {
    auto d = OpenDovecot(tmp.path(), "documented", BackgroundRunbook());
    REQUIRE(d.ok());
    Deployment& dep = **d;
    REQUIRE(dep.Reset().ok());
    const std::vector<std::string> ids = ManyIds(300);
    REQUIRE(dep.Provision("alice", "src", ids).ok());
    DecideGate gate;
    gate.point = "route";
    gate.decision.action = Decision::Action::kCrash;
    auto crashed = dep.Move(gate, "alice", "dst");
    REQUIRE(crashed.ok());
    CHECK(*crashed == MoveResult::kCrashed);
    testing::GoGate again;
    auto moved = dep.Move(again, "alice", "dst");
    REQUIRE(moved.ok());  // not "start-backup while one is running"
    CHECK(*moved == MoveResult::kDone);
    Snapshot snap;
    REQUIRE(dep.Inspect(&snap).ok());
    CHECK(snap.HomeOf("alice") == "dst");
    CHECK(IdsOn(snap, "dst", "alice") == ids);
    CHECK(IdsOn(snap, "src", "alice").empty());
  }
  CHECK(LeftBehind(tmp.path(), getpid()).empty());
  CHECK(RecordedGroups().empty());
}

}  // namespace
}  // namespace intransit::dovecot
