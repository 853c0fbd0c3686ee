// The history of one schedule: the timeline of steps and the ledger of mail.
//
// The runner appends one Event per point an actor passes and records every
// delivery attempt's answer in the Ledger; the oracle reads both, the reports
// print the timeline. Both are reused across schedules (Clear keeps the
// allocated strings), so exploring a million schedules allocates nothing
// once warm.
#pragma once

#include <string>
#include <vector>

#include "store/adapter.h"

namespace intransit {

struct Event {
  int step = 0;  // 1-based, in the order the steps ran
  std::string actor;
  std::string point;
  std::string server;
  std::string user;
  std::string message;
  std::string what;   // the step, and what it did: "accepted into INBOX"
  std::string fault;  // the fault that fired here: "reorder until deliver", "fail tempfail before"
  bool injected = false;  // the step's failure was planted by a fault
  bool probe = false;     // an I/O call inside a step (Gate::Probe), not a step
};

class Timeline {
 public:
  // A slot at the end, reset to empty fields (keeping their capacity).
  Event& Append() { return slots_[Commit(Stage())]; }
  // A slot reset like Append's but not yet in the timeline: the runner
  // fills an actor's next step in at its arrival and commits it when the
  // step is granted, so the strings are written once, never moved. A
  // staged slot is valid until Clear; one never committed is dropped there.
  size_t Stage();
  Event& staged(size_t slot) { return slots_[slot]; }
  // Puts a staged slot at the end of the timeline and numbers its step;
  // returns `slot`. REQUIRES: Stage gave `slot` since the last Clear and it
  // was not committed yet.
  size_t Commit(size_t slot);
  void Clear() {
    order_.clear();
    used_ = 0;
  }
  size_t size() const { return order_.size(); }
  const Event& operator[](size_t i) const { return slots_[order_[i]]; }
  Event& at(size_t i) { return slots_[order_[i]]; }
  std::vector<Event> ToVector() const;

 private:
  std::vector<Event> slots_;  // reused across schedules; the first used_ are this one's
  size_t used_ = 0;
  std::vector<size_t> order_;  // the slots in timeline order
};

struct Attempt {
  int step = 0;  // timeline step of the "deliver" point; 0 if none was passed
  Answer answer = Answer::kTempfail;
  std::string server;  // where the store says it stored it (accepted)
};

struct LedgerEntry {
  std::string message;  // Message-ID
  std::string user;     // recipient
  std::string actor;    // sender actor, "" for mail present before the move
  bool preexisting = false;
  std::vector<Attempt> attempts;
  bool ndr = false;  // the sender generated a non-delivery report

  bool accepted() const;  // some attempt was answered "accepted"
};

struct MoveRecord {
  std::string actor;
  std::string user;
  std::string from;
  std::string to;
  MoveResult result = MoveResult::kFailed;
  bool recovered = false;  // result comes from Recover after a crash
};

class Ledger {
 public:
  void Clear();
  // Keeps the messages and forgets what became of them: attempts, NDRs,
  // moves. For a runner whose every schedule adds the same messages.
  void Rewind();
  // Adds a message; returns its index for later Attempt/NDR records.
  size_t AddMessage(const std::string& message, const std::string& user, const std::string& actor,
                    bool preexisting);
  LedgerEntry& entry(size_t i) { return entries_[i]; }
  const LedgerEntry& entry(size_t i) const { return entries_[i]; }
  size_t size() const { return size_; }
  void AddMove(MoveRecord move) { moves_.push_back(std::move(move)); }
  const std::vector<MoveRecord>& moves() const { return moves_; }

 private:
  std::vector<LedgerEntry> entries_;
  size_t size_ = 0;
  std::vector<MoveRecord> moves_;
};

}  // namespace intransit
