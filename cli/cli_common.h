// What the subcommands share: the suite options, loading, exit codes and
// report files.
#pragma once

#include <boost/program_options.hpp>
#include <iosfwd>
#include <string>
#include <vector>

#include "explore/explorer.h"
#include "explore/result.h"
#include "suite/suite.h"
#include "suite/suite_loader.h"

namespace intransit {

namespace po = boost::program_options;

constexpr int kExitOk = 0;
constexpr int kExitUnmet = 1;
constexpr int kExitUsage = 2;
constexpr int kExitInfra = 3;

// Options shared by the commands that load suites.
struct SuiteArgs {
  std::vector<std::string> suites;
  std::string adapter;
  std::vector<std::string> sets;
  std::string strategy;
  std::string seed;
  std::string max_schedules;
  std::string time_budget;
  std::string max_preemptions;
  std::string reduction;
  int jobs = 1;
  std::string shard;  // "I/N", 1-based
  std::string json;
  std::string junit;
  std::string html;
  bool keep = false;
};

// --adapter, --set, --keep, --json, --junit, --html; with `explore` also --strategy,
// --seed, --max-schedules, --time-budget.
void AddSuiteOptions(po::options_description* d, SuiteArgs* a, bool explore);

// The explorer's options: --jobs and --shard I/N (or Bazel's
// TEST_SHARD_INDEX / TEST_TOTAL_SHARDS, which it then acknowledges by
// touching TEST_SHARD_STATUS_FILE). Error: a malformed --shard or --jobs.
Result<ExploreOptions> ToExploreOptions(const SuiteArgs& a);

// The loader's options: --strategy and friends become explore.* sets.
LoadOptions ToLoadOptions(const SuiteArgs& a);

// Parses argv[first..] for one subcommand (adds --help). Returns false and
// sets `code` when the command should stop: help printed (0), usage error (2).
bool Parse(int argc, const char* const* argv, int first, const po::options_description& visible,
           const po::positional_options_description& positional, po::variables_map* vm,
           std::ostream& out, std::ostream& err, const std::string& usage, int* code);

// As above, with `hidden` parsed too but left out of --help: the options
// that take the positional words (`--suite`), which the usage line names.
// ParseWords below is the common case.
bool Parse(int argc, const char* const* argv, int first, const po::options_description& visible,
           const po::options_description& hidden,
           const po::positional_options_description& positional, po::variables_map* vm,
           std::ostream& out, std::ostream& err, const std::string& usage, int* code);

// Parse for a subcommand whose positional words, at most `max_words` of
// them (-1: any), are all values of one hidden option `word` ("suite"),
// stored by `value` (po::value(&suites)): the usage line names them.
bool ParseWords(int argc, const char* const* argv, const po::options_description& visible,
                const char* word, po::value_semantic* value, int max_words, std::ostream& out,
                std::ostream& err, const std::string& usage, int* code);

// intransit's version, the one CMake's project() declares ("0.1.0").
const char* ToolVersion();

// Fills what the reports say of the run itself: the version, the time it
// started (UTC, "2026-12-06T18:40:00Z") and the host it ran on.
void StampRun(RunResult* run);

// Error (Invalid) when a report path (--json, --junit, --html) is a suite
// of args.suites, ends in .toml, or is another report's path: nothing the
// user wrote is written over.
Status CheckReportPaths(const SuiteArgs& args);

// Checks the report paths, then loads every suite of args.suites with
// `options`; prints each error. False if any failed.
bool LoadAll(const SuiteArgs& args, const LoadOptions& options, std::vector<Suite>* suites,
             std::ostream& err);

// 2 if any suite had a usage error, else 3 if any had an infrastructure
// error, else 1 if any did not meet its expectation, else 0. A shard that
// does not judge (SuiteResult::judged false) is not "not met".
int ExitCodeOf(const RunResult& run);

// The points `info` passes: its own list, or asked from the adapter when it
// learns them when opened (exec). Error: the adapter could not say.
Result<std::vector<PointInfo>> PointsOf(const AdapterInfo& info, const AdapterConfig& config);

// Before the first schedule: whether every report path can be written
// (CheckWritable of base/file_util.h; `-` always can). Prints each that
// cannot and returns 3 (2 for a kind of file a report never goes to, such as
// a directory), or 0: an unwritable report costs no schedule.
int CheckReportsWritable(const SuiteArgs& args, std::ostream& err);

// Writes the --json, --junit and --html reports: `-` to `out` (after what
// the run printed there), any other path by WriteFile's rules. A write error
// turns `code` into 3.
int WriteReports(const RunResult& run, const SuiteArgs& args, std::ostream& out,
                 std::ostream& err, int code);

}  // namespace intransit
