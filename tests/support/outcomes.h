// Outcome sets: what a whole exploration can end in, for the tests that
// keep reduction honest (REDUCTION.md: "How to test it honestly").
//
// Explores `suite` with exhaustive, reduced (DporStrategy) or not
// (ExhaustiveStrategy), optionally split into shards, and collects every
// distinct final outcome — the snapshot, the directory, the move results and
// each message's fate (accepted, NDR) — and every distinct verdict vector.
// A sound reduction reaches exactly the sets the full run reaches.
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include "suite/suite.h"

namespace intransit::testing {

struct Outcomes {
  std::set<std::string> finals;    // one line per distinct final outcome
  std::set<std::string> verdicts;  // one line per distinct verdict vector
  uint64_t judged = 0;             // schedules run to the end and judged
  uint64_t blocked = 0;            // sleep-blocked runs
  bool complete = true;            // every shard's space covered
  std::string error;               // not empty: a run failed
};

// REQUIRES: suite.adapter is registered; shards >= 1.
Outcomes ExploreOutcomes(const Suite& suite, bool reduce, int shards = 1);

}  // namespace intransit::testing
