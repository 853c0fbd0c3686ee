// The maildir adapter given hostile user names by a suite built in code (the
// loader's name check bypassed): refused with Status::Invalid before any
// directory or file is made, and a directory beside its root (the victim)
// left as it was. The reproduction: a user "../../../../tmp/x/victim"
// made cur/ new/ tmp/ and a message file in /tmp/x/victim. Also: the
// directory file's fields cannot be split by what they hold.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "adapters/maildir/maildir_adapter.h"
#include "adapters/maildir/maildir_store.h"
#include "explore/explorer.h"
#include "suite/suite.h"
#include "tests/support/fake_gate.h"
#include "tests/support/suites.h"
#include "tests/support/temp_dir.h"

namespace intransit {
namespace {

namespace fs = std::filesystem;

// What `dir` holds, one path a line relative to it, sorted.
std::string Listing(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    names.push_back(fs::relative(e.path(), dir).string());
  }
  std::sort(names.begin(), names.end());
  std::string out;
  for (const auto& n : names) out += n + "\n";
  return out;
}

TEST_CASE("maildir names: a user with .. is refused and writes nothing outside the root",
          "[maildir][names]") {
  testing::TempDir t;
  // The trees are <root>/intransit-maildir-X/run/<server>/<user>: four
  // levels up from a user's maildir is the test's directory.
  const std::string root = t.path() + "/root";
  fs::create_directories(root);
  fs::create_directories(t.path() + "/victim");
  t.Write("victim/precious", "keep me\n");
  const std::string before = Listing(t.path() + "/victim");

  Suite s = testing::Q277911Suite("in-transit");
  s.name = "hostile-user";
  s.adapter = "maildir";
  s.adapter_config.options.Set("root", root);
  const std::string user = "../../../../victim";
  s.users[0].name = user;
  for (auto& a : s.actors) a.user = user;
  s.explore.max_schedules = 2;
  SuiteResult r = ExploreSuite(s, {});
  CHECK(r.outcome == Outcome::kError);
  CHECK_THAT(r.error, Catch::Contains("user '../../../../victim'"));
  CHECK(Listing(t.path() + "/victim") == before);
  CHECK(t.Read("victim/precious") == "keep me\n");
}

TEST_CASE("maildir names: every entry point refuses a name the rule refuses",
          "[maildir][names]") {
  testing::TempDir t;
  AdapterConfig config;
  config.variant = "in-transit";
  config.options.Set("root", t.path());
  auto dep = MaildirAdapterInfo().open(config);
  REQUIRE(dep.ok());
  REQUIRE((*dep)->Reset().ok());
  testing::FakeGate gate;
  for (const std::string& user :
       {std::string("al ice"), std::string(), std::string("../x"), std::string("a/b"),
        std::string("al\nice src src INBOX"), std::string("x\0y", 3)}) {
    CAPTURE(user);
    CHECK((*dep)->Provision(user, "src", {"<p1.x@intransit>"}).code() ==
          Status::Code::kInvalid);
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
  CHECK(gate.Passed().empty());
  // A good user still works, and the directory names only her.
  REQUIRE((*dep)->Provision("alice", "src", {"<p1.alice@intransit>"}).ok());
  Snapshot snap;
  REQUIRE((*dep)->Inspect(&snap).ok());
  REQUIRE(snap.directory.size() == 1);
  CHECK(snap.directory[0].first == "alice");
  CHECK(snap.copies.size() == 1);
}

TEST_CASE("maildir names: directory fields round-trip whatever they hold", "[maildir][names]") {
  for (const std::string& v :
       {std::string("alice"), std::string("al ice"), std::string(""), std::string("a%20b"),
        std::string("x\ny z\tw\r"), std::string("n\0ul", 4), std::string("\x7f%")}) {
    CAPTURE(v);
    const std::string enc = EncodeField(v);
    CHECK(enc.find_first_of(std::string(" \n\t\r\0", 5)) == std::string::npos);
    std::string back;
    REQUIRE(DecodeField(enc, &back));
    CHECK(back == v);
  }
  std::string out;
  CHECK_FALSE(DecodeField("a b", &out));
  CHECK_FALSE(DecodeField("a%", &out));
  CHECK_FALSE(DecodeField("a%4", &out));
  CHECK_FALSE(DecodeField("a%zz", &out));
  CHECK(EncodeField("alice") == "alice");  // names the rule allows are written as they are
}

}  // namespace
}  // namespace intransit
