// Commands with a hard timeout, their output and exit codes, and the
// runbook and LMTP helpers that need no server.
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "adapters/dovecot/lmtp_client.h"
#include "adapters/dovecot/process.h"
#include "adapters/dovecot/runbook.h"

namespace intransit::dovecot {
namespace {

TEST_CASE("process: a command's output, input and exit code come back", "[dovecot][process]") {
  Command c;
  c.argv = {"sh", "-c", "cat; echo err >&2; exit 7"};
  c.input = "hello\n";
  auto r = RunCommand(c);
  REQUIRE(r.ok());
  CHECK(r->exit_code == 7);
  CHECK(r->out == "hello\n");
  CHECK(r->err == "err\n");
  CHECK_FALSE(r->timed_out);
  CHECK(RecordedGroups().empty());
}

TEST_CASE("process: a command past its deadline is killed with its children", "[dovecot][process]") {
  Command c;
  // The child ignores SIGTERM, like a doveadm waiting on a lock.
  c.argv = {"sh", "-c", "trap '' TERM; sleep 30 & sleep 30"};
  c.timeout_ms = 200;
  auto start = std::chrono::steady_clock::now();
  auto r = RunCommand(c);
  auto took = std::chrono::steady_clock::now() - start;
  REQUIRE(r.ok());
  CHECK(r->timed_out);
  CHECK_FALSE(r->ok());
  CHECK_THAT(r->Describe(), Catch::Contains("timed out"));
  CHECK(took < std::chrono::seconds(3));
  CHECK(RecordedGroups().empty());
}

TEST_CASE("process: a program that does not exist is an infrastructure error", "[dovecot][process]") {
  Command c;
  c.argv = {"no-such-program-intransit"};
  auto r = RunCommand(c);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Status::Code::kInfra);
  CHECK_THAT(r.status().message(), Catch::Contains("no-such-program-intransit"));
}

TEST_CASE("process: commands run in parallel, each against its deadline", "[dovecot][process]") {
  std::vector<Command> cs(3);
  for (auto& c : cs) c.argv = {"sh", "-c", "sleep 0.3; echo done"};
  std::vector<CommandResult> rs;
  auto start = std::chrono::steady_clock::now();
  REQUIRE(RunCommands(cs, &rs).ok());
  auto took = std::chrono::steady_clock::now() - start;
  for (const auto& r : rs) CHECK(r.out == "done\n");
  CHECK(took < std::chrono::milliseconds(850));
}

TEST_CASE("process: a daemon stops with SIGTERM, or SIGKILL after the grace period",
          "[dovecot][process]") {
  Daemon d;
  REQUIRE(d.Start({"sh", "-c", "trap '' TERM; while true; do sleep 0.05; done"}, {}, "/dev/null").ok());
  CHECK(d.Alive());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // until the trap is set
  CHECK_FALSE(d.Stop(100));  // needed SIGKILL
  CHECK_FALSE(d.Alive());
  CHECK(RecordedGroups().empty());
}

TEST_CASE("runbook: variants and spelled-out runbooks", "[dovecot][runbook]") {
  auto naive = VariantRunbook("naive");
  REQUIRE(naive.ok());
  CHECK(Describe(*naive) == "backup, switch, backup, delete");
  CHECK((*naive)[1].point == std::string("route"));
  auto documented = VariantRunbook("documented");
  REQUIRE(documented.ok());
  CHECK(Describe(*documented) == "backup, backup, switch, sync, delete");
  auto bad = ParseRunbook({"backup", "teleport"});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == Status::Code::kInvalid);
  CHECK_THAT(bad.status().message(), Catch::Contains("teleport") && Catch::Contains("switch"));
  CHECK_FALSE(ParseRunbook({}).ok());
}

TEST_CASE("lmtp: DATA is dot-stuffed and ends with a lone dot", "[dovecot][lmtp]") {
  CHECK(DotStuff("a\r\n.b\r\n") == "a\r\n..b\r\n.\r\n");
  CHECK(DotStuff("x") == "x\r\n.\r\n");
}

}  // namespace
}  // namespace intransit::dovecot
