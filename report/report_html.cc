// HtmlReport: see report_html.h. Escaping is XmlEscape's (report_junit.h):
// Message-IDs carry < and >, and a store's notes may carry anything. The
// swimlanes of a violation are report_html_lanes.cc's.
#include "report/report_html.h"

#include <sstream>

#include "report/report_html_lanes.h"
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
    ".bad{background:#fde7e9}.fault{color:#8a4b00}code{background:#f6f6f6;padding:.1em .3em}"
    "nav.violations a{margin-right:1em}section.violation{border-top:2px solid #ddd;"
    "margin-top:1em}section.violation:target{border-top-color:#b00020}"
    "p.replay code{display:inline-block;padding:.3em .5em;border:1px solid #ccc}"
    "button.copy{margin-left:.5em}"
    // The lanes: narrow rows, one column per actor, thin lifelines.
    ".lanes{font-size:12px}.lanes td,.lanes th{border:1px solid #e2e2e2;padding:2px 5px}"
    ".lanes th.lane{background:#e8eef8;min-width:11em;text-align:center}"
    ".lanes td.step{text-align:right;color:#666}.lanes td.act{background:#f3f7fd;"
    "max-width:22em}.lanes td.act.probe{background:#fafafa;color:#666}"
    ".lanes td.act.fault{background:#fff3e0;border-left:3px solid #e08a00}"
    ".lanes td.note{color:#888;font-style:italic}.lanes .srv{color:#555}"
    ".lanes .what{color:#555;font-size:11px;max-width:15em;white-space:nowrap;overflow:hidden;"
    "text-overflow:ellipsis}.lanes tr.decisive .what{white-space:normal}"
    ".badge{display:inline-block;background:#e08a00;color:#fff;border-radius:3px;"
    "padding:0 3px;font-size:10px}"
    ".lanes tr.decisive td{background:#fde7e9}.lanes tr.decisive td.act{outline:2px solid "
    "#b00020;outline-offset:-2px}.lanes tr:target td{background:#fbc9cf}"
    ".mark{color:#b00020;font-weight:bold}"
    ".lanes th.msg{writing-mode:vertical-rl;font-weight:normal;padding:4px 1px;"
    "background:#f7f7f7;font-size:12px;vertical-align:bottom}"
    ".lanes th.msg.badmsg{color:#b00020;font-weight:bold;background:#fde7e9}"
    ".lanes td.life{padding:0 1px;text-align:center;border-top:none;border-bottom:none;"
    "white-space:nowrap;min-width:16px}"
    ".bar{display:inline-block;width:5px;height:18px;vertical-align:middle;margin:0 1px}"
    ".c0{background:#1f77b4}.c1{background:#2ca02c}.c2{background:#ff7f0e}.c3{background:#9467bd}"
    ".c4{background:#17becf}.c5{background:#8c564b}.c6{background:#bcbd22}.c7{background:#7f7f7f}"
    ".x{color:#b00020;font-weight:bold;font-size:14px}.in{color:#176117;font-size:10px}"
    ".end{color:#999}.lanes td.life.dec{background:#fbc9cf}"
    ".legend .key{margin-right:1em;white-space:nowrap}"
    "ol.custody li{margin:.3em 0}.lanes .sel{background:#fff7c2}";

// Script only adds: a copy button next to each replay command. Without it
// the command is still there to select by hand.
const char* kScript =
    "document.querySelectorAll('button.copy').forEach(function(b){b.hidden=false;"
    "b.addEventListener('click',function(){var t=document.getElementById(b.dataset.target)"
    ".textContent;navigator.clipboard.writeText(t).then(function(){b.textContent='copied'},"
    "function(){b.textContent='select and copy by hand'})})});";

bool Bad(Verdict v) { return v != Verdict::kDelivered && v != Verdict::kBounced; }

// "(reference/pre-sp4)", or the suite's own procedure: "dovecot: backup, sync, switch, delete".
std::string Setup(const SuiteResult& s) {
  if (!s.procedure.empty()) return s.adapter + ": " + s.procedure;
  return s.adapter + (s.variant.empty() ? "" : "/" + s.variant);
}

void PrintViolation(std::ostringstream& o, const Violation& v, const std::string& id,
                    const std::string& title) {
  o << "<section class=\"violation\" id=\"" << id << "\">\n<h3>" << E(title) << "</h3>\n";
  o << "<p>Invariants broken:</p>\n<ul>\n";
  for (const Breach& b : v.breaches) {
    o << "<li><b>" << E(b.invariant) << "</b> " << E(b.detail) << "</li>\n";
  }
  o << "</ul>\n";
  // The custody of each bad verdict, linked to the step that decided it.
  bool told = false;
  for (size_t i = 0; i < v.custody.size() && i < v.messages.size(); ++i) {
    const MessageCustody& c = v.custody[i];
    if (c.decisive_step <= 0) continue;
    if (!told) o << "<ol class=\"custody\">\n";
    told = true;
    o << "<li><b>" << E(c.message) << "</b> " << VerdictName(v.messages[i].verdict)
      << " at <a href=\"#" << StepAnchor(id, c.decisive_step) << "\">step " << c.decisive_step
      << "</a>: " << E(c.story) << "</li>\n";
  }
  if (told) o << "</ol>\n";
  if (!v.custody_note.empty()) o << "<p>Custody " << E(v.custody_note) << ".</p>\n";
  if (!v.replay.empty()) {
    o << "<p class=\"replay\">Replay: <code id=\"" << id << "-replay\">" << E(v.replay)
      << "</code><button type=\"button\" class=\"copy\" data-target=\"" << id
      << "-replay\" hidden=\"hidden\">copy</button></p>\n";
  }
  o << "<p>Timeline";
  if (!v.token.empty()) o << " (schedule <code>" << E(v.token) << "</code>)";
  o << ": one lane per actor, one row per step; to the right, where each message was after "
       "the step.</p>\n";
  PrintLanes(o, v, id);
  // The verdicts: the bad ones in view, each linked to its decisive step;
  // the good ones folded away (a suite of thirty messages has one LOST).
  auto verdicts = [&](bool bad) {
    o << "<table class=\"verdicts\">\n<tr><th>message</th><th>verdict</th><th>why</th>"
      << (bad ? "<th>decided at</th>" : "") << "</tr>\n";
    for (size_t i = 0; i < v.messages.size(); ++i) {
      const MessageVerdict& m = v.messages[i];
      if (Bad(m.verdict) != bad) continue;
      o << "<tr" << (bad ? " class=\"bad\"" : "") << "><td>" << E(m.message) << "</td><td>"
        << VerdictName(m.verdict) << "</td><td>" << E(m.detail) << "</td>";
      if (bad) {
        o << "<td>";
        if (i < v.custody.size() && v.custody[i].decisive_step > 0) {
          o << "<a class=\"decided\" href=\"#" << StepAnchor(id, v.custody[i].decisive_step)
            << "\">step " << v.custody[i].decisive_step << "</a>";
        }
        o << "</td>";
      }
      o << "</tr>\n";
    }
    o << "</table>\n";
  };
  size_t good = 0;
  for (const MessageVerdict& m : v.messages) good += Bad(m.verdict) ? 0 : 1;
  if (good < v.messages.size()) verdicts(true);
  if (good > 0) {
    o << "<details><summary>" << good << (good == 1 ? " message" : " messages")
      << " delivered or bounced</summary>\n";
    verdicts(false);
    o << "</details>\n";
  }
  for (const auto& s : v.shrunk) o << "<p>Shrunk: " << E(s) << "</p>\n";
  o << "</section>\n";
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
      << E(Setup(s)) << "</td><td>"
      << E(s.StrategyLabel() + (s.shard.empty() ? "" : ", shard " + s.shard)) << "</td><td>"
      << ExpectName(s.expect) << "</td><td>" << OutcomeName(s.outcome) << "</td><td class=\""
      << (!s.judged ? "\">not judged here" : s.met ? "met\">yes" : "unmet\">NO")
      << "</td><td class=\"num\">" << s.schedules
      << "</td><td class=\"num\">" << s.violating_schedules << "</td><td>"
      << (s.complete ? "yes" : "no") << "</td><td class=\"num\">" << s.wall_ms << "</td></tr>\n";
  }
  o << "</table>\n";
  for (size_t i = 0; i < r.suites.size(); ++i) {
    const SuiteResult& s = r.suites[i];
    const std::string sid = "s" + std::to_string(i + 1);
    o << "<h2 id=\"suite-" << i + 1 << "\">" << E(s.name) << " <span class=\""
      << (!s.judged ? "\">not judged here (judged over all shards)"
          : s.met   ? "met\">expectation met"
                    : "unmet\">expectation NOT met")
      << "</span></h2>\n";
    o << "<p>" << E(Setup(s)) << ", " << E(s.StrategyLabel()) << ".</p>\n";
    if (!s.description.empty()) o << "<p>" << E(s.description) << "</p>\n";
    o << "<p>File <code>" << E(s.file) << "</code>.</p>\n";
    if (s.outcome == Outcome::kError) o << "<p class=\"unmet\">Error: " << E(s.error) << "</p>\n";
    // A replayed schedule that violated is already told in full as its
    // violation; its plain trace is shown only when it passed.
    const bool plain_trace = s.has_trace && s.violations.empty();
    // Every violation kept, each selectable by its anchor.
    if (s.violations.size() + (plain_trace ? 1 : 0) > 1) {
      o << "<nav class=\"violations\">";
      for (size_t j = 0; j < s.violations.size(); ++j) {
        o << "<a href=\"#" << sid << "-v" << j + 1 << "\">violation " << j + 1 << "</a>";
      }
      if (plain_trace) o << "<a href=\"#" << sid << "-trace\">replayed schedule</a>";
      o << "</nav>\n";
    }
    for (size_t j = 0; j < s.violations.size(); ++j) {
      const std::string vid = sid + "-v" + std::to_string(j + 1);
      PrintViolation(o, s.violations[j], vid,
                     "Violation " + std::to_string(j + 1) + " of " +
                         std::to_string(s.violating_schedules) + " violating schedules");
    }
    if (plain_trace) PrintViolation(o, s.trace, sid + "-trace", "The replayed schedule");
  }
  o << "<script>" << kScript << "</script>\n</body>\n</html>\n";
  return o.str();
}

}  // namespace intransit
