// The dovecot adapter's deployment; see dovecot_adapter.h for what it runs
// and how schedules are kept apart. Its parts live where their seam is:
//   dovecot_deployment.cc  the servers' set-up, Reset and Rebuild, Provision,
//                          Deliver over LMTP, Inspect by doveadm fetch
//   dovecot_mover.cc       Move and Recover: the runbook's steps, dsync, the
//                          background backup
//
// Footprints (footprints.h): every step declares what it touches through
// Gate::Touch, so DeclaresFootprints() is true. What a call reads before its
// first point (the route the point announces) belongs to the actor's
// previous step, and is declared there too.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "adapters/dovecot/dovecot_server.h"
#include "base/command.h"
#include "adapters/dovecot/runbook.h"
#include "store/adapter.h"

namespace intransit::dovecot {

// Ok when `user` and `message` may go into MessageText's header fields:
// a line break there would forge a header (or end it).
Status CheckHeaders(std::string_view user, std::string_view message);

// A real RFC 5322 message carrying the framework's Message-ID. The date is
// fixed so that runs are byte-for-byte repeatable.
std::string MessageText(std::string_view user, std::string_view message);

// The first line of `text` that mentions an error or warning, shortened:
// what the timeline shows of a dsync pass that was not done.
std::string FirstComplaint(const std::string& text);

// A background dsync pass (start-backup ... wait-backup).
struct Background {
  std::thread thread;
  std::atomic<bool> done{false};
  Result<CommandResult> result = Status::Infra("not finished");
};

struct MoveState {
  std::string from, to;
  size_t next = 0;  // the runbook step to run next (Recover resumes there)
  std::unique_ptr<Background> background;
};

class DovecotDeployment : public Deployment {
 public:
  DovecotDeployment(Runbook runbook, std::string root, bool keep, std::string provision)
      : runbook_(std::move(runbook)),
        root_(std::move(root)),
        keep_(keep),
        provision_(std::move(provision)) {}

  ~DovecotDeployment() override;

  // Starts both servers, `fiu_enable` on `fiu_server` (dovecot_server.h).
  Status Start(const ServerOptions& base, const std::string& fiu_server,
               const std::string& fiu_enable);

  DovecotServer* Server(std::string_view name) {
    for (auto& s : servers_) {
      if (s->name() == name) return s.get();
    }
    return nullptr;
  }

  bool DeclaresFootprints() const override { return true; }

  // dovecot_deployment.cc
  Status Reset() override;
  Status Provision(std::string_view user, std::string_view server,
                   const std::vector<std::string>& messages) override;
  Result<DeliverResult> Deliver(Gate& gate, std::string_view user,
                                std::string_view message) override;
  Status Inspect(Snapshot* out) override;

  // dovecot_mover.cc
  Result<MoveResult> Move(Gate& gate, std::string_view user, std::string_view to) override;
  Result<MoveResult> Recover(Gate& gate, std::string_view user) override;

  // The schedule's Dovecot name of a suite user (see dovecot_adapter.h).
  std::string DovecotUser(std::string_view user);

 private:
  // Set-up and inspection (dovecot_deployment.cc).
  static void ParseFetch(const std::string& server, const std::string& user,
                         const std::string& text, std::vector<MessageCopy>* out);
  // Pre-existing mail written straight into the Maildir.
  Status WriteMaildir(DovecotServer* s, const std::string& duser, std::string_view user,
                      const std::vector<std::string>& messages);
  std::string HomeOf(std::string_view user) const;
  void SetHome(std::string_view user, std::string_view server);
  // Stops both servers, removes their directories and starts them afresh.
  Status Rebuild();

  // The mover (dovecot_mover.cc).
  Result<MoveResult> RunSteps(Gate& gate, std::string_view user, MoveState& m);
  MoveResult Fail(std::string_view user);
  // Forgets the move, waiting for its background backup first.
  void EndMove(std::string_view user);
  static std::string ServerOfStep(const Step& step, const MoveState& m);
  static std::string What(const Step& step, std::string_view user, const MoveState& m);
  Command Dsync(const MoveState& m, const std::string& duser, bool sync);
  // A dsync pass's outcome: true = done; false = not done (noted); Infra
  // when it hung or a server died.
  Result<bool> Judge(Gate& gate, const MoveState& m, const std::string& what,
                     const Result<CommandResult>& r, bool tolerate);
  Result<bool> RunStep(Gate& gate, const Step& step, std::string_view user, MoveState& m);
  static void JoinBackground(MoveState& m);
  void JoinBackground();

  Runbook runbook_;
  ServerOptions base_;
  std::string fiu_server_, fiu_enable_;
  bool wedged_ = false;  // a dsync timed out: Reset rebuilds the servers
  bool dsync_ran_ = false;  // since the last Inspect: it awaits the doveadm-servers
  std::string root_;
  bool keep_;
  std::string provision_;
  std::vector<std::unique_ptr<DovecotServer>> servers_;
  int generation_ = 0;
  std::vector<std::string> used_;  // Dovecot user names of this schedule
  Directory directory_;
  std::set<std::string> held_;
  std::map<std::string, MoveState> moves_;
};

}  // namespace intransit::dovecot
