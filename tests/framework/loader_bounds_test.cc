// Tests for the loader's hardening (issue #11): the name rule on every name a
// suite gives, a bound on every integer key (driven from the declared specs,
// so a new key is covered as soon as it is declared), 64-bit values never
// truncated, regular files of bounded size only, bounded schedule tokens,
// replay tokens with extra choices, error positions inside [[faults]], and
// the shard / TEST_SHARD_INDEX parsing of the command line.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <limits>
#include <map>
#include <string>

#include "explore/replay_strategy.h"
#include "faults/fault.h"
#include "store/adapter.h"
#include "suite/schedule_token.h"
#include "suite/suite_loader.h"
#include "tests/support/cli_runner.h"
#include "tests/support/load_text.h"
#include "tests/support/temp_dir.h"

namespace intransit {
namespace {

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using testing::Cli;
using testing::TempDir;

using testing::Error;
using testing::kBase;
using testing::Load;

std::string UserNamed(const std::string& toml_string) {
  return "[adapter]\nname = \"reference\"\n[[users]]\nname = " + toml_string +
         "\nhome = \"src\"\n[[actors]]\nkind = \"mover\"\nuser = \"alice\"\nto = \"dst\"\n";
}

TEST_CASE("loader: a user name that breaks the name rule fails at its value", "[loader]") {
  for (const std::string bad : {R"("al ice")", R"("")", R"("alice\n")", R"("../../x")",
                                R"("a\u0000")", R"("alice>\r\nRSET")"}) {
    INFO(bad);
    std::string e = Error(UserNamed(bad));
    CHECK_THAT(e, StartsWith("t.toml:4:8: user name"));
  }
}

TEST_CASE("loader: an actor name and an exec server name follow the name rule", "[loader]") {
  CHECK_THAT(Error(kBase + "name = \"mo ver\"\n"), StartsWith("t.toml:11:8: actor name"));
  const std::string exec =
      "[adapter]\nname = \"exec\"\ncommand = \"true\"\n"
      "[[users]]\nname = \"alice\"\nhome = \"../up\"\n"
      "[[actors]]\nkind = \"mover\"\nuser = \"alice\"\nto = \"dst\"\n";
  CHECK_THAT(Error(exec), StartsWith("t.toml:6:8: server name"));
  std::string to = exec;
  to.replace(to.find("\"../up\""), 7, "\"src\"");
  to.replace(to.find("\"dst\""), 5, "\"/etc\"");
  CHECK_THAT(Error(to), StartsWith("t.toml:10:6: server name"));
  CHECK(Load(exec.substr(0, exec.find("\"../up\"")) + "\"src\"" +
             exec.substr(exec.find("\"../up\"") + 7))
            .ok());
}

TEST_CASE("loader: check refuses bad user names with exit 2", "[loader][cli]") {
  TempDir dir;
  for (const std::string bad : {R"("al ice")", R"("")", R"("alice\n")", R"("../../x")",
                                R"("a\u0000")"}) {
    std::string path = dir.Write("s.toml", UserNamed(bad));
    auto r = Cli({"check", path});
    INFO(bad << "\n" << r.out << r.err);
    CHECK(r.code == 2);
    CHECK_THAT(r.out + r.err, Contains("s.toml:4:8"));
  }
}

// One integer key set to `value` at line 11 (or later) of a valid suite.
struct Probe {
  std::string text;
  int line;  // where the key is
};

Probe ForTable(const std::string& table, const std::string& key, const std::string& value) {
  if (table == "[[users]]") {
    return {kBase + "[[users]]\nname = \"bob\"\nhome = \"src\"\n" + key + " = " + value + "\n",
            14};
  }
  if (table == "[[actors]]") {
    return {kBase + "[[actors]]\nkind = \"sender\"\nuser = \"alice\"\n" + key + " = " + value +
                "\n",
            14};
  }
  REQUIRE(table == "[explore]");
  return {kBase + "[explore]\nmode = \"live\"\n" + key + " = " + value + "\n", 13};
}

// The key's name and bounds at the value's position, for min - 1 and max + 1;
// min and max themselves load.
void CheckBounds(const std::string& label, const ParamSpec& spec,
                 const std::function<Probe(const std::string&)>& make) {
  INFO(label << " " << spec.name << " [" << spec.min << ", " << spec.max << "]");
  CHECK(Load(make(std::to_string(spec.min)).text).ok());
  CHECK(Load(make(std::to_string(spec.max)).text).ok());
  const int col = static_cast<int>(spec.name.size()) + 4;
  std::string where = "t.toml:";
  if (spec.min > std::numeric_limits<int64_t>::min()) {
    Probe p = make(std::to_string(spec.min - 1));
    std::string e = Error(p.text);
    CHECK_THAT(e, StartsWith(where + std::to_string(p.line) + ":" + std::to_string(col) +
                             ": key '" + spec.name + "' in " + label + " must be " +
                             IntBoundsText(spec)));
  }
  if (spec.max < std::numeric_limits<int64_t>::max()) {
    Probe p = make(std::to_string(spec.max + 1));
    std::string e = Error(p.text);
    CHECK_THAT(e, StartsWith(where + std::to_string(p.line) + ":" + std::to_string(col) +
                             ": key '" + spec.name + "' in " + label + " must be " +
                             IntBoundsText(spec)));
  } else {
    // Past int64: TOML itself refuses it, still at the value.
    Probe p = make("9223372036854775808");
    CHECK_THAT(Error(p.text), StartsWith(where + std::to_string(p.line) + ":"));
  }
}

TEST_CASE("loader: every integer key of the suite's tables refuses min-1 and max+1",
          "[loader][suite_loader]") {
  REQUIRE(Load(kBase).ok());  // registers the built-ins
  int keys = 0;
  for (const TableIntKeys& t : SuiteIntKeys()) {
    for (const ParamSpec& spec : t.keys) {
      ++keys;
      CheckBounds(t.table, spec,
                  [&](const std::string& v) { return ForTable(t.table, spec.name, v); });
    }
  }
  CHECK(keys >= 8);
}

TEST_CASE("loader: every integer key of every fault kind refuses min-1 and max+1",
          "[loader][suite_loader]") {
  REQUIRE(Load(kBase).ok());
  int keys = 0;
  for (const FaultKind& kind : FaultRegistry::Global().All()) {
    std::vector<ParamSpec> specs = SharedFaultKeys();
    specs.insert(specs.end(), kind.keys.begin(), kind.keys.end());
    // The kind's other required keys, valid.
    std::string required;
    for (const ParamSpec& s : kind.keys) {
      if (!s.required) continue;
      if (s.type == ParamType::kPoint) required += s.name + " = \"copy\"\n";
      if (s.type == ParamType::kString) required += s.name + " = \"" + s.allowed.at(0) + "\"\n";
    }
    for (const ParamSpec& spec : specs) {
      if (spec.type != ParamType::kInt && spec.type != ParamType::kIntOrRange) continue;
      ++keys;
      auto make = [&](const std::string& v) -> Probe {
        return {kBase + "[[faults]]\nkind = \"" + kind.name + "\"\npoint = \"flag\"\n" + required +
                    spec.name + " = " + v + "\n",
                14 + static_cast<int>(std::count(required.begin(), required.end(), '\n'))};
      };
      INFO("kind " << kind.name);
      CheckBounds("[[faults]]", spec, make);
      if (spec.type == ParamType::kIntOrRange) {
        // Each end of a range is held to the same bounds, at its own position.
        Probe p = make("[" + std::to_string(spec.min - 1) + ", " + std::to_string(spec.min) + "]");
        CHECK_THAT(Error(p.text), Contains("key '" + spec.name + "' in [[faults]] must be"));
      }
    }
  }
  CHECK(keys >= 5);  // nth, times, steps, ms, timeout_ms
}

TEST_CASE("loader: every integer option of every adapter refuses min-1 and max+1",
          "[loader][suite_loader]") {
  REQUIRE(Load(kBase).ok());
  int keys = 0;
  for (const AdapterInfo& info : AdapterRegistry::Global().All()) {
    std::vector<std::string> required;
    for (const ParamSpec& s : info.options) {
      if (s.required && s.type == ParamType::kString) required.push_back("adapter." + s.name + "=x");
    }
    for (const ParamSpec& spec : info.options) {
      if (spec.type != ParamType::kInt) continue;
      ++keys;
      INFO(info.name << " " << spec.name);
      for (int64_t v : {spec.min - 1, spec.max + 1}) {
        std::vector<std::string> sets = required;
        std::string word = "adapter." + spec.name + "=" + std::to_string(v);
        sets.push_back(word);
        auto r = LoadAdapterConfig(info.name, sets);
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.status().message(),
                   StartsWith("--set " + word + ": key '" + spec.name + "' in [adapter] must be " +
                              IntBoundsText(spec)));
      }
      std::vector<std::string> sets = required;
      sets.push_back("adapter." + spec.name + "=" + std::to_string(spec.max));
      CHECK(LoadAdapterConfig(info.name, sets).ok());
    }
  }
  CHECK(keys >= 5);
}

TEST_CASE("loader: values past 32 bits are errors not truncated", "[loader]") {
  CHECK_THAT(Error(ForTable("[[users]]", "messages", "4294967297").text),
             Contains("key 'messages' in [[users]] must be from 0 to 10000, not 4294967297"));
  CHECK_THAT(Error(ForTable("[[actors]]", "messages", "4294967297").text),
             Contains("key 'messages' in [[actors]] must be from 1 to 10000"));
  CHECK_THAT(Error(ForTable("[[actors]]", "retry", "4294967296").text),
             Contains("key 'retry' in [[actors]] must be from 0 to 1000, not 4294967296"));
  CHECK_THAT(Error(ForTable("[[actors]]", "messages", "1000000000").text),
             Contains("must be from 1 to 10000"));
  LoadOptions o;
  o.sets = {"adapter.timeout_ms=4294967297"};
  const std::string exec =
      "[adapter]\nname = \"exec\"\ncommand = \"true\"\n"
      "[[users]]\nname = \"alice\"\nhome = \"src\"\n"
      "[[actors]]\nkind = \"mover\"\nuser = \"alice\"\nto = \"dst\"\n";
  CHECK_THAT(Error(exec, o), StartsWith("--set adapter.timeout_ms=4294967297: key 'timeout_ms'"));
}

TEST_CASE("loader: only a regular file of bounded size is read", "[loader][cli]") {
  TempDir dir;
  auto start = std::chrono::steady_clock::now();
  auto r = LoadSuite("/dev/zero", {});
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.status().message(), Contains("not a regular file"));
  std::string fifo = dir.path() + "/fifo";
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  r = LoadSuite(fifo, {});
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.status().message(), Contains("not a regular file"));
  CHECK(Cli({"check", "/dev/zero"}).code == 2);
  CHECK(Cli({"check", fifo}).code == 2);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(20));
  r = LoadSuite(dir.path(), {});
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.status().message(), Contains("directory"));
  std::string big = dir.Write("big.toml", kBase + "# " + std::string(kMaxSuiteBytes, 'x') + "\n");
  r = LoadSuite(big, {});
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.status().message(), Contains("1048576-byte limit"));
  CHECK(LoadSuite(dir.Write("ok.toml", kBase), {}).ok());
}

TEST_CASE("loader: a schedule token is bounded before it is decoded", "[loader][token]") {
  // 900 characters that asked for 100 x 9999999 ints (4 GB) before.
  std::string huge = "1.";
  while (huge.size() < 900) huge += "b9999999";
  auto r = DecodeSchedule(huge);
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.status().message(), Contains("past 1048576 choices"));
  // Exactly at the limit decodes; one past does not.
  TokenLimits small;
  small.max_choices = 5;
  CHECK(DecodeSchedule("1.a5", small).ok());
  CHECK_FALSE(DecodeSchedule("1.a6", small).ok());
  CHECK_FALSE(DecodeSchedule("1.a3b3", small).ok());
  small.max_value = 1;
  CHECK(DecodeSchedule("1.ab", small).ok());
  auto c = DecodeSchedule("1.abc", small);
  REQUIRE_FALSE(c.ok());
  CHECK_THAT(c.status().message(), Contains("choice 3 (position 5) is 2"));
  // Against the suite at load: one mover, one sender = ids 0 and 1.
  std::string suite = kBase +
                      "[[actors]]\nkind = \"sender\"\nuser = \"alice\"\n"
                      "[explore]\nstrategy = \"replay\"\nschedule = \"1.abc\"\n";
  CHECK_THAT(Error(suite), StartsWith("t.toml:16:12: key 'schedule' in [explore]"));
}

TEST_CASE("loader: a replay token with extra trailing choices is a mismatch", "[loader][replay]") {
  ReplayStrategy strict({1, 0, 0});
  REQUIRE(strict.BeginSchedule(0));
  CHECK(strict.ChooseActor({0, 1}, 1, false, 0) == 1);
  strict.EndSchedule();
  REQUIRE_FALSE(strict.error().ok());
  CHECK_THAT(strict.error().message(), Contains("choice 2 is extra"));
  ReplayStrategy exact({1});
  exact.BeginSchedule(0);
  exact.ChooseActor({0, 1}, 1, false, 0);
  exact.EndSchedule();
  CHECK(exact.error().ok());
  ReplayStrategy lenient({1, 0, 0}, /*lenient=*/true);
  lenient.BeginSchedule(0);
  lenient.ChooseActor({0, 1}, 1, false, 0);
  lenient.EndSchedule();
  CHECK(lenient.error().ok());
}

TEST_CASE("loader: replay of a printed token with extra choices exits 2", "[loader][cli][replay]") {
  TempDir dir;
  const std::string q = std::string(INTRANSIT_SOURCE_DIR) + "/suites/q277911.toml";
  auto found = Cli({"run", q, "--json", dir.path() + "/r.json"});
  REQUIRE(found.code == 0);
  std::string json = dir.Read("r.json");
  size_t at = json.find("\"schedule\"");
  REQUIRE(at != std::string::npos);
  size_t open = json.find('"', json.find(':', at)) + 1;
  std::string token = json.substr(open, json.find('"', open) - open);
  REQUIRE_THAT(token, StartsWith("1."));
  CHECK(Cli({"replay", q, "--schedule", token}).code == 0);
  auto extra = Cli({"replay", q, "--schedule", token + "a500"});
  INFO(extra.out << extra.err);
  CHECK(extra.code == 2);
  CHECK_THAT(extra.out + extra.err, Contains("is extra"));
}

TEST_CASE("loader: errors inside [[faults]] name the key's or value's position", "[loader]") {
  const std::string f = kBase + "[[faults]]\nkind = \"delay\"\n";  // lines 11-12
  CHECK_THAT(Error(f + "point = \"nowhere\"\n"), StartsWith("t.toml:13:9: key 'point'"));
  CHECK_THAT(Error(f + "point = \"flag\"\nsteps = -1\n"), StartsWith("t.toml:14:9: key 'steps'"));
  CHECK_THAT(Error(f + "point = \"flag\"\nnth = 0\n"), StartsWith("t.toml:14:7: key 'nth'"));
  CHECK_THAT(Error(f + "point = \"flag\"\nms = [5, 2]\n"), StartsWith("t.toml:14:6: key 'ms'"));
  CHECK_THAT(Error(kBase + "[[faults]]\nkind = \"fail\"\npoint = \"flag\"\nerror = \"oops\"\n"),
             StartsWith("t.toml:14:9: key 'error'"));
  CHECK_THAT(Error(kBase + "[[actors]]\nkind = \"sender\"\nuser = \"alice\"\nretry = -1\n"),
             StartsWith("t.toml:14:9: key 'retry'"));
}

// Sets an environment variable for one scope.
class EnvVar {
 public:
  EnvVar(const char* name, const char* value) : name_(name) { setenv(name, value, 1); }
  ~EnvVar() { unsetenv(name_); }

 private:
  const char* name_;
};

TEST_CASE("loader: --shard and TEST_SHARD_INDEX are parsed as 64 bits and range-checked",
          "[loader][cli][shard]") {
  const std::string q = std::string(INTRANSIT_SOURCE_DIR) + "/suites/q277911.toml";
  for (const char* bad : {"1/99999999999", "4294967297/4294967297", "0/2", "3/2", "1/0", "a/2",
                          "1/2x", "1", "-1/2"}) {
    auto r = Cli({"run", q, "--shard", bad});
    INFO(bad << ": " << r.out << r.err);
    CHECK(r.code == 2);
    CHECK_THAT(r.out + r.err, Contains("--shard"));
  }
  {
    EnvVar index("TEST_SHARD_INDEX", "abc");
    EnvVar total("TEST_TOTAL_SHARDS", "2");
    auto r = Cli({"run", q});
    CHECK(r.code == 2);
    CHECK_THAT(r.out + r.err, Contains("TEST_SHARD_INDEX=abc"));
  }
  {
    EnvVar index("TEST_SHARD_INDEX", "0");
    EnvVar total("TEST_TOTAL_SHARDS", "99999999999");
    auto r = Cli({"run", q});
    CHECK(r.code == 2);
    CHECK_THAT(r.out + r.err, Contains("TEST_TOTAL_SHARDS=99999999999"));
  }
  {
    EnvVar index("TEST_SHARD_INDEX", "2");
    EnvVar total("TEST_TOTAL_SHARDS", "2");
    CHECK(Cli({"run", q}).code == 2);
  }
}

}  // namespace
}  // namespace intransit

namespace intransit {
namespace {

// The bounds as docs/suite-format.md states them. A key declared without an
// entry here fails, so a new integer key cannot go undocumented, and a slip
// in a declared bound (nth's minimum 1 -> 0) fails here even though the
// table tests above follow the declaration.
TEST_CASE("loader: the declared integer bounds are the documented ones", "[loader]") {
  REQUIRE(Load(kBase).ok());
  const std::map<std::string, std::pair<int64_t, int64_t>> documented = {
      {"[[users]] messages", {0, 10000}},
      {"[[actors]] messages", {1, 10000}},
      {"[[actors]] retry", {0, 1000}},
      {"[explore] seed", {0, std::numeric_limits<int64_t>::max()}},
      {"[explore] max_schedules", {1, 1000000000000}},
      {"[explore] depth", {1, 100}},
      {"[explore] max_preemptions", {0, 10000}},
      {"[explore] iterations", {1, 1000000000}},
      {"[[faults]] nth", {1, 1000000}},
      {"[[faults]] times", {0, 1000000}},
      {"delay steps", {0, 10000}},
      {"delay ms", {0, 1000000000}},
      {"reorder timeout_ms", {0, 1000000000}},
  };
  auto check = [&](const std::string& name, const ParamSpec& spec) {
    INFO(name);
    auto it = documented.find(name);
    REQUIRE(it != documented.end());
    CHECK(spec.min == it->second.first);
    CHECK(spec.max == it->second.second);
  };
  for (const TableIntKeys& t : SuiteIntKeys()) {
    for (const ParamSpec& spec : t.keys) check(t.table + " " + spec.name, spec);
  }
  for (const ParamSpec& spec : SharedFaultKeys()) {
    if (spec.type == ParamType::kInt) check("[[faults]] " + spec.name, spec);
  }
  for (const FaultKind& kind : FaultRegistry::Global().All()) {
    for (const ParamSpec& spec : kind.keys) {
      if (spec.type == ParamType::kInt || spec.type == ParamType::kIntOrRange) {
        check(kind.name + " " + spec.name, spec);
      }
    }
  }
}

}  // namespace
}  // namespace intransit
