// base/command's no-progress timeout (Command::stall_ms): a command that
// keeps moving bytes outlives it, a silent one is killed at it long before
// its deadline, and the I/O of the processes `also_watch` names counts as
// the command's own (a dsync waits while dst's server writes). The Dovecot
// cases are in dovecot_failures_test.cc.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "base/command.h"

namespace intransit {
namespace {

using Clock = std::chrono::steady_clock;

// A forked writer: one byte to /dev/null every 50 ms for `ms`, then exits.
// It leads a process group of its own. Only async-signal-safe calls after
// the fork (the tests run threads).
pid_t StartWriter(int ms) {
  pid_t pid = fork();
  if (pid != 0) {
    if (pid > 0) setpgid(pid, pid);  // both sides: no race with the watch
    return pid;
  }
  setpgid(0, 0);
  int fd = open("/dev/null", O_WRONLY);
  timespec tick{0, 50 * 1000 * 1000};
  for (int t = 0; t < ms; t += 50) {
    if (write(fd, "x", 1) != 1) _exit(1);
    nanosleep(&tick, nullptr);
  }
  _exit(0);
}

TEST_CASE("command: one that keeps writing outlives its no-progress timeout", "[command][process]") {
  Command c;
  // 3 s of output, a line every 0.1 s: six times the 500 ms stall bound.
  c.argv = {"sh", "-c", "i=0; while [ $i -lt 30 ]; do echo $i; sleep 0.1; i=$((i+1)); done"};
  c.timeout_ms = 60000;
  c.stall_ms = 500;
  auto r = RunCommand(c);
  REQUIRE(r.ok());
  CAPTURE(r->Describe());
  CHECK(r->ok());
  CHECK_FALSE(r->stalled);
  CHECK(r->elapsed_ms > 2500);
  CHECK(RecordedGroups().empty());
}

TEST_CASE("command: a silent one is killed at its no-progress timeout, not its deadline",
          "[command][process]") {
  Command c;
  c.argv = {"sh", "-c", "trap '' TERM; sleep 60"};
  c.timeout_ms = 60000;
  c.stall_ms = 300;
  auto start = Clock::now();
  auto r = RunCommand(c);
  auto took = Clock::now() - start;
  REQUIRE(r.ok());
  CHECK(r->timed_out);
  CHECK(r->stalled);
  CHECK(r->stalled_ms >= 300);
  CHECK(r->signal == SIGKILL);
  CHECK_THAT(r->Describe(), Catch::Contains("no I/O for"));
  // 300 ms, and room for a loaded machine; the deadline was 60 s.
  CHECK(took < std::chrono::seconds(20));
  CHECK(RecordedGroups().empty());
}

TEST_CASE("command: the I/O of the processes it watches is its progress", "[command][process]") {
  Command c;
  c.argv = {"sleep", "2"};  // silent itself
  c.timeout_ms = 60000;
  c.stall_ms = 700;
  pid_t writer = StartWriter(6000);
  REQUIRE(writer > 0);

  SECTION("watched: it runs to its end") {
    c.also_watch = {{writer, ""}};
    auto r = RunCommand(c);
    REQUIRE(r.ok());
    CAPTURE(r->Describe());
    CHECK(r->ok());
    CHECK_FALSE(r->stalled);
  }
  SECTION("its group watched for another command name: the same command stalls") {
    // What a dsync watches of dst: its doveadm-servers, not its log.
    c.also_watch = {{writer, "doveadm-server"}};
    auto r = RunCommand(c);
    REQUIRE(r.ok());
    CHECK(r->stalled);
  }
  SECTION("not watched: the same command stalls") {
    auto r = RunCommand(c);
    REQUIRE(r.ok());
    CHECK(r->stalled);
  }
  kill(writer, SIGKILL);
  waitpid(writer, nullptr, 0);
}

TEST_CASE("command: the stall check scans /proc once per check, never for a short command",
          "[command][process]") {
  Command quick;
  quick.argv = {"true"};
  quick.stall_ms = 10000;
  uint64_t before = ProcScans();
  auto q = RunCommand(quick);
  REQUIRE(q.ok());
  CHECK(q->ok());
  CHECK(ProcScans() == before);  // it ended before the first check

  Command silent;
  silent.argv = {"sleep", "60"};
  silent.timeout_ms = 60000;
  silent.stall_ms = 300;  // a check every 60 ms
  silent.also_watch = {{getpgrp(), "no-such-command"}};
  before = ProcScans();
  auto r = RunCommand(silent);
  REQUIRE(r.ok());
  CHECK(r->stalled);
  // Checks are at least 60 ms apart: one scan each covers the command's
  // group and the watched one.
  CAPTURE(r->elapsed_ms);
  CHECK(ProcScans() - before <= static_cast<uint64_t>(r->elapsed_ms / 60));
}

TEST_CASE("command: a process group's members and their I/O", "[command][process]") {
  CHECK(ProcessGroupMembers(getpgrp()).size() >= 1);
  bool found = false;
  for (pid_t p : ProcessGroupMembers(getpgrp())) found = found || p == getpid();
  CHECK(found);
  IoSample before = SampleIo({getpid()});
  std::string junk(4096, 'x');
  int fd = open("/dev/null", O_WRONLY);
  REQUIRE(fd >= 0);
  REQUIRE(write(fd, junk.data(), junk.size()) == 4096);
  close(fd);
  IoSample after = SampleIo({getpid()});
  CHECK(after.bytes >= before.bytes + 4096);
  CHECK(after.who == before.who);
  CHECK_FALSE(SampleIo({getpid(), getppid()}).who == after.who);
}

}  // namespace
}  // namespace intransit
