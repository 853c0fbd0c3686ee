// The HTML report (--html FILE): one self-contained page for a nightly CI
// dashboard or a mail to the team — a summary table of every suite, then,
// for each violation, the broken invariants, the verdicts with each bad one
// linked to the step that decided it, the custody of that mail, the replay
// command, and the swimlanes (report_html_lanes.h): one lane per actor and a
// lifeline per message. No external files; the one inline script only adds
// a copy button, everything reads with scripting off; well-formed XHTML, so
// any HTML or XML tool reads it.
#pragma once

#include <string>

#include "explore/result.h"

namespace intransit {

std::string HtmlReport(const RunResult& r);

}  // namespace intransit
