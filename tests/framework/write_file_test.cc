// Tests of WriteFile (base/file_util.h), the atomic write every report goes
// through: it replaces a file whole, leaves the user's other files alone and
// names the path it could not write. report_path_test.cc has the other kinds
// of path (links, devices, FIFOs).
#include <catch2/catch.hpp>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "base/file_util.h"
#include "tests/support/temp_dir.h"

namespace intransit {
namespace {

using testing::TempDir;

// The names in `dir`, sorted.
std::vector<std::string> Entries(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}


TEST_CASE("report: WriteFile replaces a file atomically", "[report]") {
  TempDir dir;
  const std::string path = dir.path() + "/r.json";
  REQUIRE(WriteFile(path, "first\n").ok());
  CHECK(dir.Read("r.json") == "first\n");
  // Keep the old file open: rename gives the reader the old content whole,
  // while a truncate-and-write in place would have changed it under it.
  std::ifstream old_reader(path, std::ios::binary);
  REQUIRE(WriteFile(path, "second, longer\n").ok());
  CHECK(dir.Read("r.json") == "second, longer\n");
  std::stringstream old_text;
  old_text << old_reader.rdbuf();
  CHECK(old_text.str() == "first\n");
  CHECK(Entries(dir.path()) == std::vector<std::string>{"r.json"});
}

TEST_CASE("report: WriteFile leaves the user's other files alone", "[report]") {
  TempDir dir;
  const std::string path = dir.path() + "/r.json";
  const std::string mine = path + ".tmp";
  REQUIRE(WriteFile(mine, "the user's own file\n").ok());
  REQUIRE(WriteFile(path, "report\n").ok());
  CHECK(dir.Read("r.json.tmp") == "the user's own file\n");
  CHECK(dir.Read("r.json") == "report\n");
  CHECK(Entries(dir.path()) == std::vector<std::string>{"r.json", "r.json.tmp"});
}

TEST_CASE("report: WriteFile reports an unwritable path by name", "[report]") {
  TempDir dir;
  const std::string path = dir.path() + "/no-such-dir/r.json";
  Status s = WriteFile(path, "x");
  REQUIRE_FALSE(s.ok());
  CHECK(s.code() == Status::Code::kInfra);
  CHECK(s.message() ==
        "cannot write " + path + ": create " + path + ".XXXXXX: No such file or directory");

  // A directory in the way: refused before anything is created, the
  // directory stays (report_path_test.cc has the other kinds of file).
  const std::string blocked = dir.path() + "/blocked";
  REQUIRE(::mkdir(blocked.c_str(), 0755) == 0);
  Status t = WriteFile(blocked, "x");
  REQUIRE_FALSE(t.ok());
  CHECK(t.message().rfind("cannot write " + blocked + ": not a regular file", 0) == 0);
  CHECK(Entries(dir.path()) == std::vector<std::string>{"blocked"});
}

}  // namespace
}  // namespace intransit
