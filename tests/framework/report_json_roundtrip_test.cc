// The JSON report read back (`intransit merge` reads shards so) loses
// nothing: for real results of shipped suites, with violations, custody
// marks, probe events and skipped suites, writing what was read gives the
// very text read, and a merge carries the skipped suites through.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "explore/explorer.h"
#include "explore/shard_merge.h"
#include "report/report_json.h"
#include "report/report_json_read.h"
#include "suite/suite_loader.h"

namespace intransit {
namespace {

const std::string kSource = INTRANSIT_SOURCE_DIR;

SuiteResult Explored(const std::string& file, const std::vector<std::string>& sets = {},
                     const ExploreOptions& options = {}) {
  LoadOptions load;
  load.sets = sets;
  auto suite = LoadSuite(kSource + "/" + file, load);
  REQUIRE(suite.ok());
  return ExploreSuite(*suite, options);
}

// The run the test writes and reads back: a violation with custody (the
// reference store), one where a fault fired at an I/O call inside a step
// (maildir's write: a probe event in the timeline), a pass, and a skip.
RunResult RealRun() {
  RunResult run;
  run.tool_version = "0.1.0";
  run.timestamp = "2026-12-06T18:40:00Z";
  run.hostname = "ci-7";
  run.suites.push_back(Explored("suites/q277911.toml"));
  run.suites.push_back(Explored("suites/races/flush-overwrite.toml"));
  run.suites.push_back(Explored("suites/maildir/partial-write.toml", {"adapter.variant=naive"}));
  run.suites.push_back(Explored("suites/conformance/baseline.toml"));
  run.skipped.push_back({"suites/conformance/crash-copy.toml", "crash-copy", "exec",
                         "the adapter does not pass point 'copy'"});
  return run;
}

TEST_CASE("report_json: a real run read back writes the same text, byte for byte",
          "[report][merge]") {
  const RunResult run = RealRun();
  // The run holds what the round trip must carry, or the test proves little.
  bool custody = false, mark = false, probe = false;
  for (const SuiteResult& s : run.suites) {
    for (const Violation& v : s.violations) {
      custody = custody || !v.custody.empty();
      for (const MessageCustody& c : v.custody) mark = mark || !c.mark.empty();
      for (const Event& e : v.timeline) probe = probe || e.probe;
    }
  }
  REQUIRE(custody);
  REQUIRE(mark);
  REQUIRE(probe);

  for (bool timings : {true, false}) {
    CAPTURE(timings);
    const std::string text = JsonReport(run, timings);
    auto back = ReadJsonReport(text);
    REQUIRE(back.ok());
    CHECK(JsonReport(back->run, timings) == text);
  }
}

TEST_CASE("merge: the suites the shards skipped are the merged run's", "[shard][merge]") {
  std::vector<ShardFile> files;
  for (int i = 0; i < 2; ++i) {
    ExploreOptions o;
    o.shard = i;
    o.shards = 2;
    RunResult part;
    part.suites.push_back(Explored("suites/q277911.toml", {}, o));
    part.skipped.push_back({"suites/conformance/crash-copy.toml", "crash-copy", "exec",
                            "the adapter does not pass point 'copy'"});
    auto back = ReadJsonReport(JsonReport(part));
    REQUIRE(back.ok());
    files.push_back({"shard" + std::to_string(i + 1) + ".json", back->tool_version,
                     std::move(back->run)});
  }
  auto merged = MergeShardFiles(files);
  REQUIRE(merged.ok());
  REQUIRE(merged->skipped.size() == 1);
  CHECK(merged->skipped[0].file == "suites/conformance/crash-copy.toml");
  CHECK(merged->skipped[0].name == "crash-copy");
  CHECK(merged->skipped[0].adapter == "exec");
  CHECK(merged->skipped[0].reason == "the adapter does not pass point 'copy'");
}

}  // namespace
}  // namespace intransit
