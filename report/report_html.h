// The HTML report (--html FILE): one self-contained page for a nightly CI
// dashboard or a mail to the team — a summary table of every suite, then,
// for each violation, the broken invariants, the numbered timeline, the
// verdicts with the lost mail marked, and the replay command. No scripts,
// no external files; well-formed XHTML, so any HTML or XML tool reads it.
#pragma once

#include <string>

#include "explore/result.h"

namespace intransit {

std::string HtmlReport(const RunResult& r);

}  // namespace intransit
