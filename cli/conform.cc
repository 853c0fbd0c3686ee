// The conformance battery: see conform.h.
//
// Battery suites are written for any store: they name the reference adapter
// and no variant, so `--adapter NAME` swaps in the store under test with its
// default procedure (or the one --set adapter.variant=... names). A suite
// arming a point the adapter never passes cannot say anything about it: it
// is skipped, and the table says why.
#include "cli/conform.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "cli/builtin_adapters.h"
#include "cli/cli_common.h"
#include "explore/explorer.h"
#include "report/report_console.h"

namespace fs = std::filesystem;

namespace intransit {
namespace {

// The directory this binary is in ("" if /proc cannot say).
fs::path BinaryDir() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : self.parent_path();
}

}  // namespace

std::vector<std::string> BatteryCandidates() {
  std::vector<std::string> dirs;
  if (const char* data = std::getenv("INTRANSIT_DATA_DIR"); data != nullptr && *data != '\0') {
    dirs.push_back(std::string(data) + "/conformance");
  }
  if (fs::path bin = BinaryDir(); !bin.empty()) {
    dirs.push_back((bin.parent_path() / "share/intransit/conformance").string());
  }
  dirs.push_back("suites/conformance");
  // Last, for a binary run from its build tree: the sources it was built from.
  dirs.push_back(std::string(INTRANSIT_SOURCE_DIR) + "/suites/conformance");
  return dirs;
}

namespace {

// The first battery of BatteryCandidates that is a directory, else the first
// candidate (whose absence the caller reports).
std::string DefaultBattery() {
  const std::vector<std::string> dirs = BatteryCandidates();
  for (const auto& d : dirs) {
    std::error_code ec;
    if (fs::is_directory(d, ec)) return d;
  }
  return dirs.front();
}

std::string Cell(const std::string& s, size_t width) {
  if (s.size() >= width) return s + " ";
  return s + std::string(width - s.size(), ' ');
}

// The first point `suite` arms that the adapter does not pass, or "".
std::string MissingPoint(const Suite& suite, const std::vector<PointInfo>& points) {
  auto passes = [&](const std::string& p) {
    return p == kRecoverPoint || std::any_of(points.begin(), points.end(),
                                             [&](const PointInfo& i) { return i.name == p; });
  };
  for (const auto& rule : suite.faults) {
    if (!passes(rule.point)) return rule.point;
    for (const auto& named : rule.named_points) {
      if (!passes(named.point)) return named.point;
    }
  }
  return "";
}

std::string Joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}

}  // namespace

int CmdConform(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  SuiteArgs args;
  std::string battery;
  bool verbose = false;
  po::options_description d("conform options");
  AddSuiteOptions(&d, &args, true);
  d.add_options()("battery", po::value(&battery)->value_name("DIR"),
                  "directory of suites (default: $INTRANSIT_DATA_DIR/conformance, else "
                  "../share/intransit/conformance beside the binary, else suites/conformance)")
      ("verbose,v", po::bool_switch(&verbose), "print every suite's full report");
  po::positional_options_description pos;
  po::variables_map vm;
  int code = kExitOk;
  const std::string usage =
      "usage: intransit conform --adapter NAME [--set KEY=VALUE]... [options]";
  if (!Parse(argc, argv, 2, d, pos, &vm, out, err, usage, &code)) return code;
  if (args.adapter.empty()) {
    err << "intransit conform: --adapter is required\n" << usage << "\n";
    return kExitUsage;
  }
  const AdapterInfo* info = AdapterRegistry::Global().Find(args.adapter);
  if (info == nullptr) {
    err << "intransit conform: unknown adapter '" << args.adapter
        << "'; known: " << JoinAlternatives(AdapterRegistry::Global().Names()) << "\n";
    return kExitUsage;
  }
  auto config = LoadAdapterConfig(args.adapter, args.sets);
  if (!config.ok()) {
    err << "intransit conform: " << config.status().message() << "\n";
    return kExitUsage;
  }
  auto points = PointsOf(*info, *config);
  if (!points.ok()) {
    err << "intransit conform: " << points.status().message() << "\n";
    return points.status().code() == Status::Code::kInvalid ? kExitUsage : kExitInfra;
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
  LoadOptions load = ToLoadOptions(args);
  load.check_points = false;  // a suite arming a point the adapter lacks is skipped below
  if (!LoadAll(args, load, &suites, err)) return kExitUsage;

  auto explore = ToExploreOptions(args);
  if (!explore.ok()) {
    err << "intransit conform: " << explore.status().message() << "\n";
    return kExitUsage;
  }
  if (int c = CheckReportsWritable(args, err); c != kExitOk) return c;
  RunResult run;
  StampRun(&run);
  int skipped = 0;
  out << "conformance of " << args.adapter << " (" << battery << ")\n";
  out << Cell("suite", 30) << Cell("invariant", 34) << Cell("result", 9) << Cell("schedules", 11)
      << "replay\n";
  for (Suite& suite : suites) {
    std::string missing = MissingPoint(suite, *points);
    if (!missing.empty()) {
      ++skipped;
      run.skipped.push_back({.file = suite.file,
                             .name = suite.name,
                             .adapter = suite.adapter,
                             .reason = "the adapter does not pass point '" + missing + "'"});
      out << Cell(suite.name, 30) << Cell(Joined(suite.oracle.invariants), 34) << Cell("skipped", 9)
          << Cell("-", 11) << "the adapter does not pass point '" << missing << "'\n";
      continue;
    }
    // The points are checked: nothing left for an adapter that learns its
    // own when opened to check again.
    auto& unchecked = suite.adapter_config.unchecked;
    unchecked.erase(std::remove_if(unchecked.begin(), unchecked.end(),
                                   [](const UncheckedName& u) { return u.kind == "point"; }),
                    unchecked.end());
    SuiteResult r = ExploreSuite(suite, *explore);
    std::string invariant = !r.violations.empty() ? Joined(r.violations[0].invariants)
                            : suite.oracle.invariants.size() < AllInvariants().size()
                                ? Joined(suite.oracle.invariants)
                                : "all";
    std::string result = r.outcome == Outcome::kError ? "ERROR"
                         : !r.judged                   ? "unjudged"
                         : r.met                       ? "ok"
                                                       : "FAILED";
    out << Cell(suite.name, 30) << Cell(invariant, 34) << Cell(result, 9)
        << Cell(std::to_string(r.schedules) + (r.complete ? "" : "+"), 11)
        << (r.violations.empty() ? (r.outcome == Outcome::kError ? r.error : "-")
                                 : r.violations[0].replay)
        << "\n";
    out.flush();
    run.suites.push_back(std::move(r));
  }
  out << "\n";
  for (const auto& r : run.suites) {
    if (verbose || (!r.met && r.judged)) PrintSuiteResult(r, out);
  }
  PrintSummary(run, out);
  if (skipped > 0) out << skipped << " suite(s) skipped: points the adapter does not pass\n";
  if (run.suites.empty()) {
    // Nothing ran: nothing is shown to conform.
    err << "intransit conform: every suite was skipped; " << args.adapter << " was not tested\n";
    return WriteReports(run, args, out, err, kExitUnmet);
  }
  return WriteReports(run, args, out, err, ExitCodeOf(run));
}

}  // namespace intransit
