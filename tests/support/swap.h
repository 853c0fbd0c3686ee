// The swap test of REDUCTION.md: it checks an adapter's footprint
// declarations on their own, without the reduction.
//
// Runs random schedules of `suite`; in each, finds two adjacent steps of
// different actors that the adapter declared independent (neither global),
// where the second actor could have gone first; runs the same schedule with
// the two steps swapped (every fire choice kept with its step) and requires
// the same inspect and ledger answers. A declaration that misses a read or a
// write shows up as a swap that changes the outcome.
#pragma once

#include <cstdint>
#include <string>

#include "suite/suite.h"

namespace intransit::testing {

struct SwapReport {
  int schedules = 0;  // random schedules run
  int swaps = 0;      // independent adjacent pairs swapped and compared
  std::string failure;  // not empty: the first swap that changed the outcome, or an error
};

// REQUIRES: suite.adapter is registered and its deployment declares footprints.
SwapReport SwapTest(const Suite& suite, uint64_t seed, int schedules);

}  // namespace intransit::testing
