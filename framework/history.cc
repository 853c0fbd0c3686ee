// Timeline and Ledger storage, reused across schedules.
#include "framework/history.h"

namespace intransit {

Event& Timeline::Append() {
  if (size_ == events_.size()) events_.emplace_back();
  Event& e = events_[size_++];
  e.step = static_cast<int>(size_);
  e.actor.clear();
  e.point.clear();
  e.server.clear();
  e.user.clear();
  e.message.clear();
  e.what.clear();
  e.fault.clear();
  e.injected = false;
  e.probe = false;
  return e;
}

std::vector<Event> Timeline::ToVector() const {
  return std::vector<Event>(events_.begin(), events_.begin() + static_cast<long>(size_));
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
