// The swap test: see swap.h.
#include "tests/support/swap.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "explore/random_strategy.h"
#include "run/runner.h"
#include "run/strategy.h"

namespace intransit::testing {
namespace {

struct StepRecord {
  int actor = -1;
  std::vector<int> options;
  Footprint fp;
  std::vector<bool> fires;  // the fire choices made inside the step
};

// Picks at random (seeded) and records each step; or follows a script of
// steps (actor and fire choices each), recording again.
class StepStrategy : public Strategy {
 public:
  explicit StepStrategy(uint64_t seed) : rng_(seed) {}
  void Follow(std::vector<bool> root, std::vector<StepRecord> script) {
    root_script_ = std::move(root);
    script_ = std::move(script);
    following_ = true;
  }

  bool BeginSchedule(uint64_t) override {
    steps_.clear();
    root_.clear();
    return true;
  }
  int ChooseActor(const std::vector<int>& o, int, bool, int) override { return o[0]; }
  bool ChooseFire(double p) override {
    std::vector<bool>& into = steps_.empty() ? root_ : steps_.back().fires;
    bool fire;
    if (following_) {
      const std::vector<bool>& from =
          steps_.empty() ? root_script_ : script_[steps_.size() - 1].fires;
      fire = into.size() < from.size() ? from[into.size()] : false;
      if (into.size() >= from.size()) off_script_ = "a fire choice the original had not";
    } else {
      fire = rng_.Unit() < p;
    }
    into.push_back(fire);
    return fire;
  }
  void EndSchedule() override {}
  bool complete() const override { return false; }
  bool tracks_steps() const override { return true; }
  int ChooseStep(const std::vector<int>& options) override {
    StepRecord& r = steps_.emplace_back();
    r.options = options;
    if (following_ && steps_.size() <= script_.size()) {
      r.actor = script_[steps_.size() - 1].actor;
      if (std::find(options.begin(), options.end(), r.actor) == options.end()) {
        off_script_ = "actor " + std::to_string(r.actor) + " was not enabled at step " +
                      std::to_string(steps_.size());
        r.actor = options[0];
      }
    } else {
      r.actor = options[rng_.Below(options.size())];
    }
    return r.actor;
  }
  void StepDone(const Footprint& fp) override { steps_.back().fp = fp; }

  const std::vector<StepRecord>& steps() const { return steps_; }
  const std::vector<bool>& root() const { return root_; }
  const std::string& off_script() const { return off_script_; }

 private:
  Rng rng_;
  bool following_ = false;
  std::vector<bool> root_script_;
  std::vector<StepRecord> script_;
  std::vector<StepRecord> steps_;
  std::vector<bool> root_;
  std::string off_script_;
};

std::string Answers(const Runner& runner) {
  std::vector<std::string> copies;
  for (const MessageCopy& c : runner.snapshot().copies) {
    copies.push_back(c.server + "/" + c.user + "/" + c.folder + "/" + c.message);
  }
  std::sort(copies.begin(), copies.end());
  std::string out;
  for (const auto& c : copies) out += c + "\n";
  auto dir = runner.snapshot().directory;
  std::sort(dir.begin(), dir.end());
  for (const auto& [user, server] : dir) out += "dir " + user + "=" + server + "\n";
  const Ledger& ledger = runner.ledger();
  for (const MoveRecord& m : ledger.moves()) out += std::string("move ") + MoveResultName(m.result) + "\n";
  for (size_t i = 0; i < ledger.size(); ++i) {
    const LedgerEntry& e = ledger.entry(i);
    out += e.message + ":";
    for (const Attempt& a : e.attempts) out += std::string(" ") + AnswerName(a.answer) + "@" + a.server;
    out += e.ndr ? " ndr\n" : "\n";
  }
  return out;
}

std::string Describe(const Runner& runner, const Suite& suite, const StepRecord& s) {
  std::string out = suite.actors[s.actor].name + " {";
  if (s.fp.global()) out += " global";
  for (const auto& [id, bits] : s.fp.items()) {
    out += " " + runner.object_name(id) + ":" + std::to_string(bits);
  }
  return out + " }";
}

}  // namespace

SwapReport SwapTest(const Suite& suite, uint64_t seed, int schedules) {
  SwapReport report;
  const AdapterInfo* info = AdapterRegistry::Global().Find(suite.adapter);
  if (info == nullptr) {
    report.failure = "no adapter " + suite.adapter;
    return report;
  }
  auto deployment = info->open(suite.adapter_config);
  if (!deployment.ok()) {
    report.failure = deployment.status().message();
    return report;
  }
  if (!(*deployment)->DeclaresFootprints()) {
    report.failure = "the deployment declares no footprints";
    return report;
  }
  Runner runner(suite, deployment->get(), info->needs_threads);
  Rng pick(seed ^ 0x5bd1e995);
  for (int n = 0; n < schedules; ++n) {
    StepStrategy original(seed + static_cast<uint64_t>(n));
    original.BeginSchedule(0);
    Status s = runner.Run(&original);
    if (!s.ok()) {
      report.failure = s.message();
      return report;
    }
    ++report.schedules;
    const std::string before = Answers(runner);
    const std::vector<StepRecord> steps = original.steps();
    // Every independent adjacent pair where the second could go first.
    std::vector<size_t> pairs;
    for (size_t k = 0; k + 1 < steps.size(); ++k) {
      const StepRecord& a = steps[k];
      const StepRecord& b = steps[k + 1];
      if (a.actor == b.actor || a.fp.Conflicts(b.fp)) continue;
      if (std::find(a.options.begin(), a.options.end(), b.actor) == a.options.end()) continue;
      pairs.push_back(k);
    }
    if (pairs.empty()) continue;
    const size_t k = pairs[pick.Below(pairs.size())];
    std::vector<StepRecord> script = steps;
    std::swap(script[k], script[k + 1]);
    StepStrategy swapped(0);
    swapped.Follow(original.root(), script);
    swapped.BeginSchedule(0);
    s = runner.Run(&swapped);
    if (!s.ok()) {
      report.failure = s.message();
      return report;
    }
    ++report.swaps;
    const std::string where = "schedule " + std::to_string(n) + ", steps " +
                              std::to_string(k + 1) + " and " + std::to_string(k + 2) + ": " +
                              Describe(runner, suite, steps[k]) + " then " +
                              Describe(runner, suite, steps[k + 1]);
    if (!swapped.off_script().empty()) {
      report.failure = "swapped " + where + ": " + swapped.off_script();
      return report;
    }
    const std::string after = Answers(runner);
    if (after != before) {
      report.failure = "swapped " + where + ": the outcome changed\nbefore:\n" + before +
                       "after:\n" + after;
      return report;
    }
  }
  return report;
}

}  // namespace intransit::testing
