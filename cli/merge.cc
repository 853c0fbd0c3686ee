// `intransit merge`: see merge.h.
#include "cli/merge.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/cli_common.h"
#include "explore/shard_merge.h"
#include "report/report_console.h"
#include "report/report_json_read.h"

namespace intransit {

int CmdMerge(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  SuiteArgs args;  // suites: the shard files; json, junit, html: the reports
  po::options_description d("merge options");
  d.add_options()
      ("json", po::value(&args.json)->value_name("FILE"),
       "write the merged intransit-result/1 JSON report to FILE")
      ("junit", po::value(&args.junit)->value_name("FILE"), "write a JUnit XML report to FILE")
      ("html", po::value(&args.html)->value_name("FILE"), "write an HTML report to FILE");
  int code = kExitOk;
  const std::string usage =
      "usage: intransit merge SHARD.json... [--json FILE] [--junit FILE] [--html FILE]\n"
      "combines the --json reports of every shard of a run (--shard I/N) into the\n"
      "result and exit code of the unsharded run";
  // The shard files are the positional words, named by the usage line: the
  // option that takes them is parsed but not shown.
  if (!ParseWords(argc, argv, d, "shard-file", po::value(&args.suites), -1, out, err, usage,
                  &code)) {
    return code;
  }
  if (args.suites.empty()) {
    err << "intransit merge: no shard result given\n" << usage << "\n";
    return kExitUsage;
  }
  // A report must not be written over a shard's result.
  if (Status s = CheckReportPaths(args); !s.ok()) {
    err << "intransit merge: " << s.message() << "\n";
    return kExitUsage;
  }
  std::vector<ShardFile> files;
  for (const std::string& path : args.suites) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) {
      err << "intransit merge: " << path << ": cannot read\n";
      return kExitUsage;
    }
    auto read = ReadJsonReport(text.str());
    if (!read.ok()) {
      err << "intransit merge: " << path << ": " << read.status().message() << "\n";
      return kExitUsage;
    }
    files.push_back({path, read->tool_version, std::move(read->run)});
  }
  auto merged = MergeShardFiles(files);
  if (!merged.ok()) {
    err << "intransit merge: " << merged.status().message() << "\n";
    return kExitUsage;
  }
  if (int c = CheckReportsWritable(args, err); c != kExitOk) return c;
  for (const SuiteResult& s : merged->suites) PrintSuiteResult(s, out);
  PrintSummary(*merged, out);
  return WriteReports(*merged, args, out, err, ExitCodeOf(*merged));
}

}  // namespace intransit
