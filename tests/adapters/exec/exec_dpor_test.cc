// Outcome-set equality and the swap test through exec, on the Python example
// store (issue #13): the store declares its footprints over the protocol's
// touch lines; the reduced run reaches exactly the final outcomes and
// verdicts of the full run at 1 sender x 1 message and 2 x 1, with and
// without a shard split, and adjacent steps declared independent, swapped on
// random schedules, give the same answers.
#include <catch2/catch.hpp>

#include <string>

#include "tests/support/outcome_checks.h"
#include "tests/support/suites.h"
#include "tests/support/swap.h"

namespace intransit {
namespace {

using testing::AddFault;

const std::string kPythonStore =
    "python3 " + std::string(INTRANSIT_SOURCE_DIR) + "/examples/python-store/store.py";

Suite ExecCase(const std::string& variant, const std::string& plan, int senders) {
  Suite s = testing::Q277911Suite("correct", senders, 1);
  s.adapter = "exec";
  s.adapter_config.variant = variant;
  s.adapter_config.options.Set("command", kPythonStore);
  for (ActorSpec& a : s.actors) a.retry = 1;
  Params before;
  before.Set("phase", std::string("before"));
  Params after;
  after.Set("phase", std::string("after"));
  if (plan == "deliver fails") AddFault(&s, "deliver", "fail", before);
  if (plan == "deliver loses its ack") AddFault(&s, "deliver", "fail", after);
  if (plan == "copy fails") AddFault(&s, "copy", "fail", before);
  if (plan == "crash at copy") AddFault(&s, "copy", "crash");
  if (plan == "delay at create") AddFault(&s, "create", "delay");
  return s;
}

const char* const kVariants[] = {"correct", "pre-sp4"};
// Every schedule starts the Python store's requests anew over a pipe (about
// 1 ms a request): three plans keep this at half a minute. The reference
// store runs the whole list of REDUCTION.md.
const char* const kPlans[] = {"none", "deliver loses its ack", "crash at copy"};
const char* const kSwapPlans[] = {"none",          "deliver fails",  "deliver loses its ack",
                                  "copy fails",    "crash at copy",  "delay at create"};

TEST_CASE("exec dpor: the Python store's outcome sets equal the full run's at 1x1 and 2x1",
          "[exec][python][dpor][equality]") {
  for (const char* variant : kVariants) {
    for (const char* plan : kPlans) {
      for (int senders : {1, 2}) {
        Suite s = ExecCase(variant, plan, senders);
        INFO(variant << ", " << plan << ", " << senders << "x1");
        testing::CheckSameOutcomes(s);
      }
    }
  }
}

TEST_CASE("exec dpor: swapping steps the Python store declared independent changes nothing",
          "[exec][python][dpor][swap]") {
  for (const char* variant : kVariants) {
    for (const char* plan : kSwapPlans) {
      Suite s = ExecCase(variant, plan, 2);
      s.actors[1].messages = 2;
      INFO(variant << ", " << plan);
      auto report = testing::SwapTest(s, 7, 15);
      CHECK(report.failure == "");
      CHECK(report.swaps > 0);
    }
  }
}

}  // namespace
}  // namespace intransit
