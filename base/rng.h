// The one random number generator of intransit: seeded, small, and the same
// on every machine and standard library (std:: distributions differ between
// implementations), so a seed means the same schedules everywhere. The
// strategies draw choices from it; the runner draws each actor's stream
// (a fault's probability) from it.
#pragma once

#include <cstdint>

namespace intransit {

// SplitMix64: small, fast, and the same on every machine.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next();
  // Uniform in [0, n). REQUIRES: n > 0.
  uint64_t Below(uint64_t n);
  // Uniform in [0, 1).
  double Unit();

 private:
  uint64_t state_;
};

}  // namespace intransit
