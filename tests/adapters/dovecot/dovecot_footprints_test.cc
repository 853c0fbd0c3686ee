// The dovecot adapter's footprints (adapters/dovecot/footprints.h): the
// table of every runbook step and of a delivery, without servers; then a
// recording gate on real Dovecot servers, one Move and a few deliveries of
// each built-in runbook and of one custom runbook that has every step kind:
// every step declares, a delivery reads the route and appends to the folder
// Inspect finds its message in.
//
// The real-server case starts four pairs of servers (a few seconds), and is
// skipped, with the reason shown, only where `dovecot` is not installed.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "adapters/dovecot/footprints.h"
#include "adapters/dovecot/runbook.h"
#include "store/footprint.h"
#include "tests/adapters/dovecot/dovecot_support.h"

namespace intransit::dovecot {
namespace {

using ::intransit::testing::FakeGate;
using testing::OpenDovecot;
using testing::TempDir;

bool Has(const Touches& touches, const std::string& object, Access access) {
  return std::find(touches.begin(), touches.end(), Touch{object, access}) != touches.end();
}

// True when `object` is touched at all (any access).
bool Mentions(const Touches& touches, const std::string& object) {
  return std::any_of(touches.begin(), touches.end(),
                     [&](const Touch& t) { return t.object == object; });
}

TEST_CASE("dovecot footprints: every runbook step declares and a dsync writes both sides",
          "[dovecot][footprint]") {
  for (const RunbookStep& step : Runbooks().steps) {
    CAPTURE(step.name);
    Touches t = StepFootprint(KindOf(step), "alice", "src", "dst");
    CHECK_FALSE(t.empty());
    for (const auto& touch : t) {
      // Suite names only: the schedule's Dovecot name (alice-g3) would
      // differ between runs.
      CHECK(touch.object.find("-g") == std::string::npos);
    }
  }
  for (StepKind k : {StepKind::kBackup, StepKind::kSync, StepKind::kStartBackup,
                     StepKind::kWaitBackup}) {
    Touches t = StepFootprint(k, "alice", "src", "dst");
    CHECK(Has(t, "dst/alice/INBOX", Access::kWrite));
    CHECK(Has(t, "box/dst/alice", Access::kWrite));
    CHECK(Has(t, "src/alice/INBOX", Access::kWrite));
    CHECK_FALSE(Mentions(t, "dir/alice"));
  }
  CHECK(StepFootprint(StepKind::kSwitch, "alice", "src", "dst") ==
        Touches{{"dir/alice", Access::kWrite}});
  CHECK(StepFootprint(StepKind::kHold, "alice", "src", "dst") ==
        Touches{{"hold/alice", Access::kWrite}});
  CHECK(StepFootprint(StepKind::kRelease, "alice", "src", "dst") ==
        Touches{{"hold/alice", Access::kWrite}});
  Touches del = StepFootprint(StepKind::kDelete, "alice", "src", "dst");
  CHECK(Has(del, "box/src/alice", Access::kWrite));
  CHECK(Has(del, "src/alice/INBOX", Access::kWrite));
  CHECK_FALSE(Mentions(del, "dst/alice/INBOX"));
}

TEST_CASE("dovecot footprints: a delivery reads what routes it and appends where it stores",
          "[dovecot][footprint]") {
  CHECK(DeliverFootprint("alice", "src", DeliverReach::kRouted) ==
        Touches{{"dir/alice", Access::kRead}});
  CHECK(DeliverFootprint("alice", "src", DeliverReach::kHeld) ==
        Touches{{"dir/alice", Access::kRead}, {"hold/alice", Access::kRead}});
  Touches sent = DeliverFootprint("alice", "dst", DeliverReach::kSent);
  CHECK(Has(sent, "dir/alice", Access::kRead));
  CHECK(Has(sent, "hold/alice", Access::kRead));
  CHECK(Has(sent, "srv/dst", Access::kRead));
  CHECK(Has(sent, "box/dst/alice", Access::kRead));
  CHECK(Has(sent, "dst/alice/INBOX", Access::kAppend));
  // Nothing on the other server, and nothing written: two deliveries of
  // different messages commute.
  for (const auto& t : sent) {
    CHECK(t.object.find("src") == std::string::npos);
    CHECK(t.access != Access::kWrite);
  }
}

// A FakeGate's record of touches in the adapter's own form.
Touches AsTouches(const std::vector<std::pair<std::string, Access>>& recorded) {
  Touches out;
  for (const auto& [object, access] : recorded) out.push_back({object, access});
  return out;
}

// The touches of `gate`'s last step; then forgets every step (the next
// call's touches start afresh).
Touches TakeLast(FakeGate& gate) {
  Touches t = gate.Steps().empty() ? Touches{} : AsTouches(gate.Steps().back().touches);
  gate.ForgetSteps();
  return t;
}

// The runner's form of `touches`, objects interned through `ids`.
Footprint Interned(const Touches& touches, std::map<std::string, int>* ids) {
  Footprint f;
  for (const auto& t : touches) {
    auto it = ids->emplace(t.object, static_cast<int>(ids->size())).first;
    f.Add(it->second, t.access);
  }
  return f;
}

// What Inspect found, in an order of its own (fetch lists by UID, which
// follows the delivery order).
std::vector<std::tuple<std::string, std::string, std::string>> Copies(const Snapshot& snap) {
  std::vector<std::tuple<std::string, std::string, std::string>> out;
  for (const auto& c : snap.copies) out.emplace_back(c.server, c.folder, c.message);
  std::sort(out.begin(), out.end());
  return out;
}

bool Stored(const Snapshot& snap, const DeliverResult& r, const std::string& id) {
  return std::any_of(snap.copies.begin(), snap.copies.end(), [&](const MessageCopy& c) {
    return c.server == r.server && c.user == "alice" && c.folder == r.folder && c.message == id;
  });
}

TEST_CASE("dovecot footprints: every step of every runbook declares on real servers",
          "[dovecot][footprint]") {
  SKIP_WITHOUT_DOVECOT();
  TempDir tmp;
  struct Case {
    const char* variant;
    std::vector<std::string> runbook;  // empty: the variant's
  };
  const std::vector<Case> cases = {
      {"naive", {}},
      {"documented", {}},
      {"hold", {}},
      // Every step kind, the background backup included.
      {"custom", {"hold", "start-backup", "wait-backup", "switch", "sync", "release", "delete"}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.variant);
    Params p;
    if (!c.runbook.empty()) p.Set("runbook", c.runbook);
    auto d = OpenDovecot(tmp.path(), c.runbook.empty() ? c.variant : "documented", p);
    REQUIRE(d.ok());
    Deployment& dep = **d;
    CHECK(dep.DeclaresFootprints());
    REQUIRE(dep.Reset().ok());
    REQUIRE(dep.Provision("alice", "src", {"<p1.alice@intransit>"}).ok());
    const bool holds = std::string(c.variant) == "hold" || std::string(c.variant) == "custom";

    // Before the move: routed to src, stored in src's INBOX.
    FakeGate sender;
    auto first = dep.Deliver(sender, "alice", "<m1.alice@intransit>");
    REQUIRE(first.ok());
    REQUIRE(first->answer == Answer::kAccepted);
    // The point announces the route.
    CHECK(Has(AsTouches(sender.Before()), "dir/alice", Access::kRead));
    REQUIRE(sender.Steps().size() == 1);
    Touches t = TakeLast(sender);
    CHECK(Has(t, "dir/alice", Access::kRead));
    CHECK(Has(t, "box/src/alice", Access::kRead));
    CHECK(Has(t, FolderObject(first->server, "alice", first->folder), Access::kAppend));
    Snapshot snap;
    REQUIRE(dep.Inspect(&snap).ok());
    CHECK(Stored(snap, *first, "<m1.alice@intransit>"));

    // During the move, at the switch: held (tempfail, nothing appended) or
    // still routed to src.
    FakeGate mover;
    Touches during;
    Answer during_answer = Answer::kPermfail;
    mover.at_pass = [&](std::string_view point) {
      if (point != "route") return;
      auto r = dep.Deliver(sender, "alice", "<m2.alice@intransit>");
      REQUIRE(r.ok());
      during_answer = r->answer;
      during = TakeLast(sender);
    };
    auto moved = dep.Move(mover, "alice", "dst");
    REQUIRE(moved.ok());
    CHECK(*moved == MoveResult::kDone);
    CHECK(Has(AsTouches(mover.Before()), "dir/alice", Access::kRead));  // where the mailbox is
    Result<Runbook> runbook =
        c.runbook.empty() ? Runbooks().Variant(c.variant) : Runbooks().Parse(c.runbook);
    REQUIRE(runbook.ok());
    REQUIRE(mover.Steps().size() == runbook->size());
    for (size_t i = 0; i < runbook->size(); ++i) {
      const RunbookStep& step = (*runbook)[i];
      const Touches st = AsTouches(mover.Steps()[i].touches);
      CAPTURE(i, step.name);
      CHECK(mover.Steps()[i].point == step.point);
      CHECK_FALSE(st.empty());
      switch (KindOf(step)) {
        case StepKind::kBackup:
        case StepKind::kSync:
        case StepKind::kStartBackup:
        case StepKind::kWaitBackup:
          CHECK(Has(st, "src/alice/INBOX", Access::kWrite));
          CHECK(Has(st, "dst/alice/INBOX", Access::kWrite));
          break;
        case StepKind::kSwitch:
          CHECK(Has(st, "dir/alice", Access::kWrite));
          break;
        case StepKind::kHold:
        case StepKind::kRelease:
          CHECK(Has(st, "hold/alice", Access::kWrite));
          break;
        case StepKind::kDelete:
          CHECK(Has(st, "src/alice/INBOX", Access::kWrite));
          CHECK(Has(st, "box/src/alice", Access::kWrite));
          break;
      }
    }
    CHECK(Has(during, "dir/alice", Access::kRead));
    CHECK(Has(during, "hold/alice", Access::kRead));
    if (holds) {
      CHECK(during_answer == Answer::kTempfail);
      CHECK(during == Touches{{"dir/alice", Access::kRead}, {"hold/alice", Access::kRead}});
    } else {
      CHECK(during_answer == Answer::kAccepted);
      CHECK(Has(during, "src/alice/INBOX", Access::kAppend));
    }

    // After the move: routed to dst, stored in dst's INBOX.
    auto after = dep.Deliver(sender, "alice", "<m3.alice@intransit>");
    REQUIRE(after.ok());
    REQUIRE(after->answer == Answer::kAccepted);
    CHECK(after->server == "dst");
    t = TakeLast(sender);
    CHECK(Has(t, "dir/alice", Access::kRead));
    CHECK(Has(t, "srv/dst", Access::kRead));
    CHECK(Has(t, "box/dst/alice", Access::kRead));
    CHECK(Has(t, FolderObject(after->server, "alice", after->folder), Access::kAppend));
    CHECK_FALSE(Mentions(t, "src/alice/INBOX"));
    REQUIRE(dep.Inspect(&snap).ok());
    CHECK(Stored(snap, *after, "<m3.alice@intransit>"));

    if (std::string(c.variant) != "documented") continue;
    // The swap test on real servers: two senders' deliveries at the same
    // point of the move are declared independent (appends of different
    // messages); run in both orders, Inspect must find the same copies.
    std::vector<std::tuple<std::string, std::string, std::string>> seen[2];
    for (int order = 0; order < 2; ++order) {
      CAPTURE(order);
      REQUIRE(dep.Reset().ok());
      REQUIRE(dep.Provision("alice", "src", {"<p1.alice@intransit>"}).ok());
      FakeGate one, two, mover2;
      Touches touched[2];
      mover2.at_pass = [&](std::string_view point) {
        if (point != "route") return;
        for (int k = 0; k < 2; ++k) {
          int who = order == 0 ? k : 1 - k;
          auto r = dep.Deliver(who == 0 ? one : two, "alice",
                               who == 0 ? "<a.alice@intransit>" : "<b.alice@intransit>");
          REQUIRE(r.ok());
          CHECK(r->answer == Answer::kAccepted);
          touched[who] = TakeLast(who == 0 ? one : two);
        }
      };
      auto m = dep.Move(mover2, "alice", "dst");
      REQUIRE(m.ok());
      CHECK(*m == MoveResult::kDone);
      std::map<std::string, int> ids;
      CHECK_FALSE(Interned(touched[0], &ids).Conflicts(Interned(touched[1], &ids)));
      REQUIRE(dep.Inspect(&snap).ok());
      seen[order] = Copies(snap);
      CHECK(seen[order].size() == 3);
    }
    CHECK(seen[0] == seen[1]);
  }
  CHECK(testing::LeftBehind(tmp.path(), getpid()).empty());
}

}  // namespace
}  // namespace intransit::dovecot
