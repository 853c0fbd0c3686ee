// The swimlanes: see report_html_lanes.h. Every text from a suite or a
// store goes through XmlEscape (report_junit.h): the page is XHTML.
#include "report/report_html_lanes.h"

#include <algorithm>
#include <vector>

#include "report/report_junit.h"

namespace intransit {
namespace {

std::string E(const std::string& s) { return XmlEscape(s, false); }

constexpr int kColours = 8;  // .c0 to .c7 in the page's style

bool Bad(Verdict v) { return v != Verdict::kDelivered && v != Verdict::kBounced; }

// The messages in lifeline order: the bad verdicts first, then the rest, in
// ledger order within each.
std::vector<size_t> LifelineOrder(const Violation& v) {
  std::vector<size_t> order;
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t i = 0; i < v.custody.size() && i < v.messages.size(); ++i) {
      if (Bad(v.messages[i].verdict) == (pass == 0)) order.push_back(i);
    }
  }
  return order;
}

}  // namespace

std::string StepAnchor(const std::string& id, int step) {
  return id + "-step" + std::to_string(step);
}

std::string ShortMessage(const std::string& message) {
  std::string s = message;
  if (!s.empty() && s.front() == '<') s.erase(0, 1);
  if (!s.empty() && s.back() == '>') s.pop_back();
  const size_t at = s.find('@');
  if (at != std::string::npos && at > 0) s.erase(at);
  return s;
}

void PrintLanes(std::ostringstream& o, const Violation& v, const std::string& id) {
  // Lanes: the actors, in the order they first took a step.
  std::vector<std::string> actors;
  for (const Event& e : v.timeline) {
    if (std::find(actors.begin(), actors.end(), e.actor) == actors.end()) {
      actors.push_back(e.actor);
    }
  }
  // Colours: the places, in the order mail first reached them.
  std::vector<std::pair<int, std::string>> firsts;
  for (const MessageCustody& c : v.custody) {
    for (const CustodyEntry& t : c.trail) {
      if (!t.location.empty()) firsts.emplace_back(t.step, t.location);
    }
  }
  std::stable_sort(firsts.begin(), firsts.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> places;
  for (const auto& f : firsts) {
    if (std::find(places.begin(), places.end(), f.second) == places.end()) {
      places.push_back(f.second);
    }
  }
  auto colour = [&places](const std::string& place) {
    const auto it = std::find(places.begin(), places.end(), place);
    return static_cast<int>(it - places.begin()) % kColours;
  };
  const std::vector<size_t> order = LifelineOrder(v);

  o << "<table class=\"lanes\" id=\"" << id << "-lanes\">\n<thead><tr><th class=\"step\">step</th>";
  for (const std::string& a : actors) o << "<th class=\"lane\">" << E(a) << "</th>";
  for (size_t i : order) {
    o << "<th class=\"msg" << (Bad(v.messages[i].verdict) ? " badmsg" : "") << "\" id=\"" << id
      << "-m" << i << "\" title=\"" << E(v.messages[i].message) << " "
      << VerdictName(v.messages[i].verdict) << "\"><span>" << E(ShortMessage(v.messages[i].message))
      << "</span></th>";
  }
  o << "</tr></thead>\n<tbody>\n";

  // One row per step, and a row 0 for the mail there before the first.
  // `quiet`: a probe's row, inside its step: the bars of the step before,
  // no marks.
  auto lifelines = [&](int step, bool quiet) {
    for (size_t i : order) {
      const MessageCustody& c = v.custody[i];
      std::vector<std::string> here;
      bool gone = false;
      for (const CustodyEntry& t : c.trail) {
        if (t.step != step) continue;
        if (t.location.empty()) {
          gone = true;
        } else {
          here.push_back(t.location);
        }
      }
      if (quiet) gone = false;
      const bool decisive = !quiet && c.decisive_step > 0 && c.decisive_step == step;
      const bool first =
          !quiet && !here.empty() && !c.trail.empty() && c.trail.front().step == step;
      std::string title;
      for (const std::string& p : here) title += (title.empty() ? "" : ", ") + p;
      if (gone) title = "nowhere";
      o << "<td class=\"life" << (decisive ? " dec" : "") << "\"";
      if (!title.empty()) o << " title=\"" << E(ShortMessage(c.message) + ": " + title) << "\"";
      o << ">";
      for (const std::string& p : here) o << "<span class=\"bar c" << colour(p) << "\"></span>";
      if (decisive) {
        o << "<span class=\"x\">" << (v.messages[i].verdict == Verdict::kLost ? "\u2715" : "!")
          << "</span>";
      } else if (gone) {
        o << "<span class=\"end\">\u00b7</span>";
      } else if (first && step > 0) {
        o << "<span class=\"in\">\u25cf</span>";
      }
      o << "</td>";
    }
  };

  o << "<tr class=\"start\" id=\"" << StepAnchor(id, 0)
    << "\"><td class=\"step\">0</td><td colspan=\"" << actors.size()
    << "\" class=\"note\">before the first step</td>";
  lifelines(0, false);
  o << "</tr>\n";

  int last_step = 0;
  for (const Event& e : v.timeline) {
    // The step's marks: every message whose verdict it decided.
    std::string marks;
    for (const MessageCustody& c : v.custody) {
      if (c.decisive_step == e.step && !e.probe) {
        marks += (marks.empty() ? "" : "; ") + c.message + " " + c.mark;
      }
    }
    o << "<tr id=\"" << StepAnchor(id, e.step) << "\""
      << (marks.empty() ? "" : " class=\"decisive\"") << "><td class=\"step\">" << e.step
      << "</td>";
    for (const std::string& a : actors) {
      if (a != e.actor) {
        o << "<td class=\"idle\"></td>";
        continue;
      }
      const bool faulted = !e.fault.empty() || e.injected;
      o << "<td class=\"act" << (faulted ? " fault" : "") << (e.probe ? " probe" : "") << "\">";
      o << "<b>" << E(e.point) << "</b>";
      if (!e.server.empty()) o << " <span class=\"srv\">" << E(e.server) << "</span>";
      if (!e.message.empty()) o << " " << E(ShortMessage(e.message));
      if (!e.fault.empty()) o << " <span class=\"badge\">\u26a1 " << E(e.fault) << "</span>";
      if (e.injected) o << " <span class=\"badge\">injected</span>";
      o << "<div class=\"what\" title=\"" << E(e.what) << "\">" << E(e.what) << "</div>";
      if (!marks.empty()) o << "<div class=\"mark\">\u2190 " << E(marks) << "</div>";
      o << "</td>";
    }
    // A probe is inside a step: its lifelines are the step's so far.
    if (!e.probe) last_step = e.step;
    lifelines(last_step, e.probe);
    o << "</tr>\n";
  }
  o << "</tbody>\n</table>\n";

  if (!places.empty()) {
    o << "<p class=\"legend\">Lifelines, after each step: ";
    for (size_t p = 0; p < places.size(); ++p) {
      o << "<span class=\"key\"><span class=\"bar c" << p % kColours << "\"></span> "
        << E(places[p]) << "</span> ";
    }
    o << "<span class=\"key\"><span class=\"in\">\u25cf</span> arrived</span> "
         "<span class=\"key\"><span class=\"x\">\u2715</span> decisive step</span> "
         "<span class=\"key\"><span class=\"end\">\u00b7</span> gone</span></p>\n";
  }
}

}  // namespace intransit
