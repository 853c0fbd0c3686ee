// The oracle's rules (DESIGN §7). A message's verdict comes from where its
// copies are, looked at from its recipient's home server as the directory
// names it at the end:
//   in another user's mailbox          MISDELIVERED
//   more than once in the home mailbox DUPLICATED
//   once in the home mailbox           delivered
//   only in a holding folder or on a server that is not home: STRANDED
//   nowhere: bounced if an NDR was written, LOST if it was accepted (or was
//   there before the move), deferred if it never was accepted.
#include "oracle/oracle.h"

#include <algorithm>

namespace intransit {
namespace {

bool IsHolding(const Snapshot& s, const std::string& folder) {
  return std::find(s.holding_folders.begin(), s.holding_folders.end(), folder) !=
         s.holding_folders.end();
}

std::string Place(const MessageCopy& c) { return c.server + ":" + c.user + "/" + c.folder; }

}  // namespace

const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kDelivered: return "delivered";
    case Verdict::kBounced: return "bounced";
    case Verdict::kDeferred: return "deferred";
    case Verdict::kLost: return "LOST";
    case Verdict::kDuplicated: return "DUPLICATED";
    case Verdict::kStranded: return "STRANDED";
    case Verdict::kMisdelivered: return "MISDELIVERED";
  }
  return "?";
}

std::vector<std::string> OracleResult::Invariants() const {
  std::vector<std::string> names;
  for (const auto& b : breaches) {
    if (std::find(names.begin(), names.end(), b.invariant) == names.end()) {
      names.push_back(b.invariant);
    }
  }
  return names;
}

Oracle::Oracle(OracleSpec spec) : spec_(std::move(spec)) {}

void Oracle::Check(const Ledger& ledger, const Snapshot& snapshot, OracleResult* out,
                   bool explain) const {
  out->Clear();
  // Without `explain` every string stays empty: the explorer judges most
  // schedules that way and asks for the words only when one breaks a rule.
  auto breach = [&](const char* invariant, auto&& detail) {
    if (!spec_.Checks(invariant)) return;
    Breach& b = out->breaches.emplace_back();
    b.invariant = invariant;
    if (explain) b.detail = detail();
  };

  for (size_t i = 0; i < ledger.size(); ++i) {
    const LedgerEntry& e = ledger.entry(i);
    const std::string_view home = snapshot.HomeOf(e.user);
    int at_home = 0;
    const MessageCopy* elsewhere = nullptr;
    const MessageCopy* misplaced = nullptr;
    for (const auto& c : snapshot.copies) {
      if (c.message != e.message) continue;
      if (c.user != e.user) {
        misplaced = &c;
      } else if (c.server == home && !IsHolding(snapshot, c.folder)) {
        ++at_home;
      } else {
        elsewhere = &c;
      }
    }

    MessageVerdict& v = out->verdicts.emplace_back();
    if (explain) {
      v.message = e.message;
      v.user = e.user;
    }
    auto says = [&](auto&& detail) {
      if (explain) v.detail = detail();
    };
    const std::string h(explain ? home : std::string_view());
    if (misplaced != nullptr) {
      v.verdict = Verdict::kMisdelivered;
      says([&] { return "found in " + Place(*misplaced) + ", not " + e.user + "'s mailbox"; });
      breach(kNoMisdelivery, [&] { return e.message + " " + v.detail; });
    } else if (at_home > 1) {
      v.verdict = Verdict::kDuplicated;
      says([&] { return std::to_string(at_home) + " copies in " + h + ":" + e.user; });
      breach(kNoDuplicates, [&] { return e.message + ": " + v.detail; });
    } else if (at_home == 1) {
      v.verdict = Verdict::kDelivered;
      says([&] { return "in " + h + ":" + e.user; });
    } else if (elsewhere != nullptr) {
      v.verdict = Verdict::kStranded;
      says([&] { return "only in " + Place(*elsewhere) + "; the directory names " + h; });
      breach(kNoStranded, [&] { return e.message + " " + v.detail; });
      if (e.preexisting) {
        breach(kPreserved, [&] { return e.message + " is no longer in the mailbox"; });
      }
    } else if (e.preexisting) {
      v.verdict = Verdict::kLost;
      says([] { return std::string("was in the mailbox before the move; no copy anywhere"); });
      breach(kPreserved, [&] { return e.message + ": " + v.detail; });
      breach(kNoSilentLoss, [&] { return e.message + ": " + v.detail; });
    } else if (e.ndr) {
      v.verdict = Verdict::kBounced;
      says([] { return std::string("the sender wrote an NDR"); });
    } else if (e.accepted()) {
      v.verdict = Verdict::kLost;
      says([&] {
        for (const auto& a : e.attempts) {
          if (a.answer == Answer::kAccepted) {
            return "accepted at step " + std::to_string(a.step) + " by " + a.server +
                   "; no copy anywhere; no NDR";
          }
        }
        return std::string();
      });
      breach(kNoSilentLoss, [&] { return e.message + " " + v.detail; });
    } else {
      v.verdict = Verdict::kDeferred;
      says([] { return std::string("never accepted; still queued"); });
    }
  }

  // Mail left behind: in a holding folder, or on the old server of a
  // completed move, even when a copy also reached the mailbox.
  for (const auto& c : snapshot.copies) {
    if (IsHolding(snapshot, c.folder)) {
      breach(kNoStranded, [&] { return c.message + " left in " + Place(c); });
      continue;
    }
    for (const auto& m : ledger.moves()) {
      if (m.result == MoveResult::kDone && m.user == c.user && c.server == m.from) {
        breach(kNoStranded, [&] { return c.message + " left on the old server in " + Place(c); });
      }
    }
  }

  for (const auto& m : ledger.moves()) {
    const std::string_view home = snapshot.HomeOf(m.user);
    switch (m.result) {
      case MoveResult::kDone:
        if (home != m.to) {
          breach(kMoveCompletes, [&] {
            return "the move of " + m.user + " reported done but the directory names " +
                   std::string(home);
          });
        }
        break;
      case MoveResult::kFailed: {
        // Cleanly: nothing of the user's left half-built on the destination.
        const MessageCopy* left = nullptr;
        for (const auto& c : snapshot.copies) {
          if (c.user == m.user && c.server == m.to) left = &c;
        }
        if (left != nullptr) {
          breach(kMoveCompletes, [&] {
            return "the move of " + m.user + " failed and left mail on " + m.to + " (" +
                   left->message + " in " + Place(*left) + ")";
          });
        }
        if (home != m.from) {
          breach(kMoveCompletes, [&] {
            return "the move of " + m.user + " failed and did not roll back: the directory names " +
                   std::string(home);
          });
        }
        break;
      }
      case MoveResult::kCrashed:
        breach(kMoveCompletes,
               [&] { return "the move of " + m.user + " crashed and was never recovered"; });
        break;
    }
  }
}

}  // namespace intransit
