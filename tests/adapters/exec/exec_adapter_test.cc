// Tests of the exec adapter: line framing and process handling
// (ChildProcess), the protocol against the Python example store, and every
// way a program can misbehave — each must end in an adapter error that names
// the cause, with no process of the program left behind.
//
// The misbehaving stores are small Python scripts next to this file, built
// on tiny_store.py; they write their pids to a `pidfile` option so the test
// can check that each one is gone.
#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "adapters/exec/child_process.h"
#include "adapters/exec/exec_adapter.h"
#include "explore/explorer.h"
#include "suite/suite_loader.h"
#include "tests/adapters/exec/exec_test_support.h"
#include "tests/support/suites.h"

namespace intransit {
namespace {

using namespace exec_test;  // the helpers these tests share

TEST_CASE("exec child_process: lines are framed across writes - CR is stripped - stderr is kept",
          "[exec][child_process]") {
  std::ostringstream log;
  auto child = ChildProcess::Start(
      "printf '{\"a\"'; sleep 0.05; printf ':1}\\r\\nsecond\\n'; echo oops >&2; "
      "printf 'partial'; exit 4",
      &log);
  REQUIRE(child.ok());
  ChildProcess& c = **child;
  auto first = c.ReadLine(5000);
  REQUIRE(first.ok());
  CHECK(*first == "{\"a\":1}");
  auto second = c.ReadLine(5000);
  REQUIRE(second.ok());
  CHECK(*second == "second");
  auto eof = c.ReadLine(5000);
  REQUIRE_FALSE(eof.ok());
  CHECK(c.failure() == ChildProcess::Failure::kExited);
  CHECK(eof.status().code() == Status::Code::kInfra);
  CHECK_THAT(eof.status().message(), Catch::Contains("exited with status 4") &&
                                         Catch::Contains("after writing 'partial'"));
  CHECK(c.LastStderr() == "oops");
  CHECK_THAT(log.str(), Catch::Contains("] oops"));
  pid_t pid = c.pid();
  child->reset();
  CHECK(Gone(pid));
}

TEST_CASE("exec child_process: a read times out, and Stop ends the whole group despite SIGTERM",
          "[exec][child_process]") {
  TempDir dir;
  std::string pids = dir.path() + "/pids";
  auto child = ChildProcess::Start(
      "trap '' TERM; sleep 1000 & echo $! > " + pids + "; echo $$ >> " + pids + "; sleep 1000",
      nullptr);
  REQUIRE(child.ok());
  auto line = (*child)->ReadLine(200);
  REQUIRE_FALSE(line.ok());
  CHECK((*child)->failure() == ChildProcess::Failure::kTimeout);
  CHECK_THAT(line.status().message(), Catch::Contains("within 200 ms"));
  std::vector<pid_t> started = ReadPids(pids);
  REQUIRE(started.size() == 2);
  (*child)->Stop(100);
  CHECK_FALSE((*child)->running());
  for (pid_t p : started) CHECK(Gone(p));
}

TEST_CASE("exec child_process: writing to a program that exited is an error, not SIGPIPE",
          "[exec][child_process]") {
  auto child = ChildProcess::Start("exit 0", nullptr);
  REQUIRE(child.ok());
  (*child)->WaitExit(2000);
  Status s = (*child)->WriteLine("{\"id\":1}", 1000);
  CHECK_FALSE(s.ok());
  CHECK(s.code() == Status::Code::kInfra);
}

TEST_CASE("exec: the Python store finds Q277911 on pre-sp4 and passes on correct",
          "[exec][python]") {
  LoadOptions opts;
  // Every interleaving: the counts below are the full space's.
  opts.sets = {"adapter.command=" + kPythonStore, "explore.reduction=none"};
  auto pre = LoadSuite(kSource + "/suites/exec/q277911-pre-sp4.toml", opts);
  REQUIRE(pre.ok());
  SuiteResult r = ExploreSuite(*pre, {});
  INFO(r.error);
  CHECK(r.outcome == Outcome::kViolation);
  CHECK(r.met);
  CHECK(r.complete);
  CHECK(r.schedules == 8);
  REQUIRE_FALSE(r.violations.empty());
  bool lost = false;
  for (const auto& m : r.violations[0].messages) {
    if (m.message == "<m1.alice@intransit>" && m.verdict == Verdict::kLost) {
      lost = true;
    }
  }
  CHECK(lost);

  auto correct = LoadSuite(kSource + "/suites/exec/q277911-correct.toml", opts);
  REQUIRE(correct.ok());
  r = ExploreSuite(*correct, {});
  INFO(r.error);
  CHECK(r.outcome == Outcome::kPass);
  CHECK(r.complete);
  CHECK(r.schedules == 7);
}

TEST_CASE("exec: every way the program misbehaves is an adapter error naming it, no process left",
          "[exec][failure]") {
  struct Case {
    const char* script;
    const char* cause;
  };
  auto c = GENERATE(Case{"crashing_store.py", "exited with status 1"},
                    Case{"hanging_store.py", "no answer within timeout_ms = 300 ms"},
                    Case{"garbage_store.py", "not JSON: 'moving alice now...'"},
                    Case{"unknown_id_store.py", "replied to an unknown id 1004"});
  CAPTURE(c.script);
  TempDir dir;
  std::string pidfile = dir.path() + "/pids";
  AdapterConfig config = Config("python3 " + kScripts + c.script, "", 300);
  config.options.Set("pidfile", pidfile);
  std::ostringstream log;
  auto d = OpenExecDeployment(config, &log);
  REQUIRE(d.ok());
  REQUIRE((*d)->Reset().ok());
  REQUIRE((*d)->Provision("alice", "src", {"<p1.alice@intransit>"}).ok());
  FakeGate gate;
  auto start = std::chrono::steady_clock::now();
  auto moved = (*d)->Move(gate, "alice", "dst");
  REQUIRE_FALSE(moved.ok());
  CHECK(moved.status().code() == Status::Code::kInfra);
  CHECK_THAT(moved.status().message(),
             Catch::StartsWith("exec: request 4 (move alice → dst): ") &&
                 Catch::Contains(c.cause));
  if (std::string(c.script) == "crashing_store.py") {
    CHECK_THAT(moved.status().message(), Catch::Contains("KeyError: 'mailbox alice vanished'"));
  }
  // Stopped at once: the program's group is gone before the deployment is.
  std::vector<pid_t> pids = ReadPids(pidfile);
  REQUIRE_FALSE(pids.empty());
  for (pid_t p : pids) CHECK(Gone(p, 2000));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  // Later calls report the same error without touching a dead process.
  Status again = (*d)->Reset();
  CHECK(again.message() == moved.status().message());
  d->reset();
}

TEST_CASE("exec: a program speaking another protocol version is refused at open",
          "[exec][failure]") {
  TempDir dir;
  std::string pidfile = dir.path() + "/pids";
  AdapterConfig config = Config("python3 " + kScripts + "wrong_version_store.py");
  config.options.Set("pidfile", pidfile);
  std::ostringstream log;
  auto d = OpenExecDeployment(config, &log);
  REQUIRE_FALSE(d.ok());
  CHECK(d.status().code() == Status::Code::kInfra);
  CHECK_THAT(d.status().message(),
             Catch::StartsWith("exec: request 1 (hello): ") &&
                 Catch::Contains("speaks 'intransit-exec/2', not intransit-exec/1"));
  for (pid_t p : ReadPids(pidfile)) CHECK(Gone(p));
}

TEST_CASE("exec: a program that is not there, or exits at once, is an adapter error",
          "[exec][failure]") {
  std::ostringstream log;
  auto d = OpenExecDeployment(Config("/nonexistent/store --serve"), &log);
  REQUIRE_FALSE(d.ok());
  CHECK(d.status().code() == Status::Code::kInfra);
  CHECK_THAT(d.status().message(), Catch::Contains("request 1 (hello)") &&
                                       Catch::Contains("exited with status 127") &&
                                       Catch::Contains("not found"));
}

TEST_CASE("exec: a run whose program writes out of turn ends with exit 3 and the cause",
          "[exec][failure]") {
  Suite suite = testing::Q277911Suite("");
  suite.adapter = "exec";
  suite.adapter_config = Config("python3 " + kScripts + "out_of_turn_store.py");
  SuiteResult r = ExploreSuite(suite, {});
  CHECK(r.outcome == Outcome::kError);
  CHECK(r.exit_code_hint == 3);
  CHECK_THAT(r.error, Catch::Contains("request 5 (deliver <m1.alice@intransit> to alice)") &&
                          Catch::Contains("for request 4, which is waiting at a point"));
}

TEST_CASE("exec: suite names the program does not have are suite errors (exit 2)",
          "[exec][suite]") {
  const std::string base = R"(
[adapter]
name = "exec"
command = ")" + kPythonStore + R"("
[[users]]
name = "alice"
home = "src"
[[actors]]
kind = "mover"
user = "alice"
to = "dst"
)";
  SECTION("an unknown point") {
    auto suite = LoadSuiteFromString(base + "[[faults]]\npoint = \"flga\"\nkind = \"fail\"\n",
                                     "x.toml", {});
    REQUIRE(suite.ok());
    SuiteResult r = ExploreSuite(*suite, {});
    CHECK(r.exit_code_hint == 2);
    CHECK_THAT(r.error, Catch::Contains("x.toml:") && Catch::Contains("unknown point 'flga'") &&
                            Catch::Contains("python-store") && Catch::Contains("create, flag"));
  }
  SECTION("an unknown server") {
    auto suite = LoadSuiteFromString(base, "x.toml", {"", {"adapter.command=" + kPythonStore}});
    REQUIRE(suite.ok());
    suite->adapter_config.unchecked.push_back({"server", "mars", "x.toml:9:6", "to"});
    SuiteResult r = ExploreSuite(*suite, {});
    CHECK(r.exit_code_hint == 2);
    CHECK_THAT(r.error, Catch::Contains("x.toml:9:6: key 'to': unknown server 'mars'") &&
                            Catch::Contains("src or dst"));
  }
  SECTION("other [adapter] keys reach the program, which may refuse them") {
    auto suite = LoadSuiteFromString(base + "[suite]\nname = \"k\"\n", "x.toml",
                                     {"", {"adapter.colour=blue", "adapter.variant=sp5"}});
    REQUIRE(suite.ok());
    CHECK(suite->adapter_config.options.String("colour", "") == "blue");
    CHECK(suite->adapter_config.variant == "sp5");
    SuiteResult r = ExploreSuite(*suite, {});
    CHECK(r.exit_code_hint == 2);
    CHECK_THAT(r.error, Catch::Contains("refused hello") && Catch::Contains("colour"));
  }
  SECTION("an unknown variant") {
    auto suite = LoadSuiteFromString(base, "x.toml", {"", {"adapter.variant=sp5"}});
    REQUIRE(suite.ok());
    SuiteResult r = ExploreSuite(*suite, {});
    CHECK(r.exit_code_hint == 2);
    CHECK_THAT(r.error, Catch::Contains("unknown variant 'sp5'"));
  }
}

TEST_CASE("exec: the Python store's procedures under decisions taken at each point",
          "[exec][python][hardening]") {
  auto opened = OpenExecDeployment(Config(kPythonStore, "correct"), nullptr);
  REQUIRE(opened.ok());
  Deployment& d = **opened;
  REQUIRE(d.Reset().ok());
  REQUIRE(d.Provision("alice", "src", {"<p1>", "<p2>"}).ok());
  Snapshot s;

  SECTION("a crash stops the move at its point; recover resumes it from there") {
    FakeGate gate;
    gate.Script("copy", Crash());
    auto moved = d.Move(gate, "alice", "dst");
    REQUIRE(moved.ok());
    CHECK(*moved == MoveResult::kCrashed);
    CHECK(gate.Passed() == std::vector<std::string>{"create", "copy"});
    auto delivered = d.Deliver(gate, "alice", "<m1>");
    REQUIRE(delivered.ok());
    CHECK(delivered->answer == Answer::kAccepted);
    CHECK(delivered->server == "dst");
    CHECK(delivered->folder == "InTransit");
    CHECK(gate.ran_on == "dst");

    FakeGate again;
    auto recovered = d.Recover(again, "alice");
    REQUIRE(recovered.ok());
    CHECK(*recovered == MoveResult::kDone);
    CHECK(again.Passed() ==
          std::vector<std::string>{"copy", "route", "unflag", "flush", "cleanup"});
    REQUIRE(d.Inspect(&s).ok());
    CHECK(Where(s, "dst", "INBOX") == std::vector<std::string>{"<p1>", "<p2>", "<m1>"});
    CHECK(Where(s, "src", "INBOX").empty());
    CHECK(s.HomeOf("alice") == "dst");
    CHECK(s.holding_folders == std::vector<std::string>{"InTransit"});
  }
  SECTION("a failed step rolls the move back: all mail on the source") {
    FakeGate gate;
    gate.Script("route", Fail(Phase::kAfter, FailError::kIo));
    REQUIRE(d.Deliver(gate, "alice", "<m0>").ok());
    auto moved = d.Move(gate, "alice", "dst");
    REQUIRE(moved.ok());
    CHECK(*moved == MoveResult::kFailed);
    REQUIRE(d.Inspect(&s).ok());
    CHECK(Where(s, "src", "INBOX") == std::vector<std::string>{"<p1>", "<p2>", "<m0>"});
    CHECK(Where(s, "dst", "INBOX").empty());
    CHECK(s.HomeOf("alice") == "src");
  }
  SECTION("fail after at deliver: stored, the sender hears tempfail; its retry is dropped") {
    FakeGate gate;
    gate.Script("deliver", Fail(Phase::kAfter, FailError::kTempfail));
    auto first = d.Deliver(gate, "alice", "<m1>");
    REQUIRE(first.ok());
    CHECK(first->answer == Answer::kTempfail);
    // Right after the failed step, before any retry: "after" stored the
    // message ("before" would not have), and the step's note says so.
    CHECK(gate.notes == std::vector<std::string>{"stored in INBOX"});
    REQUIRE(d.Inspect(&s).ok());
    CHECK(Where(s, "src", "INBOX") == std::vector<std::string>{"<p1>", "<p2>", "<m1>"});
    auto retry = d.Deliver(gate, "alice", "<m1>");
    REQUIRE(retry.ok());
    CHECK(retry->answer == Answer::kAccepted);
    CHECK(gate.notes.back() == "already stored: a retry, dropped by Message-ID");
    REQUIRE(d.Inspect(&s).ok());
    CHECK(Where(s, "src", "INBOX") == std::vector<std::string>{"<p1>", "<p2>", "<m1>"});
  }
  SECTION("crash at deliver: nothing stored, the sender hears tempfail") {
    FakeGate gate;
    gate.Script("deliver", Crash());
    auto r = d.Deliver(gate, "alice", "<m1>");
    REQUIRE(r.ok());
    CHECK(r->answer == Answer::kTempfail);
    gate.Script("deliver", Fail(Phase::kBefore, FailError::kPermfail));
    r = d.Deliver(gate, "alice", "<m2>");
    REQUIRE(r.ok());
    CHECK(r->answer == Answer::kPermfail);
    REQUIRE(d.Inspect(&s).ok());
    CHECK(Where(s, "src", "INBOX") == std::vector<std::string>{"<p1>", "<p2>"});
  }
}

TEST_CASE("exec: describe asks the program for its points", "[exec][python]") {
  AdapterInfo info = ExecAdapterInfo();
  REQUIRE(info.describe);
  CHECK(info.open_options);
  CHECK(info.points.empty());
  auto points = info.describe(Config(kPythonStore));
  REQUIRE(points.ok());
  std::vector<std::string> names;
  for (const auto& p : *points) names.push_back(p.name);
  CHECK(names == std::vector<std::string>{"create", "flag", "copy", "route", "unflag", "flush",
                                          "cleanup", "deliver"});
  CHECK((*points)[1].help == "InTransit is set on the new mailbox (pre-sp4 only)");
}

}  // namespace
}  // namespace intransit
