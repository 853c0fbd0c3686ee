// What the benches of the real-server stores share: a clock in milliseconds
// and a gate that lets every step go (the bench times the store, not a
// scheduler, so the gate records nothing).
#pragma once

#include <chrono>
#include <string_view>

#include "store/gate.h"

namespace intransit::bench {

using Clock = std::chrono::steady_clock;

inline double MsSince(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

class GoGate : public Gate {
 public:
  Decision Pass(const PointCall&) override { return Decision(); }
  Decision Probe(const PointCall&) override { return Decision(); }
  void Note(std::string_view) override {}
  void RanOn(std::string_view) override {}
};

}  // namespace intransit::bench
