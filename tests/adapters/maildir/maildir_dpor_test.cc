// Outcome-set equality and the swap test on the maildir store (issue #13):
// the reduced run reaches exactly the final outcomes and verdicts of the full
// run, on real Maildir trees, for every variant and a few fault plans at
// 1 sender x 1 message and 2 x 1; and adjacent steps declared independent,
// swapped on random schedules, give the same answers.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "tests/support/outcome_checks.h"
#include "tests/support/suites.h"
#include "tests/support/swap.h"

namespace intransit {
namespace {

using testing::AddFault;

Suite MaildirCase(const std::string& variant, const std::string& plan, int senders) {
  Suite s = testing::Q277911Suite("in-transit", senders, 1);
  s.adapter = "maildir";
  s.adapter_config.variant = variant;
  // A tmpfs where there is one: every schedule builds a fresh tree.
  if (std::filesystem::is_directory("/dev/shm")) {
    s.adapter_config.options.Set("root", std::string("/dev/shm"));
  }
  for (ActorSpec& a : s.actors) a.retry = 1;
  Params before;
  before.Set("phase", std::string("before"));
  Params after;
  after.Set("phase", std::string("after"));
  if (plan == "deliver fails") AddFault(&s, "deliver", "fail", before);
  if (plan == "deliver loses its ack") AddFault(&s, "deliver", "fail", after);
  if (plan == "copy fails") AddFault(&s, "copy", "fail", before);
  if (plan == "crash at copy") AddFault(&s, "copy", "crash");
  if (plan == "crash at route") AddFault(&s, "route", "crash");
  if (plan == "delay at deliver") AddFault(&s, "deliver", "delay");
  return s;
}

const char* const kVariants[] = {"in-transit", "naive", "pre-sp4"};
const char* const kPlans[] = {"none",          "deliver fails", "deliver loses its ack",
                              "copy fails",    "crash at copy", "crash at route",
                              "delay at deliver"};

TEST_CASE("maildir dpor: outcome sets equal the full run's at 1x1 and 2x1",
          "[maildir][dpor][equality]") {
  for (const char* variant : kVariants) {
    for (const char* plan : kPlans) {
      for (int senders : {1, 2}) {
        Suite s = MaildirCase(variant, plan, senders);
        INFO(variant << ", " << plan << ", " << senders << "x1");
        testing::CheckSameOutcomes(s);
      }
    }
  }
}

TEST_CASE("maildir dpor: swapping steps declared independent changes nothing",
          "[maildir][dpor][swap]") {
  for (const char* variant : kVariants) {
    for (const char* plan : kPlans) {
      Suite s = MaildirCase(variant, plan, 2);
      s.actors[1].messages = 2;
      INFO(variant << ", " << plan);
      auto report = testing::SwapTest(s, 5, 15);
      CHECK(report.failure == "");
      CHECK(report.swaps > 0);
    }
  }
}

}  // namespace
}  // namespace intransit
