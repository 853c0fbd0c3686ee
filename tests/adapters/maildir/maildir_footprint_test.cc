// The maildir store's footprints (docs/footprints.md): every step of a move
// and of a delivery, in every variant, declares what it touches, and the key
// steps declare the objects reduction depends on. Real trees on /dev/shm,
// driven through a recording gate; deliveries run while the mover waits at
// a point, as a schedule would run them.
#include <catch2/catch.hpp>
#include <string>

#include "adapters/maildir/maildir_adapter.h"
#include "tests/adapters/reference/swap_check.h"
#include "tests/support/fake_gate.h"

namespace intransit {
namespace {

using testing::RecordedStep;
using testing::FakeGate;

constexpr Access R = Access::kRead, W = Access::kWrite, A = Access::kAppend;

std::unique_ptr<Deployment> Open(const std::string& variant,
                                 std::vector<std::string> armed = {}) {
  AdapterConfig c;
  c.variant = variant;
  c.options.Set("root", std::string("/dev/shm"));
  c.armed_points = std::move(armed);
  auto d = MaildirAdapterInfo().open(c);
  REQUIRE(d.ok());
  REQUIRE((*d)->Reset().ok());
  REQUIRE((*d)->Provision("alice", "src", {"<p1@t>", "<p2@t>"}).ok());
  return std::move(*d);
}

void CheckEveryStepDeclares(const FakeGate& g) {
  for (const auto& step : g.Steps()) {
    INFO(step.Describe());
    CHECK(!step.touches.empty());
  }
}

// A delivery step reads the directory and the maildir it found, and stores
// into the folder it answered with, on the server it stored on.
void CheckDelivery(const FakeGate& g, const DeliverResult& r, Access store) {
  REQUIRE(g.Steps().size() == 1);
  const RecordedStep& step = g.Steps()[0];
  INFO(step.Describe());
  CHECK(step.Has("dir/alice", R));
  REQUIRE(r.answer == Answer::kAccepted);
  CHECK(step.Has("box/" + r.server + "/alice", R));
  CHECK(step.Has(r.server + "/alice/" + r.folder, store));
}

TEST_CASE("maildir footprints: every variant declares them for every step",
          "[maildir][footprint]") {
  for (const char* variant : {"naive", "in-transit", "pre-sp4"}) {
    INFO(variant);
    const std::string v = variant;
    auto d = Open(variant);
    CHECK(d->DeclaresFootprints());

    FakeGate before;
    auto r0 = d->Deliver(before, "alice", "<m0@t>");
    REQUIRE(r0.ok());
    CheckDelivery(before, *r0, A);
    CHECK(r0->server == "src");

    // Deliveries while the mover waits at its copy and at its cleanup.
    FakeGate mover, at_copy, at_cleanup;
    Result<DeliverResult> r1 = Status::Infra("not run"), r2 = Status::Infra("not run");
    mover.at_pass = [&](std::string_view point) {
      if (point == "copy") r1 = d->Deliver(at_copy, "alice", "<m1@t>");
      if (point == "cleanup") r2 = d->Deliver(at_cleanup, "alice", "<m2@t>");
    };
    auto moved = d->Move(mover, "alice", "dst");
    REQUIRE(moved.ok());
    CHECK(*moved == MoveResult::kDone);
    REQUIRE(r1.ok());
    REQUIRE(r2.ok());
    CheckDelivery(at_copy, *r1, A);
    CheckDelivery(at_cleanup, *r2, A);
    if (v == "naive") {
      CHECK(r1->server == "src");
    } else {
      // Switched (in-transit) or forwarded and flagged (pre-sp4): held.
      CHECK(r1->server == "dst");
      CHECK(r1->folder == "InTransit");
      CHECK(at_copy.Steps()[0].Has("dst/alice/InTransit", A));
    }
    CHECK(r2->server == "dst");
    CHECK(r2->folder == "INBOX");

    CheckEveryStepDeclares(mover);
    {
      const auto& s = mover.Last("create");
      INFO(s.Describe());
      CHECK(s.Has("box/dst/alice", W));
      CHECK(s.Has("journal/alice", W));
      if (v == "in-transit") CHECK(s.Has("dst/alice/InTransit", W));
      if (v == "pre-sp4") CHECK(s.Has("dir/alice", W));  // src forwards from now on
    }
    {
      const auto& s = mover.Last("copy");
      INFO(s.Describe());
      CHECK(s.Has("src/alice/INBOX", R));
      CHECK(s.Has("dst/alice/INBOX", W));
    }
    CHECK(mover.Last("route").Has("dir/alice", W));
    {
      const auto& s = mover.Last("cleanup");
      INFO(s.Describe());
      CHECK(s.Has("box/src/alice", W));
      CHECK(s.Has("src/alice/INBOX", W));
    }
    if (v != "naive") {
      CHECK(mover.Last("unflag").Has("dir/alice", W));
      const auto& s = mover.Last("flush");
      INFO(s.Describe());
      CHECK(s.Has("dst/alice/InTransit", W));
      CHECK(s.Has("dst/alice/INBOX", A));
    }
    if (v == "pre-sp4") {
      const auto& s = mover.Last("flag");
      INFO(s.Describe());
      CHECK(s.Has("dst/alice/InTransit", W));
      CHECK(s.Has("dir/alice", W));
    }

    FakeGate after;
    auto r3 = d->Deliver(after, "alice", "<m3@t>");
    REQUIRE(r3.ok());
    CheckDelivery(after, *r3, A);
    CHECK(r3->server == "dst");
  }
}

TEST_CASE("maildir footprints: with an I/O point armed a store is a write",
          "[maildir][footprint]") {
  // The copy and the flush go file by file in name order: a counted fault
  // at the k-th rename observes the order the files arrived in.
  for (const char* point : {"maildir/rename", "maildir/write"}) {
    INFO(point);
    auto d = Open("in-transit", {point});
    FakeGate g;
    auto r = d->Deliver(g, "alice", "<m1@t>");
    REQUIRE(r.ok());
    CheckDelivery(g, *r, W);
  }
}

TEST_CASE("maildir footprints: the Message-ID check of in-transit touches both folders",
          "[maildir][footprint]") {
  auto d = Open("in-transit");
  FakeGate g;
  REQUIRE(d->Deliver(g, "alice", "<m1@t>").ok());
  CHECK(g.Steps()[0].Has("src/alice/InTransit", A));
  auto naive = Open("naive");
  FakeGate n;
  REQUIRE(naive->Deliver(n, "alice", "<m1@t>").ok());
  CHECK(!n.Steps()[0].Has("src/alice/InTransit", A));
}

TEST_CASE("maildir footprints: a failed create's step declares the rollback",
          "[maildir][footprint]") {
  auto d = Open("in-transit");
  FakeGate mover;
  mover.Script("create", testing::Fail(Phase::kAfter));
  auto moved = d->Move(mover, "alice", "dst");
  REQUIRE(moved.ok());
  CHECK(*moved == MoveResult::kFailed);
  CheckEveryStepDeclares(mover);
  const auto& s = mover.Last("create");
  INFO(s.Describe());
  for (const char* o : {"dir/alice", "journal/alice", "box/src/alice", "box/dst/alice",
                        "src/alice/INBOX", "dst/alice/INBOX", "dst/alice/InTransit"}) {
    CHECK(s.Has(o, W));
  }
}

TEST_CASE("maildir footprints: a crashed move and its recovery declare every step",
          "[maildir][footprint]") {
  for (const char* at : {"create", "copy", "flush", "cleanup"}) {
    INFO("crash at " << at);
    auto d = Open("in-transit");
    FakeGate mover;
    mover.Script(at, testing::Crash());
    auto moved = d->Move(mover, "alice", "dst");
    REQUIRE(moved.ok());
    REQUIRE(*moved == MoveResult::kCrashed);
    // As the runner does: the mover's `recover` point, then Recover.
    mover.Pass({"recover", {}, "alice", {}, "restart the mover"});
    auto recovered = d->Recover(mover, "alice");
    REQUIRE(recovered.ok());
    CHECK(*recovered == MoveResult::kDone);
    CheckEveryStepDeclares(mover);
    CHECK(mover.Last("recover").Has("journal/alice", W));
  }
}

TEST_CASE("maildir footprints: a delivery that crashed or failed still declares a read",
          "[maildir][footprint]") {
  for (Decision dec : {testing::Crash(), testing::Fail(Phase::kBefore)}) {
    auto d = Open("in-transit");
    FakeGate g;
    g.Script("deliver", dec);
    REQUIRE(d->Deliver(g, "alice", "<m1@t>").ok());
    CheckEveryStepDeclares(g);
    CHECK(g.Steps()[0].Has("dir/alice", R));
  }
}

TEST_CASE("maildir footprints: adjacent steps declared independent commute",
          "[maildir][footprint]") {
  size_t swapped = 0, checked = 0;
  for (const char* variant : {"naive", "in-transit", "pre-sp4"}) {
    for (const char* crash_at : {"", "copy", "route", "flush"}) {
      INFO(variant << " crash at '" << crash_at << "'");
      testing::SwapScenario sc;
      sc.open = [&] { return Open(variant); };
      sc.r = "<r@t>";
      sc.n = "<n@t>";
      sc.crash_at = crash_at;
      testing::CheckSwaps(sc, &checked, &swapped);
    }
  }
  CHECK(swapped > 20);
  CHECK(checked > swapped);
}

}  // namespace
}  // namespace intransit
