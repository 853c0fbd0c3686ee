// A Gate for footprint tests of one adapter: it answers go (or a decision
// scripted per point), records every Pass and Touch in order, and can run
// another actor's call while this one waits at a point, as a schedule
// would. Steps() cuts the record the way the runner does: a step is a Pass
// and the touches after it, up to the next Pass (touches before the first
// Pass belong to the actor's previous step, outside the call).
#pragma once

#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "store/gate.h"

namespace intransit::testing {

struct RecordedStep {
  std::string point;
  std::vector<std::pair<std::string, Access>> touches;

  // Whether the step declared `access` to `object` (among others).
  bool Has(std::string_view object, Access access) const {
    for (const auto& [o, a] : touches) {
      if (o == object && a == access) return true;
    }
    return false;
  }
  // "create: write box/dst/alice, ..." for failure messages.
  std::string Describe() const {
    std::string out = point + ":";
    for (const auto& [o, a] : touches) out += std::string(" ") + AccessName(a) + " " + o + ",";
    return out;
  }
};

class RecordingGate : public Gate {
 public:
  // Called at each Pass, before it answers: another actor's call runs here.
  std::function<void(std::string_view point)> at_pass;
  // The answer to the next Pass at a point (used once); go otherwise.
  std::map<std::string, Decision, std::less<>> decisions;

  Decision Pass(const PointCall& call) override {
    steps_.push_back({std::string(call.point), {}});
    if (at_pass) at_pass(call.point);
    auto it = decisions.find(call.point);
    if (it == decisions.end()) return Decision{};
    Decision d = it->second;
    decisions.erase(it);
    return d;
  }
  Decision Probe(const PointCall&) override { return Decision{}; }
  void Note(std::string_view) override {}
  void RanOn(std::string_view) override {}
  bool TracksTouches() const override { return true; }
  void Touch(std::string_view object, Access access) override {
    auto& into = steps_.empty() ? before_ : steps_.back().touches;
    into.emplace_back(std::string(object), access);
  }

  const std::vector<RecordedStep>& Steps() const { return steps_; }
  // The touches before the first Pass.
  const std::vector<std::pair<std::string, Access>>& Before() const { return before_; }
  // The last step at `point`; fails the test when there is none.
  const RecordedStep& Last(std::string_view point) const {
    for (auto it = steps_.rbegin(); it != steps_.rend(); ++it) {
      if (it->point == point) return *it;
    }
    throw std::runtime_error("no step at " + std::string(point));
  }

 private:
  std::vector<RecordedStep> steps_;
  std::vector<std::pair<std::string, Access>> before_;
};

// Whether two steps' touches conflict (footprint.h): an object both touch,
// unless both only read it or both only append to it.
inline bool Conflict(const RecordedStep& a, const RecordedStep& b) {
  for (const auto& [o1, a1] : a.touches) {
    for (const auto& [o2, a2] : b.touches) {
      if (o1 != o2) continue;
      if (a1 == Access::kWrite || a2 == Access::kWrite || a1 != a2) return true;
    }
  }
  return false;
}

inline Decision Fail(Phase phase) {
  Decision d;
  d.action = Decision::Action::kFail;
  d.phase = phase;
  return d;
}

inline Decision Crash() {
  Decision d;
  d.action = Decision::Action::kCrash;
  return d;
}

}  // namespace intransit::testing
