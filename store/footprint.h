// Footprints: what one step of an actor touches, for partial-order reduction.
//
// A step runs from the grant of an actor to its next point (or its end).
// While it runs, the adapter declares each object it touches through
// Gate::Touch: a name of its own choosing ("dir/alice", "dst/alice/INBOX")
// and how it touches it. Two steps of different actors are independent —
// they commute, and exhaustive need try only one of their orders — when no
// object is touched by both with at least one of them writing it, and no
// object is appended to by one and read by the other:
//
//   read   vs read    commute      append vs append  commute
//   read   vs append  conflict     write  vs any     conflict
//
// Append is for adding an item no other step adds (a message with its own
// Message-ID) to a collection whose order nothing observes. Where order is
// observed (a copy that lists and copies one by one), use write.
//
// An adapter that declares its footprints says so
// (Deployment::DeclaresFootprints) and must then declare everything each
// step reads or changes, or reduction may miss interleavings. One that does
// not is run as if every step touched everything: no reduction, still sound.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace intransit {

enum class Access : uint8_t { kRead = 1, kWrite = 2, kAppend = 4 };

const char* AccessName(Access a);
// "read" | "write" | "append"; false for anything else.
bool ParseAccess(std::string_view text, Access* out);

// The objects one step touched, by interned id, each with the union of its
// accesses; or `global`: dependent with every other step.
class Footprint {
 public:
  void Clear() {
    items_.clear();
    global_ = false;
  }
  // Adds `access` to object `id`.
  void Add(int id, Access access);
  void AddAll(const Footprint& other);
  void SetGlobal() { global_ = true; }

  bool global() const { return global_; }
  bool empty() const { return items_.empty() && !global_; }
  // (id, access bits), sorted by id.
  const std::vector<std::pair<int, uint8_t>>& items() const { return items_; }

  // Whether the two steps conflict: see the table above.
  bool Conflicts(const Footprint& other) const;

  bool operator==(const Footprint& other) const {
    return global_ == other.global_ && items_ == other.items_;
  }

 private:
  std::vector<std::pair<int, uint8_t>> items_;
  bool global_ = false;
};

}  // namespace intransit
