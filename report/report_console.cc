// The console report. Layout choices, and why:
// - the timeline is a table with aligned columns, because a person reads it
//   down one column at a time ("which steps ran on dst?", "when did the
//   sender deliver?"); a column that is empty on every line is left out;
// - fault markers are aligned in a column of their own after the step's
//   description, so the few steps where the tool intervened are easy to find;
// - verdicts other than "delivered" get a "!" in the margin: in a suite of
//   twenty messages the one LOST must not hide among nineteen delivered;
// - every text that came from a suite or a store (names, Message-IDs, notes,
//   descriptions, errors) is printed through EscapeControl (name_rule.h):
//   a CR, an ESC or a NUL there must not rewrite the terminal or forge a line.
#include "report/report_console.h"

#include "base/name_rule.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace intransit {

namespace {

// Text from a suite or a store, made safe for a terminal.
std::string Safe(const std::string& s) { return EscapeControl(s); }

// Width on a terminal, counting UTF-8 code points rather than bytes so that
// an em dash or an accented user name does not shift a column.
size_t DisplayWidth(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

void PadRight(std::string* line, const std::string& s, size_t width) {
  line->append(s);
  size_t w = DisplayWidth(s);
  if (w < width) line->append(width - w, ' ');
}

void StripTrailingSpaces(std::string* line) {
  while (!line->empty() && line->back() == ' ') line->pop_back();
}

// "3 ms", "1.2 s", "2 min 05 s": exact below a second, then coarse.
std::string Duration(int64_t ms) {
  if (ms < 0) ms = 0;
  if (ms < 1000) return std::to_string(ms) + " ms";
  if (ms < 60000) {
    int64_t tenths = (ms + 50) / 100;
    return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " s";
  }
  int64_t s = (ms + 500) / 1000;
  std::string sec = std::to_string(s % 60);
  if (sec.size() < 2) sec = "0" + sec;
  return std::to_string(s / 60) + " min " + sec + " s";
}

// "(reference/pre-sp4, exhaustive)"
std::string Setup(const SuiteResult& r) {
  std::string s = "(" + Safe(r.adapter);
  // A suite's own procedure (a Dovecot runbook) says which steps ran, not
  // the variant it replaced: "(dovecot: backup, sync, switch, delete; ...)".
  if (!r.procedure.empty()) {
    s += ": " + Safe(r.procedure) + "; " + Safe(r.StrategyLabel());
  } else {
    if (!r.variant.empty()) s += "/" + Safe(r.variant);
    s += ", " + Safe(r.StrategyLabel());
  }
  if (!r.shard.empty()) s += ", shard " + Safe(r.shard);
  return s + ")";
}

// Whether the strategy covered what it set out to cover: the whole space for
// exhaustive, its budget for the sampling strategies (DESIGN §11).
std::string Coverage(const SuiteResult& r) {
  if (r.CoversSpace()) {
    std::string bound = r.max_preemptions >= 0
                            ? " with at most " + std::to_string(r.max_preemptions) + " preemption" +
                                  (r.max_preemptions == 1 ? "" : "s")
                            : "";
    std::string reduced;
    if (r.reduction.has_value()) {
      reduced = std::string(", reduction ") + ReductionName(*r.reduction);
      // Runs the reduction stopped asleep are not judged: say how many.
      if (*r.reduction == Reduction::kDpor) {
        reduced += " (" + std::to_string(r.sleep_blocked) + " sleep-blocked)";
      }
    }
    return (r.complete ? "space covered" : "space NOT covered") + bound + reduced;
  }
  return r.complete ? "budget covered" : "budget NOT covered";
}

std::string Schedules(uint64_t n) {
  return std::to_string(n) + (n == 1 ? " schedule" : " schedules");
}

std::string Markers(const Event& e) {
  std::string m;
  if (!e.fault.empty()) m += "[" + Safe(e.fault) + "]";
  if (e.injected) {
    if (!m.empty()) m += " ";
    m += "[injected]";
  }
  return m;
}

// "← <m1> gone: overwritten" for the steps that decided a bad verdict, by
// step; several messages decided by one step share its line.
std::vector<std::pair<int, std::string>> DecisiveMarks(const std::vector<MessageCustody>& custody) {
  std::vector<std::pair<int, std::string>> marks;
  for (const MessageCustody& c : custody) {
    if (c.decisive_step <= 0) continue;
    auto it = std::find_if(marks.begin(), marks.end(),
                           [&c](const auto& m) { return m.first == c.decisive_step; });
    std::string text = Safe(c.message) + " " + Safe(c.mark);
    if (it == marks.end()) {
      marks.emplace_back(c.decisive_step, "\u2190 " + text);
    } else {
      it->second += "; " + text;
    }
  }
  return marks;
}

void PrintTimeline(const std::vector<Event>& raw, const std::vector<MessageCustody>& custody,
                   std::ostream& out) {
  const auto marks = DecisiveMarks(custody);
  // Columns: step, actor, point, server, user, message, markers, what. The
  // markers come before the free text so a long `what` never pushes them
  // off to the right. Escaped first: the widths are those of what is shown.
  std::vector<Event> timeline = raw;
  for (Event& e : timeline) {
    for (std::string* s : {&e.actor, &e.point, &e.server, &e.user, &e.message, &e.what}) {
      *s = Safe(*s);
    }
  }
  size_t w_step = 1, w_actor = 0, w_point = 0, w_server = 0, w_user = 0, w_message = 0,
         w_what = 0, w_markers = 0;
  for (const Event& e : timeline) {
    w_step = std::max(w_step, std::to_string(e.step).size());
    w_actor = std::max(w_actor, DisplayWidth(e.actor));
    w_point = std::max(w_point, DisplayWidth(e.point));
    w_server = std::max(w_server, DisplayWidth(e.server));
    w_user = std::max(w_user, DisplayWidth(e.user));
    w_message = std::max(w_message, DisplayWidth(e.message));
    w_what = std::max(w_what, DisplayWidth(e.what));
    w_markers = std::max(w_markers, DisplayWidth(Markers(e)));
  }
  std::string line;
  for (const Event& e : timeline) {
    line.assign("    ");
    std::string step = std::to_string(e.step);
    line.append(w_step - step.size(), ' ');
    line.append(step);
    auto column = [&line](const std::string& s, size_t width) {
      if (width == 0) return;  // empty on every line: leave it out
      line.append("  ");
      PadRight(&line, s, width);
    };
    column(e.actor, w_actor);
    column(e.point, w_point);
    column(e.server, w_server);
    column(e.user, w_user);
    column(e.message, w_message);
    column(Markers(e), w_markers);
    auto mark = std::find_if(marks.begin(), marks.end(), [&e](const auto& m) {
      return m.first == e.step && !e.probe;
    });
    column(e.what, w_what);
    if (mark != marks.end()) line.append("  " + mark->second);
    StripTrailingSpaces(&line);
    out << line << '\n';
  }
}

void PrintBreaches(const Violation& v, std::ostream& out) {
  // Every breach with its detail, then any invariant named without one.
  std::vector<std::string> bare;
  for (const std::string& inv : v.invariants) {
    bool has = std::any_of(v.breaches.begin(), v.breaches.end(),
                           [&inv](const Breach& b) { return b.invariant == inv; });
    if (!has) bare.push_back(inv);
  }
  if (v.breaches.empty() && bare.empty()) return;
  size_t width = 0;
  for (const Breach& b : v.breaches) width = std::max(width, DisplayWidth(Safe(b.invariant)));
  out << "  invariants broken:\n";
  std::string line;
  for (const Breach& b : v.breaches) {
    line.assign("    ");
    PadRight(&line, Safe(b.invariant), width);
    line.append("  ");
    line.append(Safe(b.detail));
    StripTrailingSpaces(&line);
    out << line << '\n';
  }
  for (const std::string& inv : bare) out << "    " << Safe(inv) << '\n';
}

// "lost at step 4 (copy)": the verdict's decisive step in words.
std::string Decided(const MessageVerdict& m, const MessageCustody& c,
                    const std::vector<Event>& timeline) {
  std::string word = VerdictName(m.verdict);
  for (char& ch : word) ch = static_cast<char>(tolower(static_cast<unsigned char>(ch)));
  std::string s = word + " at step " + std::to_string(c.decisive_step);
  for (const Event& e : timeline) {
    if (e.step == c.decisive_step && !e.probe && !e.point.empty()) s += " (" + Safe(e.point) + ")";
  }
  return s;
}

void PrintVerdicts(const std::vector<MessageVerdict>& messages,
                   const std::vector<MessageCustody>& custody, const std::vector<Event>& timeline,
                   std::ostream& out) {
  if (messages.empty()) return;
  size_t w_id = 0, w_verdict = 0;
  for (const MessageVerdict& m : messages) {
    w_id = std::max(w_id, DisplayWidth(Safe(m.message)));
    w_verdict = std::max(w_verdict, DisplayWidth(VerdictName(m.verdict)));
  }
  out << "  verdicts:\n";
  std::string line;
  for (const MessageVerdict& m : messages) {
    line.assign(m.verdict == Verdict::kDelivered ? "    " : "  ! ");
    PadRight(&line, Safe(m.message), w_id);
    line.append("  ");
    PadRight(&line, VerdictName(m.verdict), w_verdict);
    line.append("  ");
    line.append(Safe(m.detail));
    StripTrailingSpaces(&line);
    out << line << '\n';
    // The custody under the verdict, aligned with its detail: the KB's
    // order, accepted, moved, decided.
    const size_t i = static_cast<size_t>(&m - messages.data());
    if (i < custody.size() && custody[i].decisive_step > 0) {
      line.assign(4 + w_id + 2 + w_verdict + 2, ' ');
      out << line << Decided(m, custody[i], timeline) << ": " << Safe(custody[i].story) << '\n';
    }
  }
}

void PrintViolation(const Violation& v, std::ostream& out) {
  PrintBreaches(v, out);
  out << "  timeline";
  if (!v.token.empty() || v.preemptions > 0) {
    out << " (";
    if (!v.token.empty()) out << "schedule " << Safe(v.token);
    if (!v.token.empty() && v.preemptions > 0) out << ", ";
    if (v.preemptions > 0)
      out << v.preemptions << (v.preemptions == 1 ? " preemption" : " preemptions");
    out << ")";
  }
  out << ":\n";
  if (v.timeline.empty()) {
    out << "    (no steps recorded)\n";
  } else {
    PrintTimeline(v.timeline, v.custody, out);
  }
  PrintVerdicts(v.messages, v.custody, v.timeline, out);
  if (!v.custody_note.empty()) out << "  custody: " << Safe(v.custody_note) << '\n';
  if (!v.shrunk.empty()) {
    out << "  shrunk:";
    for (size_t i = 0; i < v.shrunk.size(); ++i) out << (i ? "; " : " ") << Safe(v.shrunk[i]);
    out << '\n';
  }
  if (!v.replay.empty()) out << "  replay: " << Safe(v.replay) << '\n';
  if (!v.kept.empty()) out << "  kept: " << Safe(v.kept) << "  (this schedule's tree)\n";
}

void PrintExpectation(const SuiteResult& r, std::ostream& out) {
  if (!r.judged) {
    out << "  not judged here (judged over all shards): none of this shard's "
        << Schedules(r.schedules) << " broke an invariant\n";
    return;
  }
  if (r.met) {
    out << "  expectation met\n";
    return;
  }
  switch (r.outcome) {
    case Outcome::kPass:
      out << "  expectation NOT met: expected a violation, none of the " << Schedules(r.schedules)
          << " broke an invariant\n";
      break;
    case Outcome::kViolation:
      out << "  expectation NOT met: expected pass, found a violation\n";
      break;
    case Outcome::kError:
      out << "  expectation NOT met: the suite did not run to an outcome\n";
      break;
  }
}

}  // namespace

void PrintSuiteResult(const SuiteResult& r, std::ostream& out) {
  const std::string name = Safe(r.name.empty() ? r.file : r.name);
  if (r.outcome == Outcome::kError) {
    out << "ERROR  " << name << ": " << Safe(r.error) << '\n';
    PrintExpectation(r, out);
    return;
  }
  const std::string stats = Schedules(r.schedules) + ", " + Coverage(r) + ", " +
                            Duration(r.wall_ms);
  if (r.outcome == Outcome::kPass && r.violations.empty()) {
    out << "PASS  " << name << "  " << Setup(r) << "  " << stats << '\n';
    if (!r.met) PrintExpectation(r, out);
    return;
  }

  const char* word = r.outcome == Outcome::kViolation ? "VIOLATION" : "PASS";
  out << word << "  " << name << "  " << Setup(r) << " \u2014 expected: " << ExpectName(r.expect)
      << (!r.judged ? " (not judged here)" : r.met ? " (met)" : " (NOT met)") << '\n';
  if (!r.description.empty()) out << "  " << Safe(r.description) << '\n';
  for (const Violation& v : r.violations) PrintViolation(v, out);
  uint64_t violating = std::max<uint64_t>(r.violating_schedules, r.violations.size());
  out << "  " << violating << " of " << Schedules(r.schedules) << " violated; " << Coverage(r)
      << "; " << Duration(r.wall_ms) << '\n';
  PrintExpectation(r, out);
}

void PrintTrace(const SuiteResult& r, std::ostream& out) {
  if (!r.has_trace) return;
  out << "REPLAY  " << Safe(r.name.empty() ? r.file : r.name) << "  " << Setup(r) << '\n';
  PrintViolation(r.trace, out);
}

void PrintSummary(const RunResult& r, std::ostream& out) {
  size_t met = 0, not_met = 0, errors = 0, unjudged = 0;
  for (const SuiteResult& s : r.suites) {
    if (s.outcome == Outcome::kError) {
      ++errors;
    } else if (!s.judged) {
      ++unjudged;
    } else if (s.met) {
      ++met;
    } else {
      ++not_met;
    }
  }
  size_t n = r.suites.size();
  out << n << (n == 1 ? " suite: " : " suites: ") << met << " met, " << not_met << " not met, ";
  if (unjudged > 0) out << unjudged << " not judged here, ";
  out << errors << (errors == 1 ? " error" : " errors") << '\n';
}

}  // namespace intransit
