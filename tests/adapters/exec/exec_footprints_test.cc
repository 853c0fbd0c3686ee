// Tests of footprints over the exec protocol: hello's `footprints`, touch
// lines reaching the gate in their step, every malformed or unannounced
// touch line refused with the line quoted, and the Python example store
// declaring what each of its steps touches.
//
// The store's declarations are checked against what it does: a gate that
// inspects the store at every point sees what each step changed, and every
// changed folder must have been declared written (or appended to, when
// messages were only added), every changed directory entry written.
#include <catch2/catch.hpp>
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "adapters/exec/exec_adapter.h"
#include "tests/adapters/exec/exec_test_support.h"

namespace intransit {
namespace {

using namespace exec_test;  // the helpers these tests share

const std::string kTouching = "python3 " + kScripts + "touching_store.py";

// Records points, touches and notes in the order the adapter reports them.
class RecordingGate : public FakeGate {
 public:
  std::vector<std::string> events;
  Decision Pass(const PointCall& c) override {
    events.push_back("pass " + std::string(c.point));
    return FakeGate::Pass(c);
  }
  bool TracksTouches() const override { return true; }
  void Touch(std::string_view object, Access access) override {
    events.push_back("touch " + std::string(object) + " " + AccessName(access));
  }
  void Note(std::string_view text) override { events.push_back("note " + std::string(text)); }
};

AdapterConfig Touching(const std::vector<std::string>& move,
                       const char* hello_footprints = "true") {
  AdapterConfig c = Config(kTouching);
  if (hello_footprints != nullptr) c.options.Set("hello_footprints", hello_footprints);
  c.options.Set("move", move);
  return c;
}

TEST_CASE("exec footprints: touch lines reach the gate in order and within their step",
          "[exec][footprints]") {
  auto d = OpenExecDeployment(
      Touching({R"({"id": ID, "touch": [["dir/alice", "read"]]})",
                "POINT create",
                R"({"id": ID, "touch": [["dst/alice/INBOX", "write"], ["fwd/src/alice", "write"]]})",
                R"({"id": ID, "note": "made"})",
                R"({"id": ID, "touch": [["box/dst/alice", "append"]]})",
                "POINT copy",
                R"({"id": ID, "touch": []})",
                R"({"id": ID, "touch": [["src/alice/INBOX", "read"], ["dir/alice", "read"]]})"}),
      nullptr);
  REQUIRE(d.ok());
  CHECK((*d)->DeclaresFootprints());
  REQUIRE((*d)->Reset().ok());
  REQUIRE((*d)->Provision("alice", "src", {"<p1>"}).ok());
  RecordingGate gate;
  auto moved = (*d)->Move(gate, "alice", "dst");
  REQUIRE(moved.ok());
  CHECK(*moved == MoveResult::kDone);
  // A touch before the first point belongs to the actor's previous step;
  // those after a point's answer, to the step that point guards.
  CHECK(gate.events == std::vector<std::string>{
                           "touch dir/alice read", "pass create",
                           "touch dst/alice/INBOX write", "touch fwd/src/alice write",
                           "note made", "touch box/dst/alice append", "pass copy",
                           "touch src/alice/INBOX read", "touch dir/alice read"});
}

TEST_CASE("exec footprints: DeclaresFootprints is what hello says - false when it says nothing",
          "[exec][footprints]") {
  SECTION("absent") {
    auto d = OpenExecDeployment(Config("python3 " + kScripts + "tiny_store.py"), nullptr);
    REQUIRE(d.ok());
    CHECK_FALSE((*d)->DeclaresFootprints());
    auto t = OpenExecDeployment(Touching({}, nullptr), nullptr);
    REQUIRE(t.ok());
    CHECK_FALSE((*t)->DeclaresFootprints());
  }
  SECTION("false and true") {
    auto no = OpenExecDeployment(Touching({}, "false"), nullptr);
    REQUIRE(no.ok());
    CHECK_FALSE((*no)->DeclaresFootprints());
    auto yes = OpenExecDeployment(Touching({}, "true"), nullptr);
    REQUIRE(yes.ok());
    CHECK((*yes)->DeclaresFootprints());
  }
  SECTION("not a boolean: a bad hello reply, exit 3") {
    TempDir dir;
    AdapterConfig c = Touching({}, R"("yes")");
    c.options.Set("pidfile", dir.path() + "/pids");
    auto d = OpenExecDeployment(c, nullptr);
    REQUIRE_FALSE(d.ok());
    CHECK(d.status().code() == Status::Code::kInfra);
    CHECK_THAT(d.status().message(),
               Catch::StartsWith("exec: request 1 (hello): bad reply: ") &&
                   Catch::Contains("'footprints' is not a boolean: '\"yes\"'"));
    for (pid_t p : ReadPids(dir.path() + "/pids")) CHECK(Gone(p));
  }
  SECTION("the Python example store: on by default, off with footprints = false") {
    auto on = OpenExecDeployment(Config(kPythonStore), nullptr);
    REQUIRE(on.ok());
    CHECK((*on)->DeclaresFootprints());
    AdapterConfig c = Config(kPythonStore);
    c.options.Set("footprints", false);
    auto off = OpenExecDeployment(c, nullptr);
    REQUIRE(off.ok());
    CHECK_FALSE((*off)->DeclaresFootprints());
    c.options.Set("footprints", std::string("no"));
    auto bad = OpenExecDeployment(c, nullptr);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.status().code() == Status::Code::kInvalid);
    CHECK_THAT(bad.status().message(), Catch::Contains("footprints must be true or false"));
  }
}

TEST_CASE("exec footprints: a malformed or unannounced touch line is refused naming the line",
          "[exec][footprints][failure]") {
  struct Case {
    const char* hello_footprints;  // nullptr: hello says nothing
    std::string line;              // written after the answer to `create`
    const char* cause;
  };
  auto c = GENERATE(
      Case{nullptr, R"({"id": ID, "touch": [["dir/alice", "read"]]})",
           "sent a touch line, but its hello reply did not say \"footprints\": true"},
      Case{"false", R"({"id": ID, "touch": [["dir/alice", "read"]]})",
           "did not say \"footprints\": true"},
      Case{"true", R"({"id": ID, "touch": "dir/alice"})",
           "a touch line needs 'touch' to be a list of [object, access]"},
      Case{"true", R"({"id": ID, "touch": [["dir/alice"]]})",
           "has entry 1 that is not a 2-element list [object, access]"},
      Case{"true", R"({"id": ID, "touch": [["a", "read"], ["dir/alice", "read", "x"]]})",
           "has entry 2 that is not a 2-element list"},
      Case{"true", R"({"id": ID, "touch": [[7, "read"]]})", "whose object is not a string"},
      Case{"true", R"({"id": ID, "touch": [["", "write"]]})", "with an empty object name"},
      Case{"true", R"({"id": ID, "touch": [["dir/al\u0007ice", "write"]]})",
           "with a control character in its object"},
      Case{"true", R"({"id": ID, "touch": [[")" + std::string(257, 'x') + R"(", "read"]]})",
           "with an object name of 257 bytes (at most 256)"},
      Case{"true", R"({"id": ID, "touch": [["dir/alice", "delete"]]})",
           "whose access is not read, write or append"},
      Case{"true", R"({"id": ID, "touch": [["dir/alice", ["read"]]]})",
           "whose access is not read, write or append"},
      Case{"true", R"({"id": ID, "touch": [], "note": "x"})",
           "is also a note ('note'); send each on a line of its own"},
      Case{"true", R"({"id": ID, "touch": [], "ok": true, "result": "done"})",
           "is also a reply ('ok')"},
      Case{"true", R"({"id": ID, "touch": [], "point": "copy"})", "is also a point"});
  CAPTURE(c.line);
  TempDir dir;
  AdapterConfig config = Touching({"POINT create", c.line}, c.hello_footprints);
  config.options.Set("pidfile", dir.path() + "/pids");
  auto d = OpenExecDeployment(config, nullptr);
  REQUIRE(d.ok());
  REQUIRE((*d)->Reset().ok());
  REQUIRE((*d)->Provision("alice", "src", {"<p1>"}).ok());
  RecordingGate gate;
  auto moved = (*d)->Move(gate, "alice", "dst");
  REQUIRE_FALSE(moved.ok());
  std::string line = c.line;
  line.replace(line.find("ID"), 2, "4");
  CHECK(moved.status().code() == Status::Code::kInfra);
  CHECK_THAT(moved.status().message(),
             Catch::StartsWith("exec: request 4 (move alice → dst): ") &&
                 Catch::Contains(c.cause) &&
                 Catch::Contains(line.size() <= 200 ? "'" + line + "'" : line.substr(0, 200)));
  // Nothing of a refused line reaches the gate, not even its good entries.
  CHECK(gate.events == std::vector<std::string>{"pass create"});
  for (pid_t p : ReadPids(dir.path() + "/pids")) CHECK(Gone(p, 2000));
}

TEST_CASE("exec footprints: a touch line during an op without steps is refused",
          "[exec][footprints][failure]") {
  AdapterConfig config = Touching({});
  config.options.Set("provision",
                     std::vector<std::string>{R"({"id": ID, "touch": [["dir/alice", "write"]]})"});
  auto d = OpenExecDeployment(config, nullptr);
  REQUIRE(d.ok());
  REQUIRE((*d)->Reset().ok());
  Status s = (*d)->Provision("alice", "src", {"<p1>"});
  CHECK(s.code() == Status::Code::kInfra);
  CHECK_THAT(s.message(), Catch::StartsWith("exec: request 3 (provision alice on src): ") &&
                              Catch::Contains("touch line during provision, which has no steps") &&
                              Catch::Contains(R"('{"id": 3, "touch": [["dir/alice", "write"]]}')"));
}

// The Python store's steps, each with what it declared and what inspect
// saw it change. Inspects the store at every point (the adapter serves an
// inspect while an actor waits at a point, as the runner's would not, but
// the protocol allows).
class StepGate : public FakeGate {
 public:
  struct Step {
    std::string point;  // "" for the code before a call's first point
    Decision decision;
    std::vector<std::pair<std::string, Access>> touches;
  };

  explicit StepGate(Deployment& d) : d_(d) {}

  void Begin() {
    steps_.clear();
    steps_.push_back({});
    REQUIRE(d_.Inspect(&last_).ok());
  }
  // Checks the call's last step; returns every step of the call.
  std::vector<Step> End() {
    Close();
    return steps_;
  }

  Decision Pass(const PointCall& c) override {
    Close();
    Decision d = FakeGate::Pass(c);
    steps_.push_back({std::string(c.point), d, {}});
    return d;
  }
  bool TracksTouches() const override { return true; }
  void Touch(std::string_view object, Access access) override {
    steps_.back().touches.emplace_back(object, access);
  }

 private:
  bool Declared(const std::string& object, bool only_added) const {
    for (const auto& [o, a] : steps_.back().touches) {
      if (o == object && (a == Access::kWrite || (only_added && a == Access::kAppend))) {
        return true;
      }
    }
    return false;
  }

  // The step under way ends: what it changed must be declared.
  void Close() {
    Snapshot now;
    REQUIRE(d_.Inspect(&now).ok());
    const Step& step = steps_.back();
    INFO("step " << (step.point.empty() ? "(before the first point)" : step.point));
    using Folder = std::multiset<std::string>;
    std::map<std::string, std::pair<Folder, Folder>> folders;
    for (const auto& c : last_.copies) {
      folders[c.server + "/" + c.user + "/" + c.folder].first.insert(c.message);
    }
    for (const auto& c : now.copies) {
      folders[c.server + "/" + c.user + "/" + c.folder].second.insert(c.message);
    }
    for (const auto& [object, contents] : folders) {
      const auto& [before, after] = contents;
      if (before == after) continue;
      bool only_added = std::includes(after.begin(), after.end(), before.begin(), before.end());
      INFO("changed: " << object);
      CHECK(Declared(object, only_added));
    }
    std::set<std::string> users;
    for (const auto& [u, s] : last_.directory) users.insert(u);
    for (const auto& [u, s] : now.directory) users.insert(u);
    for (const auto& u : users) {
      if (last_.HomeOf(u) == now.HomeOf(u)) continue;
      INFO("changed: dir/" << u);
      CHECK(Declared("dir/" + u, false));
    }
    // Only a step that does nothing may declare nothing: one that crashed,
    // a delivery that failed before storing.
    const bool idle = step.decision.crash() ||
                      (step.point == "deliver" && step.decision.fails_before());
    if (!idle) CHECK_FALSE(step.touches.empty());
    last_ = std::move(now);
  }

  Deployment& d_;
  Snapshot last_;
  std::vector<Step> steps_;
};

bool Has(const StepGate::Step& s, const std::string& object, Access access) {
  return std::find(s.touches.begin(), s.touches.end(), std::make_pair(object, access)) !=
         s.touches.end();
}

TEST_CASE("exec footprints: the Python store declares what every step reads and changes",
          "[exec][footprints][python]") {
  const std::string variant = GENERATE(as<std::string>{}, "correct", "pre-sp4");
  std::vector<std::string> points = {"create", "copy", "route", "unflag", "flush", "cleanup"};
  if (variant == "pre-sp4") points.insert(points.begin() + 1, "flag");
  auto opened = OpenExecDeployment(Config(kPythonStore, variant), nullptr);
  REQUIRE(opened.ok());
  Deployment& d = **opened;
  REQUIRE(d.DeclaresFootprints());
  StepGate gate(d);

  SECTION("a clean move, with deliveries before and after: the shapes of REDUCTION.md") {
    REQUIRE(d.Reset().ok());
    REQUIRE(d.Provision("alice", "src", {"<p1>"}).ok());
    gate.Begin();
    REQUIRE(d.Deliver(gate, "alice", "<m0>").ok());
    auto steps = gate.End();
    REQUIRE(steps.size() == 2);
    CHECK(Has(steps[0], "dir/alice", Access::kRead));  // the point names the route
    CHECK(Has(steps[1], "dir/alice", Access::kRead));
    CHECK(Has(steps[1], "box/src/alice", Access::kRead));
    CHECK(Has(steps[1], "src/alice/INBOX", Access::kAppend));

    gate.Begin();
    REQUIRE(d.Move(gate, "alice", "dst").ok());
    steps = gate.End();
    std::vector<std::string> passed;
    for (size_t i = 1; i < steps.size(); ++i) passed.push_back(steps[i].point);
    CHECK(passed == points);
    for (const auto& s : steps) {
      if (s.point == "create") {
        CHECK(Has(s, "box/dst/alice", Access::kWrite));
        CHECK(Has(s, "fwd/src/alice", Access::kWrite));
      } else if (s.point == "flag" || s.point == "unflag") {
        CHECK(Has(s, "box/dst/alice", Access::kWrite));
      } else if (s.point == "copy") {
        CHECK(Has(s, "src/alice/INBOX", Access::kRead));
        CHECK(Has(s, "dst/alice/INBOX", Access::kWrite));
      } else if (s.point == "route") {
        CHECK(Has(s, "dir/alice", Access::kWrite));
      } else if (s.point == "flush") {
        CHECK(Has(s, "dst/alice/InTransit", Access::kWrite));
        CHECK(Has(s, "dst/alice/INBOX", Access::kAppend));
      }
    }
    gate.Begin();
    REQUIRE(d.Deliver(gate, "alice", "<m1>").ok());
    steps = gate.End();
    CHECK(Has(steps[1], "dst/alice/INBOX", Access::kAppend));
  }

  SECTION("every point failing before or after, or crashing with deliveries and a recover") {
    for (const std::string& at : points) {
      for (int how = 0; how < 3; ++how) {
        CAPTURE(at, how);
        REQUIRE(d.Reset().ok());
        REQUIRE(d.Provision("alice", "src", {"<p1>", "<p2>"}).ok());
        gate.ClearScripts();
        gate.Script(at, how == 0   ? Fail(Phase::kBefore, FailError::kIo)
                        : how == 1 ? Fail(Phase::kAfter, FailError::kTempfail)
                                   : Crash());
        gate.Begin();
        auto moved = d.Move(gate, "alice", "dst");
        REQUIRE(moved.ok());
        gate.End();
        // Mail while the move is rolled back or stopped half-way: a lost
        // acknowledgement, its retry (dropped by Message-ID), another.
        gate.Script("deliver", Fail(Phase::kAfter, FailError::kTempfail));
        for (const char* m : {"<m1>", "<m1>", "<m2>"}) {
          gate.Begin();
          REQUIRE(d.Deliver(gate, "alice", m).ok());
          gate.End();
        }
        if (*moved == MoveResult::kCrashed) {
          gate.Begin();
          auto recovered = d.Recover(gate, "alice");
          REQUIRE(recovered.ok());
          CHECK(*recovered == MoveResult::kDone);
          gate.End();
        }
        gate.Begin();
        REQUIRE(d.Deliver(gate, "alice", "<m3>").ok());
        gate.End();
      }
    }
  }
}

TEST_CASE("exec footprints: the Python store with footprints = false sends no touch line",
          "[exec][footprints][python]") {
  AdapterConfig c = Config(kPythonStore, "pre-sp4");
  c.options.Set("footprints", false);
  auto d = OpenExecDeployment(c, nullptr);
  REQUIRE(d.ok());
  REQUIRE((*d)->Reset().ok());
  REQUIRE((*d)->Provision("alice", "src", {"<p1>"}).ok());
  RecordingGate gate;
  REQUIRE((*d)->Deliver(gate, "alice", "<m0>").ok());
  REQUIRE((*d)->Move(gate, "alice", "dst").ok());
  CHECK(gate.events.size() == 11);  // 1 + 7 points, 3 notes
  for (const auto& e : gate.events) CHECK(e.rfind("touch ", 0) != 0);
}

}  // namespace
}  // namespace intransit
