// The shrinker: see shrinker.h.
#include "explore/shrinker.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "explore/replay_strategy.h"

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

// Replays a schedule given as the order in which actors took their steps:
// at each choice, the next actor of the sequence that can run (those that
// cannot are passed over), then the default once the sequence is used up.
// Edits of this sequence keep their meaning where edits of raw choices
// would shift it: deleting a bystander's run of steps moves exactly those.
class SequenceStrategy : public Strategy {
 public:
  SequenceStrategy(std::vector<int> actors, std::vector<int> fires)
      : actors_(std::move(actors)), fires_(std::move(fires)) {}
  bool BeginSchedule(uint64_t) override { return true; }
  int ChooseActor(const std::vector<int>& options, int step, bool, int) override {
    // Steps taken without a choice (one option) used up their entry too.
    while (next_ < actors_.size() && static_cast<int>(next_) < step - 1) ++next_;
    while (next_ < actors_.size()) {
      int a = actors_[next_++];
      if (std::find(options.begin(), options.end(), a) != options.end()) return a;
    }
    return options[0];
  }
  bool ChooseFire(double) override { return fire_ < fires_.size() ? fires_[fire_++] == 1 : true; }
  void EndSchedule() override {}
  bool complete() const override { return true; }

 private:
  std::vector<int> actors_;
  std::vector<int> fires_;
  size_t next_ = 0;
  size_t fire_ = 0;
};

struct Trial {
  bool violates = false;
  Size size;
  Schedule schedule;
  std::vector<int> actors;  // who took each step, in order
};

std::vector<int> Values(const Schedule& s) {
  std::vector<int> v;
  for (const auto& c : s.choices) v.push_back(c.value);
  return v;
}

}  // namespace

Result<ShrinkResult> ShrinkSchedule(Runner* runner, const Oracle& oracle,
                                    const Schedule& original,
                                    const std::vector<std::string>& invariants,
                                    const std::vector<std::string>& actor_names, int max_runs) {
  ShrinkResult result;
  std::map<std::string, int> ids;
  for (size_t i = 0; i < actor_names.size(); ++i) ids[actor_names[i]] = static_cast<int>(i);
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
    t.actors.clear();
    for (size_t i = 0; i < tl.size(); ++i) {
      if (!tl[i].probe) t.actors.push_back(ids.at(tl[i].actor));
    }
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

  // First by whole runs of one actor's steps: a bystander that went first
  // is moved out of the way, to wherever the default puts it.
  auto fires_of = [](const Schedule& s) {
    std::vector<int> f;
    for (const auto& c : s.choices) {
      if (c.kind == ChoiceKind::kFire) f.push_back(c.value);
    }
    return f;
  };
  bool moved = true;
  while (moved && result.runs < max_runs) {
    moved = false;
    const std::vector<int> seq = best.actors;
    for (size_t start = 0; start < seq.size() && result.runs < max_runs; ++start) {
      size_t end = start;
      while (end < seq.size() && seq[end] == seq[start]) ++end;
      std::vector<int> edited(seq.begin(), seq.begin() + static_cast<long>(start));
      edited.insert(edited.end(), seq.begin() + static_cast<long>(end), seq.end());
      SequenceStrategy strategy(edited, fires_of(best.schedule));
      auto t = measure(&strategy);
      if (!t.ok()) return t.status();
      if (t->violates && t->size < best.size) {
        best = std::move(*t);
        moved = true;
        break;
      }
      start = end - 1;
    }
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
