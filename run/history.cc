// Timeline and Ledger storage, reused across schedules.
#include "run/history.h"

namespace intransit {

size_t Timeline::Stage() {
  if (used_ == slots_.size()) slots_.emplace_back();
  Event& e = slots_[used_];
  e.step = 0;
  e.actor.clear();
  e.point.clear();
  e.server.clear();
  e.user.clear();
  e.message.clear();
  e.what.clear();
  e.fault.clear();
  e.injected = false;
  e.probe = false;
  return used_++;
}

size_t Timeline::Commit(size_t slot) {
  order_.push_back(slot);
  slots_[slot].step = static_cast<int>(order_.size());
  return slot;
}

std::vector<Event> Timeline::ToVector() const {
  std::vector<Event> out;
  out.reserve(order_.size());
  for (size_t slot : order_) out.push_back(slots_[slot]);
  return out;
}

bool LedgerEntry::accepted() const {
  for (const auto& a : attempts) {
    if (a.answer == Answer::kAccepted) return true;
  }
  return false;
}

void Ledger::Clear() {
  size_ = 0;
  moves_.clear();
}

void Ledger::Rewind() {
  for (size_t i = 0; i < size_; ++i) {
    entries_[i].attempts.clear();
    entries_[i].ndr = false;
  }
  moves_.clear();
}

size_t Ledger::AddMessage(const std::string& message, const std::string& user,
                          const std::string& actor, bool preexisting) {
  if (size_ == entries_.size()) entries_.emplace_back();
  LedgerEntry& e = entries_[size_];
  e.message = message;
  e.user = user;
  e.actor = actor;
  e.preexisting = preexisting;
  e.attempts.clear();
  e.ndr = false;
  return size_++;
}

}  // namespace intransit
