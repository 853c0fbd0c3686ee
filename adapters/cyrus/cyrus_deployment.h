// The cyrus adapter's deployment; see cyrus_adapter.h for what it runs and
// how schedules are kept apart. Its parts live where their seam is:
//   cyrus_deployment.cc  the servers' set-up, Reset and Rebuild, Provision,
//                        Deliver over LMTP, Inspect over IMAP
//   cyrus_mover.cc       Move and Recover: the runbook's steps
//
// Footprints (footprints.h): every step declares what it touches through
// Gate::Touch, so DeclaresFootprints() is true. What a call reads before its
// first point (the route the point announces) belongs to the actor's
// previous step, and is declared there too.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/cyrus/cyrus_server.h"
#include "adapters/cyrus/runbook.h"
#include "store/adapter.h"

namespace intransit::cyrus {

// A real RFC 5322 message carrying the framework's Message-ID. The date is
// fixed so that runs are byte-for-byte repeatable. REQUIRES: `user` and
// `message` hold no CR, LF or NUL (CheckHeaderValue).
std::string MessageText(std::string_view user, std::string_view message);

// What the timeline shows of an LMTP reply: its last line, without Cyrus's
// SESSIONID (different in every run), at most 80 characters.
std::string ReplySummary(const std::string& text);

struct MoveState {
  std::string from, to;
  size_t next = 0;  // the runbook step to run next (Recover resumes there)
};

class CyrusDeployment : public Deployment {
 public:
  CyrusDeployment(Runbook runbook, std::string root, bool keep)
      : runbook_(std::move(runbook)), root_(std::move(root)), keep_(keep) {}
  ~CyrusDeployment() override;

  // Starts both servers ("src", "dst") under the root, each with `base`'s
  // timeouts. On error, what started is stopped by the destructor.
  Status Start(const ServerOptions& base);

  CyrusServer* Server(std::string_view name) {
    for (auto& s : servers_) {
      if (s->name() == name) return s.get();
    }
    return nullptr;
  }

  bool DeclaresFootprints() const override { return true; }

  // cyrus_deployment.cc
  Status Reset() override;
  Status Provision(std::string_view user, std::string_view server,
                   const std::vector<std::string>& messages) override;
  Result<DeliverResult> Deliver(Gate& gate, std::string_view user,
                                std::string_view message) override;
  Status Inspect(Snapshot* out) override;

  // cyrus_mover.cc
  Result<MoveResult> Move(Gate& gate, std::string_view user, std::string_view to) override;
  Result<MoveResult> Recover(Gate& gate, std::string_view user) override;

  // The schedule's Cyrus name of a suite user: "alice" is "alice-g17" in
  // schedule 17 (see cyrus_adapter.h).
  std::string CyrusUser(std::string_view user);

 private:
  std::string HomeOf(std::string_view user) const;
  void SetHome(std::string_view user, std::string_view server);
  // Stops both servers, removes their directories and starts them afresh.
  Status Rebuild();

  // The mover (cyrus_mover.cc).
  Result<MoveResult> RunSteps(Gate& gate, std::string_view user, MoveState& m);
  MoveResult Fail(std::string_view user);
  static std::string ServerOfStep(StepKind kind, const MoveState& m);
  // The step in the timeline, naming the suite's user (the same in every run).
  static std::string What(StepKind kind, const std::string& user, const MoveState& m);
  // Runs one step: true = done; false = not done (noted); Infra when a
  // command hung or a server died.
  Result<bool> RunStep(Gate& gate, StepKind kind, std::string_view user, MoveState& m);
  Status CheckBothAlive(const MoveState& m);

  Runbook runbook_;
  ServerOptions base_;
  std::string root_;
  bool keep_;
  bool wedged_ = false;  // a command hung: Reset rebuilds the servers
  std::vector<std::unique_ptr<CyrusServer>> servers_;
  int generation_ = 0;
  std::vector<std::string> used_;  // Cyrus user names of this schedule
  Directory directory_;
  std::set<std::string> held_;
  std::map<std::string, MoveState> moves_;
};

}  // namespace intransit::cyrus
