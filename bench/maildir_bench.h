// The maildir adapter's bench: schedules per second of the in-transit suite
// on a tmpfs (/dev/shm) and on disk (/var/tmp), fsync on.
#pragma once

#include <ostream>

namespace intransit {

// Prints one line per file system: schedules, seconds, schedules/s.
// Called by bench_main.
void RunMaildirBench(std::ostream& out);

}  // namespace intransit
