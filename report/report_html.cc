// HtmlReport: see report_html.h. Escaping is XmlEscape's (report_junit.h):
// Message-IDs carry < and >, and a store's notes may carry anything.
#include "report/report_html.h"

#include <sstream>

#include "report/report_junit.h"

namespace intransit {
namespace {

std::string E(const std::string& s) { return XmlEscape(s, false); }

const char* kStyle =
    "body{font-family:sans-serif;margin:2em;color:#222}"
    "table{border-collapse:collapse;margin:.5em 0 1.5em}"
    "th,td{border:1px solid #ccc;padding:.2em .6em;text-align:left;vertical-align:top}"
    "th{background:#f2f2f2}td.num{text-align:right}"
    ".met{color:#176117;font-weight:bold}.unmet{color:#b00020;font-weight:bold}"
    ".bad{background:#fde7e9}.fault{color:#8a4b00}code{background:#f6f6f6;padding:.1em .3em}";

bool Bad(Verdict v) { return v != Verdict::kDelivered && v != Verdict::kBounced; }

void PrintViolation(std::ostringstream& o, const Violation& v) {
  o << "<p>Invariants broken:</p>\n<ul>\n";
  for (const Breach& b : v.breaches) {
    o << "<li><b>" << E(b.invariant) << "</b> " << E(b.detail) << "</li>\n";
  }
  o << "</ul>\n<table>\n<tr><th>step</th><th>actor</th><th>point</th><th>server</th>"
       "<th>user</th><th>message</th><th>fault</th><th>what happened</th></tr>\n";
  for (const Event& e : v.timeline) {
    std::string fault = e.fault;
    if (e.injected) fault += fault.empty() ? "injected" : " (injected)";
    o << "<tr><td class=\"num\">" << e.step << "</td><td>" << E(e.actor) << "</td><td>"
      << E(e.point) << "</td><td>" << E(e.server) << "</td><td>" << E(e.user) << "</td><td>"
      << E(e.message) << "</td><td class=\"fault\">" << E(fault) << "</td><td>" << E(e.what)
      << "</td></tr>\n";
  }
  o << "</table>\n<table>\n<tr><th>message</th><th>verdict</th><th>why</th></tr>\n";
  for (const MessageVerdict& m : v.messages) {
    o << "<tr" << (Bad(m.verdict) ? " class=\"bad\"" : "") << "><td>" << E(m.message)
      << "</td><td>" << VerdictName(m.verdict) << "</td><td>" << E(m.detail) << "</td></tr>\n";
  }
  o << "</table>\n";
  for (const auto& s : v.shrunk) o << "<p>Shrunk: " << E(s) << "</p>\n";
  if (!v.replay.empty()) o << "<p>Replay: <code>" << E(v.replay) << "</code></p>\n";
}

}  // namespace

std::string HtmlReport(const RunResult& r) {
  std::ostringstream o;
  int met = 0;
  for (const auto& s : r.suites) met += s.met;
  o << "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
       "<meta charset=\"utf-8\"/>\n<title>intransit: "
    << met << " of " << r.suites.size() << " suites met</title>\n<style>" << kStyle
    << "</style>\n</head>\n<body>\n<h1>intransit: " << met << " of " << r.suites.size()
    << " suites met their expectation</h1>\n";
  o << "<table>\n<tr><th>suite</th><th>adapter</th><th>strategy</th><th>expect</th>"
       "<th>outcome</th><th>met</th><th>schedules</th><th>violating</th><th>covered</th>"
       "<th>ms</th></tr>\n";
  // Anchors by position: two suites of one run may share a name.
  for (size_t i = 0; i < r.suites.size(); ++i) {
    const SuiteResult& s = r.suites[i];
    o << "<tr><td><a href=\"#suite-" << i + 1 << "\">" << E(s.name) << "</a></td><td>"
      << E(s.adapter + (s.variant.empty() ? "" : "/" + s.variant)) << "</td><td>"
      << E(s.strategy + (s.shard.empty() ? "" : ", shard " + s.shard)) << "</td><td>"
      << ExpectName(s.expect) << "</td><td>" << OutcomeName(s.outcome) << "</td><td class=\""
      << (!s.judged ? "\">not judged here" : s.met ? "met\">yes" : "unmet\">NO")
      << "</td><td class=\"num\">" << s.schedules
      << "</td><td class=\"num\">" << s.violating_schedules << "</td><td>"
      << (s.complete ? "yes" : "no") << "</td><td class=\"num\">" << s.wall_ms << "</td></tr>\n";
  }
  o << "</table>\n";
  for (size_t i = 0; i < r.suites.size(); ++i) {
    const SuiteResult& s = r.suites[i];
    o << "<h2 id=\"suite-" << i + 1 << "\">" << E(s.name) << " <span class=\""
      << (!s.judged ? "\">not judged here (judged over all shards)"
          : s.met   ? "met\">expectation met"
                    : "unmet\">expectation NOT met")
      << "</span></h2>\n";
    if (!s.description.empty()) o << "<p>" << E(s.description) << "</p>\n";
    o << "<p>File <code>" << E(s.file) << "</code>.</p>\n";
    if (s.outcome == Outcome::kError) o << "<p class=\"unmet\">Error: " << E(s.error) << "</p>\n";
    if (!s.violations.empty()) PrintViolation(o, s.violations[0]);
  }
  o << "</body>\n</html>\n";
  return o.str();
}

}  // namespace intransit
