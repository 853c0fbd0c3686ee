// The JUnit XML report (`--junit FILE`), in the shape Jenkins, GitLab and
// GitHub test-report actions all read: one <testsuites>, one <testsuite
// name="intransit">, one <testcase> per suite.
//
//   <testcase classname="intransit.reference" name="q277911"
//             file="suites/q277911.toml" time="0.003">
//
// A suite that did not meet its expectation holds a <failure> whose text is
// its console report (breaches, timeline, verdicts, replay command), so the
// CI page shows the CAUSE section without a trip to the log. An error holds
// an <error>. A met suite that expected a violation (a known-bug regression)
// carries the same console report in <system-out>. Shards each write their
// own file; CI systems merge them.
#pragma once

#include <string>

#include "explore/result.h"

namespace intransit {

// Renders `r` as a JUnit XML document (UTF-8, trailing newline).
// Counts: failures = suites not met whose outcome is not error; errors =
// suites with outcome error; time = wall_ms in seconds ("0.003").
// All text and attribute values are escaped (& < > " ', and tab/newline/CR
// in attributes as character references); characters XML 1.0 forbids
// (control characters other than tab, LF, CR; U+FFFE, U+FFFF) and bytes that
// are not valid UTF-8 are written as the text "\xNN" so the document always
// parses.
std::string JunitReport(const RunResult& r);

// Escapes `s` for XML character data, or for an attribute value when
// `attribute` is true, as JunitReport does. Exposed for tests.
std::string XmlEscape(const std::string& s, bool attribute);

}  // namespace intransit
