// The swap test of REDUCTION.md on real Cyrus servers: on a few random
// schedules of each built-in runbook, two adjacent steps the adapter
// declared independent (footprints.h) are swapped and the schedule run
// again; Inspect (IMAP on both servers) and the ledger must answer the same.
// Two schedules a runbook: each costs about a second on servers.
#include <catch2/catch.hpp>

#include "tests/adapters/cyrus/cyrus_support.h"
#include "tests/support/suites.h"
#include "tests/support/swap.h"

namespace intransit {
namespace {

TEST_CASE("cyrus swap: steps declared independent commute on real servers",
          "[cyrus][dpor][swap]") {
  SKIP_WITHOUT_CYRUS();
  for (const char* variant : {"sync-twice", "naive", "xfer"}) {
    Suite s = testing::Q277911Suite("correct", 2, 2);
    s.adapter = "cyrus";
    s.adapter_config.variant = variant;
    INFO(variant);
    auto report = testing::SwapTest(s, 3, 2);
    CHECK(report.failure == "");
    CHECK(report.swaps > 0);
  }
}

}  // namespace
}  // namespace intransit
