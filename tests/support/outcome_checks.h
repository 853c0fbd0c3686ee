// The check of outcome-set equality (REDUCTION.md, "How to test it
// honestly"), shared by the reference, maildir and exec tests: the reduced
// run of `suite` reaches exactly the final outcomes and verdict vectors of
// the full run, unsplit and split into three shards, and judges no more
// schedules than the full run.
#pragma once

#include <catch2/catch.hpp>

#include "tests/support/outcomes.h"

namespace intransit::testing {

// REQUIRES: within a Catch test case; suite.adapter is registered.
inline void CheckSameOutcomes(const Suite& suite) {
  Outcomes full = ExploreOutcomes(suite, false);
  REQUIRE(full.error == "");
  Outcomes reduced = ExploreOutcomes(suite, true);
  REQUIRE(reduced.error == "");
  CHECK(reduced.complete);
  CHECK(reduced.judged <= full.judged);
  CHECK(reduced.finals == full.finals);
  CHECK(reduced.verdicts == full.verdicts);
  Outcomes split = ExploreOutcomes(suite, true, 3);
  REQUIRE(split.error == "");
  CHECK(split.judged == reduced.judged);
  CHECK(split.finals == full.finals);
  CHECK(split.verdicts == full.verdicts);
}

}  // namespace intransit::testing
