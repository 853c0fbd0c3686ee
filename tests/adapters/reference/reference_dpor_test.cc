// Outcome-set equality on the reference store (REDUCTION.md, "How to test it
// honestly"): for every variant, a set of fault plans and five sizes, the
// reduced run reaches exactly the final outcomes and verdict vectors the
// full run reaches, unsplit and split into shards. And the swap test on
// random schedules of every variant.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "adapters/reference/procedure.h"
#include "tests/support/outcome_checks.h"
#include "tests/support/suites.h"
#include "tests/support/swap.h"

namespace intransit {
namespace {

using testing::AddFault;

struct Plan {
  const char* name;
  void (*apply)(Suite*);
};

Params Fail(const char* phase, const char* error = "tempfail") {
  Params p;
  p.Set("error", std::string(error));
  p.Set("phase", std::string(phase));
  return p;
}

// The fault plans of REDUCTION.md (and of the model's validate.py).
const std::vector<Plan>& Plans() {
  static const std::vector<Plan> plans = {
      {"none", [](Suite*) {}},
      {"deliver fails", [](Suite* s) { AddFault(s, "deliver", "fail", Fail("before")); }},
      {"deliver loses its ack", [](Suite* s) { AddFault(s, "deliver", "fail", Fail("after")); }},
      {"the 2nd deliver fails",
       [](Suite* s) { AddFault(s, "deliver", "fail", Fail("before"), 2, 1); }},
      {"every deliver loses its ack with p=0.5",
       [](Suite* s) { AddFault(s, "deliver", "fail", Fail("after"), 1, 0, 0.5); }},
      {"copy fails", [](Suite* s) { AddFault(s, "copy", "fail", Fail("before")); }},
      {"flush fails after", [](Suite* s) { AddFault(s, "flush", "fail", Fail("after")); }},
      {"route fails after", [](Suite* s) { AddFault(s, "route", "fail", Fail("after")); }},
      {"crash at copy", [](Suite* s) { AddFault(s, "copy", "crash"); }},
      {"crash at flush", [](Suite* s) { AddFault(s, "flush", "crash"); }},
      {"crash at route and at recover",
       [](Suite* s) {
         AddFault(s, "route", "crash");
         AddFault(s, "recover", "crash");
       }},
      {"delay at create", [](Suite* s) { AddFault(s, "create", "delay"); }},
      {"delay at deliver", [](Suite* s) { AddFault(s, "deliver", "delay"); }},
      {"crash at create with p=0.5",
       [](Suite* s) { AddFault(s, "create", "crash", Params(), 1, 1, 0.5); }},
  };
  return plans;
}

// The suite of one case: one retry per sender, as the model has, so that a
// fault at deliver adds one attempt, not five.
Suite CaseSuite(const std::string& variant, const Plan& plan, int senders, int messages) {
  Suite s = testing::Q277911Suite(variant, senders, messages);
  for (ActorSpec& a : s.actors) a.retry = 1;
  plan.apply(&s);
  return s;
}

struct Size {
  int senders;
  int messages;
};

// Every variant x `plans` x `sizes`: reduced == full, split or not.
void CheckEquality(const std::vector<Plan>& plans, const std::vector<Size>& sizes) {
  for (const Procedure& variant : Procedures()) {
    for (const Plan& plan : plans) {
      for (Size size : sizes) {
        Suite s = CaseSuite(variant.name, plan, size.senders, size.messages);
        INFO(variant.name << ", " << plan.name << ", " << size.senders << "x" << size.messages);
        testing::CheckSameOutcomes(s);
      }
    }
  }
}

std::vector<Plan> Pick(size_t from, size_t to) {
  return std::vector<Plan>(Plans().begin() + from, Plans().begin() + to);
}

const std::vector<Size> kSizes = {{1, 1}, {2, 1}, {1, 2}, {2, 2}, {3, 1}};

const std::vector<Size> kSmall = {{1, 1}, {2, 1}, {1, 2}};

TEST_CASE("reference dpor: outcome sets equal the full run's, no fault and deliver faults",
          "[reference][dpor][equality]") {
  CheckEquality(Pick(0, 4), kSizes);
}

// A lost ack with p = 0.5 on every delivery branches at every attempt and
// each retry waits (a hold, global): 2x2 is 2-5 million schedules a variant
// with or without reduction, a minute each. The model's validate.py leaves
// it out at 2x2 too; the slow case runs it.
TEST_CASE("reference dpor: outcome sets equal the full run's, lost acks with p=0.5",
          "[reference][dpor][equality]") {
  CheckEquality(Pick(4, 5), kSmall);
}

TEST_CASE("reference dpor: outcome sets equal the full run's, lost acks with p=0.5 at 2x2 and 3x1",
          "[reference][dpor][equality][.slow]") {
  CheckEquality(Pick(4, 5), {{2, 2}, {3, 1}});
}

TEST_CASE("reference dpor: outcome sets equal the full run's, mover failures",
          "[reference][dpor][equality]") {
  CheckEquality(Pick(5, 8), kSizes);
}

TEST_CASE("reference dpor: outcome sets equal the full run's, crashes and recovery",
          "[reference][dpor][equality]") {
  CheckEquality(Pick(8, 11), kSizes);
}

TEST_CASE("reference dpor: outcome sets equal the full run's, delays and chance crashes",
          "[reference][dpor][equality]") {
  CheckEquality(Pick(11, 14), kSizes);
}

TEST_CASE("reference dpor: swapping steps declared independent changes nothing",
          "[reference][dpor][swap]") {
  for (const Procedure& variant : Procedures()) {
    for (const Plan& plan : Plans()) {
      Suite s = CaseSuite(variant.name, plan, 2, 2);
      INFO(variant.name << ", " << plan.name);
      auto report = testing::SwapTest(s, 11, 40);
      CHECK(report.failure == "");
      CHECK(report.swaps > 0);
    }
  }
}

}  // namespace
}  // namespace intransit
