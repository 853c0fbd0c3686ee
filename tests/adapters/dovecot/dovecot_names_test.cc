// The dovecot adapter given hostile user names by a suite built in code (the
// loader's name check bypassed): it refuses them with Status::Invalid before
// any home is created, chowned or removed, and a directory next to its work
// dir (the victim) is left exactly as it was. The reproductions:
// a user "../../../<dir>/\0" with no pre-existing mail (the reset between
// schedules removed <dir>), and with provision = "maildir" (it created and
// chowned <dir>-g1).
//
// Skipped, with the reason shown, only where `dovecot` is not installed.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "explore/explorer.h"
#include "suite/suite.h"
#include "tests/adapters/dovecot/dovecot_support.h"
#include "tests/support/suites.h"

namespace intransit::dovecot {
namespace {

namespace fs = std::filesystem;

// A directory holding one file, its owner and mode noted: untouched() is
// true while all three are as they were and nothing was added.
struct Victim {
  std::string dir;
  struct stat before {};
  explicit Victim(std::string d) : dir(std::move(d)) {
    fs::create_directories(dir);
    std::ofstream(dir + "/precious") << "keep me\n";
    stat(dir.c_str(), &before);
  }
  bool untouched() const {
    struct stat now {};
    if (lstat(dir.c_str(), &now) != 0 || !S_ISDIR(now.st_mode)) return false;
    if (now.st_uid != before.st_uid || now.st_gid != before.st_gid) return false;
    if (now.st_mode != before.st_mode) return false;
    size_t n = 0;
    for (const auto& e : fs::directory_iterator(dir)) {
      (void)e;
      ++n;
    }
    std::ifstream f(dir + "/precious");
    std::string line;
    std::getline(f, line);
    return n == 1 && line == "keep me";
  }
};

// Q277911's shape on the dovecot adapter with `user` as the only user (no
// pre-existing mail), exploring at most two schedules: the second begins
// with the reset that removed the victim.
Suite HostileSuite(const std::string& user, const std::string& work_dir) {
  Suite s = intransit::testing::Q277911Suite("documented", 1, 1, 0);
  s.name = "hostile-user";
  s.adapter = "dovecot";
  s.adapter_config.work_dir = work_dir;
  s.users[0].name = user;
  for (auto& a : s.actors) a.user = user;
  s.explore.max_schedules = 2;
  return s;
}

TEST_CASE("dovecot names: a user with .. and a NUL is refused and the reset removes nothing",
          "[dovecot][names]") {
  SKIP_WITHOUT_DOVECOT();
  testing::TempDir t;
  // The servers' homes are <work>/intransit-dovecot.X/<server>/home/<user>:
  // three levels up from a home is <work>.
  const std::string work = t.path() + "/work";
  fs::create_directories(work);
  chmod(work.c_str(), 0755);
  Victim victim(work + "/victim");
  Suite s = HostileSuite(std::string("../../../victim/\0", 17), work);
  SuiteResult r = ExploreSuite(s, {});
  CHECK(r.outcome == Outcome::kError);
  CHECK_THAT(r.error, Catch::Contains("user '../../../victim/\\x00'"));
  CHECK(victim.untouched());
}

TEST_CASE("dovecot names: provision maildir creates and chowns nothing outside the homes",
          "[dovecot][names]") {
  SKIP_WITHOUT_DOVECOT();
  testing::TempDir t;
  const std::string work = t.path() + "/work";
  fs::create_directories(work);
  chmod(work.c_str(), 0755);
  Victim victim(work + "/victim-g1");
  Suite s = HostileSuite("../../../victim", work);
  s.users[0].messages = 1;
  s.adapter_config.options.Set("provision", std::string("maildir"));
  SuiteResult r = ExploreSuite(s, {});
  CHECK(r.outcome == Outcome::kError);
  CHECK_THAT(r.error, Catch::Contains("user '../../../victim'"));
  CHECK(victim.untouched());
  CHECK_FALSE(fs::exists(victim.dir + "/Maildir"));
}

TEST_CASE("dovecot names: every entry point refuses a name the rule refuses",
          "[dovecot][names]") {
  SKIP_WITHOUT_DOVECOT();
  testing::TempDir t;
  auto dep = testing::OpenDovecot(t.path(), "documented");
  REQUIRE(dep.ok());
  REQUIRE((*dep)->Reset().ok());
  ::intransit::testing::FakeGate gate;
  const std::string inject = "alice>\r\nRSET\r\nMAIL FROM:<evil@x>\r\nRCPT TO:<bob";
  for (const std::string& user : {std::string("al ice"), std::string(), inject,
                                  std::string("../x"), std::string("a/b")}) {
    CAPTURE(user);
    Status p = (*dep)->Provision(user, "src", {});
    CHECK(p.code() == Status::Code::kInvalid);
    auto d = (*dep)->Deliver(gate, user, "<m1.x@intransit>");
    REQUIRE_FALSE(d.ok());
    CHECK(d.status().code() == Status::Code::kInvalid);
    auto m = (*dep)->Move(gate, user, "dst");
    REQUIRE_FALSE(m.ok());
    CHECK(m.status().code() == Status::Code::kInvalid);
    auto rc = (*dep)->Recover(gate, user);
    REQUIRE_FALSE(rc.ok());
    CHECK(rc.status().code() == Status::Code::kInvalid);
  }
  // A Message-ID that would forge a header is refused too.
  REQUIRE((*dep)->Provision("alice", "src", {}).ok());
  auto d = (*dep)->Deliver(gate, "alice", "<m1@x>\r\nBcc: evil@x");
  REQUIRE_FALSE(d.ok());
  CHECK(d.status().code() == Status::Code::kInvalid);
  CHECK(gate.Passed().empty());  // refused before the deliver point was passed
  // Nothing was sent: the store holds no mail at all.
  Snapshot snap;
  REQUIRE((*dep)->Inspect(&snap).ok());
  CHECK(snap.copies.empty());
}

// Dovecot's default recipient_delimiter is '+': LMTP delivered al+ice's
// mail to al, and Inspect, which fetches al+ice, found none of it (the
// issue: a false LOST). The rule allows '+' in a user name. Likewise its
// default auth_username_format (%Lu) lowercased Alice: the mail went to
// alice's home, and the pre-existing mail written to Alice's was not found.
TEST_CASE("dovecot names: a user with '+' or capitals keeps its own mail",
          "[dovecot][names][plus]") {
  SKIP_WITHOUT_DOVECOT();
  const std::string user = GENERATE(std::string("al+ice"), std::string("Alice"));
  CAPTURE(user);
  testing::TempDir t;
  auto dep = testing::OpenDovecot(t.path(), "documented");
  REQUIRE(dep.ok());
  REQUIRE((*dep)->Reset().ok());
  ::intransit::testing::FakeGate gate;
  const std::string m0 = "<m0." + user + "@intransit>", m1 = "<m1." + user + "@intransit>";
  REQUIRE((*dep)->Provision(user, "src", {m0}).ok());
  auto d = (*dep)->Deliver(gate, user, m1);
  REQUIRE(d.ok());
  CHECK(d->answer == Answer::kAccepted);
  Snapshot snap;
  REQUIRE((*dep)->Inspect(&snap).ok());
  CHECK(testing::IdsOn(snap, "src", user) == std::vector<std::string>{m0, m1});
  CHECK(snap.copies.size() == 2);
}

TEST_CASE("dovecot names: a suite whose user has '+' or capitals passes, no false LOST",
          "[dovecot][names][plus]") {
  SKIP_WITHOUT_DOVECOT();
  const std::string user = GENERATE(std::string("al+ice"), std::string("Alice"));
  CAPTURE(user);
  testing::TempDir t;
  Suite s = HostileSuite(user, t.path());
  s.users[0].messages = 1;
  s.explore.max_schedules = 1;
  SuiteResult r = ExploreSuite(s, {});
  CAPTURE(r.error);
  CHECK(r.outcome == Outcome::kPass);
  CHECK(r.violations.empty());
}

}  // namespace
}  // namespace intransit::dovecot
