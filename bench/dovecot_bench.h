// The dovecot adapter's bench: the time to start and stop a deployment (two
// real Dovecot masters), to reset it between schedules (fresh user names vs
// restarting both masters), LMTP's cost per message, and schedules per
// second of 3-message scenarios with each built-in runbook.
#pragma once

#include <ostream>

namespace intransit {

// Prints one line per figure. Prints a skip line when Dovecot is missing.
// Called by bench_main.
void RunDovecotBench(std::ostream& out);

}  // namespace intransit
