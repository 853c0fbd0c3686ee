// The JSON Schemas shipped in schemas/: each equals what `intransit schema`
// generates (so the shipped file follows the loader's keys and the report's
// format), every shipped suite validates against suite.schema.json, and the
// JSON of every report shape validates against result.schema.json (with
// python3-jsonschema, tests/schema/validate.py). Each check is shown to
// fail on a broken input first, so none passes by validating nothing.
#include <catch2/catch.hpp>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "explore/result.h"
#include "report/report_json.h"
#include "tests/support/cli_runner.h"
#include "tests/support/shell_runner.h"
#include "tests/support/temp_dir.h"

namespace intransit {
namespace {

namespace fs = std::filesystem;
using testing::Cli;
using testing::Ran;
using testing::RunShell;
using testing::ShellQuote;
using testing::TempDir;

const std::string kSource = INTRANSIT_SOURCE_DIR;
const std::string kSuiteSchema = kSource + "/schemas/suite.schema.json";
const std::string kResultSchema = kSource + "/schemas/result.schema.json";
const std::string kValidate = std::string(INTRANSIT_TEST_DIR) + "/schema/validate.py";

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// validate.py's verdict: true when every file validates against `schema`.
bool Validates(const std::string& schema, const std::vector<std::string>& files) {
  std::string cmd = "python3 " + ShellQuote(kValidate) + " " + ShellQuote(schema);
  for (const auto& f : files) cmd += " " + ShellQuote(f);
  auto done = RunShell(cmd + " >&2", 300);
  return done.in_time && done.code == 0;
}

std::vector<std::string> ShippedSuites() {
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(kSource + "/suites")) {
    if (e.path().extension() == ".toml") files.push_back(e.path().string());
  }
  for (const auto& e : fs::recursive_directory_iterator(kSource + "/examples")) {
    if (e.path().extension() == ".toml") files.push_back(e.path().string());
  }
  return files;
}

TEST_CASE("schema: the shipped schemas are the generated ones", "[schema]") {
  INFO("regenerate with: build/intransit schema suite > schemas/suite.schema.json "
       "(and result)");
  Ran suite = Cli({"schema", "suite"});
  CHECK(suite.code == 0);
  CHECK(suite.out == Slurp(kSuiteSchema));
  Ran result = Cli({"schema", "result"});
  CHECK(result.code == 0);
  CHECK(result.out == Slurp(kResultSchema));
  Ran bad = Cli({"schema", "nothing"});
  CHECK(bad.code == 2);
  CHECK(bad.out.empty());
  CHECK(bad.err.find("unknown schema 'nothing'") != std::string::npos);
}

TEST_CASE("schema: every shipped suite validates against suite.schema.json", "[schema]") {
  const std::vector<std::string> suites = ShippedSuites();
  REQUIRE(suites.size() > 30);
  CHECK(Validates(kSuiteSchema, suites));
}

// validate.py's messages for `file` against `schema` ("" when it validates).
std::string ValidateMessages(const std::string& schema, const std::string& file,
                             const TempDir& dir) {
  const std::string out = dir.path() + "/validate.out";
  auto done = RunShell("python3 " + ShellQuote(kValidate) + " " + ShellQuote(schema) + " " +
                           ShellQuote(file) + " > " + ShellQuote(out) + " 2>&1",
                       300);
  REQUIRE(done.in_time);
  return Slurp(out);
}

TEST_CASE("schema: suite.schema.json refuses what the loader refuses", "[schema]") {
  TempDir dir;
  const std::string good = Slurp(kSource + "/suites/q277911.toml");
  CHECK(Validates(kSuiteSchema, {dir.Write("good.toml", good)}));
  // A small suite that is whole (it has its users, so neither the schema nor
  // the loader refuses it for want of them): the mistakes below are each
  // the only thing wrong with their suite.
  const std::string adapter = "[adapter]\nname = \"reference\"\n";
  const std::string users = "[[users]]\nname = \"a\"\nhome = \"src\"\nmessages = 1\n";
  const std::string small = adapter + users;
  const std::string mover = "[[actors]]\nkind = \"mover\"\nuser = \"a\"\nto = \"dst\"\n";
  const std::string whole = dir.Write("small.toml", small + mover);
  CHECK(Validates(kSuiteSchema, {whole}));
  CHECK(Cli({"check", whole}).code == 0);
  // Each a mistake `intransit check` reports: an unknown key, a choice not
  // allowed, an integer out of bounds, a kind's key on another kind, a
  // mover with no destination, a fault kind's required key missing, a key
  // of another fault kind. With what the schema and the loader each say.
  struct Broken {
    std::string text;
    std::string schema_says;
    std::string check_says;
  };
  const std::vector<Broken> broken = {
      {good + "\n[oracle]\nunknown_key = 1\n", "('unknown_key' was unexpected)",
       "unknown key 'unknown_key' in [oracle]"},
      {good + "\n[oracle]\ninvariants = [\"no-silent-loss\"]\nallow_duplicates = \"yes\"\n",
       "oracle/allow_duplicates: 'yes' is not of type 'boolean'",
       "key 'allow_duplicates' in [oracle] must be true or false, not a string"},
      {adapter + "variant = \"no-such\"\n" + users + mover,
       "adapter/variant: 'no-such' is not one of",
       "key 'variant' in [adapter]: unknown value 'no-such'"},
      {small + "[explore]\ndepth = 0\n" + mover, "explore/depth: 0 is less than the minimum of 1",
       "key 'depth' in [explore] must be from 1 to 100, not 0"},
      {small + "[[actors]]\nkind = \"sender\"\nuser = \"a\"\nto = \"dst\"\n",
       "actors/0: Additional properties are not allowed ('to' was unexpected)",
       "key 'to' in [[actors]] is for movers, not senders"},
      {small + "[[actors]]\nkind = \"mover\"\nuser = \"a\"\n",
       "actors/0: 'to' is a required property", "key 'to' in [[actors]] is required"},
      {small + mover + "[[faults]]\npoint = \"flag\"\nkind = \"reorder\"\n",
       "faults/0: 'until' is a required property",
       "key 'until' in [[faults]] is required for kind reorder"},
      {small + mover + "[[faults]]\npoint = \"flag\"\nkind = \"fail\"\nerrno = \"EIO\"\n",
       "faults/0: Additional properties are not allowed ('errno' was unexpected)",
       "key 'errno' in [[faults]] is for io faults, not fail"},
  };
  for (size_t i = 0; i < broken.size(); ++i) {
    INFO("broken suite " << i << ":\n" << broken[i].text);
    const std::string file = dir.Write("bad" + std::to_string(i) + ".toml", broken[i].text);
    CHECK_FALSE(Validates(kSuiteSchema, {file}));
    const std::string said = ValidateMessages(kSuiteSchema, file, dir);
    CHECK_THAT(said, Catch::Contains(broken[i].schema_says));
    // One message each: the mistake, nothing else wrong.
    CHECK(std::count(said.begin(), said.end(), '\n') == 1);
    Ran check = Cli({"check", file});
    CHECK(check.code == 2);
    CHECK_THAT(check.err, Catch::Contains(broken[i].check_says));
    CHECK(std::count(check.err.begin(), check.err.end(), '\n') == 1);
  }
}

TEST_CASE("schema: the JSON of every report shape validates against result.schema.json",
          "[schema]") {
  TempDir dir;
  const std::string q = kSource + "/suites/q277911.toml";
  const std::string sp4 = kSource + "/suites/q277911-sp4.toml";
  std::vector<std::string> files;
  auto run = [&](const std::string& name, std::vector<std::string> args) {
    const std::string file = dir.path() + "/" + name + ".json";
    args.push_back("--json");
    args.push_back(file);
    Cli(args);
    REQUIRE(fs::exists(file));
    files.push_back(file);
  };
  run("met", {"run", q, sp4, "--max-schedules", "30"});
  run("unmet", {"run", q, "--set", "suite.expect=pass"});
  run("shard", {"run", q, "--shard", "2/3"});
  const nlohmann::json met = nlohmann::json::parse(Slurp(files[0]));
  REQUIRE(met["suites"][0]["violations"].size() == 1);
  run("replay", {"replay", q, "--schedule", met["suites"][0]["violations"][0]["schedule"]});
  // conform with a suite skipped: its point is not the adapter's.
  std::string other = Slurp(kSource + "/suites/conformance/failed-copy.toml");
  other.replace(other.find("point = \"copy\""), 14, "point = \"nope\"");
  TempDir battery;
  battery.Write("baseline.toml", Slurp(kSource + "/suites/conformance/baseline.toml"));
  battery.Write("unpassed.toml", other);
  run("conform", {"conform", "--adapter", "reference", "--battery", battery.path()});
  CHECK(nlohmann::json::parse(Slurp(files.back()))["skipped"].size() == 1);
  // An error, built by hand (a broken server is slow to provoke).
  RunResult hand;
  SuiteResult error;
  error.file = "suites/broken.toml";
  error.name = "broken";
  error.adapter = "dovecot";
  error.strategy = StrategyKind::kExhaustive;
  error.outcome = Outcome::kError;
  error.error = "dovecot: server dst exited with status 89 before answering";
  hand.suites.push_back(error);
  files.push_back(dir.Write("hand.json", JsonReport(hand)));
  CHECK(Validates(kResultSchema, files));

  // And the schema is not empty: a report with a key it does not know, or
  // without one it requires, fails.
  nlohmann::json extra = met;
  extra["suites"][0]["unknown"] = 1;
  CHECK_FALSE(Validates(kResultSchema, {dir.Write("extra.json", extra.dump())}));
  nlohmann::json missing = met;
  missing["suites"][0].erase("schedules");
  CHECK_FALSE(Validates(kResultSchema, {dir.Write("missing.json", missing.dump())}));
  nlohmann::json wrong = met;
  wrong["format"] = "intransit-result/2";
  CHECK_FALSE(Validates(kResultSchema, {dir.Write("wrong.json", wrong.dump())}));
}

}  // namespace
}  // namespace intransit
