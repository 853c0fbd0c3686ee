// The shrinker: see shrinker.h.
#include "framework/shrinker.h"

#include <algorithm>
#include <tuple>

#include "framework/exhaustive_strategy.h"
#include "framework/replay_strategy.h"

namespace intransit {
namespace {

struct Size {
  int bad = 0;     // messages that did not end delivered or bounced
  int faults = 0;  // steps at which a fault fired
  int preemptions = 0;
  int steps = 0;
  // Last, the choices themselves, compared as a word: among runs equal in
  // every count, the one that lets lower actors (the mover first) go first.
  std::vector<int> values;
  auto Key() const { return std::tie(bad, faults, preemptions, steps, values); }
  bool operator<(const Size& o) const { return Key() < o.Key(); }
};

struct Trial {
  bool violates = false;
  Size size;
  Schedule schedule;
};

std::vector<int> Values(const Schedule& s) {
  std::vector<int> v;
  for (const auto& c : s.choices) v.push_back(c.value);
  return v;
}

}  // namespace

Result<ShrinkResult> ShrinkSchedule(Runner* runner, const Oracle& oracle,
                                    const Schedule& original,
                                    const std::vector<std::string>& invariants, int max_runs) {
  ShrinkResult result;
  OracleResult judged;
  // Runs one schedule chosen by `strategy` and measures it.
  auto measure = [&](Strategy* strategy) -> Result<Trial> {
    ++result.runs;
    Status s = runner->Run(strategy);
    strategy->EndSchedule();
    if (!s.ok()) return s;
    oracle.Check(runner->ledger(), runner->snapshot(), &judged, false);
    Trial t;
    for (const auto& inv : judged.Invariants()) {
      if (std::find(invariants.begin(), invariants.end(), inv) != invariants.end()) {
        t.violates = true;
      }
    }
    for (const auto& v : judged.verdicts) {
      t.size.bad += v.verdict != Verdict::kDelivered && v.verdict != Verdict::kBounced;
    }
    const Timeline& tl = runner->timeline();
    for (size_t i = 0; i < tl.size(); ++i) t.size.faults += !tl[i].fault.empty();
    t.size.preemptions = runner->schedule().preemptions;
    t.size.steps = static_cast<int>(tl.size());
    t.size.values = Values(runner->schedule());
    t.schedule = runner->schedule();
    return t;
  };
  auto run = [&](const std::vector<int>& values) -> Result<Trial> {
    ReplayStrategy replay(values, /*lenient=*/true);
    replay.BeginSchedule(0);
    return measure(&replay);
  };

  auto first = run(Values(original));
  if (!first.ok()) return first.status();
  Trial best = *first;
  const Size start = best.size;
  if (!best.violates) {
    result.schedule = original;
    return result;
  }

  // First the CHESS way: most races need few preemptions, so look for the
  // same breach among the schedules with 0, 1, ... preemptions, in order,
  // while the budget lasts; the first found is as small as it gets there.
  // Each bound gets its own share of the budget, up to the found schedule's
  // own count (at which the search can still find an earlier schedule).
  for (int bound = 0; bound <= best.size.preemptions && result.runs < max_runs / 2; ++bound) {
    ExhaustiveStrategy bounded(bound);
    bool found = false;
    const int share = result.runs + max_runs / 6;
    for (uint64_t i = 0; result.runs < share && bounded.BeginSchedule(i); ++i) {
      auto t = measure(&bounded);
      if (!t.ok()) return t.status();
      if (t->violates && t->size < best.size) {
        best = std::move(*t);
        found = true;
        break;
      }
    }
    if (found) break;
  }

  bool improved = true;
  while (improved && result.runs < max_runs) {
    improved = false;
    const std::vector<Choice>& c = best.schedule.choices;
    std::vector<std::vector<int>> candidates;
    // Cheapest first: drop the tail, then undo single choices from the end
    // (late choices are most often noise after the race has happened).
    for (size_t keep = 0; keep < c.size(); ++keep) {
      std::vector<int> v;
      for (size_t i = 0; i < keep; ++i) v.push_back(c[i].value);
      candidates.push_back(v);
    }
    for (size_t i = 0; i < c.size(); ++i) {
      // Without choice i, every later choice moves up one: delta debugging's
      // deletion, which is what takes a bystander's early steps out.
      std::vector<int> v = Values(best.schedule);
      v.erase(v.begin() + static_cast<long>(i));
      candidates.push_back(v);
    }
    for (size_t i = 0; i < c.size(); ++i) {
      for (int lower = 0; c[i].kind == ChoiceKind::kActor && lower < c[i].value; ++lower) {
        std::vector<int> v = Values(best.schedule);
        v[i] = lower;
        candidates.push_back(v);
        // A lower actor going first usually makes the next choice moot.
        if (i + 1 < v.size()) {
          v.erase(v.begin() + static_cast<long>(i) + 1);
          candidates.push_back(v);
        }
      }
    }
    for (size_t i = c.size(); i-- > 0;) {
      if (c[i].kind == ChoiceKind::kFire && c[i].value == 1) {
        std::vector<int> v = Values(best.schedule);
        v[i] = 0;
        candidates.push_back(v);
      } else if (c[i].kind == ChoiceKind::kActor && c[i].value != c[i].first) {
        std::vector<int> v = Values(best.schedule);
        v[i] = c[i].first;
        candidates.push_back(v);
      }
    }
    for (const auto& v : candidates) {
      if (result.runs >= max_runs) break;
      auto t = run(v);
      if (!t.ok()) return t.status();
      if (t->violates && t->size < best.size) {
        best = std::move(*t);
        improved = true;
        break;
      }
    }
  }

  auto said = [&](const char* what, int from, int to) {
    if (from > to) {
      result.removed.push_back(std::string(what) + " " + std::to_string(from) + " -> " +
                               std::to_string(to));
    }
  };
  said("messages not delivered", start.bad, best.size.bad);
  said("fired faults", start.faults, best.size.faults);
  said("preemptions", start.preemptions, best.size.preemptions);
  said("steps", start.steps, best.size.steps);
  result.schedule = best.schedule;
  return result;
}

}  // namespace intransit
