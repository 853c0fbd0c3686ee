// The reference store with two moves at once: each mover keeps its move's
// state across the points where the other runs (and adds its own).
#include <catch2/catch.hpp>

#include "explore/explorer.h"
#include "tests/support/suites.h"

namespace intransit {
namespace {

TEST_CASE("reference: two moves at once, interleaved every way, lose nothing", "[reference]") {
  Suite s = testing::Q277911Suite("correct", 1, 1);
  s.users.push_back({"bob", "src", 2, ""});
  ActorSpec mover;
  mover.kind = ActorKind::kMover;
  mover.name = "mover-bob";
  mover.user = "bob";
  mover.to = "dst";
  s.actors.push_back(mover);
  s.explore.reduction = Reduction::kNone;
  SuiteResult r = ExploreSuite(s, {});
  CHECK(r.outcome == Outcome::kPass);
  CHECK(r.complete);
  CHECK(r.schedules > 1000);  // the two movers' steps interleave
  // Reduced: the two users' moves touch nothing in common.
  s.explore.reduction = Reduction::kDpor;
  SuiteResult reduced = ExploreSuite(s, {});
  CHECK(reduced.outcome == Outcome::kPass);
  CHECK(reduced.complete);
  CHECK(reduced.schedules < r.schedules / 10);
}

}  // namespace
}  // namespace intransit
