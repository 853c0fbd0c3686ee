// The runner's edges: an adapter error stops the schedule cleanly, whatever
// state the other actors are in, and the runner can run again afterwards.
#include <catch2/catch.hpp>

#include "framework/exhaustive_strategy.h"
#include "framework/runner.h"
#include "tests/support/suites.h"

namespace intransit {
namespace {

// A store whose delivery breaks before it passes any point, on demand.
class BrokenDelivery : public Deployment {
 public:
  bool broken = true;
  Status Reset() override { return Status::Ok(); }
  Status Provision(std::string_view, std::string_view, const std::vector<std::string>&) override {
    return Status::Ok();
  }
  Result<DeliverResult> Deliver(Gate& gate, std::string_view user,
                                std::string_view message) override {
    if (broken) return Status::Infra("the store's socket is gone");
    gate.Pass({"deliver", "src", user, message, "deliver"});
    return DeliverResult{Answer::kAccepted, "src", "INBOX"};
  }
  Result<MoveResult> Move(Gate& gate, std::string_view user, std::string_view) override {
    gate.Pass({"create", "dst", user, {}, "create"});
    gate.Pass({"cleanup", "src", user, {}, "cleanup"});
    return MoveResult::kDone;
  }
  Status Inspect(Snapshot* out) override {
    out->Clear();
    return Status::Ok();
  }
};

TEST_CASE("runner: an adapter error while actors start stops the schedule cleanly",
          "[runner]") {
  bool threads = GENERATE(false, true);
  CAPTURE(threads);
  Suite s = testing::Q277911Suite("correct", 2, 1);
  // Senders first: the first one fails before any other actor has started.
  std::rotate(s.actors.begin(), s.actors.begin() + 1, s.actors.end());
  BrokenDelivery store;
  Runner runner(s, &store, threads);
  ExhaustiveStrategy strategy;
  REQUIRE(strategy.BeginSchedule(0));
  Status st = runner.Run(&strategy);
  CHECK(st.code() == Status::Code::kInfra);
  CHECK_THAT(st.message(), Catch::Contains("socket is gone"));

  // And again, mended: the runner is usable.
  store.broken = false;
  ExhaustiveStrategy again;
  REQUIRE(again.BeginSchedule(0));
  CHECK(runner.Run(&again).ok());
  CHECK(runner.timeline().size() == 4);
}

}  // namespace
}  // namespace intransit
