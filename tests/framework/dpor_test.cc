// Source-DPOR on stores built here, whose footprints the test controls: the
// reduced run must reach the outcome set of the full run, explore fewer
// schedules where steps commute, no fewer where they do not, catch a store
// whose footprints change between replays, and catch a footprint that lies.
#include "explore/dpor_strategy.h"

#include <catch2/catch.hpp>

#include "run/runner.h"
#include "tests/support/load_text.h"
#include "tests/support/outcomes.h"
#include "tests/support/suites.h"
#include "tests/support/swap.h"

namespace intransit {
namespace {

// A store that keeps deliveries in one list, in arrival order, and shows the
// order in Inspect (the folder is the position). How a delivery declares the
// list is the test's choice: write is honest, append is a lie (order is
// observed), and `drift` changes the footprint from one schedule to the next.
class ListStore : public Deployment {
 public:
  enum class Declare { kNothing, kWrite, kAppendLie, kOwnObject };
  explicit ListStore(Declare declare, bool drift = false) : declare_(declare), drift_(drift) {}

  Status Reset() override {
    list_.clear();
    home_ = "src";
    ++resets_;
    return Status::Ok();
  }
  Status Provision(std::string_view, std::string_view, const std::vector<std::string>&) override {
    return Status::Ok();
  }
  Result<DeliverResult> Deliver(Gate& gate, std::string_view user,
                                std::string_view message) override {
    // Every delivery lands on src whatever the directory says: it reads
    // nothing the mover writes.
    gate.Pass({"deliver", "src", user, message, "deliver"});
    switch (declare_) {
      case Declare::kNothing:
        break;
      case Declare::kWrite:
        gate.Touch("list", Access::kWrite);
        break;
      case Declare::kAppendLie:
        gate.Touch("list", Access::kAppend);
        break;
      case Declare::kOwnObject:
        gate.Touch(std::string("list/") + std::string(message), Access::kAppend);
        break;
    }
    if (drift_ && resets_ % 2 == 0) gate.Touch("drift", Access::kRead);
    list_.emplace_back(message);
    return DeliverResult{Answer::kAccepted, "src", "INBOX"};
  }
  Result<MoveResult> Move(Gate& gate, std::string_view user, std::string_view to) override {
    gate.Pass({"create", std::string(to), user, {}, "create"});
    if (declare_ != Declare::kNothing) gate.Touch("box/dst", Access::kWrite);
    if (drift_ && resets_ % 2 == 0) gate.Touch("drift", Access::kRead);
    gate.Pass({"route", std::string(to), user, {}, "route"});
    if (declare_ != Declare::kNothing) gate.Touch("dir", Access::kWrite);
    home_ = std::string(to);
    return MoveResult::kDone;
  }
  Status Inspect(Snapshot* out) override {
    out->Clear();
    for (size_t i = 0; i < list_.size(); ++i) {
      // The position is the folder: the order is observed.
      const std::string folder = declare_ == Declare::kOwnObject ? "INBOX" : std::to_string(i);
      out->copies.push_back({"src", "alice", folder, list_[i]});
    }
    out->directory.emplace_back("alice", home_);
    return Status::Ok();
  }
  bool DeclaresFootprints() const override { return declare_ != Declare::kNothing; }

 private:
  Declare declare_;
  bool drift_;
  std::vector<std::string> list_;
  std::string home_ = "src";
  int resets_ = 0;
};

// Registers "list-<name>" adapters once.
void RegisterListStores() {
  static bool done = false;
  if (done) return;
  done = true;
  struct Kind {
    const char* name;
    ListStore::Declare declare;
    bool drift;
  };
  for (Kind k : {Kind{"list-nothing", ListStore::Declare::kNothing, false},
                 Kind{"list-write", ListStore::Declare::kWrite, false},
                 Kind{"list-append-lie", ListStore::Declare::kAppendLie, false},
                 Kind{"list-own", ListStore::Declare::kOwnObject, false},
                 Kind{"list-drift", ListStore::Declare::kWrite, true}}) {
    AdapterInfo info;
    info.name = k.name;
    info.summary = "a test store";
    info.variants = {"default"};
    info.default_variant = "default";
    info.servers = {"src", "dst"};
    info.points = {{"deliver", ""}, {"create", ""}, {"route", ""}};
    const ListStore::Declare declare = k.declare;
    const bool drift = k.drift;
    info.open = [declare, drift](const AdapterConfig&) -> Result<std::unique_ptr<Deployment>> {
      return std::unique_ptr<Deployment>(new ListStore(declare, drift));
    };
    AdapterRegistry::Global().Add(std::move(info));
  }
}

Suite ListSuite(const std::string& adapter, int senders, int messages) {
  RegisterListStores();
  Suite s = testing::Q277911Suite("sp4", senders, messages, 0);
  s.adapter = adapter;
  s.adapter_config.variant = "default";
  return s;
}

TEST_CASE("dpor: without footprints every interleaving is run", "[dpor]") {
  for (int senders : {1, 2, 3}) {
    Suite s = ListSuite("list-nothing", senders, 1);
    auto full = testing::ExploreOutcomes(s, false);
    auto reduced = testing::ExploreOutcomes(s, true);
    REQUIRE(full.error.empty());
    REQUIRE(reduced.error.empty());
    CHECK(reduced.judged == full.judged);
    CHECK(reduced.blocked == 0);
    CHECK(reduced.finals == full.finals);
  }
}

TEST_CASE("dpor: dependent deliveries keep every order they can end in", "[dpor]") {
  for (int senders : {1, 2, 3}) {
    for (int messages : {1, 2}) {
      Suite s = ListSuite("list-write", senders, messages);
      auto full = testing::ExploreOutcomes(s, false);
      auto reduced = testing::ExploreOutcomes(s, true);
      INFO(senders << " senders x " << messages);
      REQUIRE(reduced.error.empty());
      CHECK(reduced.complete);
      CHECK(reduced.finals == full.finals);
      CHECK(reduced.verdicts == full.verdicts);
      CHECK(reduced.judged <= full.judged);
      // Each judged run is a distinct outcome here: one per trace.
      CHECK(reduced.judged == reduced.finals.size());
    }
  }
}

TEST_CASE("dpor: commuting deliveries are run in one order", "[dpor]") {
  Suite s = ListSuite("list-own", 3, 2);
  auto full = testing::ExploreOutcomes(s, false);
  auto reduced = testing::ExploreOutcomes(s, true);
  REQUIRE(reduced.error.empty());
  CHECK(reduced.finals == full.finals);
  CHECK(full.judged > 1000);
  // The mover's steps touch what no delivery touches, and each delivery
  // appends to an object of its own: every step commutes, one trace.
  CHECK(reduced.judged == 1);
}

TEST_CASE("dpor: a footprint that lies is caught by the outcome sets", "[dpor]") {
  // Appends commute, but Inspect shows the order: the reduced run misses
  // orders the full run reaches. This is what the outcome-set tests of the
  // real adapters would catch.
  Suite s = ListSuite("list-append-lie", 2, 1);
  auto full = testing::ExploreOutcomes(s, false);
  auto reduced = testing::ExploreOutcomes(s, true);
  REQUIRE(reduced.error.empty());
  CHECK(reduced.finals.size() < full.finals.size());
}

TEST_CASE("dpor: shards split the reduced space without changing it", "[dpor]") {
  Suite s = ListSuite("list-write", 3, 1);
  auto one = testing::ExploreOutcomes(s, true, 1);
  for (int shards : {2, 3, 7}) {
    auto split = testing::ExploreOutcomes(s, true, shards);
    INFO(shards << " shards");
    REQUIRE(split.error.empty());
    CHECK(split.judged == one.judged);
    CHECK(split.finals == one.finals);
    CHECK(split.complete);
  }
}

TEST_CASE("dpor: a store whose footprints change between replays is an error", "[dpor]") {
  Suite s = ListSuite("list-drift", 2, 1);
  auto reduced = testing::ExploreOutcomes(s, true);
  INFO("judged " << reduced.judged << " blocked " << reduced.blocked);
  CHECK_THAT(reduced.error, Catch::Contains("the store is not deterministic"));
}

TEST_CASE("dpor: reduction = dpor with a preemption bound is refused", "[dpor]") {
  std::string e = testing::Error(testing::kBase +
                                 "[explore]\n"            // 11
                                 "max_preemptions = 2\n"  // 12
                                 "reduction = \"dpor\"\n");
  CHECK_THAT(e, Catch::Contains("t.toml:13"));
  CHECK_THAT(e, Catch::Contains("max_preemptions"));
  std::string bad = testing::Error(testing::kBase + "[explore]\nreduction = \"fast\"\n");
  CHECK_THAT(bad, Catch::Contains("auto"));
  CHECK_THAT(bad, Catch::Contains("dpor"));
}

TEST_CASE("dpor: the swap test passes honest declarations and catches a lie", "[dpor][swap]") {
  auto honest = testing::SwapTest(ListSuite("list-own", 2, 2), 7, 30);
  CHECK(honest.failure == "");
  CHECK(honest.swaps > 10);
  // Appends commute, yet Inspect shows the order: a swap of two deliveries
  // changes it.
  auto lie = testing::SwapTest(ListSuite("list-append-lie", 2, 2), 7, 30);
  CHECK_THAT(lie.failure, Catch::Contains("the outcome changed"));
}

}  // namespace
}  // namespace intransit
