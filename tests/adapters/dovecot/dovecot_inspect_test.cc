// The dovecot adapter's Inspect reads the Maildir's files, not only what
// the index has seen: a message file the index does not know yet (what a
// dsync pass's far end leaves when its commit fails, docs/dovecot.md) is in
// the snapshot, because the force-resync runs before the fetch in the same
// doveadm (one `doveadm batch` per user and server).
//
// Skipped, with the reason shown, only where `dovecot` is not installed.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <ctime>
#include <fstream>
#include <string>

#include "adapters/dovecot/dovecot_deployment.h"
#include "tests/adapters/dovecot/dovecot_support.h"

namespace intransit::dovecot {
namespace {

// Sets `path`'s modification time to `when` (and its access time).
void SetMtime(const std::string& path, time_t when) {
  timespec times[2] = {{when, 0}, {when, 0}};
  REQUIRE(utimensat(AT_FDCWD, path.c_str(), times, 0) == 0);
}

TEST_CASE("dovecot: Inspect sees a message file the index has not seen", "[dovecot][inspect]") {
  SKIP_WITHOUT_DOVECOT();
  testing::TempDir t;
  auto opened = testing::OpenDovecot(t.path(), "documented");
  REQUIRE(opened.ok());
  auto* dep = dynamic_cast<DovecotDeployment*>(opened->get());
  REQUIRE(dep != nullptr);
  REQUIRE(dep->Reset().ok());
  REQUIRE(dep->Provision("alice", "src", {"<m1.alice@intransit>"}).ok());
  DovecotServer* src = dep->Server("src");
  const std::string duser = dep->ServerUser("alice");
  auto cur = src->HomeOf(duser, {"Maildir", "cur"});
  auto fresh = src->HomeOf(duser, {"Maildir", "new"});
  REQUIRE(cur.ok());
  REQUIRE(fresh.ok());
  // An hour old, then indexed: Dovecot's quick check compares these mtimes
  // with the index's and rescans a directory only when they differ (or are
  // too recent to trust).
  const time_t old = time(nullptr) - 3600;
  SetMtime(*cur, old);
  SetMtime(*fresh, old);
  Snapshot snap;
  REQUIRE(dep->Inspect(&snap).ok());
  REQUIRE(testing::IdsOn(snap, "src", "alice") == std::vector<std::string>{"<m1.alice@intransit>"});

  // A file renamed in behind the index's back, the directory's mtime as
  // the index knows it.
  const std::string text = MailMessage("alice", "<m2.alice@intransit>");
  const std::string name = "1767225600.M99P1.intransit,S=" + std::to_string(text.size()) + ":2,";
  auto path = src->HomeOf(duser, {"Maildir", "cur", name});
  REQUIRE(path.ok());
  {
    std::ofstream f(*path, std::ios::binary);
    f << text;
  }
  REQUIRE(chown(path->c_str(), src->options().uid, src->options().gid) == 0);
  SetMtime(*cur, old);

  REQUIRE(dep->Inspect(&snap).ok());
  CHECK(testing::IdsOn(snap, "src", "alice") ==
        std::vector<std::string>{"<m1.alice@intransit>", "<m2.alice@intransit>"});
  CHECK(snap.copies.size() == 2);
}

}  // namespace
}  // namespace intransit::dovecot
