// Custody: see custody.h. Locations are compared as sorted lists of
// "server:user/folder" strings, one per copy, so two copies in one folder
// count twice (a duplicate is a second entry, not the same one).
#include "oracle/custody.h"

#include <algorithm>
#include <iterator>

namespace intransit {
namespace {

std::string Place(const MessageCopy& c) { return c.server + ":" + c.user + "/" + c.folder; }

bool IsHolding(const Snapshot& s, const std::string& folder) {
  return std::find(s.holding_folders.begin(), s.holding_folders.end(), folder) !=
         s.holding_folders.end();
}

std::vector<std::string> Locations(const StepState& s, const std::string& message) {
  std::vector<std::string> out;
  for (const MessageCopy& c : s.copies) {
    if (c.message == message) out.push_back(Place(c));
  }
  std::sort(out.begin(), out.end());
  return out;
}

// a minus b, as multisets. REQUIRES: both sorted.
std::vector<std::string> Minus(const std::vector<std::string>& a,
                               const std::vector<std::string>& b) {
  std::vector<std::string> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    // Two copies in one place read "dst:alice/INBOX (2 copies)", not a list.
    size_t n = 1;
    while (i + n < v.size() && v[i + n] == v[i]) ++n;
    if (!out.empty()) out += ", ";
    out += v[i];
    if (n > 1) out += " (" + std::to_string(n) + " copies)";
    i += n - 1;
  }
  return out;
}

// The point of step `step`, the actor's name when it has none, "" when the
// timeline does not hold it.
std::string PointOf(const std::vector<Event>& timeline, int step) {
  for (const Event& e : timeline) {
    if (e.step == step && !e.probe) return e.point.empty() ? e.actor : e.point;
  }
  return "";
}

// "step 4 (copy)"
std::string At(const std::vector<Event>& timeline, int step) {
  const std::string point = PointOf(timeline, step);
  return "step " + std::to_string(step) + (point.empty() ? "" : " (" + point + ")");
}

// Whether the step that took `message` out of every place in `gone` left
// other mail there: the place was written over rather than deleted.
bool Overwritten(const StepState& after, const std::string& message,
                 const std::vector<std::string>& gone) {
  for (const MessageCopy& c : after.copies) {
    if (c.message == message) continue;
    if (std::find(gone.begin(), gone.end(), Place(c)) != gone.end()) return true;
  }
  return false;
}

// The first state of the last run of states (up to the end) in which `holds`
// is true; -1 when it does not hold at the end.
template <typename Pred>
int FinalRunStart(size_t n, Pred holds) {
  int start = -1;
  for (size_t i = n; i-- > 0;) {
    if (!holds(i)) break;
    start = static_cast<int>(i);
  }
  return start;
}

}  // namespace

std::vector<MessageCustody> DeriveCustody(const std::vector<CustodySubject>& subjects,
                                          const std::vector<StepState>& states,
                                          const std::vector<Event>& timeline, const Snapshot& end) {
  std::vector<MessageCustody> out;
  out.reserve(subjects.size());
  for (const CustodySubject& m : subjects) {
    MessageCustody& c = out.emplace_back();
    c.message = m.message;
    std::vector<std::vector<std::string>> locs;
    locs.reserve(states.size());
    for (const StepState& s : states) locs.push_back(Locations(s, m.message));

    // The trail, the moves, and the story so far: how it arrived and moved.
    std::vector<std::string> story;
    int prev_change = -1;  // the state its places last changed in, before the latest change
    int last_change = -1;
    for (size_t i = 0; i < states.size(); ++i) {
      const int step = states[i].step;
      if (!locs[i].empty()) {
        for (const std::string& l : locs[i]) c.trail.push_back({step, l});
      } else if (i > 0 && !locs[i - 1].empty()) {
        c.trail.push_back({step, ""});
      }
      static const std::vector<std::string> kNowhere;
      const std::vector<std::string>& prev = i > 0 ? locs[i - 1] : kNowhere;
      const std::vector<std::string> added = Minus(locs[i], prev);
      const std::vector<std::string> removed = Minus(prev, locs[i]);
      if (added.empty() && removed.empty()) continue;
      prev_change = last_change;
      last_change = static_cast<int>(i);
      if (i == 0) {
        story.push_back("in " + Join(added) + " at the start");
        continue;
      }
      std::string what;
      if (prev.empty()) {
        what = (step == m.accepted_step ? "accepted into " : "stored in ") + Join(added);
      } else if (locs[i].empty()) {
        what = "gone from " + Join(removed) + ": " +
               (Overwritten(states[i], m.message, removed) ? "overwritten" : "deleted");
      } else if (!added.empty() && !removed.empty()) {
        what = "moved from " + Join(removed) + " to " + Join(added);
      } else if (!added.empty()) {
        // A copy more where it already was is a second copy, not a copy.
        const bool again = std::all_of(added.begin(), added.end(), [&prev](const std::string& a) {
          return std::find(prev.begin(), prev.end(), a) != prev.end();
        });
        what = (again ? "another copy in " : "copied to ") + Join(added);
      } else {
        what = "removed from " + Join(removed);
      }
      c.moves.push_back({step, PointOf(timeline, step), what});
      story.push_back(what + " at " + At(timeline, step));
    }

    // Names state i's step decisive. When the story's last line is already
    // that step's move, `tail` finishes it; otherwise `words` follow it.
    auto decide = [&](size_t i, std::string mark, const std::string& words,
                      const std::string& tail) {
      c.decisive_step = states[i].step;
      c.mark = std::move(mark);
      if (!c.moves.empty() && c.moves.back().step == c.decisive_step && !story.empty()) {
        story.back() += tail;
      } else {
        story.push_back(words + tail);
      }
    };
    const std::string home(end.HomeOf(m.user));
    switch (m.verdict) {
      case Verdict::kLost: {
        int last = -1;  // the last state it was somewhere in
        for (size_t i = 0; i < states.size(); ++i) {
          if (!locs[i].empty()) last = static_cast<int>(i);
        }
        if (last < 0) {
          // Never stored: the step that said 250 decided it.
          if (m.accepted_step > 0) {
            c.decisive_step = m.accepted_step;
            c.mark = "accepted, never stored";
            story.push_back("accepted at " + At(timeline, m.accepted_step) +
                            " but never stored anywhere");
          }
          break;
        }
        if (static_cast<size_t>(last) + 1 >= states.size()) break;  // there at the end
        const size_t gone = static_cast<size_t>(last) + 1;
        const bool over = Overwritten(states[gone], m.message, locs[last]);
        // The last story line says "gone from ...": the decisive words
        // replace it, after how long it sat still (the KB's "flagged at 3").
        story.pop_back();
        if (last > prev_change) {
          story.push_back("still there after " + At(timeline, states[last].step));
        }
        story.push_back(std::string(over ? "overwritten" : "deleted") + " by " +
                        PointOf(timeline, states[gone].step) + " at step " +
                        std::to_string(states[gone].step));
        c.decisive_step = states[gone].step;
        c.mark = std::string("gone: ") + (over ? "overwritten" : "deleted");
        break;
      }
      case Verdict::kDuplicated: {
        auto at_home = [&](size_t i) {
          int n = 0;
          for (const MessageCopy& x : states[i].copies) {
            if (x.message == m.message && x.user == m.user && x.server == home &&
                !IsHolding(end, x.folder)) {
              ++n;
            }
          }
          return n;
        };
        const int i = FinalRunStart(states.size(), [&](size_t k) { return at_home(k) >= 2; });
        if (i < 0) break;
        decide(static_cast<size_t>(i), "second copy",
               "the second copy in " + home + ":" + m.user + " made by " +
                   At(timeline, states[static_cast<size_t>(i)].step),
               ": the second copy, never removed");
        break;
      }
      case Verdict::kStranded:
      case Verdict::kMisdelivered: {
        // Where it ended that it should not have: another user's mailbox, a
        // holding folder, a server the directory does not name.
        const bool mis = m.verdict == Verdict::kMisdelivered;
        std::string where;
        for (const MessageCopy& x : end.copies) {
          if (x.message != m.message) continue;
          const bool wrong =
              mis ? x.user != m.user
                  : x.user == m.user && (x.server != home || IsHolding(end, x.folder));
          if (wrong) where = Place(x);
        }
        if (where.empty() || states.empty()) break;
        const int i = FinalRunStart(states.size(), [&](size_t k) {
          return std::find(locs[k].begin(), locs[k].end(), where) != locs[k].end();
        });
        if (i < 0) break;
        if (i == 0 && last_change > 0) {
          // There from the start: the step that took its other copies
          // away (the home one) left it stranded there.
          decide(static_cast<size_t>(last_change),
                 (mis ? "misdelivered to " : "stranded in ") + where,
                 "left only in " + where + " by " + At(timeline, states[last_change].step),
                 "; left only in " + where);
          break;
        }
        const std::string at = At(timeline, states[static_cast<size_t>(i)].step);
        if (mis) {
          decide(static_cast<size_t>(i), "misdelivered to " + where,
                 "put in " + where + " by " + at, ": another user's mailbox");
        } else {
          decide(static_cast<size_t>(i), "stranded in " + where, "put in " + where + " by " + at,
                 "; no later step took it out");
        }
        break;
      }
      default:
        break;
    }
    for (size_t i = 0; i < story.size(); ++i) c.story += (i ? ", " : "") + story[i];
  }
  return out;
}

}  // namespace intransit
