// Reading an intransit-result/1 JSON report back (report_json.h writes it),
// for `intransit merge`, which combines the reports of a run's shards.
//
//   Result<ResultFile> r = ReadJsonReport(text);
//
// What the report holds comes back as it was: every suite key, every
// violation with its breaches, verdicts, custody (marks included) and
// timeline (probe events included), and the suites the run skipped, so
// JsonReport(ReadJsonReport(JsonReport(r))) is JsonReport(r) byte for byte. What the report does
// not hold stays at its default: a suite's description, a verdict's detail,
// a violation's preemptions and shrink notes, an error's exit code hint
// (an error read back is an infrastructure error, 3). Keys it does not know
// are ignored, so a newer writer's additions do not stop an older reader.
#pragma once

#include <string>

#include "base/status.h"
#include "explore/result.h"

namespace intransit {

struct ResultFile {
  std::string tool_version;  // the report's "tool_version", "" when absent
  RunResult run;
};

// Parses `text`. Error (Invalid): not JSON, a "format" other than
// "intransit-result/1", or a key missing or of the wrong type, named by its
// place ("suites[2].schedules: expected an unsigned integer").
Result<ResultFile> ReadJsonReport(const std::string& text);

}  // namespace intransit
