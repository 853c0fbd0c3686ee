// Fault kinds: what may happen to an actor at a point.
//
// A suite's [[faults]] entry names a point, a kind and the kind's own keys.
// The keys every kind shares (point, nth, times, probability) are the suite
// loader's business and live in FaultRule; a kind only says what one firing
// does, as a FaultEffect: hold the actor (delay, reorder) or change the
// step's outcome (fail, crash). Kinds know nothing of stores, adapters or
// strategies: the runner interprets the effect.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/params.h"
#include "base/status.h"
#include "store/gate.h"

namespace intransit {

// The actor may not pass its point until every condition set here holds.
struct Hold {
  int steps = 0;            // this many steps of other actors have run
  std::string until_point;  // another actor has passed this point
  std::string until_actor;  // ... and it was this actor ("" = any other)
  int64_t ms_lo = 0;        // live mode: sleep a wall-clock time in [lo, hi] (delay)
  int64_t ms_hi = 0;
  int64_t timeout_ms = 0;  // live mode: stop waiting for until_point after this (reorder)
};

struct FaultEffect {
  std::optional<Hold> hold;
  std::optional<Decision> decision;  // replaces "go"
};

class Fault {
 public:
  virtual ~Fault() = default;
  virtual const char* kind() const = 0;
  // Adds what one firing does to `effect`. Pure: the same call, the same effect.
  virtual void Fire(FaultEffect* effect) const = 0;
  // A short phrase for timelines and reports: "fail tempfail before".
  virtual std::string Describe() const = 0;
};

struct FaultKind {
  std::string name;
  std::string summary;
  std::vector<ParamSpec> keys;  // the kind's own keys, besides the shared ones
  // REQUIRES: `params` passed validation against `keys`. An error names the key.
  std::function<Result<std::unique_ptr<Fault>>(const Params& params)> make;
};

// One [[faults]] entry of a suite, ready to run.
struct FaultRule {
  std::string point;
  int64_t nth = 1;           // the first arrival at the point that may fire
  int64_t times = 1;         // how many arrivals fire; 0 = every one from nth on
  double probability = 1.0;  // each eligible arrival fires with this chance
  std::shared_ptr<const Fault> fault;
  std::string where;        // "suite.toml:31:1" (the table), for messages
  std::string point_where;  // "suite.toml:33:9" (the point's value), for an unknown point
  // Other points the kind's keys name (reorder's `until`): key, point, where.
  struct NamedPoint {
    std::string key;
    std::string point;
    std::string where;
  };
  std::vector<NamedPoint> named_points;
};

// Bounds the kinds' ParamSpecs share (docs/suite-format.md): an arrival
// count (nth, times) and a live-mode wait (delay's ms, reorder's timeout_ms,
// about 11.6 days: far past any run, well inside an int).
inline constexpr int64_t kMaxArrivals = 1000000;
inline constexpr int64_t kMaxWaitMs = 1000000000;

// The shared keys, listed by `intransit list faults`.
std::vector<ParamSpec> SharedFaultKeys();

class FaultRegistry {
 public:
  static FaultRegistry& Global();
  void Add(FaultKind kind);
  const FaultKind* Find(const std::string& name) const;
  std::vector<std::string> Names() const;
  const std::vector<FaultKind>& All() const { return kinds_; }

 private:
  std::vector<FaultKind> kinds_;
};

// Registers delay, reorder, fail, ... into FaultRegistry::Global(). Idempotent.
void RegisterBuiltinFaults();

}  // namespace intransit
