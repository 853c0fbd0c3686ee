// The conformance battery: see conform.h.
#include "framework/cli/conform.h"

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "framework/cli/cli_common.h"
#include "framework/explorer.h"
#include "framework/report_console.h"

namespace fs = std::filesystem;

namespace intransit {
namespace {

// The battery shipped with the sources: ./suites/conformance when run from a
// checkout, else the one next to the sources this binary was built from.
std::string DefaultBattery() {
  if (fs::is_directory("suites/conformance")) return "suites/conformance";
  return std::string(INTRANSIT_SOURCE_DIR) + "/suites/conformance";
}

std::string Cell(const std::string& s, size_t width) {
  if (s.size() >= width) return s + " ";
  return s + std::string(width - s.size(), ' ');
}

}  // namespace

int CmdConform(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  SuiteArgs args;
  std::string battery;
  bool verbose = false;
  po::options_description d("conform options");
  AddSuiteOptions(&d, &args, true);
  d.add_options()("battery", po::value(&battery), "directory of suites (default suites/conformance)")
      ("verbose,v", po::bool_switch(&verbose), "print every suite's full report");
  po::positional_options_description pos;
  po::variables_map vm;
  int code = kExitOk;
  const std::string usage = "usage: intransit conform --adapter NAME [--set KEY=VALUE]... [options]";
  if (!Parse(argc, argv, 2, d, pos, &vm, out, err, usage, &code)) return code;
  if (args.adapter.empty()) {
    err << "intransit conform: --adapter is required\n" << usage << "\n";
    return kExitUsage;
  }
  if (battery.empty()) battery = DefaultBattery();
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(battery, ec)) {
    if (entry.path().extension() == ".toml") args.suites.push_back(entry.path().string());
  }
  if (ec || args.suites.empty()) {
    err << "intransit conform: no suites in '" << battery << "'"
        << (ec ? ": " + ec.message() : std::string()) << "\n";
    return kExitUsage;
  }
  std::sort(args.suites.begin(), args.suites.end());

  std::vector<Suite> suites;
  if (!LoadAll(args, &suites, err)) return kExitUsage;

  RunResult run;
  out << Cell("suite", 28) << Cell("invariant", 34) << Cell("result", 11) << Cell("schedules", 11)
      << "replay\n";
  for (const Suite& suite : suites) {
    SuiteResult r = ExploreSuite(suite, {});
    std::string invariant = "-";
    if (!r.violations.empty()) {
      invariant.clear();
      for (const auto& i : r.violations[0].invariants) invariant += (invariant.empty() ? "" : ",") + i;
    } else if (suite.oracle.invariants.size() < AllInvariants().size()) {
      invariant.clear();
      for (const auto& i : suite.oracle.invariants) invariant += (invariant.empty() ? "" : ",") + i;
    } else {
      invariant = "all";
    }
    std::string result = r.outcome == Outcome::kError ? "ERROR"
                         : r.met                      ? "ok"
                                                      : "FAILED";
    out << Cell(suite.name, 28) << Cell(invariant, 34) << Cell(result, 11)
        << Cell(std::to_string(r.schedules) + (r.complete ? "" : "+"), 11)
        << (r.violations.empty() ? (r.outcome == Outcome::kError ? r.error : "-")
                                 : r.violations[0].replay)
        << "\n";
    run.suites.push_back(std::move(r));
  }
  out << "\n";
  for (const auto& r : run.suites) {
    if (verbose || !r.met) PrintSuiteResult(r, out);
  }
  PrintSummary(run, out);
  return WriteReports(run, args, err, ExitCodeOf(run));
}

}  // namespace intransit
