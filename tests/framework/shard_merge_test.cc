// Whole-space verdicts across shards: a shard judges only what it can, and
// `intransit merge` of every shard's JSON gives the unsharded run's result,
// field by field (minus wall times), for the shipped suites that run fast.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/cli_common.h"
#include "explore/explorer.h"
#include "explore/shard_merge.h"
#include "report/report_console.h"
#include "report/report_html.h"
#include "report/report_json.h"
#include "report/report_json_read.h"
#include "suite/suite_loader.h"
#include "tests/support/cli_runner.h"
#include "tests/support/temp_dir.h"

namespace intransit {
namespace {

// The shipped suites that run fast: the reference and maildir stores and
// one exec store (no Dovecot servers, no live mode, whose interleavings are
// the OS's; the other exec suites start Python a hundred times each).
std::string FileText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> FastSuites() {
  std::vector<std::string> files = {"suites/exec/q277911-pre-sp4.toml"};
  for (const char* dir : {"suites", "suites/conformance", "suites/maildir", "suites/races"}) {
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      const std::string f = e.path().string();
      // libfiu's POSIX points need the preload the command line arranges
      // (cli/preload.h), not this process.
      if (e.path().extension() == ".toml" && FileText(f).find("posix/") == std::string::npos) {
        files.push_back(f);
      }
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// `text` without what two runs of one space need not share: wall times, a
// timestamp (should a report carry one), and maildir's unique file names
// (time, pid and host: "1796585202.M21330P19724Q66.vm").
// Scanned by hand, not by std::regex: GCC 12 warns (-Wmaybe-uninitialized)
// inside libstdc++'s regex compiler in the sanitizer build.
std::string MaskUniqueNames(const std::string& s) {
  auto digits = [&](size_t p) {
    while (p < s.size() && s[p] >= '0' && s[p] <= '9') ++p;
    return p;
  };
  // The end of a unique name "D.MDPDQD.host" starting at `i`, or npos.
  auto match = [&](size_t i) -> size_t {
    size_t p = digits(i);
    if (p == i || s.compare(p, 2, ".M") != 0) return std::string::npos;
    for (char sep : {'P', 'Q', '.'}) {
      size_t q = digits(p + (sep == 'P' ? 2 : 1));
      if (q == p + (sep == 'P' ? 2 : 1) || q >= s.size() || s[q] != sep) return std::string::npos;
      p = q;
    }
    size_t q = p + 1;
    while (q < s.size() && std::string_view(":;, \"").find(s[q]) == std::string_view::npos) ++q;
    return q == p + 1 ? std::string::npos : q;
  };
  std::string out;
  for (size_t i = 0; i < s.size();) {
    const bool starts = s[i] >= '0' && s[i] <= '9' && (i == 0 || s[i - 1] < '0' || s[i - 1] > '9');
    size_t end = starts ? match(i) : std::string::npos;
    if (end == std::string::npos) {
      out += s[i++];
    } else {
      out += "UNIQUE";
      i = end;
    }
  }
  return out;
}

std::string Comparable(const std::string& text) {
  nlohmann::ordered_json j = nlohmann::ordered_json::parse(text);
  j.erase("timestamp");
  for (auto& s : j["suites"]) s.erase("wall_ms");
  return MaskUniqueNames(j.dump(2));
}

ShardFile ReadBack(const SuiteResult& part, const std::string& path) {
  RunResult run;
  run.suites.push_back(part);
  auto read = ReadJsonReport(JsonReport(run));
  REQUIRE(read.ok());
  return {path, read->tool_version, std::move(read->run)};
}

TEST_CASE("merge: the shipped suites sharded n ways merge to the unsharded run", "[shard][merge]") {
  const int n = GENERATE(2, 3, 7);
  for (const std::string& file : FastSuites()) {
    CAPTURE(file, n);
    auto suite = LoadSuite(file, {});
    REQUIRE(suite.ok());
    RunResult whole;
    whole.suites.push_back(ExploreSuite(*suite, {}));
    REQUIRE(whole.suites[0].outcome != Outcome::kError);
    std::vector<ShardFile> files;
    for (int i = n - 1; i >= 0; --i) {  // in any order
      ExploreOptions o;
      o.shard = i;
      o.shards = n;
      SuiteResult part = ExploreSuite(*suite, o);
      // A shard exits 0 where the unsharded run does: no shard is "not met"
      // for want of a violation another shard holds.
      RunResult alone;
      alone.suites.push_back(part);
      CHECK(ExitCodeOf(alone) <= ExitCodeOf(whole));
      if (part.outcome == Outcome::kPass && part.expect == Expect::kViolation) {
        CHECK_FALSE(part.judged);
      }
      files.push_back(ReadBack(part, "shard" + std::to_string(i + 1) + ".json"));
    }
    auto merged = MergeShardFiles(files);
    REQUIRE(merged.ok());
    CHECK(ExitCodeOf(*merged) == ExitCodeOf(whole));
    CHECK(Comparable(JsonReport(*merged)) == Comparable(JsonReport(whole)));
  }
}

TEST_CASE("merge: the comparison masks maildir's unique names only", "[shard][merge]") {
  CHECK(MaskUniqueNames("in 1796585202.M21330P19724Q66.vm, and \"17.M2P3Q4.h:2,S\"") ==
        "in UNIQUE, and \"UNIQUE:2,S\"");
  CHECK(MaskUniqueNames("12.M3P4.vm 1.5 x.M1P2Q3.h") == "12.M3P4.vm 1.5 x.M1P2Q3.h");
}

TEST_CASE("merge: a shard without the violation is not judged", "[shard][merge]") {
  SuiteResult r;
  r.expect = Expect::kViolation;
  Judge(&r, false);
  CHECK_FALSE(r.judged);
  RunResult run;
  run.suites = {r};
  CHECK(ExitCodeOf(run) == 0);
  CHECK_THAT(JsonReport(run), Catch::Contains("\"met\": null"));
  auto back = ReadJsonReport(JsonReport(run));
  REQUIRE(back.ok());
  CHECK_FALSE(back->run.suites[0].judged);
  std::ostringstream console;
  PrintSuiteResult(r, console);
  PrintSummary(run, console);
  CHECK_THAT(console.str(), Catch::Contains("not judged here (judged over all shards)") &&
                                Catch::Contains("0 not met, 1 not judged here, 0 errors"));
  CHECK_THAT(HtmlReport(run), Catch::Contains("not judged here") && !Catch::Contains("NOT met"));
  // Over the whole space, no violation is a verdict: not met.
  Judge(&r, true);
  CHECK(r.judged);
  CHECK_FALSE(r.met);
  run.suites = {r};
  CHECK(ExitCodeOf(run) == 1);
  // A pass suite's shard judges what it ran.
  r.expect = Expect::kPass;
  Judge(&r, false);
  CHECK(r.judged);
  CHECK(r.met);
}

TEST_CASE("merge: the reader refuses what is not a result, naming the key", "[shard][merge]") {
  CHECK_FALSE(ReadJsonReport("{").ok());
  CHECK_FALSE(ReadJsonReport(R"({"format": "intransit-result/2", "suites": []})").ok());
  auto bad = ReadJsonReport(
      R"({"format": "intransit-result/1", "suites": [{"file": "a.toml", "name": "a"}]})");
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.status().message(), Catch::Contains("suites[0]: no \"adapter\""));
}

TEST_CASE("merge: the command line, from three shards to one verdict", "[shard][merge][cli]") {
  const std::string q = std::string(INTRANSIT_SOURCE_DIR) + "/suites/q277911.toml";
  const std::string sp4 = std::string(INTRANSIT_SOURCE_DIR) + "/suites/q277911-sp4.toml";
  testing::TempDir dir;
  auto at = [&](const std::string& name) { return dir.path() + "/" + name; };
  std::vector<std::string> shards;
  for (int i = 1; i <= 3; ++i) {
    const std::string json = at("s" + std::to_string(i) + ".json");
    testing::Ran r = testing::Cli({"run", q, "--shard", std::to_string(i) + "/3", "--json", json});
    CAPTURE(i, r.out, r.err);
    CHECK(r.code == 0);
    shards.push_back(json);
  }
  testing::Ran whole = testing::Cli({"run", q, "--json", at("whole.json")});
  REQUIRE(whole.code == 0);
  testing::Ran merged =
      testing::Cli({"merge", shards[0], shards[1], shards[2], "--json", at("merged.json")});
  CAPTURE(merged.out, merged.err);
  CHECK(merged.code == 0);
  CHECK_THAT(merged.out, Catch::Contains("expected: violation (met)"));
  CHECK(Comparable(dir.Read("merged.json")) == Comparable(dir.Read("whole.json")));

  // Not the shards of one run: refused, naming the files.
  auto refused = [&](std::vector<std::string> args, const std::string& says) {
    args.insert(args.begin(), "merge");
    testing::Ran r = testing::Cli(args);
    CAPTURE(args, r.err);
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains(says));
  };
  refused({shards[0], shards[1]}, "shard(s) 3/3 missing");
  refused({shards[0], shards[1], shards[1]}, "both are shard 2/3");
  REQUIRE(testing::Cli({"run", sp4, "--shard", "3/3", "--json", at("sp4.json")}).code == 0);
  refused({shards[0], shards[1], at("sp4.json")}, at("sp4.json") + " and " + shards[0]);
  REQUIRE(testing::Cli({"run", q, "--shard", "3/3", "--seed", "7", "--json", at("seed.json")})
              .code == 0);
  refused({shards[0], shards[1], at("seed.json")}, "seed '7' vs '1'");
  REQUIRE(testing::Cli({"run", q, "--shard", "2/2", "--json", at("half.json")}).code == 0);
  refused({shards[0], at("half.json")}, "different shard totals");
  refused({shards[0], at("missing.json")}, at("missing.json") + ": cannot read");
  refused({shards[0], shards[1], shards[2], "--json", shards[1]}, "that is a suite file");
}

}  // namespace
}  // namespace intransit
