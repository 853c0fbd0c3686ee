// The gate through libfiu: C code that only calls fiu_return_on(
// "intransit/<point>", -1) is scheduled step for step like the C++ adapters,
// on actor threads, and faults planned at its points reach it.
#include "store/fiu_gate.h"

#include <catch2/catch.hpp>

#include "explore/exhaustive_strategy.h"
#include "oracle/oracle.h"
#include "run/live_runner.h"
#include "run/runner.h"
#include "tests/framework/c_store/c_store.h"
#include "tests/support/suites.h"

namespace intransit {
namespace {

// Wraps the C store as a deployment. Message-IDs map to small integers.
class CStoreDeployment : public Deployment {
 public:
  Status Reset() override {
    c_store_reset(&store_, 0);
    ids_.clear();
    return Status::Ok();
  }
  Status Provision(std::string_view, std::string_view,
                   const std::vector<std::string>& messages) override {
    c_store_reset(&store_, 0);
    for (const auto& m : messages) store_.src.inbox[store_.src.n_inbox++] = Id(m);
    return Status::Ok();
  }
  Result<DeliverResult> Deliver(Gate&, std::string_view, std::string_view message) override {
    DeliverResult r;
    r.answer = c_store_deliver(&store_, Id(message)) == 0 ? Answer::kAccepted : Answer::kTempfail;
    r.server = (store_.home_is_dst || store_.forwarding) ? "dst" : "src";
    return r;
  }
  Result<MoveResult> Move(Gate&, std::string_view, std::string_view) override {
    return c_store_move(&store_) == 0 ? MoveResult::kDone : MoveResult::kFailed;
  }
  Status Inspect(Snapshot* out) override {
    out->Clear();
    auto add = [&](const char* server, const c_mailbox& m) {
      for (int i = 0; i < m.n_inbox; ++i)
        out->copies.push_back({server, "alice", "INBOX", ids_[m.inbox[i]]});
      for (int i = 0; i < m.n_transit; ++i) {
        out->copies.push_back({server, "alice", "InTransit", ids_[m.transit[i]]});
      }
    };
    if (store_.src.exists) add("src", store_.src);
    if (store_.dst.exists) add("dst", store_.dst);
    out->directory.emplace_back("alice", store_.home_is_dst ? "dst" : "src");
    out->holding_folders.push_back("InTransit");
    return Status::Ok();
  }

 private:
  int Id(std::string_view message) {
    ids_.emplace_back(message);
    return static_cast<int>(ids_.size()) - 1;
  }
  c_store store_{};
  std::vector<std::string> ids_;
};

struct Explored {
  int schedules = 0;
  int violating = 0;
  std::vector<Event> first_violation;
  std::vector<MoveResult> moves;
};

Explored ExploreCStore(const Suite& suite) {
  REQUIRE(
      InstallFiuGate({"create", "flag", "copy", "route", "unflag", "flush", "cleanup", "deliver"})
          .ok());
  CStoreDeployment deployment;
  Runner runner(suite, &deployment, /*use_threads=*/true);
  ExhaustiveStrategy strategy;
  Oracle oracle(suite.oracle);
  OracleResult judged;
  Explored out;
  for (uint64_t i = 0; strategy.BeginSchedule(i); ++i) {
    Status s = runner.Run(&strategy);
    strategy.EndSchedule();
    REQUIRE(s.ok());
    ++out.schedules;
    for (const auto& m : runner.ledger().moves()) out.moves.push_back(m.result);
    oracle.Check(runner.ledger(), runner.snapshot(), &judged);
    if (!judged.ok() && out.violating++ == 0) out.first_violation = runner.timeline().ToVector();
  }
  return out;
}

TEST_CASE("fiu_gate: C code behind fiu_return_on is scheduled like C++ steps", "[fiu_gate][gate]") {
  Suite suite = testing::Q277911Suite("pre-sp4");
  Explored e = ExploreCStore(suite);
  // The same space as the reference adapter's pre-sp4 move: 8 interleavings,
  // one of which loses the message.
  CHECK(e.schedules == 8);
  CHECK(e.violating == 1);
  REQUIRE(e.first_violation.size() == 8);
  CHECK(e.first_violation[0].point == "create");
  CHECK(e.first_violation[0].actor == "mover");
  CHECK(e.first_violation[1].point == "deliver");
  CHECK(e.first_violation[1].actor == "sender-1");
  CHECK(e.first_violation[2].point == "flag");
}

TEST_CASE("fiu_gate: a fault planned at a C point makes fiu_return_on return", "[fiu_gate][gate]") {
  Suite suite = testing::Q277911Suite("pre-sp4");
  Params p;
  p.Set("error", std::string("tempfail"));
  testing::AddFault(&suite, "flag", "fail", p);
  Explored e = ExploreCStore(suite);
  REQUIRE_FALSE(e.moves.empty());
  // Every schedule's move stopped at flag: the C function returned -1.
  for (MoveResult m : e.moves) CHECK(m == MoveResult::kFailed);
}

TEST_CASE("fiu_gate: live mode's actor threads reach the gate too", "[fiu_gate][gate][live]") {
  REQUIRE(
      InstallFiuGate({"create", "flag", "copy", "route", "unflag", "flush", "cleanup", "deliver"})
          .ok());
  Suite suite = testing::Q277911Suite("pre-sp4");
  Params p;
  p.Set("error", std::string("tempfail"));
  testing::AddFault(&suite, "flag", "fail", p);
  CStoreDeployment deployment;
  LiveRunner runner(suite, &deployment);
  REQUIRE(runner.Run(1, 0).ok());
  bool flag_passed = false;
  for (size_t i = 0; i < runner.timeline().size(); ++i) {
    flag_passed = flag_passed || runner.timeline()[i].point == "flag";
  }
  CHECK(flag_passed);
  REQUIRE(runner.ledger().moves().size() == 1);
  CHECK(runner.ledger().moves()[0].result == MoveResult::kFailed);
}

TEST_CASE("fiu_gate: outside any actor the points let the C code through", "[fiu_gate][gate]") {
  REQUIRE(
      InstallFiuGate({"create", "flag", "copy", "route", "unflag", "flush", "cleanup", "deliver"})
          .ok());
  c_store s;
  c_store_reset(&s, 2);
  CHECK(c_store_move(&s) == 0);
  CHECK(s.dst.n_inbox == 2);
  CHECK(c_store_deliver(&s, 7) == 0);
  CHECK(s.dst.n_inbox == 3);
}

}  // namespace
}  // namespace intransit
