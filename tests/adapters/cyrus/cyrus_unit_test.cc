// The parts of the cyrus adapter that need no server: the runbooks, the
// footprint table, and the IMAP client's parsing (the mailbox a LIST names,
// a header field out of a FETCH, quoting that refuses line breaks).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "adapters/cyrus/cyrus_deployment.h"
#include "adapters/cyrus/footprints.h"
#include "adapters/cyrus/runbook.h"
#include "store/imap_client.h"
#include "store/runbook_steps.h"
#include "tests/adapters/cyrus/cyrus_support.h"

namespace intransit::cyrus {
namespace {

TEST_CASE("cyrus tests: the one skip text says why and what to install", "[cyrus][support]") {
  const std::string missing = testing::MissingCyrus();
  CHECK(missing.empty() == CyrusInstalled());
  if (!missing.empty()) CHECK_THAT(missing, Catch::Contains("cyrus-imapd"));
}

TEST_CASE("cyrus runbook: variants and spelled-out runbooks", "[cyrus][runbook]") {
  auto naive = Runbooks().Variant("naive");
  REQUIRE(naive.ok());
  CHECK(DescribeRunbook(*naive) == "sync, switch, delete");
  CHECK((*naive)[0].point == std::string("cyrus/sync"));
  CHECK((*naive)[1].point == std::string("route"));
  CHECK((*naive)[2].point == std::string("cleanup"));
  auto twice = Runbooks().Variant("sync-twice");
  REQUIRE(twice.ok());
  CHECK(DescribeRunbook(*twice) == "sync, switch, sync, delete");
  auto xfer = Runbooks().Variant("xfer");
  REQUIRE(xfer.ok());
  CHECK(KindOf((*xfer)[0]) == StepKind::kXfer);
  auto custom = Runbooks().Parse({"hold", "sync", "switch", "release", "delete"});
  REQUIRE(custom.ok());
  CHECK(KindOf((*custom)[3]) == StepKind::kRelease);
  auto bad = Runbooks().Parse({"sync", "teleport"});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == Status::Code::kInvalid);
  CHECK_THAT(bad.status().message(), Catch::Contains("teleport") && Catch::Contains("xfer"));
  CHECK_FALSE(Runbooks().Parse({}).ok());
  CHECK_FALSE(Runbooks().Variant("documented").ok());
}

bool Has(const Touches& t, const std::string& object, Access access) {
  for (const auto& x : t) {
    if (x.object == object && x.access == access) return true;
  }
  return false;
}

TEST_CASE("cyrus footprints: sync and xfer write both sides, a delivery appends where it stores",
          "[cyrus][footprints]") {
  for (const auto& step : Runbooks().steps) {
    CAPTURE(step.name);
    CHECK_FALSE(StepFootprint(KindOf(step), "alice", "src", "dst").empty());
  }
  for (StepKind k : {StepKind::kSync, StepKind::kXfer}) {
    Touches t = StepFootprint(k, "alice", "src", "dst");
    CHECK(Has(t, "box/src/alice", Access::kWrite));
    CHECK(Has(t, "box/dst/alice", Access::kWrite));
    CHECK(Has(t, "dst/alice/INBOX", Access::kWrite));
    CHECK(Has(t, "src/alice/INBOX", Access::kWrite));
  }
  Touches del = StepFootprint(StepKind::kDelete, "alice", "src", "dst");
  CHECK(Has(del, "box/src/alice", Access::kWrite));
  CHECK_FALSE(Has(del, "box/dst/alice", Access::kWrite));
  CHECK(StepFootprint(StepKind::kSwitch, "alice", "src", "dst") ==
        Touches{{"dir/alice", Access::kWrite}});
  Touches sent = DeliverFootprint("alice", "dst", DeliverReach::kSent);
  CHECK(Has(sent, "dir/alice", Access::kRead));
  CHECK(Has(sent, "dst/alice/INBOX", Access::kAppend));
  CHECK_FALSE(Has(sent, "src/alice/INBOX", Access::kAppend));
  Touches held = DeliverFootprint("alice", "dst", DeliverReach::kHeld);
  CHECK(Has(held, "hold/alice", Access::kRead));
  CHECK_FALSE(Has(held, "dst/alice/INBOX", Access::kAppend));
}

TEST_CASE("cyrus: the timeline shows an LMTP reply's last line without its session id",
          "[cyrus][lmtp]") {
  CHECK(ReplySummary("250 2.1.5 Success SESSIONID=<intransit-src-1-2-3>") == "250 2.1.5 Success");
  CHECK(ReplySummary("550-Mailbox unknown. / 550-name or ... / 550 5.1.1 User unknown") ==
        "550 5.1.1 User unknown");
  CHECK(ReplySummary(std::string(200, 'x')).size() == 80);
}

TEST_CASE("imap: the mailbox of a LIST response, quoted or not", "[cyrus][imap]") {
  CHECK(ListedMailbox("LIST (\\HasNoChildren) \"/\" INBOX") == "INBOX");
  CHECK(ListedMailbox("LIST (\\HasNoChildren) \"/\" \"INBOX/Sent Items\"") == "INBOX/Sent Items");
  CHECK(ListedMailbox("LIST () \"/\" \"a\\\"b\"") == "a\"b");
  CHECK(ListedMailbox("3 EXISTS").empty());
}

TEST_CASE("imap: a header field out of a FETCH response", "[cyrus][imap]") {
  std::string fetch =
      "1 FETCH (BODY[HEADER.FIELDS (MESSAGE-ID)] {31}\r\nMessage-ID: <m1@intransit>\r\n\r\n)";
  CHECK(HeaderValue(fetch, "message-id") == "<m1@intransit>");
  CHECK(HeaderValue("Subject: a\r\n b\r\n", "Subject") == "a b");
  CHECK(HeaderValue("Subject: a\r\n", "Message-ID").empty());
}

TEST_CASE("imap: quoting escapes quotes and refuses line breaks", "[cyrus][imap][names]") {
  auto q = ImapClient::Quote("user/a\"b\\c");
  REQUIRE(q.ok());
  CHECK(*q == "\"user/a\\\"b\\\\c\"");
  for (std::string bad : {std::string("a\r\nb"), std::string("a\nb"), std::string("a\0b", 3)}) {
    auto r = ImapClient::Quote(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Status::Code::kInvalid);
  }
  ImapClient c("127.0.0.1", 1, 100);
  auto r = c.Command("NOOP\r\nt9 LOGOUT");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Status::Code::kInvalid);
}

}  // namespace
}  // namespace intransit::cyrus
