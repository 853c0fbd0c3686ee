// The oracle on hand-made ledgers and snapshots: each invariant of DESIGN §7
// with a case that breaks it and one that holds.
#include <catch2/catch.hpp>

#include "oracle/oracle.h"

namespace intransit {
namespace {

struct World {
  Ledger ledger;
  Snapshot snap;
  OracleSpec spec{AllInvariants()};

  World() {
    snap.directory.emplace_back("alice", "dst");
    snap.directory.emplace_back("bob", "src");
    snap.holding_folders.push_back("InTransit");
  }
  size_t Sent(const std::string& id, Answer answer, const std::string& user = "alice") {
    size_t i = ledger.AddMessage(id, user, "sender-1", false);
    ledger.entry(i).attempts.push_back({3, answer, "dst"});
    return i;
  }
  void Copy(const std::string& server, const std::string& user, const std::string& folder,
            const std::string& id) {
    snap.copies.push_back({server, user, folder, id});
  }
  OracleResult Judge() const {
    OracleResult r;
    Oracle(spec).Check(ledger, snap, &r);
    return r;
  }
};

Verdict VerdictOf(const OracleResult& r, const std::string& id) {
  for (const auto& v : r.verdicts) {
    if (v.message == id) return v.verdict;
  }
  FAIL("no verdict for " << id);
  return Verdict::kDelivered;
}

bool Broke(const OracleResult& r, const std::string& invariant) {
  auto names = r.Invariants();
  return std::find(names.begin(), names.end(), invariant) != names.end();
}

TEST_CASE("oracle: no-silent-loss breaks on an accepted message found nowhere", "[oracle]") {
  World w;
  w.Sent("<m1>", Answer::kAccepted);
  OracleResult r = w.Judge();
  CHECK(VerdictOf(r, "<m1>") == Verdict::kLost);
  CHECK(Broke(r, kNoSilentLoss));
  CHECK_THAT(r.breaches[0].detail, Catch::Contains("accepted at step 3"));
}

TEST_CASE("oracle: no-silent-loss holds when delivered, bounced, or never accepted",
          "[oracle]") {
  World w;
  w.Sent("<m1>", Answer::kAccepted);
  w.Copy("dst", "alice", "INBOX", "<m1>");
  size_t b = w.Sent("<m2>", Answer::kPermfail);
  w.ledger.entry(b).ndr = true;
  w.Sent("<m3>", Answer::kTempfail);
  OracleResult r = w.Judge();
  CHECK(r.ok());
  CHECK(VerdictOf(r, "<m1>") == Verdict::kDelivered);
  CHECK(VerdictOf(r, "<m2>") == Verdict::kBounced);
  CHECK(VerdictOf(r, "<m3>") == Verdict::kDeferred);
}

TEST_CASE("oracle: no-silent-loss is checked even when the suite lists no invariant",
          "[oracle]") {
  World w;
  w.spec.invariants.clear();
  w.Sent("<m1>", Answer::kAccepted);
  CHECK(Broke(w.Judge(), kNoSilentLoss));
}

TEST_CASE("oracle: no-duplicates breaks on two copies, holds on one, can be allowed",
          "[oracle]") {
  World w;
  w.Sent("<m1>", Answer::kAccepted);
  w.Copy("dst", "alice", "INBOX", "<m1>");
  CHECK(w.Judge().ok());
  w.Copy("dst", "alice", "INBOX", "<m1>");
  OracleResult r = w.Judge();
  CHECK(VerdictOf(r, "<m1>") == Verdict::kDuplicated);
  CHECK(Broke(r, kNoDuplicates));
  w.spec.invariants = {kNoSilentLoss};
  OracleResult allowed = w.Judge();
  CHECK(allowed.ok());
  CHECK(VerdictOf(allowed, "<m1>") == Verdict::kDuplicated);
}

TEST_CASE("oracle: no-stranded breaks on mail left in a holding folder or on the old server",
          "[oracle]") {
  World w;
  w.ledger.AddMove({"mover", "alice", "src", "dst", MoveResult::kDone, false});
  w.Sent("<m1>", Answer::kAccepted);
  w.Copy("dst", "alice", "InTransit", "<m1>");
  OracleResult r = w.Judge();
  CHECK(VerdictOf(r, "<m1>") == Verdict::kStranded);
  CHECK(Broke(r, kNoStranded));
  CHECK_FALSE(Broke(r, kNoSilentLoss));

  World old;
  old.ledger.AddMove({"mover", "alice", "src", "dst", MoveResult::kDone, false});
  old.Sent("<m1>", Answer::kAccepted);
  old.Copy("dst", "alice", "INBOX", "<m1>");
  old.Copy("src", "alice", "INBOX", "<m1>");
  OracleResult r2 = old.Judge();
  CHECK(VerdictOf(r2, "<m1>") == Verdict::kDelivered);
  CHECK(Broke(r2, kNoStranded));

  World clean;
  clean.ledger.AddMove({"mover", "alice", "src", "dst", MoveResult::kDone, false});
  clean.Sent("<m1>", Answer::kAccepted);
  clean.Copy("dst", "alice", "INBOX", "<m1>");
  CHECK(clean.Judge().ok());
}

TEST_CASE("oracle: preserved breaks when mail from before the move is gone", "[oracle]") {
  World w;
  w.ledger.AddMessage("<p1>", "alice", "", true);
  w.ledger.AddMessage("<p2>", "alice", "", true);
  w.Copy("dst", "alice", "INBOX", "<p1>");
  OracleResult r = w.Judge();
  CHECK(VerdictOf(r, "<p1>") == Verdict::kDelivered);
  CHECK(VerdictOf(r, "<p2>") == Verdict::kLost);
  CHECK(Broke(r, kPreserved));
  w.Copy("dst", "alice", "INBOX", "<p2>");
  CHECK(w.Judge().ok());
}

TEST_CASE("oracle: no-misdelivery breaks on a message in another user's mailbox", "[oracle]") {
  World w;
  w.Sent("<m1>", Answer::kAccepted);
  w.Copy("src", "bob", "INBOX", "<m1>");
  OracleResult r = w.Judge();
  CHECK(VerdictOf(r, "<m1>") == Verdict::kMisdelivered);
  CHECK(Broke(r, kNoMisdelivery));
  World ok;
  ok.Sent("<m1>", Answer::kAccepted, "bob");
  ok.Copy("src", "bob", "INBOX", "<m1>");
  CHECK(ok.Judge().ok());
}

TEST_CASE("oracle: move-completes", "[oracle]") {
  SECTION("a crashed move never recovered breaks it") {
    World w;
    w.ledger.AddMove({"mover", "alice", "src", "dst", MoveResult::kCrashed, false});
    CHECK(Broke(w.Judge(), kMoveCompletes));
  }
  SECTION("a failed move that rolled back holds") {
    World w;
    w.snap.directory[0].second = "src";
    w.ledger.AddMove({"mover", "alice", "src", "dst", MoveResult::kFailed, false});
    w.ledger.AddMessage("<p1>", "alice", "", true);
    w.Copy("src", "alice", "INBOX", "<p1>");
    CHECK(w.Judge().ok());
  }
  SECTION("a failed move that left the directory switched breaks it") {
    World w;
    w.ledger.AddMove({"mover", "alice", "src", "dst", MoveResult::kFailed, false});
    CHECK(Broke(w.Judge(), kMoveCompletes));
  }
  SECTION("a failed move that left mail on the destination breaks it") {
    World w;
    w.snap.directory[0].second = "src";
    w.ledger.AddMove({"mover", "alice", "src", "dst", MoveResult::kFailed, false});
    w.ledger.AddMessage("<p1>", "alice", "", true);
    w.Copy("src", "alice", "INBOX", "<p1>");
    w.Copy("dst", "alice", "INBOX", "<p1>");
    CHECK(Broke(w.Judge(), kMoveCompletes));
  }
  SECTION("a done move whose directory still names the source breaks it") {
    World w;
    w.snap.directory[0].second = "src";
    w.ledger.AddMove({"mover", "alice", "src", "dst", MoveResult::kDone, false});
    CHECK(Broke(w.Judge(), kMoveCompletes));
  }
}

TEST_CASE("oracle: without explain the same breaches, no words", "[oracle]") {
  World w;
  w.Sent("<m1>", Answer::kAccepted);
  OracleResult quiet;
  Oracle(w.spec).Check(w.ledger, w.snap, &quiet, false);
  OracleResult loud = w.Judge();
  CHECK(quiet.Invariants() == loud.Invariants());
  CHECK(quiet.verdicts[0].verdict == loud.verdicts[0].verdict);
  CHECK(quiet.verdicts[0].detail.empty());
}

}  // namespace
}  // namespace intransit
