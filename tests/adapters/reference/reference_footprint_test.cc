// The reference store's footprints (docs/footprints.md): every step of a
// move and of a delivery, in every variant and copy mode, declares what it
// touches, and the key steps declare the objects reduction depends on. The
// deployment is driven directly through a recording gate, deliveries run
// while the mover waits at a point, as a schedule would run them.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "adapters/reference/procedure.h"
#include "adapters/reference/reference_adapter.h"
#include "tests/adapters/reference/swap_check.h"
#include "tests/support/fake_gate.h"

namespace intransit {
namespace {

using testing::RecordedStep;
using testing::FakeGate;

constexpr Access R = Access::kRead, W = Access::kWrite, A = Access::kAppend;

std::unique_ptr<Deployment> Open(const std::string& variant, bool by_message) {
  AdapterConfig c;
  c.variant = variant;
  if (by_message) c.options.Set("copy", std::string("message"));
  auto d = ReferenceAdapterInfo().open(c);
  REQUIRE(d.ok());
  REQUIRE((*d)->Reset().ok());
  REQUIRE((*d)->Provision("alice", "src", {"p1", "p2"}).ok());
  return std::move(*d);
}

// Every step has at least one touch: an empty one would say "touches
// nothing", which no step of this store does.
void CheckEveryStepDeclares(const FakeGate& g) {
  for (const auto& step : g.Steps()) {
    INFO(step.Describe());
    CHECK(!step.touches.empty());
  }
}

// A delivery step: it reads the directory and the mailbox it found, and
// stores into the folder it answered with, on the server it stored on.
void CheckDelivery(const FakeGate& g, const DeliverResult& r, bool by_message) {
  REQUIRE(g.Steps().size() == 1);
  const RecordedStep& step = g.Steps()[0];
  INFO(step.Describe());
  CHECK(step.Has("dir/alice", R));
  REQUIRE(r.answer == Answer::kAccepted);
  CHECK(step.Has("box/" + r.server + "/alice", R));
  const std::string folder = r.server + "/alice/" + r.folder;
  // copy = "message" lists INBOX and copies it in order: a store there is a write.
  CHECK(step.Has(folder, by_message && r.folder == "INBOX" ? W : A));
}

TEST_CASE("reference footprints: every variant declares them for every step",
          "[reference][footprint]") {
  for (const auto& proc : Procedures()) {
    for (bool by_message : {false, true}) {
      INFO(proc.name << (by_message ? " copy=message" : " copy=mailbox"));
      auto d = Open(proc.name, by_message);
      CHECK(d->DeclaresFootprints());

      FakeGate before;
      auto r0 = d->Deliver(before, "alice", "m0");
      REQUIRE(r0.ok());
      CheckDelivery(before, *r0, by_message);
      CHECK(r0->server == "src");

      // Deliveries while the mover waits at its copy and at its flush.
      FakeGate mover, at_copy, at_flush;
      Result<DeliverResult> r1 = Status::Infra("not run"), r2 = Status::Infra("not run");
      bool copied = false, flushed = false;
      mover.at_pass = [&](std::string_view point) {
        if (point == "copy" && !copied) {
          copied = true;
          r1 = d->Deliver(at_copy, "alice", "m1");
        } else if (point == "flush" && !flushed) {
          flushed = true;
          r2 = d->Deliver(at_flush, "alice", "m2");
        }
      };
      auto moved = d->Move(mover, "alice", "dst");
      REQUIRE(moved.ok());
      CHECK(*moved == MoveResult::kDone);
      REQUIRE(r1.ok());
      REQUIRE(r2.ok());
      CheckDelivery(at_copy, *r1, by_message);
      CheckDelivery(at_flush, *r2, by_message);
      if (proc.forward_from_create) {
        // Forwarded to the new mailbox, flagged by then: held in InTransit.
        CHECK(r1->server == "dst");
        CHECK(r1->folder == "InTransit");
        CHECK(at_copy.Steps()[0].Has("fwd/src/alice", R));
      }

      FakeGate after;
      auto r3 = d->Deliver(after, "alice", "m3");
      REQUIRE(r3.ok());
      CheckDelivery(after, *r3, by_message);
      CHECK(r3->server == "dst");

      CheckEveryStepDeclares(mover);
      {
        const auto& s = mover.Last("create");
        INFO(s.Describe());
        CHECK(s.Has("box/dst/alice", W));
        CHECK(s.Has("fwd/src/alice", W) == proc.forward_from_create);
      }
      if (std::find(proc.steps.begin(), proc.steps.end(), StepKind::kFlag) != proc.steps.end()) {
        const auto& s = mover.Last("flag");
        INFO(s.Describe());
        CHECK(s.Has("box/dst/alice", W));
      }
      {
        // The first copy step lists the old INBOX (all of them, by mailbox).
        const RecordedStep* first = nullptr;
        for (const auto& s : mover.Steps()) {
          if (s.point == "copy" && first == nullptr) first = &s;
          if (s.point == "copy") {
            INFO(s.Describe());
            CHECK(s.Has("dst/alice/INBOX", W));
          }
        }
        REQUIRE(first != nullptr);
        INFO(first->Describe());
        CHECK(first->Has("src/alice/INBOX", R));
      }
      CHECK(mover.Last("route").Has("dir/alice", W));
      CHECK(mover.Last("unflag").Has("box/dst/alice", W));
      {
        const auto& s = mover.Last("flush");
        INFO(s.Describe());
        CHECK(s.Has("dst/alice/InTransit", W));
        CHECK((s.Has("dst/alice/INBOX", A) || s.Has("dst/alice/INBOX", W)));
      }
      {
        const auto& s = mover.Last("cleanup");
        INFO(s.Describe());
        CHECK(s.Has("box/src/alice", W));
        CHECK(s.Has("src/alice/INBOX", W));
        CHECK(s.Has("fwd/src/alice", W));
      }
    }
  }
}

TEST_CASE("reference footprints: copy = message keeps InTransit an append with one move",
          "[reference][footprint]") {
  auto d = Open("correct", true);
  FakeGate mover, held;
  Result<DeliverResult> r = Status::Infra("not run");
  mover.at_pass = [&](std::string_view point) {
    if (point == "route") r = d->Deliver(held, "alice", "m1");
  };
  REQUIRE(d->Move(mover, "alice", "dst").ok());
  REQUIRE(r.ok());
  REQUIRE(r->folder == "InTransit");
  CHECK(held.Steps()[0].Has("dst/alice/InTransit", A));
  CHECK(!held.Steps()[0].Has("dst/alice/InTransit", W));
}

TEST_CASE("reference footprints: a resent Message-ID check touches both folders",
          "[reference][footprint]") {
  // With drop_resent the delivery reads whether its message is in INBOX or
  // InTransit: both declared, as appends (no other delivery adds it).
  auto d = Open("correct", false);
  FakeGate g;
  auto r = d->Deliver(g, "alice", "m1");
  REQUIRE(r.ok());
  const auto& s = g.Steps()[0];
  INFO(s.Describe());
  CHECK(s.Has("src/alice/INBOX", A));
  CHECK(s.Has("src/alice/InTransit", A));

  auto plain = Open("sp4", false);
  FakeGate p;
  REQUIRE(plain->Deliver(p, "alice", "m1").ok());
  CHECK(!p.Steps()[0].Has("src/alice/InTransit", A));
}

TEST_CASE("reference footprints: a failed copy's step declares the rollback",
          "[reference][footprint]") {
  auto d = Open("correct", false);
  FakeGate mover;
  mover.Script("copy", testing::Fail(Phase::kBefore));
  auto moved = d->Move(mover, "alice", "dst");
  REQUIRE(moved.ok());
  CHECK(*moved == MoveResult::kFailed);
  CheckEveryStepDeclares(mover);
  const auto& s = mover.Last("copy");
  INFO(s.Describe());
  for (const char* o : {"dir/alice", "fwd/src/alice", "box/dst/alice", "src/alice/INBOX",
                        "dst/alice/INBOX", "dst/alice/InTransit"}) {
    CHECK(s.Has(o, W));
  }
}

TEST_CASE("reference footprints: crashed moves and their recovery declare every step",
          "[reference][footprint]") {
  for (const char* variant : {"correct", "crash-strand"}) {
    for (const char* at : {"create", "copy", "route", "flush"}) {
      INFO(variant << " crash at " << at);
      auto d = Open(variant, false);
      FakeGate mover;
      mover.Script(at, testing::Crash());
      auto moved = d->Move(mover, "alice", "dst");
      REQUIRE(moved.ok());
      REQUIRE(*moved == MoveResult::kCrashed);
      // As the runner does: the mover's `recover` point, then Recover.
      mover.Pass({"recover", {}, "alice", {}, "restart the mover"});
      auto recovered = d->Recover(mover, "alice");
      REQUIRE(recovered.ok());
      CheckEveryStepDeclares(mover);
      CHECK(mover.Last("recover").Has("move/alice", W));
      if (std::string(variant) == "crash-strand") {
        const auto& s = mover.Last("cleanup");
        INFO(s.Describe());
        CHECK(s.Has("dir/alice", W));
        CHECK(s.Has("dst/alice/INBOX", W));
      }
    }
  }
}

TEST_CASE("reference footprints: a delivery that crashed or failed still declares its reads",
          "[reference][footprint]") {
  for (Decision dec : {testing::Crash(), testing::Fail(Phase::kBefore),
                       testing::Fail(Phase::kAfter)}) {
    auto d = Open("correct", false);
    FakeGate g;
    g.Script("deliver", dec);
    REQUIRE(d->Deliver(g, "alice", "m1").ok());
    CheckEveryStepDeclares(g);
    CHECK(g.Steps()[0].Has("dir/alice", R));
    CHECK(g.Steps()[0].Has("fwd/src/alice", R));
  }
}

TEST_CASE("reference footprints: adjacent steps declared independent commute",
          "[reference][footprint]") {
  size_t swapped = 0, checked = 0;
  for (const auto& proc : Procedures()) {
    for (bool by_message : {false, true}) {
      for (const char* crash_at : {"", "copy", "route", "flush"}) {
        INFO(proc.name << (by_message ? " copy=message" : "") << " crash at '" << crash_at
                       << "'");
        testing::SwapScenario sc;
        sc.open = [&] { return Open(proc.name, by_message); };
        sc.crash_at = crash_at;
        testing::CheckSwaps(sc, &checked, &swapped);
      }
    }
  }
  // The check must have had pairs to swap, and pairs it did not.
  CHECK(swapped > 100);
  CHECK(checked > swapped);
}

}  // namespace
}  // namespace intransit
