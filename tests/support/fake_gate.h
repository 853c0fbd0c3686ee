// The one fake Gate of the tests: a gate with no scheduler, for a test that
// calls a store directly. It answers go, or the decisions scripted per point
// (Script for a Pass, ScriptProbe for a Probe; each used `times` times,
// then go), records every Pass, Note and Touch in order, and can run
// another actor's call while this one waits at a point (`at_pass`), as a
// schedule would. Steps() cuts the record the way the runner does: a step
// is a Pass and the touches after it, up to the next Pass (touches before
// the first Pass belong to the actor's previous step, outside the call).
//
//   FakeGate gate;
//   gate.Script("copy", Crash());             // the next Pass at copy crashes
//   auto r = deployment->Move(gate, ...);
//   CHECK(gate.Passed() == std::vector<std::string>{"create", "copy"});
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

class FakeGate : public Gate {
 public:
  // Called at each Pass, before it answers: another actor's call runs here.
  std::function<void(std::string_view point)> at_pass;
  // Whether the store is told to name what it touches (Gate::TracksTouches).
  bool track_touches = true;

  // What happened, in order: the notes and the last RanOn (the points
  // passed are Steps()).
  std::vector<std::string> notes;
  std::string ran_on;

  // The next `times` Passes (Probes) at `point` answer `d`; then go.
  void Script(std::string_view point, Decision d, int times = 1) {
    pass_script_[std::string(point)] = {d, times};
  }
  void ScriptProbe(std::string_view point, Decision d, int times = 1) {
    probe_script_[std::string(point)] = {d, times};
  }

  // Forgets every scripted decision not yet used.
  void ClearScripts() {
    pass_script_.clear();
    probe_script_.clear();
  }

  Decision Pass(const PointCall& call) override {
    steps_.push_back({std::string(call.point), {}});
    if (at_pass) at_pass(call.point);
    return Take(&pass_script_, call.point);
  }
  Decision Probe(const PointCall& call) override { return Take(&probe_script_, call.point); }
  void Note(std::string_view text) override { notes.emplace_back(text); }
  void RanOn(std::string_view server) override { ran_on.assign(server); }
  bool TracksTouches() const override { return track_touches; }
  void Touch(std::string_view object, Access access) override {
    auto& into = steps_.empty() ? before_ : steps_.back().touches;
    into.emplace_back(std::string(object), access);
  }

  const std::vector<RecordedStep>& Steps() const { return steps_; }
  // The points passed, in order (each step's point).
  std::vector<std::string> Passed() const {
    std::vector<std::string> points;
    for (const auto& s : steps_) points.push_back(s.point);
    return points;
  }
  // Forgets every step recorded so far (and the touches before them).
  void ForgetSteps() {
    steps_.clear();
    before_.clear();
  }
  // The touches before the first Pass.
  const std::vector<std::pair<std::string, Access>>& Before() const { return before_; }
  // The last step at `point`; fails the test when there is none.
  const RecordedStep& Last(std::string_view point) const {
    for (auto it = steps_.rbegin(); it != steps_.rend(); ++it) {
      if (it->point == point) return *it;
    }
    throw std::runtime_error("no step at " + std::string(point));
  }

  // Whether a note contains `part`.
  bool Noted(std::string_view part) const {
    for (const auto& n : notes) {
      if (n.find(part) != std::string::npos) return true;
    }
    return false;
  }

 private:
  struct Scripted {
    Decision decision;
    int times = 0;
  };
  using Script_ = std::map<std::string, Scripted, std::less<>>;
  static Decision Take(Script_* script, std::string_view point) {
    auto it = script->find(point);
    if (it == script->end() || it->second.times <= 0) return Decision{};
    --it->second.times;
    return it->second.decision;
  }

  Script_ pass_script_;
  Script_ probe_script_;
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

inline Decision Fail(Phase phase, FailError error = FailError::kTempfail) {
  Decision d;
  d.action = Decision::Action::kFail;
  d.phase = phase;
  d.error = error;
  return d;
}

inline Decision Crash() {
  Decision d;
  d.action = Decision::Action::kCrash;
  return d;
}

}  // namespace intransit::testing
