// Fuzz target: the schedule token. Any bytes as a token:
//  - DecodeSchedule answers with values or Status::Invalid; values that
//    decode encode back to a token that decodes to the same values (less
//    the trailing defaults a token drops);
//  - then the token is replayed as `intransit replay` does (the suite
//    loaded with --set explore.strategy=replay --set explore.schedule=T,
//    then explored) against a small suite on the in-memory reference
//    adapter with both kinds of choice (actors and a fault's fire/hold), and
//    its result printed as the console would.
// Never a crash, hang, leak or unbounded allocation (tests/fuzz/README.md).
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "cli/builtin_adapters.h"
#include "explore/explorer.h"
#include "report/report_console.h"
#include "suite/schedule_token.h"
#include "suite/suite_loader.h"

namespace {

// Q277911 before SP4 with two senders and a tempfail that may or may not
// fire at each delivery: a few dozen steps, both kinds of choice.
constexpr const char* kSuite = R"(
[suite]
name = "fuzz-token"
expect = "violation"

[adapter]
name = "reference"
variant = "pre-sp4"

[[users]]
name = "alice"
home = "src"
messages = 2

[[actors]]
kind = "mover"
user = "alice"
to = "dst"

[[actors]]
kind = "sender"
user = "alice"
messages = 2
retry = 2

[[actors]]
kind = "sender"
user = "alice"
messages = 1
retry = 1

[[faults]]
point = "deliver"
kind = "fail"
error = "tempfail"
times = 0
probability = 0.5
)";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace intransit;
  RegisterBuiltinAdapters();  // idempotent: the fuzzer is the program here
  const std::string token(reinterpret_cast<const char*>(data), size);

  Result<std::vector<int>> values = DecodeSchedule(token);
  if (values.ok()) {
    Schedule schedule;
    for (int v : *values) schedule.choices.push_back({ChoiceKind::kActor, v, 0, 2});
    std::vector<int> expected = *values;
    while (!expected.empty() && expected.back() == 0) expected.pop_back();
    Result<std::vector<int>> again = DecodeSchedule(EncodeSchedule(schedule));
    if (!again.ok() || *again != expected) __builtin_trap();
  }

  LoadOptions options;
  options.sets = {"explore.strategy=replay", "explore.schedule=" + token};
  Result<Suite> suite = LoadSuiteFromString(kSuite, "fuzz-token.toml", options);
  if (!suite.ok()) return 0;
  SuiteResult result = ExploreSuite(*suite, {});
  std::ostringstream out;
  if (result.has_trace && result.violations.empty()) PrintTrace(result, out);
  PrintSuiteResult(result, out);
  return 0;
}
