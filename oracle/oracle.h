// The oracle: did the store keep every message it accepted?
//
// Reads the ledger (what the senders were told, which NDRs they wrote, how
// each move ended) and the snapshot (where every copy is at the end) and
// gives each message a verdict and each broken invariant a breach with its
// reason. A move that failed must have failed cleanly: directory unchanged,
// nothing left on the destination. It knows nothing of adapters: only Message-IDs, servers, users and
// folders, and which folders are holding folders.
#pragma once

#include <string>
#include <vector>

#include "run/history.h"
#include "store/adapter.h"
#include "suite/suite.h"

namespace intransit {

enum class Verdict { kDelivered, kBounced, kDeferred, kLost, kDuplicated, kStranded, kMisdelivered };
const char* VerdictName(Verdict v);  // "delivered", "LOST", ...

struct MessageVerdict {
  std::string message;
  std::string user;
  Verdict verdict = Verdict::kDelivered;
  std::string detail;  // "accepted at step 2 into dst:INBOX; no copy anywhere; no NDR"
};

struct Breach {
  std::string invariant;
  std::string detail;
};

struct OracleResult {
  std::vector<MessageVerdict> verdicts;
  std::vector<Breach> breaches;

  bool ok() const { return breaches.empty(); }
  std::vector<std::string> Invariants() const;  // distinct names, in order
  void Clear() {
    verdicts.clear();
    breaches.clear();
  }
};

class Oracle {
 public:
  explicit Oracle(OracleSpec spec);

  // Judges one schedule. `out` is cleared first. With `explain` false the
  // verdicts and breaches carry no words (message, user, detail stay empty):
  // cheap enough to run on every schedule; ask again with true to report one.
  void Check(const Ledger& ledger, const Snapshot& snapshot, OracleResult* out,
             bool explain = true) const;

 private:
  OracleSpec spec_;
};

}  // namespace intransit
