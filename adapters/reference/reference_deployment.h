// The reference store's deployment: two in-memory servers, a directory, the
// moves under way. Its delivery and set-up are in reference_adapter.cc, its
// mover (the steps of a Procedure, recovery, rollback) in
// reference_mover.cc; reference_adapter.cc says what the store models.
//
// Every step declares what it touches (Gate::Touch; docs/footprints.md has
// the table and the reasons), per user: `dir/alice` (her directory entry),
// `fwd/<srv>/alice` (whether srv forwards her mail), `box/<srv>/alice` (her
// mailbox exists there, and its InTransit flag), `<srv>/alice/INBOX` and
// `<srv>/alice/InTransit` (the folders' content), `move/alice` (the state of
// her moves, which Recover looks up by user).
#pragma once

#include <algorithm>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/reference/procedure.h"
#include "store/adapter.h"

namespace intransit::reference {

inline constexpr const char* kInbox = "INBOX";
inline constexpr const char* kInTransit = "InTransit";

inline bool Contains(const std::vector<std::string>& ids, std::string_view id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// Notes `fmt` (printf, with up to two size_t) on the step under way.
void NoteCount(Gate& gate, const char* fmt, size_t a, size_t b = 0);

struct Mailbox {
  std::string user;
  bool in_transit = false;
  std::vector<std::string> inbox;
  std::vector<std::string> transit;
};

struct Server {
  std::string name;
  std::vector<Mailbox> mailboxes;
  std::vector<std::pair<std::string, std::string>> forward;  // user -> server

  Mailbox* Find(std::string_view user) {
    for (auto& m : mailboxes) {
      if (m.user == user) return &m;
    }
    return nullptr;
  }
  void Remove(std::string_view user) {
    mailboxes.erase(std::remove_if(mailboxes.begin(), mailboxes.end(),
                                   [&](const Mailbox& m) { return m.user == user; }),
                    mailboxes.end());
  }
  const std::string* ForwardOf(std::string_view user) const {
    for (const auto& [u, s] : forward) {
      if (u == user) return &s;
    }
    return nullptr;
  }
  void StopForwarding(std::string_view user) {
    forward.erase(std::remove_if(forward.begin(), forward.end(),
                                 [&](const auto& f) { return f.first == user; }),
                  forward.end());
  }
};

// A move in progress: where it is, so that a crash can be resumed.
struct MoveState {
  std::string user, from, to;
  size_t next = 0;  // the step to run (again) next
  bool routed = false;
  int attempts = 0;                 // of the current step
  size_t part = 0;                  // copy = "message": the listed message to copy next
  std::vector<std::string> copied;  // what the copy listed
};

class ReferenceDeployment : public Deployment {
 public:
  ReferenceDeployment(const Procedure& procedure, bool copy_by_message)
      : proc_(procedure), copy_by_message_(copy_by_message) {
    servers_[0].name = "src";
    servers_[1].name = "dst";
  }

  // reference_adapter.cc
  Status Reset() override;
  Status Provision(std::string_view user, std::string_view server,
                   const std::vector<std::string>& messages) override;
  Result<DeliverResult> Deliver(Gate& gate, std::string_view user,
                                std::string_view message) override;
  Status Inspect(Snapshot* out) override;
  bool DeclaresFootprints() const override { return true; }

  // reference_mover.cc
  Result<MoveResult> Move(Gate& gate, std::string_view user, std::string_view to) override;
  Result<MoveResult> Recover(Gate& gate, std::string_view user) override;

 private:
  enum class Next { kRetry, kSkip, kStop };

  // The mover (reference_mover.cc).
  // Runs the procedure's steps from st.next to the end.
  Result<MoveResult> RunFrom(Gate& gate, MoveState& st);
  static bool IsCopy(StepKind k) { return k == StepKind::kCopyOver || k == StepKind::kCopyMerge; }
  Next OnFailure(Gate& gate, MoveState& st, StepKind k);
  // What step `k` of the move reads and changes, declared before it runs.
  void TouchStep(Gate& gate, const MoveState& st, StepKind k);
  Status Do(Gate& gate, MoveState& st, StepKind k);
  // copy = "message": one listed message per pass.
  Status CopyOne(Gate& gate, MoveState& st, StepKind k, Mailbox& target);
  // Undoes a move that has not switched the directory.
  void RollBack(Gate& gate, MoveState& st, bool forget_transit);

  // How a store into `folder` of `user` is declared (reference_adapter.cc).
  Access StoreAccess(std::string_view user, std::string_view folder) const;
  // Where the MTA's delivery ends up: the home server, or where it forwards
  // (reference_adapter.cc).
  const std::string& Route(Gate& gate, std::string_view user);

  Server* FindServer(std::string_view name) {
    for (auto& s : servers_) {
      if (s.name == name) return &s;
    }
    return nullptr;
  }

  // A reference, unlike HomeIn's view: Route hands it on as the server
  // the delivery goes to.
  const std::string& HomeOf(std::string_view user) const {
    static const std::string kNone;
    for (const auto& [u, s] : directory_) {
      if (u == user) return s;
    }
    return kNone;
  }

  void SetHome(std::string_view user, std::string_view server) {
    SetHomeIn(&directory_, user, server);
  }

  const Procedure& proc_;
  const bool copy_by_message_;
  Server servers_[2];
  Directory directory_;
  // A deque: a mover keeps a reference to its MoveState across gate.Pass,
  // while another mover may add its own.
  std::deque<MoveState> moves_;
};

}  // namespace intransit::reference
