// --keep names the tree of the schedule reported as the violation: the
// console and the JSON say which of the kept trees to open, and that tree
// holds what the verdicts say (the lost message nowhere, the others there).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <string>

#include "tests/support/cli_runner.h"
#include "tests/support/temp_dir.h"

namespace intransit {
namespace {

// stdout of `command`.
std::string Output(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  CHECK(pclose(p) == 0);
  return out;
}

TEST_CASE("keep: the report names the violating schedule's tree", "[keep][maildir][python]") {
  testing::TempDir dir;
  const std::string suite = std::string(INTRANSIT_SOURCE_DIR) + "/suites/maildir/q277911.toml";
  testing::Ran r = testing::Cli({"run", suite, "--keep", "--set", "adapter.root=" + dir.path(),
                                 "--json", dir.path() + "/r.json"});
  CAPTURE(r.out, r.err);
  REQUIRE(r.code == 0);
  auto json = nlohmann::json::parse(dir.Read("r.json"));
  const auto& v = json["suites"][0]["violations"][0];
  REQUIRE(v.contains("kept"));
  const std::string kept = v["kept"];
  CHECK_THAT(r.out, Catch::Contains("kept: " + kept + "  (this schedule's tree)"));
  REQUIRE(std::filesystem::is_directory(kept));
  // Not simply the last tree: later schedules were kept too.
  const std::filesystem::path base = std::filesystem::path(kept).parent_path();
  int trees = 0;
  for (const auto& e : std::filesystem::directory_iterator(base)) trees += e.is_directory();
  // (Runs stopped asleep by the reduction made trees too: at least one per schedule.)
  CHECK(trees >= json["suites"][0]["schedules"].get<int>());
  const std::string name = std::filesystem::path(kept).filename();
  REQUIRE(name.rfind("schedule-", 0) == 0);
  CHECK(std::stoi(name.substr(9)) < trees);

  const std::string read = Output("python3 " + std::string(INTRANSIT_TEST_DIR) +
                                  "/adapters/maildir/read_maildirs.py " + kept);
  CAPTURE(read);
  int lost = 0;
  for (const auto& m : v["messages"]) {
    const std::string id = m["id"];
    if (m["verdict"] == "LOST") {
      ++lost;
      CHECK(read.find(id) == std::string::npos);
    } else {
      CHECK(read.find(id) != std::string::npos);
    }
  }
  CHECK(lost == 1);
  std::filesystem::remove_all(base);
}

}  // namespace
}  // namespace intransit
