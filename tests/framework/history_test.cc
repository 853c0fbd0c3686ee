// Timeline staging and Ledger rewinding: the storage the runner reuses from
// one schedule to the next must not let one schedule's words leak into the
// next one's history.
#include "run/history.h"

#include <catch2/catch.hpp>

namespace intransit {
namespace {

TEST_CASE("history: staged slots join the timeline in commit order and are numbered then",
          "[history]") {
  Timeline t;
  const size_t first = t.Stage();
  const size_t second = t.Stage();
  t.staged(first).point = "deliver";
  t.staged(second).point = "copy";
  CHECK(t.size() == 0);  // staged is not yet in the timeline

  t.Commit(second);
  Event& probe = t.Append();
  probe.point = "fsync";
  t.Commit(first);
  REQUIRE(t.size() == 3);
  CHECK(t[0].point == "copy");
  CHECK(t[1].point == "fsync");
  CHECK(t[2].point == "deliver");
  for (size_t i = 0; i < t.size(); ++i) CHECK(t[i].step == static_cast<int>(i) + 1);
  t.at(2).what = "stored in INBOX";
  const std::vector<Event> copy = t.ToVector();
  REQUIRE(copy.size() == 3);
  CHECK(copy[0].point == "copy");
  CHECK(copy[2].what == "stored in INBOX");
}

TEST_CASE("history: a slot staged after Clear starts empty whatever it held", "[history]") {
  Timeline t;
  for (int round = 0; round < 2; ++round) {
    const size_t slot = t.Stage();
    Event& e = t.staged(slot);
    CHECK(e.actor.empty());
    CHECK(e.point.empty());
    CHECK(e.server.empty());
    CHECK(e.user.empty());
    CHECK(e.message.empty());
    CHECK(e.what.empty());
    CHECK(e.fault.empty());
    CHECK_FALSE(e.injected);
    CHECK_FALSE(e.probe);
    e.actor = "mover";
    e.point = "copy";
    e.server = "dst";
    e.user = "alice";
    e.message = "<m1.alice@intransit>";
    e.what = "copy the mailbox";
    e.fault = "released: nothing else could run";
    e.injected = true;
    e.probe = true;
    t.Commit(slot);
    CHECK(t.size() == 1);
    t.Clear();
    CHECK(t.size() == 0);
  }
}

TEST_CASE("history: Rewind keeps the messages and forgets attempts NDRs and moves",
          "[history]") {
  Ledger l;
  l.AddMessage("<p1.alice@intransit>", "alice", "", true);
  const size_t m = l.AddMessage("<m1.alice@intransit>", "alice", "sender-1", false);
  l.entry(m).attempts.push_back({3, Answer::kAccepted, "dst"});
  l.entry(m).ndr = true;
  l.AddMove({"mover", "alice", "src", "dst", MoveResult::kDone, false});

  l.Rewind();
  REQUIRE(l.size() == 2);
  CHECK(l.entry(0).message == "<p1.alice@intransit>");
  CHECK(l.entry(0).preexisting);
  CHECK(l.entry(1).message == "<m1.alice@intransit>");
  CHECK(l.entry(1).user == "alice");
  CHECK(l.entry(1).actor == "sender-1");
  CHECK_FALSE(l.entry(1).preexisting);
  CHECK(l.entry(1).attempts.empty());
  CHECK_FALSE(l.entry(1).ndr);
  CHECK_FALSE(l.entry(1).accepted());
  CHECK(l.moves().empty());
}

}  // namespace
}  // namespace intransit
