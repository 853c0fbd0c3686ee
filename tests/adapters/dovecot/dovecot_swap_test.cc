// The swap test of REDUCTION.md on real Dovecot servers (issue #13): on a few
// random schedules of each built-in runbook, two adjacent steps the adapter
// declared independent are swapped and the schedule run again; Inspect
// (`doveadm fetch` on both servers) and the ledger must answer the same.
// A handful of schedules only: each costs a fifth of a second on servers.
#include <catch2/catch.hpp>

#include "tests/adapters/dovecot/dovecot_support.h"
#include "tests/support/suites.h"
#include "tests/support/swap.h"

namespace intransit {
namespace {

TEST_CASE("dovecot swap: steps declared independent commute on real servers",
          "[dovecot][dpor][swap]") {
  SKIP_WITHOUT_DOVECOT();
  for (const char* variant : {"documented", "naive", "hold"}) {
    Suite s = testing::Q277911Suite("correct", 2, 2);
    s.adapter = "dovecot";
    s.adapter_config.variant = variant;
    INFO(variant);
    auto report = testing::SwapTest(s, 3, 4);
    CHECK(report.failure == "");
    CHECK(report.swaps > 0);
  }
}

}  // namespace
}  // namespace intransit
