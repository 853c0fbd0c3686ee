// The LMTP client refuses to interpolate a line break, a NUL or an angle
// bracket into a command: the user name
// "alice>\r\nRSET\r\nMAIL FROM:<evil@x>\r\nRCPT TO:<bob" would otherwise end
// RCPT TO and send commands of its own. Checked against a listening socket
// of the test: not a byte reaches it, not even a connection.
#include "store/lmtp_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>

namespace intransit::dovecot {
namespace {

// A listening socket on 127.0.0.1 with an OS-chosen port; nobody accepts.
struct Listener {
  int fd = -1;
  int port = 0;
  Listener() {
    fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(listen(fd, 4) == 0);
    REQUIRE(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port = ntohs(addr.sin_port);
  }
  ~Listener() { close(fd); }
  // Whether a connection is waiting to be accepted.
  bool Connected() const {
    pollfd p{fd, POLLIN, 0};
    return poll(&p, 1, 0) > 0;
  }
};

TEST_CASE("lmtp: a recipient that would inject commands sends nothing", "[lmtp][names]") {
  Listener server;
  LmtpClient client("127.0.0.1", server.port, 300);
  const std::string inject = "alice>\r\nRSET\r\nMAIL FROM:<evil@x>\r\nRCPT TO:<bob";
  auto r = client.Deliver("sender@intransit", inject, "Subject: x\r\n\r\nbody\r\n");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Status::Code::kInvalid);
  // The message names the argument with its line breaks written out.
  CHECK_THAT(r.status().message(), Catch::Contains("RCPT TO"));
  CHECK_THAT(r.status().message(), Catch::Contains("alice>\\r\\nRSET"));
  CHECK_FALSE(server.Connected());
}

TEST_CASE("lmtp: CR LF NUL and angle brackets are refused in MAIL FROM and RCPT TO",
          "[lmtp][names]") {
  Listener server;
  LmtpClient client("127.0.0.1", server.port, 300);
  for (const std::string& bad : {std::string("a\rb"), std::string("a\nb"), std::string("a\0b", 3),
                                 std::string("a<b"), std::string("a>b")}) {
    CAPTURE(bad);
    auto to = client.Deliver("sender@intransit", bad, "x\r\n");
    REQUIRE_FALSE(to.ok());
    CHECK(to.status().code() == Status::Code::kInvalid);
    auto from = client.Deliver(bad, "alice", "x\r\n");
    REQUIRE_FALSE(from.ok());
    CHECK(from.status().code() == Status::Code::kInvalid);
    CHECK(CheckCommandArg("x", bad).code() == Status::Code::kInvalid);
  }
  CHECK_FALSE(server.Connected());
  CHECK(CheckCommandArg("x", "alice+tag@intransit").ok());
  CHECK(CheckHeaderValue("Message-ID", "<m1.alice@intransit>").ok());
  for (const std::string& bad : {std::string("<m1>\r\nBcc: x"), std::string("a\nb"),
                                 std::string("a\0b", 3)}) {
    CHECK(CheckHeaderValue("Message-ID", bad).code() == Status::Code::kInvalid);
  }
}

}  // namespace
}  // namespace intransit::dovecot
