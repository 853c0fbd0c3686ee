// The command line end to end, in process: the acceptance commands of the
// core issue, exit codes, and error messages that name file:line.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/cli_runner.h"
#include "tests/support/temp_dir.h"

namespace intransit {
namespace {

using nlohmann::json;
using testing::TempDir;

using testing::Cli;
using testing::Ran;

const std::string kQ = std::string(INTRANSIT_SOURCE_DIR) + "/suites/q277911.toml";
const std::string kSp4 = std::string(INTRANSIT_SOURCE_DIR) + "/suites/q277911-sp4.toml";

// What differs between two runs of the same schedules: the wall time, and
// when the run started (StampRun).
json Timings0(json j) {
  for (auto& s : j["suites"]) s["wall_ms"] = 0;
  j.erase("timestamp");
  return j;
}

TEST_CASE("cli: run q277911 finds the loss: create, deliver into dst, flag", "[cli]") {
  TempDir dir;
  Ran r = Cli({"run", kQ, "--json", dir.path() + "/r.json"});
  CHECK(r.code == 0);
  json j = json::parse(dir.Read("r.json"));
  CHECK(j["format"] == "intransit-result/1");
  const json& s = j["suites"][0];
  CHECK(s["outcome"] == "violation");
  CHECK(s["met"] == true);
  REQUIRE(s["violations"].size() == 1);
  const json& v = s["violations"][0];
  auto inv = v["invariants"].get<std::vector<std::string>>();
  CHECK(std::find(inv.begin(), inv.end(), "no-silent-loss") != inv.end());
  std::string lost;
  for (const auto& m : v["messages"]) {
    if (m["verdict"] == "LOST") lost = m["id"];
  }
  REQUIRE_FALSE(lost.empty());
  const json& t = v["timeline"];
  CHECK(t[0]["actor"] == "mover");
  CHECK(t[0]["point"] == "create");
  CHECK(t[1]["point"] == "deliver");
  CHECK(t[1]["server"] == "dst");
  CHECK(t[1]["message"] == lost);
  CHECK(t[2]["point"] == "flag");
  CHECK_THAT(r.out, Catch::Contains("replay: intransit replay"));
}

TEST_CASE("cli: the violation's replay command reproduces the timeline", "[cli][replay]") {
  TempDir dir;
  REQUIRE(Cli({"run", kQ, "--json", dir.path() + "/r.json"}).code == 0);
  json found = json::parse(dir.Read("r.json"))["suites"][0]["violations"][0];
  std::string replay = found["replay"];
  // "intransit replay FILE --schedule TOKEN": run it as printed.
  std::istringstream words(replay);
  std::vector<std::string> args;
  for (std::string w; words >> w;) args.push_back(w);
  REQUIRE(args.size() >= 4);
  args.erase(args.begin());
  args.push_back("--json");
  args.push_back(dir.path() + "/again.json");
  Ran r = Cli(args);
  CHECK(r.code == 0);
  json again = json::parse(dir.Read("again.json"))["suites"][0]["violations"][0];
  CHECK(again["timeline"] == found["timeline"]);
  CHECK(again["schedule"] == found["schedule"]);
}

TEST_CASE("cli: sp4 passes with the space covered and pre-sp4 does not", "[cli]") {
  TempDir dir;
  Ran r = Cli({"run", kSp4, "--json", dir.path() + "/r.json"});
  CHECK(r.code == 0);
  json s = json::parse(dir.Read("r.json"))["suites"][0];
  CHECK(s["complete"] == true);
  CHECK(s["schedules"].get<int>() > 0);
  CHECK_THAT(r.out, Catch::Contains("space covered"));
  Ran pre = Cli({"run", kSp4, "--set", "adapter.variant=pre-sp4", "--set",
                  "explore.stop_at_first=true"});
  CHECK(pre.code == 1);
}

TEST_CASE("cli: the same suite, strategy and seed give the same JSON", "[cli][determinism]") {
  TempDir dir;
  auto run = [&](const std::string& name, const std::string& seed) {
    Ran r = Cli({"run", kSp4, "--set", "adapter.variant=pre-sp4", "--strategy", "random", "--seed",
                 seed, "--max-schedules", "300", "--json", dir.path() + "/" + name});
    CHECK(r.code == 1);
    return Timings0(json::parse(dir.Read(name)));
  };
  json a = run("a.json", "9"), b = run("b.json", "9"), c = run("c.json", "10");
  CHECK(a == b);
  CHECK(a.dump() == b.dump());
  CHECK(a != c);
}

TEST_CASE("cli: suite errors exit 2 and name file:line", "[cli][errors]") {
  TempDir dir;
  const std::string base =
      "[adapter]\nname = \"reference\"\n[[users]]\nname = \"alice\"\nhome = \"src\"\n"
      "[[actors]]\nkind = \"mover\"\nuser = \"alice\"\nto = \"dst\"\n";
  struct Case {
    const char* what;
    std::string text;
    const char* line;
    const char* says;
  };
  std::vector<Case> cases = {
      {"misspelt key", base + "[explore]\nstrategi = \"random\"\n", ":11:", "strategi"},
      {"wrong type", base + "[explore]\nseed = \"seven\"\n", ":11:", "seed"},
      {"unknown point", base + "[[faults]]\npoint = \"flg\"\nkind = \"delay\"\n", ":11:9:", "flg"},
      {"unknown adapter", "[adapter]\nname = \"exchange\"\n", ":2:", "exchange"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    std::string file = dir.Write(
        std::string(c.what).replace(std::string(c.what).find(' '), 1, "-") + ".toml", c.text);
    Ran r = Cli({"run", file});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains(file + c.line));
    CHECK_THAT(r.err, Catch::Contains(c.says));
    CHECK(Cli({"check", file}).code == 2);
  }
}

TEST_CASE("cli: usage errors exit 2, --help exits 0 on every command", "[cli]") {
  CHECK(Cli({}).code == 2);
  CHECK(Cli({"frobnicate"}).code == 2);
  CHECK(Cli({"run"}).code == 2);
  CHECK(Cli({"run", kQ, "--no-such-option"}).code == 2);
  CHECK(Cli({"replay", kQ}).code == 2);
  CHECK(Cli({"list", "things"}).code == 2);
  for (const char* cmd : {"run", "replay", "check", "list", "conform"}) {
    CAPTURE(cmd);
    Ran r = Cli({cmd, "--help"});
    CHECK(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("usage: intransit"));
  }
  CHECK(Cli({"--help"}).code == 0);
}

TEST_CASE("cli: list adapters, points and faults", "[cli]") {
  Ran a = Cli({"list", "adapters"});
  CHECK(a.code == 0);
  CHECK_THAT(a.out, Catch::Contains("reference") && Catch::Contains("pre-sp4"));
  Ran p = Cli({"list", "points", "--adapter", "reference"});
  CHECK(p.code == 0);
  CHECK_THAT(p.out, Catch::Contains("flag") && Catch::Contains("deliver"));
  Ran f = Cli({"list", "faults"});
  CHECK(f.code == 0);
  CHECK_THAT(f.out, Catch::Contains("reorder") && Catch::Contains("probability"));
  CHECK(Cli({"list", "points", "--adapter", "nope"}).code == 2);
  // --set adapter.* is read and checked as in a suite.
  Ran bad = Cli({"list", "points", "--adapter", "reference", "--set", "adapter.copy=pages"});
  CHECK(bad.code == 2);
  CHECK_THAT(bad.err, Catch::Contains("--set adapter.copy=pages") &&
                          Catch::Contains("allowed: mailbox or message"));
  Ran typed = Cli({"list", "points", "--adapter", "reference", "--set", "adapter.copy=true"});
  CHECK(typed.code == 2);
  CHECK_THAT(typed.err, Catch::Contains("must be a string"));
}

TEST_CASE("cli: check validates without running", "[cli]") {
  Ran r = Cli({"check", kQ, kSp4});
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("ok  ") && Catch::Contains("q277911-sp4"));
}

TEST_CASE("cli: an unwritable report path is an infrastructure error", "[cli]") {
  Ran r = Cli({"run", kQ, "--json", "/nonexistent-dir/r.json"});
  CHECK(r.code == 3);
  CHECK_THAT(r.err, Catch::Contains("/nonexistent-dir/r.json"));
}

TEST_CASE("cli: a report path that would replace a suite or another report is refused",
          "[cli][errors]") {
  TempDir dir;
  const std::string suite = dir.path() + "/mine.toml";
  {
    std::ifstream in(kQ);
    std::ofstream out(suite);
    out << in.rdbuf();
  }
  auto text = [](const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  const std::string before = text(suite);
  REQUIRE_FALSE(before.empty());

  // `run --json *.toml`: the shell gave --json the first suite.
  Ran r = Cli({"run", "--json", suite, kQ});
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("--json " + suite) && Catch::Contains(".toml"));
  CHECK(r.out.empty());
  CHECK(text(suite) == before);

  // The same file as a suite, under a name that does not end in .toml.
  const std::string link = dir.path() + "/suite-link";
  REQUIRE(::symlink(suite.c_str(), link.c_str()) == 0);
  Ran s = Cli({"run", link, "--junit", suite + "-other", "--json", link});
  CHECK(s.code == 2);
  CHECK_THAT(s.err, Catch::Contains("a suite file of this run"));
  CHECK(text(suite) == before);

  // Two reports to one file.
  Ran t = Cli({"run", kQ, "--json", dir.path() + "/r", "--html", dir.path() + "/r"});
  CHECK(t.code == 2);
  CHECK_THAT(t.err, Catch::Contains("--json writes that file already"));
}

TEST_CASE("cli: conform with every suite skipped has tested nothing and exits 1", "[cli]") {
  TempDir dir;
  // A battery of one suite arming maildir/rename, a point the reference store never passes.
  const std::string battery = dir.path() + "/battery";
  REQUIRE(::mkdir(battery.c_str(), 0755) == 0);
  {
    std::ifstream in(std::string(INTRANSIT_SOURCE_DIR) + "/suites/maildir/flush-rename-once.toml");
    std::ofstream out(battery + "/only.toml");
    out << in.rdbuf();
  }
  Ran r = Cli({"conform", "--adapter", "reference", "--battery", battery});
  CHECK(r.code == 1);
  CHECK_THAT(r.out, Catch::Contains("skipped"));
  CHECK_THAT(r.err, Catch::Contains("reference was not tested"));
}

}  // namespace
}  // namespace intransit
