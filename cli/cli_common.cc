// Shared pieces of the subcommands: see cli_common.h.
#include "cli/cli_common.h"

#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string_view>
#include <filesystem>
#include <iostream>
#include <utility>

#include "base/file_util.h"
#include "base/name_rule.h"
#include "report/report_html.h"
#include "report/report_json.h"
#include "report/report_junit.h"

namespace intransit {

void AddSuiteOptions(po::options_description* d, SuiteArgs* a, bool explore) {
  // value_name: the help shows `--seed N`, not Boost's `--seed arg`.
  d->add_options()
      ("adapter", po::value(&a->adapter)->value_name("NAME"),
       "run the suites on this adapter instead of [adapter] name")
      ("set", po::value(&a->sets)->composing()->value_name("KEY=VALUE"),
       "override a suite key, e.g. --set adapter.variant=pre-sp4 (repeatable)")
      ("keep", po::bool_switch(&a->keep), "keep the adapter's files for inspection");
  if (explore) {
    d->add_options()
        ("strategy", po::value(&a->strategy)->value_name("NAME"),
         "exhaustive | random | pct | replay")
        ("seed", po::value(&a->seed)->value_name("N"), "seed of the random choices")
        ("max-schedules", po::value(&a->max_schedules)->value_name("N"),
         "run at most N schedules")
        ("time-budget", po::value(&a->time_budget)->value_name("TIME"),
         "stop exploring after this long: 30s, 10m, 1h")
        ("max-preemptions", po::value(&a->max_preemptions)->value_name("N"),
         "exhaustive: only schedules with at most N preemptions")
        ("reduction", po::value(&a->reduction)->value_name("MODE"),
         "exhaustive: auto | dpor | none (partial-order reduction over the store's footprints)")
        ("jobs", po::value(&a->jobs)->default_value(1)->value_name("N"),
         "explore with N threads, each a shard of its own with its own deployment")
        ("shard", po::value(&a->shard)->value_name("I/N"),
         "run shard I of N (1-based: 1/4 .. 4/4) of every suite's schedule space; shards never "
         "overlap and together cover the whole (default: Bazel's TEST_SHARD_INDEX/TOTAL_SHARDS)");
  }
  d->add_options()
      ("json", po::value(&a->json)->value_name("FILE"),
       "write the intransit-result/1 JSON report to FILE (- for stdout)")
      ("junit", po::value(&a->junit)->value_name("FILE"), "write a JUnit XML report to FILE")
      ("html", po::value(&a->html)->value_name("FILE"),
       "write a self-contained HTML report to FILE");
}

namespace {

// The most shards a run may be split into (ExploreOptions holds an int).
constexpr int64_t kMaxShards = 1000000;

// `text`, the whole of it, as a decimal integer in [min, max]. Parsed as 64
// bits and range-checked, so "99999999999" is out of range rather than
// 1215752191, and "abc", "" or "3x" are not numbers rather than 0 or 3.
bool ParseBoundedInt(std::string_view text, int64_t min, int64_t max, int64_t* out) {
  int64_t v = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || ptr != end || v < min || v > max) return false;
  *out = v;
  return true;
}

}  // namespace

Result<ExploreOptions> ToExploreOptions(const SuiteArgs& a) {
  ExploreOptions o;
  if (a.jobs < 1 || a.jobs > 256) {
    return Status::Invalid("--jobs " + std::to_string(a.jobs) + ": must be from 1 to 256");
  }
  o.jobs = a.jobs;
  std::string shard = a.shard;
  const char* bazel_index = getenv("TEST_SHARD_INDEX");
  const char* bazel_total = getenv("TEST_TOTAL_SHARDS");
  bool from_bazel = false;
  if (shard.empty() && (bazel_index != nullptr || bazel_total != nullptr)) {
    // Bazel sets both; one alone, or either not a number, is a broken
    // environment, not a request to run everything (or shard 1).
    int64_t index = 0, total = 0;
    if (bazel_total == nullptr || !ParseBoundedInt(bazel_total, 1, kMaxShards, &total)) {
      return Status::Invalid(
          "TEST_TOTAL_SHARDS=" + std::string(bazel_total != nullptr ? bazel_total : "(unset)") +
          ": must be an integer from 1 to " + std::to_string(kMaxShards) +
          " when TEST_SHARD_INDEX is set");
    }
    if (bazel_index == nullptr || !ParseBoundedInt(bazel_index, 0, total - 1, &index)) {
      return Status::Invalid(
          "TEST_SHARD_INDEX=" + std::string(bazel_index != nullptr ? bazel_index : "(unset)") +
          ": must be an integer from 0 to " + std::to_string(total - 1) +
          " (TEST_TOTAL_SHARDS=" + std::to_string(total) + ")");
    }
    shard = std::to_string(index + 1) + "/" + std::to_string(total);
    from_bazel = true;
  }
  if (!shard.empty()) {
    const size_t slash = shard.find('/');
    int64_t i = 0, n = 0;
    if (slash == std::string::npos ||
        !ParseBoundedInt(std::string_view(shard).substr(slash + 1), 1, kMaxShards, &n) ||
        !ParseBoundedInt(std::string_view(shard).substr(0, slash), 1, n, &i)) {
      return Status::Invalid("--shard " + shard + ": give I/N with 1 <= I <= N <= " +
                             std::to_string(kMaxShards) + ", e.g. --shard 2/4");
    }
    o.shard = static_cast<int>(i - 1);
    o.shards = static_cast<int>(n);
  }
  if (from_bazel) {
    // Bazel asks a test that shards to say so by touching this file.
    if (const char* status = getenv("TEST_SHARD_STATUS_FILE")) {
      if (FILE* f = std::fopen(status, "a")) std::fclose(f);
    }
  }
  return o;
}

const char* ToolVersion() { return INTRANSIT_VERSION; }

void StampRun(RunResult* run) {
  run->tool_version = ToolVersion();
  const std::time_t now =
      std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
  run->timestamp = stamp;
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) == 0) run->hostname = host;
}

LoadOptions ToLoadOptions(const SuiteArgs& a) {
  LoadOptions o;
  o.adapter = a.adapter;
  o.sets = a.sets;
  if (!a.strategy.empty()) o.sets.push_back("explore.strategy=" + a.strategy);
  if (!a.seed.empty()) o.sets.push_back("explore.seed=" + a.seed);
  if (!a.max_schedules.empty()) o.sets.push_back("explore.max_schedules=" + a.max_schedules);
  if (!a.time_budget.empty()) o.sets.push_back("explore.time_budget=" + a.time_budget);
  if (!a.max_preemptions.empty()) o.sets.push_back("explore.max_preemptions=" + a.max_preemptions);
  if (!a.reduction.empty()) o.sets.push_back("explore.reduction=" + a.reduction);
  return o;
}

bool Parse(int argc, const char* const* argv, int first, const po::options_description& visible,
           const po::positional_options_description& positional, po::variables_map* vm,
           std::ostream& out, std::ostream& err, const std::string& usage, int* code) {
  return Parse(argc, argv, first, visible, po::options_description(), positional, vm, out, err,
               usage, code);
}

bool Parse(int argc, const char* const* argv, int first, const po::options_description& visible,
           const po::options_description& hidden,
           const po::positional_options_description& positional, po::variables_map* vm,
           std::ostream& out, std::ostream& err, const std::string& usage, int* code) {
  po::options_description all = visible;
  bool help = false;
  all.add_options()("help,h", po::bool_switch(&help), "show this help");
  po::options_description parsed = all;
  parsed.add(hidden);
  try {
    po::store(po::command_line_parser(argc - first + 1, argv + first - 1)
                  .options(parsed)
                  .positional(positional)
                  .run(),
              *vm);
    po::notify(*vm);
  } catch (const po::error& e) {
    err << "intransit: " << e.what() << "\n" << usage << "\n";
    *code = kExitUsage;
    return false;
  }
  if (help) {
    out << usage << "\n\n" << all;
    *code = kExitOk;
    return false;
  }
  return true;
}

bool ParseWords(int argc, const char* const* argv, const po::options_description& visible,
                const char* word, po::value_semantic* value, int max_words, std::ostream& out,
                std::ostream& err, const std::string& usage, int* code) {
  po::options_description hidden;
  hidden.add_options()(word, value, word);
  po::positional_options_description pos;
  pos.add(word, max_words);
  po::variables_map vm;
  return Parse(argc, argv, 2, visible, hidden, pos, &vm, out, err, usage, code);
}

namespace {

// The report options with a path, as (option, path).
std::vector<std::pair<std::string, std::string>> ReportPaths(const SuiteArgs& args) {
  std::vector<std::pair<std::string, std::string>> paths;
  for (const auto& [option, path] :
       {std::pair{"--json", &args.json}, {"--junit", &args.junit}, {"--html", &args.html}}) {
    if (!path->empty()) paths.emplace_back(option, *path);
  }
  return paths;
}

bool SameFile(const std::string& a, const std::string& b) {
  std::error_code ec;
  return a == b || std::filesystem::equivalent(a, b, ec);
}

}  // namespace

Status CheckReportPaths(const SuiteArgs& args) {
  const auto paths = ReportPaths(args);
  for (size_t i = 0; i < paths.size(); ++i) {
    const auto& [option, path] = paths[i];
    // `run --json suites/*.toml` hands the first suite to --json: refuse
    // rather than write a report over it.
    if (path.ends_with(".toml")) {
      return Status::Invalid(option + " " + path +
                             ": a report would replace a .toml file; give a report file name");
    }
    for (const auto& suite : args.suites) {
      if (SameFile(path, suite)) {
        return Status::Invalid(option + " " + path + ": that is a suite file of this run");
      }
    }
    for (size_t j = 0; j < i; ++j) {
      if (SameFile(path, paths[j].second)) {
        return Status::Invalid(option + " " + path + ": " + paths[j].first +
                               " writes that file already");
      }
    }
  }
  return Status::Ok();
}

bool LoadAll(const SuiteArgs& args, const LoadOptions& options, std::vector<Suite>* suites,
             std::ostream& err) {
  if (Status s = CheckReportPaths(args); !s.ok()) {
    err << "intransit: " << s.message() << "\n";
    return false;
  }
  bool ok = true;
  for (const auto& file : args.suites) {
    auto s = LoadSuite(file, options);
    if (!s.ok()) {
      err << "intransit: " << EscapeControl(s.status().message()) << "\n";
      ok = false;
      continue;
    }
    s->adapter_config.keep = args.keep;
    suites->push_back(std::move(*s));
  }
  return ok;
}

Result<std::vector<PointInfo>> PointsOf(const AdapterInfo& info, const AdapterConfig& config) {
  if (!info.describe) return info.points;
  return info.describe(config);
}

int ExitCodeOf(const RunResult& run) {
  int code = kExitOk;
  for (const auto& r : run.suites) {
    if (r.outcome == Outcome::kError) {
      int c = r.exit_code_hint == kExitUsage ? kExitUsage : kExitInfra;
      if (c == kExitUsage || code != kExitUsage) code = c;
    } else if (!r.met && r.judged && code == kExitOk) {
      code = kExitUnmet;
    }
  }
  return code;
}

int CheckReportsWritable(const SuiteArgs& args, std::ostream& err) {
  int code = kExitOk;
  for (const auto& [option, path] : ReportPaths(args)) {
    if (path == "-") continue;
    Status s = CheckWritable(path);
    if (!s.ok()) {
      err << "intransit: " << option << ": " << s.message() << "\n";
      if (code != kExitUsage) code = s.code() == Status::Code::kInvalid ? kExitUsage : kExitInfra;
    }
  }
  return code;
}

int WriteReports(const RunResult& run, const SuiteArgs& args, std::ostream& out,
                 std::ostream& err, int code) {
  out.flush();  // what the run printed comes before a report sent to the same place
  for (const auto& [option, path] : ReportPaths(args)) {
    const std::string text = option == "--json"    ? JsonReport(run)
                             : option == "--junit" ? JunitReport(run)
                                                   : HtmlReport(run);
    if (path == "-") {
      out << text;
      out.flush();
      continue;
    }
    Status s = WriteFile(path, text);
    if (!s.ok()) {
      err << "intransit: " << s.message() << "\n";
      code = code == kExitOk || code == kExitUnmet ? kExitInfra : code;
    }
  }
  return code;
}

}  // namespace intransit
