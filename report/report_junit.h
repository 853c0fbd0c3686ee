// The JUnit XML report (`--junit FILE`), in the shape Jenkins (xunit's
// junit-10.xsd, tests/golden/junit-10.xsd), GitLab and GitHub test-report
// actions all read: one <testsuites>, then per suite one <testsuite> holding
// its <properties> and one <testcase>.
//
//   <testsuite name="q277911" tests="1" failures="0" errors="0" skipped="0"
//              time="0.003" timestamp="2026-12-06T18:40:00" hostname="ci-3"
//              file="suites/q277911.toml">
//     <properties> adapter, variant, strategy, seed, reduction, expect,
//                  outcome, schedules, complete, shard, schedule, replay
//     <testcase classname="intransit.reference" name="q277911" time="0.003">
//
// The suite file sits on <testsuite>: junit-10.xsd rejects it on <testcase>.
// A suite that did not meet its expectation holds a <failure> whose text is
// its console report (breaches, timeline, verdicts, replay command), so the
// CI page shows the CAUSE section without a trip to the log. An error holds
// an <error>. A met suite carries the same console report in <system-out>.
// Skipped: a suite conform could not run (RunResult::skipped), and a shard
// that cannot judge its suite alone (`judged` false). A shard's test names
// end in "(shard I/N)", so shard files merged by a CI never collide.
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
