// What an exec store says in its inspect reply is untrusted: servers, users,
// folders and Message-IDs that look like paths and carry terminal control
// sequences are judged as data, never used as a path, and the console prints
// them escaped.
#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>
#include <string>

#include "explore/explorer.h"
#include "report/report_console.h"
#include "tests/support/suites.h"
#include "tests/support/temp_dir.h"

namespace intransit {
namespace {

namespace fs = std::filesystem;

TEST_CASE("exec names: hostile names in an inspect reply are never paths and print escaped",
          "[exec][names]") {
  testing::TempDir victim;
  Suite s = testing::Q277911Suite("");
  s.name = "hostile-store";
  s.adapter = "exec";
  s.adapter_config.options.Set(
      "command", "python3 " INTRANSIT_SOURCE_DIR "/tests/adapters/exec/hostile_names_store.py");
  s.adapter_config.options.Set("timeout_ms", static_cast<int64_t>(10000));
  s.adapter_config.options.Set("victim", victim.path());
  // The sender alone: tiny_store.py answers one request at a time.
  s.actors.erase(s.actors.begin());
  s.oracle.invariants = {kNoSilentLoss, kNoDuplicates, kNoMisdelivery};
  s.explore.max_schedules = 1;
  SuiteResult r = ExploreSuite(s, {});
  INFO(r.error);
  REQUIRE(r.outcome != Outcome::kError);
  std::ostringstream out;
  PrintSuiteResult(r, out);
  const std::string text = out.str();
  INFO(text);
  CHECK(text.find('\x1b') == std::string::npos);
  CHECK(text.find('\r') == std::string::npos);
  CHECK(text.find('\0') == std::string::npos);
  CHECK(text.find('\x07') == std::string::npos);
  CHECK(fs::is_empty(victim.path()));
}

}  // namespace
}  // namespace intransit
