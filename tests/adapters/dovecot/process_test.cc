// Commands with a hard timeout, their output and exit codes, and the
// runbook and LMTP helpers that need no server.
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>

#include "store/lmtp_client.h"
#include "base/command.h"
#include "adapters/dovecot/runbook.h"
#include "tests/adapters/dovecot/dovecot_support.h"

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
  // One after another they take 3 s at least; in parallel 1 s, and the rest
  // of the bound is slack for a loaded machine (850 ms over 0.3 s sleeps
  // left too little).
  for (auto& c : cs) c.argv = {"sh", "-c", "sleep 1; echo done"};
  std::vector<CommandResult> rs;
  auto start = std::chrono::steady_clock::now();
  REQUIRE(RunCommands(cs, &rs).ok());
  auto took = std::chrono::steady_clock::now() - start;
  for (const auto& r : rs) CHECK(r.out == "done\n");
  CHECK(took < std::chrono::milliseconds(2900));
}

// The fd numbers open in this process.
std::vector<int> OpenFds() {
  std::vector<int> fds;
  DIR* d = opendir("/proc/self/fd");
  if (d == nullptr) return fds;
  while (dirent* e = readdir(d)) {
    int fd = e->d_name[0] >= '0' && e->d_name[0] <= '9' ? std::atoi(e->d_name) : -1;
    if (fd >= 0 && fd != dirfd(d)) fds.push_back(fd);
  }
  closedir(d);
  return fds;
}

TEST_CASE("process: when a later command cannot start, the ones started are killed and reaped",
          "[dovecot][process]") {
  // Room for 8 more descriptors: the first command (stdin kept open for its
  // input) takes 6 pipe ends and 2 for the exec report, keeps 3; the second
  // runs out at its stderr pipe.
  std::vector<int> open = OpenFds();
  rlimit old{};
  REQUIRE(getrlimit(RLIMIT_NOFILE, &old) == 0);
  rlim_t limit = 0;
  for (int free = 0; free < 8; ++limit) {
    if (std::find(open.begin(), open.end(), static_cast<int>(limit)) == open.end()) ++free;
  }
  std::string marker = "30." + std::to_string(getpid());
  std::vector<Command> cs(3);
  for (auto& c : cs) {
    c.argv = {"sh", "-c", "sleep " + marker + "; :"};
    c.input = "x";
  }
  std::vector<CommandResult> rs;
  rlimit tight = old;
  tight.rlim_cur = limit;
  REQUIRE(setrlimit(RLIMIT_NOFILE, &tight) == 0);
  auto start = std::chrono::steady_clock::now();
  Status s = RunCommands(cs, &rs);
  auto took = std::chrono::steady_clock::now() - start;
  setrlimit(RLIMIT_NOFILE, &old);
  CHECK(s.code() == Status::Code::kInfra);
  CHECK_THAT(s.message(), Catch::Contains("pipe"));
  CHECK(took < std::chrono::seconds(3));
  CHECK(RecordedGroups().empty());
  CHECK(testing::ProcessesMentioning("sleep " + marker).empty());
  CHECK(OpenFds().size() == open.size());  // every pipe closed
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
  auto naive = Runbooks().Variant("naive");
  REQUIRE(naive.ok());
  CHECK(DescribeRunbook(*naive) == "backup, switch, backup, delete");
  CHECK((*naive)[1].point == std::string("route"));
  auto documented = Runbooks().Variant("documented");
  REQUIRE(documented.ok());
  CHECK(DescribeRunbook(*documented) == "backup, backup, switch, sync, delete");
  auto bad = Runbooks().Parse({"backup", "teleport"});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == Status::Code::kInvalid);
  CHECK_THAT(bad.status().message(), Catch::Contains("teleport") && Catch::Contains("switch"));
  CHECK_FALSE(Runbooks().Parse({}).ok());
}

TEST_CASE("lmtp: DATA is dot-stuffed and ends with a lone dot", "[dovecot][lmtp]") {
  CHECK(DotStuff("a\r\n.b\r\n") == "a\r\n..b\r\n.\r\n");
  CHECK(DotStuff("x") == "x\r\n.\r\n");
}

// A scripted LMTP server on 127.0.0.1 for one connection: refuses the
// first DATA (554) and, as RFC 5321 says, a MAIL inside an open transaction
// (503).
class FakeLmtp {
 public:
  FakeLmtp() {
    listener_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    listen(listener_, 1);
    getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~FakeLmtp() {
    if (thread_.joinable()) thread_.join();
    close(listener_);
  }
  int port() const { return port_; }
  // Every command it got; waits until the client has closed the connection.
  const std::vector<std::string>& Commands() {
    if (thread_.joinable()) thread_.join();
    return commands_;
  }

 private:
  void Serve() {
    int fd = accept(listener_, nullptr, nullptr);
    if (fd < 0) return;
    timeval tv{10, 0};  // never hangs the test
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    auto say = [fd](const std::string& line) {
      std::string l = line + "\r\n";
      send(fd, l.data(), l.size(), MSG_NOSIGNAL);
    };
    say("220 fake LMTP");
    bool in_transaction = false, in_data = false;
    int datas = 0;
    std::string buffer;
    char buf[4096];
    while (true) {
      size_t eol = buffer.find("\r\n");
      if (eol == std::string::npos) {
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        buffer.append(buf, static_cast<size_t>(n));
        continue;
      }
      std::string line = buffer.substr(0, eol);
      buffer.erase(0, eol + 2);
      if (in_data) {
        if (line == ".") {
          in_data = in_transaction = false;
          say("250 2.0.0 <rcpt> Saved");
        }
        continue;
      }
      commands_.push_back(line);
      std::string verb = line.substr(0, 4);
      if (verb == "LHLO") {
        say("250 fake");
      } else if (verb == "MAIL") {
        if (in_transaction) {
          say("503 5.5.1 MAIL already given");
        } else {
          in_transaction = true;
          say("250 2.1.0 OK");
        }
      } else if (verb == "RCPT") {
        say("250 2.1.5 OK");
      } else if (verb == "DATA") {
        if (++datas == 1) {
          say("554 5.6.0 refused");
        } else {
          in_data = true;
          say("354 OK");
        }
      } else if (verb == "RSET") {
        in_transaction = false;
        say("250 2.0.0 OK");
      } else if (verb == "QUIT") {
        say("221 2.0.0 Bye");
        break;
      }
    }
    close(fd);
  }

  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::vector<std::string> commands_;
};

TEST_CASE("lmtp: a refused DATA resets the transaction and the next message goes through",
          "[dovecot][lmtp]") {
  FakeLmtp server;
  {
    LmtpClient client("127.0.0.1", server.port(), 5000);
    auto first = client.Deliver("sender@intransit", "alice", "Subject: 1\r\n\r\none\r\n");
    REQUIRE(first.ok());
    CHECK(first->code == 554);
    auto second = client.Deliver("sender@intransit", "alice", "Subject: 2\r\n\r\ntwo\r\n");
    REQUIRE(second.ok());
    CHECK(second->code == 250);
  }  // QUIT: the server's thread ends
  CHECK(server.Commands() ==
        std::vector<std::string>{"LHLO intransit", "MAIL FROM:<sender@intransit>",
                                 "RCPT TO:<alice>", "DATA", "RSET", "MAIL FROM:<sender@intransit>",
                                 "RCPT TO:<alice>", "DATA", "QUIT"});
}

}  // namespace
}  // namespace intransit::dovecot
