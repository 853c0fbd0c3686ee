// Custody (oracle/custody.h) on hand-made step states: the trail of a
// message, its moves, and the decisive step of each bad verdict.
#include "oracle/custody.h"

#include <catch2/catch.hpp>

namespace intransit {
namespace {

// A schedule's states built step by step: each step starts from the state
// before it, and the test edits the copies.
struct Steps {
  std::vector<StepState> states;
  std::vector<Event> timeline;
  Snapshot end;

  Steps() {
    states.emplace_back();  // step 0
    end.directory.emplace_back("alice", "dst");
    end.holding_folders.push_back("InTransit");
  }
  // Step `point`, with the copies `edit` leaves.
  template <typename Edit>
  void Step(const std::string& point, Edit edit) {
    StepState next = states.back();
    next.step = static_cast<int>(states.size());
    edit(next.copies);
    Event& e = timeline.emplace_back();
    e.step = next.step;
    e.actor = point == "deliver" ? "sender-1" : "mover";
    e.point = point;
    states.push_back(std::move(next));
  }
  void Start(const std::string& server, const std::string& folder, const std::string& id) {
    states[0].copies.push_back({server, "alice", folder, id});
  }
  MessageCustody Of(const std::string& id, Verdict v, int accepted = 0) {
    end.copies = states.back().copies;
    CustodySubject s;
    s.message = id;
    s.user = "alice";
    s.verdict = v;
    s.accepted_step = accepted;
    return DeriveCustody({s}, states, timeline, end)[0];
  }
};

void Put(std::vector<MessageCopy>& c, const std::string& server, const std::string& folder,
         const std::string& id, const std::string& user = "alice") {
  c.push_back({server, user, folder, id});
}

void Drop(std::vector<MessageCopy>& c, const std::string& server, const std::string& folder) {
  std::erase_if(c, [&](const MessageCopy& x) { return x.server == server && x.folder == folder; });
}

TEST_CASE("custody: q277911, the copy overwrites the INBOX that held the delivery", "[custody]") {
  Steps s;
  s.Start("src", "INBOX", "<p1>");
  s.Step("create", [](auto&) {});
  s.Step("deliver", [](auto& c) { Put(c, "dst", "INBOX", "<m1>"); });
  s.Step("flag", [](auto&) {});
  s.Step("copy", [](auto& c) {
    Drop(c, "dst", "INBOX");
    Put(c, "dst", "INBOX", "<p1>");
  });
  s.Step("route", [](auto&) {});
  s.Step("cleanup", [](auto& c) { Drop(c, "src", "INBOX"); });

  MessageCustody m = s.Of("<m1>", Verdict::kLost, 2);
  REQUIRE(m.trail.size() == 3);
  CHECK(m.trail[0].step == 2);
  CHECK(m.trail[0].location == "dst:alice/INBOX");
  CHECK(m.trail[1].step == 3);
  CHECK(m.trail[1].location == "dst:alice/INBOX");
  CHECK(m.trail[2].step == 4);
  CHECK(m.trail[2].location.empty());
  CHECK(m.decisive_step == 4);
  CHECK(m.mark == "gone: overwritten");
  CHECK(m.story ==
        "accepted into dst:alice/INBOX at step 2 (deliver), still there after step 3 (flag), "
        "overwritten by copy at step 4");
  REQUIRE(m.moves.size() == 2);
  CHECK(m.moves[1].what == "gone from dst:alice/INBOX: overwritten");

  // The pre-existing message was copied, then its old copy deleted: no
  // decisive step for a delivered message, but its moves are there.
  MessageCustody p = s.Of("<p1>", Verdict::kDelivered);
  CHECK(p.decisive_step == 0);
  CHECK(p.mark.empty());
  REQUIRE(p.moves.size() == 2);
  CHECK(p.moves[0].step == 4);
  CHECK(p.moves[0].what == "copied to dst:alice/INBOX");
  CHECK(p.moves[1].step == 6);
  CHECK(p.moves[1].what == "removed from src:alice/INBOX");
}

TEST_CASE("custody: a deleted mailbox, and a message never stored", "[custody]") {
  Steps s;
  s.Start("src", "INBOX", "<p1>");
  s.Step("copy", [](auto&) {});  // failed: nothing copied
  s.Step("route", [](auto&) {});
  s.Step("deliver", [](auto&) {});  // answered 250, wrote nothing
  s.Step("cleanup", [](auto& c) { Drop(c, "src", "INBOX"); });

  MessageCustody p = s.Of("<p1>", Verdict::kLost);
  CHECK(p.decisive_step == 4);
  CHECK(p.mark == "gone: deleted");
  CHECK(p.story ==
        "in src:alice/INBOX at the start, still there after step 3 (deliver), deleted by cleanup "
        "at step 4");

  MessageCustody m = s.Of("<m1>", Verdict::kLost, 3);
  CHECK(m.trail.empty());
  CHECK(m.decisive_step == 3);
  CHECK(m.mark == "accepted, never stored");
  CHECK(m.story == "accepted at step 3 (deliver) but never stored anywhere");
}

TEST_CASE("custody: a lost message gone right after it moved says no 'still there'", "[custody]") {
  Steps s;
  s.Step("deliver", [](auto& c) { Put(c, "dst", "InTransit", "<m1>"); });
  s.Step("flush", [](auto& c) {
    Drop(c, "dst", "InTransit");
    Put(c, "dst", "INBOX", "<m1>");
  });
  s.Step("copy", [](auto& c) {
    Drop(c, "dst", "INBOX");
    Put(c, "dst", "INBOX", "<p1>");
  });
  MessageCustody m = s.Of("<m1>", Verdict::kLost, 1);
  CHECK(m.decisive_step == 3);
  CHECK(m.story ==
        "accepted into dst:alice/InTransit at step 1 (deliver), moved from dst:alice/InTransit to "
        "dst:alice/INBOX at step 2 (flush), overwritten by copy at step 3");
}

TEST_CASE("custody: the step that made the second copy that stayed", "[custody]") {
  Steps s;
  s.Step("deliver", [](auto& c) { Put(c, "src", "INBOX", "<m1>"); });
  s.Step("copy", [](auto& c) { Put(c, "dst", "INBOX", "<m1>"); });
  s.Step("route", [](auto&) {});
  // A transient second copy on dst that a later step removes is not it.
  s.Step("deliver", [](auto& c) { Put(c, "dst", "INBOX", "<m1>"); });
  s.Step("cleanup", [](auto& c) {
    Drop(c, "src", "INBOX");
    Drop(c, "dst", "INBOX");
    Put(c, "dst", "INBOX", "<m1>");
  });
  s.Step("deliver", [](auto& c) { Put(c, "dst", "INBOX", "<m1>"); });
  s.Step("unflag", [](auto&) {});
  MessageCustody m = s.Of("<m1>", Verdict::kDuplicated, 1);
  CHECK(m.decisive_step == 6);
  CHECK(m.mark == "second copy");
  CHECK(m.story ==
        "accepted into src:alice/INBOX at step 1 (deliver), copied to dst:alice/INBOX at step 2 "
        "(copy), another copy in dst:alice/INBOX at step 4 (deliver), removed from "
        "dst:alice/INBOX, src:alice/INBOX at step 5 (cleanup), another copy in dst:alice/INBOX "
        "at step 6 (deliver): the second copy, never removed");
}

TEST_CASE("custody: stranded in the holding folder, and misdelivered", "[custody]") {
  Steps s;
  s.Step("create", [](auto&) {});
  s.Step("deliver", [](auto& c) { Put(c, "dst", "InTransit", "<m1>"); });
  s.Step("deliver", [](auto& c) { Put(c, "dst", "INBOX", "<m2>", "bob"); });
  s.Step("cleanup", [](auto&) {});
  MessageCustody m = s.Of("<m1>", Verdict::kStranded, 2);
  CHECK(m.decisive_step == 2);
  CHECK(m.mark == "stranded in dst:alice/InTransit");
  CHECK(m.story ==
        "accepted into dst:alice/InTransit at step 2 (deliver); no later step took it out");

  MessageCustody b = s.Of("<m2>", Verdict::kMisdelivered, 3);
  CHECK(b.decisive_step == 3);
  CHECK(b.mark == "misdelivered to dst:bob/INBOX");
  CHECK(b.story == "accepted into dst:bob/INBOX at step 3 (deliver): another user's mailbox");
}

TEST_CASE("custody: stranded where it always was, by the step that took its home copy",
          "[custody]") {
  // Dovecot's naive runbook: the second backup fails and wipes dst; the
  // directory already names dst, so the mail on src is stranded.
  Steps s;
  s.Start("src", "INBOX", "<p1>");
  s.Step("dovecot/backup", [](auto& c) { Put(c, "dst", "INBOX", "<p1>"); });
  s.Step("route", [](auto&) {});
  s.Step("dovecot/backup", [](auto& c) { Drop(c, "dst", "INBOX"); });
  MessageCustody p = s.Of("<p1>", Verdict::kStranded);
  CHECK(p.decisive_step == 3);
  CHECK(p.mark == "stranded in src:alice/INBOX");
  CHECK(p.story ==
        "in src:alice/INBOX at the start, copied to dst:alice/INBOX at step 1 (dovecot/backup), "
        "removed from dst:alice/INBOX at step 3 (dovecot/backup); left only in src:alice/INBOX");
}

}  // namespace
}  // namespace intransit
