// Footprints: see footprint.h.
#include "store/footprint.h"

#include <algorithm>

namespace intransit {

const char* AccessName(Access a) {
  switch (a) {
    case Access::kRead:
      return "read";
    case Access::kWrite:
      return "write";
    case Access::kAppend:
      return "append";
  }
  return "?";
}

bool ParseAccess(std::string_view text, Access* out) {
  if (text == "read") {
    *out = Access::kRead;
  } else if (text == "write") {
    *out = Access::kWrite;
  } else if (text == "append") {
    *out = Access::kAppend;
  } else {
    return false;
  }
  return true;
}

void Footprint::Add(int id, Access access) {
  const uint8_t bits = static_cast<uint8_t>(access);
  auto it = std::lower_bound(items_.begin(), items_.end(), id,
                             [](const std::pair<int, uint8_t>& p, int v) { return p.first < v; });
  if (it != items_.end() && it->first == id) {
    it->second |= bits;
  } else {
    items_.insert(it, {id, bits});
  }
}

void Footprint::AddAll(const Footprint& other) {
  if (other.global_) global_ = true;
  for (const auto& [id, bits] : other.items_) {
    for (uint8_t b = 1; b <= 4; b <<= 1) {
      if (bits & b) Add(id, static_cast<Access>(b));
    }
  }
}

namespace {

bool Clash(uint8_t a, uint8_t b) {
  constexpr uint8_t kR = static_cast<uint8_t>(Access::kRead);
  constexpr uint8_t kW = static_cast<uint8_t>(Access::kWrite);
  constexpr uint8_t kA = static_cast<uint8_t>(Access::kAppend);
  if ((a & kW) || (b & kW)) return true;
  return ((a & kR) && (b & kA)) || ((a & kA) && (b & kR));
}

}  // namespace

bool Footprint::Conflicts(const Footprint& other) const {
  if (global_ || other.global_) return true;
  // Both sorted by id: one merge pass.
  auto i = items_.begin();
  auto j = other.items_.begin();
  while (i != items_.end() && j != other.items_.end()) {
    if (i->first < j->first) {
      ++i;
    } else if (j->first < i->first) {
      ++j;
    } else {
      if (Clash(i->second, j->second)) return true;
      ++i;
      ++j;
    }
  }
  return false;
}

}  // namespace intransit
