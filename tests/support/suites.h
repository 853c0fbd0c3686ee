// Suites built in code for tests that must not depend on the loader.
#pragma once

#include <string>

#include "suite/suite.h"

namespace intransit::testing {

// The Q277911 scenario on the reference adapter: alice on src with
// `preexisting` messages, a mover to dst, `senders` senders of `messages`
// each. Exhaustive, all invariants checked.
Suite Q277911Suite(const std::string& variant, int senders = 1, int messages = 1,
                   int preexisting = 2);

// Adds a fault rule of `kind` at `point`, with the kind's keys in `params`.
void AddFault(Suite* suite, const std::string& point, const std::string& kind,
              const Params& params = Params(), int64_t nth = 1, int64_t times = 1,
              double probability = 1.0);

}  // namespace intransit::testing
