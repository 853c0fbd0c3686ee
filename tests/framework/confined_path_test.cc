// ConfinedPath: the one way an adapter turns names into paths, tried on real
// temp dirs with the names and links an attacker would use.
#include "base/confined_path.h"

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "tests/support/temp_dir.h"

namespace intransit {
namespace {

using testing::TempDir;

TEST_CASE("confined path: components are joined under the root", "[confined_path][names]") {
  TempDir t;
  auto p = ConfinedPath(t.path(), {"src", "alice", "cur"});
  REQUIRE(p.ok());
  CHECK(*p == t.path() + "/src/alice/cur");
  // Existing directories on the way are fine, and so is an existing file last.
  std::filesystem::create_directories(t.path() + "/src/alice");
  t.Write("src/alice/msg", "x");
  CHECK(ConfinedPath(t.path(), {"src", "alice"}).ok());
  CHECK(ConfinedPath(t.path(), {"src", "alice", "msg"}).ok());
  CHECK(*ConfinedPath(t.path(), {}) == t.path());
}

TEST_CASE("confined path: components that leave the root by their text are Invalid",
          "[confined_path][names]") {
  TempDir t;
  const std::string bad[] = {"..",       ".",     "",          "../../../tmp/x", "/etc",
                             "a/b",      "x/..",  std::string("al\0ice", 6),
                             std::string("../../../some/dir/\0", 18), std::string(256, 'a')};
  for (const auto& c : bad) {
    CAPTURE(c);
    auto p = ConfinedPath(t.path(), {"src", c});
    REQUIRE_FALSE(p.ok());
    CHECK(p.status().code() == Status::Code::kInvalid);
    // The message never carries a raw control byte.
    CHECK(p.status().message().find('\0') == std::string::npos);
  }
  CHECK(ConfinedPath("", {"a"}).status().code() == Status::Code::kInvalid);
}

TEST_CASE("confined path: a symlink inside the root pointing outside is refused",
          "[confined_path][names]") {
  TempDir t;
  TempDir outside;
  std::filesystem::create_directories(t.path() + "/src");
  REQUIRE(symlink(outside.path().c_str(), (t.path() + "/src/alice").c_str()) == 0);
  // As the last component, and as a directory on the way.
  for (auto p : {ConfinedPath(t.path(), {"src", "alice"}),
                 ConfinedPath(t.path(), {"src", "alice", "cur"})}) {
    REQUIRE_FALSE(p.ok());
    CHECK(p.status().code() == Status::Code::kInfra);
    CHECK(p.status().message().find("symbolic link") != std::string::npos);
  }
  // A link pointing back inside is refused too: a link is never followed.
  std::filesystem::create_directories(t.path() + "/dst");
  REQUIRE(symlink((t.path() + "/dst").c_str(), (t.path() + "/src/bob").c_str()) == 0);
  CHECK_FALSE(ConfinedPath(t.path(), {"src", "bob", "x"}).ok());
  // A dangling link too.
  REQUIRE(symlink("/nonexistent/intransit", (t.path() + "/src/carol").c_str()) == 0);
  CHECK_FALSE(ConfinedPath(t.path(), {"src", "carol"}).ok());
}

TEST_CASE("confined path: a file on the way is not a directory", "[confined_path][names]") {
  TempDir t;
  t.Write("src", "not a directory");
  auto p = ConfinedPath(t.path(), {"src", "alice"});
  REQUIRE_FALSE(p.ok());
  CHECK(p.status().code() == Status::Code::kInfra);
  CHECK(p.status().message().find("not a directory") != std::string::npos);
}

TEST_CASE("confined path: MakeDirsBelow makes what is below the root, never the root",
          "[confined_path][names]") {
  TempDir t;
  const std::string root = t.path() + "/run";
  REQUIRE(mkdir(root.c_str(), 0700) == 0);
  CHECK(MakeDirsBelow(root, root + "/src/alice/cur") == 0);
  CHECK(std::filesystem::is_directory(root + "/src/alice/cur"));
  CHECK(MakeDirsBelow(root, root + "/src/alice/cur") == 0);  // already there
  CHECK(MakeDirsBelow(root + "/", root + "/src//bob") == 0);
  CHECK(std::filesystem::is_directory(root + "/src/bob"));
  CHECK(MakeDirsBelow(root, root) == 0);

  t.Write("run/file", "x");
  CHECK(MakeDirsBelow(root, root + "/file/sub") == ENOTDIR);
  REQUIRE(symlink(t.path().c_str(), (root + "/link").c_str()) == 0);
  CHECK(MakeDirsBelow(root, root + "/link/sub") == ENOTDIR);
  CHECK_FALSE(std::filesystem::exists(t.path() + "/sub"));

  // The SIGINT shutdown removed the root: it is not brought back.
  std::filesystem::remove_all(root);
  CHECK(MakeDirsBelow(root, root + "/src/alice/cur") == ENOENT);
  CHECK_FALSE(std::filesystem::exists(root));
  CHECK(MakeDirsBelow(root, root) == ENOENT);
}

}  // namespace
}  // namespace intransit
