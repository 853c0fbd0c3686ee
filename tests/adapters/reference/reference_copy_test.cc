// The reference store's copy = "message" option: the mover lists the old
// mailbox and copies one message per step. Tests that each listed message
// passes the `copy` point and that the correct procedure still loses
// nothing (a crash in the middle of the copy included).
#include <catch2/catch.hpp>
#include <string>

#include "explore/explorer.h"
#include "tests/support/suites.h"

namespace intransit {
namespace {

using testing::Q277911Suite;

Suite LongMove(const std::string& variant, int senders, int messages, int mailbox) {
  Suite s = Q277911Suite(variant, senders, messages, mailbox);
  s.adapter_config.options.Set("copy", std::string("message"));
  return s;
}

TEST_CASE("reference: copy = message passes the copy point once per listed message",
          "[reference]") {
  SuiteResult r = ExploreSuite(LongMove("pre-sp4", 1, 1, 3), {});
  REQUIRE(r.outcome == Outcome::kViolation);
  const auto& timeline = r.violations[0].timeline;
  std::vector<const Event*> copies;
  for (const auto& e : timeline) {
    if (e.point == "copy" && !e.probe) copies.push_back(&e);
  }
  REQUIRE(copies.size() == 3);
  // The first pass lists the mailbox, so it cannot name its message
  // beforehand; the others do.
  CHECK(copies[0]->message.empty());
  CHECK_THAT(copies[0]->what, Catch::Contains("copied <p1.alice@intransit> (1 of 3)"));
  CHECK(copies[2]->message == "<p3.alice@intransit>");
  CHECK_THAT(copies[2]->what, Catch::Contains("(3 of 3)"));
  // Still Q277911: the message forwarded between create and flag is written over.
  CHECK(timeline[0].point == "create");
  CHECK(timeline[1].point == "deliver");
  CHECK(timeline[2].point == "flag");
}

TEST_CASE("reference: copy = message on the correct procedure loses nothing", "[reference]") {
  SECTION("in any interleaving") {
    SuiteResult r = ExploreSuite(LongMove("correct", 2, 1, 3), {});
    CHECK(r.outcome == Outcome::kPass);
    CHECK(r.complete);
  }
  SECTION("when the mover crashes at the second message and resumes") {
    Suite s = LongMove("correct", 2, 1, 3);
    testing::AddFault(&s, "copy", "crash", Params(), /*nth=*/2);
    SuiteResult r = ExploreSuite(s, {});
    CHECK(r.outcome == Outcome::kPass);
    CHECK(r.complete);
  }
}

TEST_CASE("reference: copy = message writes over the new mailbox even when the old is empty",
          "[reference]") {
  // pre-sp4 with nothing to copy: the message forwarded between create and
  // flag is still written over, as the whole-mailbox copy does.
  SuiteResult r = ExploreSuite(LongMove("pre-sp4", 1, 1, 0), {});
  REQUIRE(r.outcome == Outcome::kViolation);
  CHECK(r.violations[0].invariants == std::vector<std::string>{"no-silent-loss"});
}

TEST_CASE("reference: a crash in the middle of a long copy strands mail on crash-strand",
          "[reference]") {
  Suite s = LongMove("crash-strand", 1, 1, 3);
  testing::AddFault(&s, "copy", "crash", Params(), /*nth=*/2);
  SuiteResult r = ExploreSuite(s, {});
  REQUIRE(r.outcome == Outcome::kViolation);
  // The delivery that reached the InTransit folder stays there after the rollback.
  CHECK_THAT(r.violations[0].invariants, Catch::VectorContains(std::string("no-stranded")));
}

}  // namespace
}  // namespace intransit
