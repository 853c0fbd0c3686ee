// The cyrus adapter's bench: the time to start and stop a deployment (two
// real Cyrus masters), to reset it between schedules (fresh user names,
// the last schedule's users deleted over IMAP), LMTP's and IMAP inspection's
// cost, and schedules per second of 3-message scenarios with each built-in
// runbook.
#pragma once

#include <ostream>

namespace intransit {

// Prints one line per figure; a skip line when Cyrus is missing. Called by
// bench_main.
void RunCyrusBench(std::ostream& out);

}  // namespace intransit
