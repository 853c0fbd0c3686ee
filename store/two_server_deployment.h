// The deployment of a store that runs two real servers ("src", "dst") on
// loopback, delivers over LMTP and moves a user between them by a runbook
// (Dovecot, Cyrus): what every such store does the same, whatever its
// servers are.
//
// It owns the servers (made and started once per run, stopped when it is
// destroyed, and rebuilt by the next Reset after a command hung: one hung
// command costs one schedule, not the run), the directory (user -> home
// server), the schedule's server-side user names ("alice" is "alice-g17" in
// schedule 17, so nothing of an earlier schedule is seen), the MTA queue
// hold, a delivery (the opening every store shares, store/points.h, then
// LMTP to the routed server) and the mover's bookkeeping: the runbook's
// steps in order, each after its point, a crash leaving the step for
// Recover. The steps every runbook has (StepRole: switch, hold, release)
// it does itself.
//
// A store derives from it and keeps what is its own: how a server is made
// (TwoServerSetup::make_server), how a schedule's user is forgotten (ForgetUser), how
// pre-existing mail is put in place (PlaceMail), what the timeline shows of
// an LMTP reply (ReplySummary), its own runbook steps (OwnStepWhat,
// RunOwnStep) and Inspect; TwoServerDeploymentOf<S> gives it its own server
// type. Footprints: every step declares what its role touches
// (store/server_footprints.h), so DeclaresFootprints() is true.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "base/command.h"
#include "base/status.h"
#include "store/adapter.h"
#include "store/lmtp_client.h"
#include "store/mail_server.h"
#include "store/runbook_steps.h"
#include "store/server_footprints.h"

namespace intransit {

// Ok when `user` and `message` may go into MailMessage's header fields:
// a line break there would forge a header (or end it).
Status CheckHeaders(std::string_view user, std::string_view message);

// A real RFC 5322 message carrying the framework's Message-ID. The date is
// fixed so that runs are byte-for-byte repeatable. REQUIRES: CheckHeaders.
std::string MailMessage(std::string_view user, std::string_view message);

// A command a runbook step started in the background (a dsync pass), run
// to its end by its own thread; a later step (or the end of the move)
// waits for it.
struct BackgroundCommand {
  std::thread thread;
  std::atomic<bool> done{false};
  Result<CommandResult> result = Status::Infra("not finished");
};

// A move under way: Recover resumes it at `next`.
struct MoveState {
  std::string from, to;
  size_t next = 0;  // the runbook step to run next
  std::unique_ptr<BackgroundCommand> background;
};

// How a two-server deployment is set up.
struct TwoServerSetup {
  std::vector<RunbookStep> runbook;
  std::string root;   // the servers live in root/src and root/dst
  bool keep = false;  // keep root when the deployment is destroyed
  // Start both servers at once (a start that is mostly waiting for the
  // server's processes), or one after the other.
  bool start_in_parallel = false;
  std::string hung;  // what hangs, for Reset's message: "dsync", "command"
  // Makes the store's server `name` living in `dir` (root/name), not
  // started yet: at Start, and again at every Rebuild.
  std::function<std::unique_ptr<MailServer>(const std::string& name, const std::string& dir)>
      make_server;
};

class TwoServerDeployment : public Deployment {
 public:
  explicit TwoServerDeployment(TwoServerSetup setup);
  // Waits for background commands, stops both servers, removes the root
  // unless kept.
  ~TwoServerDeployment() override;
  TwoServerDeployment(const TwoServerDeployment&) = delete;
  TwoServerDeployment& operator=(const TwoServerDeployment&) = delete;

  // Makes both servers (TwoServerSetup::make_server) and starts them. On error, what started
  // is stopped by the destructor.
  Status Start();

  // The server named `name`, or nullptr.
  MailServer* FindServer(std::string_view name);

  // The schedule's server-side name of a suite user ("alice-g17"),
  // remembered so that the next Reset forgets it on both servers.
  std::string ServerUser(std::string_view user);

  bool DeclaresFootprints() const override { return true; }

  // Rebuilds the servers when wedged, checks both alive, forgets the
  // previous schedule's users (ForgetUser) and starts a new generation of
  // names, with an empty directory, no hold and no move.
  Status Reset() override;

  Result<MoveResult> Move(Gate& gate, std::string_view user, std::string_view to) override;
  Result<MoveResult> Recover(Gate& gate, std::string_view user) override;

  // Checks the names, sets the user's home and hands the mail to PlaceMail.
  Status Provision(std::string_view user, std::string_view server,
                   const std::vector<std::string>& messages) override;

  // Passes `deliver`, routes again (the sender may have waited at the
  // point while the mover switched the directory), then either answers
  // tempfail because the MTA queue is held, or speaks LMTP to the routed
  // server: its reply after DATA is the answer.
  Result<DeliverResult> Deliver(Gate& gate, std::string_view user,
                                std::string_view message) override;

 protected:
  // A name the store itself cannot serve (beyond the name rule the suite
  // checks): Invalid, naming the user and why. Provision and Deliver ask.
  virtual Status CheckUser(std::string_view user) {
    (void)user;
    return Status::Ok();
  }
  // Forgets the previous schedule's `server_user` on `s` (whether or not it
  // is there). Its error ends Reset.
  virtual Status ForgetUser(MailServer& s, const std::string& server_user) = 0;
  // Puts `messages` of suite user `user` in place as mail that was there
  // before the run. DeliverAll does it over LMTP.
  virtual Status PlaceMail(MailServer& s, const std::string& server_user, std::string_view user,
                           const std::vector<std::string>& messages) = 0;
  // What the timeline shows of an LMTP reply.
  virtual std::string ReplySummary(const std::string& text) = 0;

  // The store's own runbook steps (roles kPass, kDelete, kOwn): the step as
  // the timeline shows it (naming the suite's user, the same in every run),
  // and the step itself: true = done; false = not done (noted); Infra when a
  // command hung or a server died. The point announces the destination (the
  // source for kDelete); the footprint is the role's (StepFootprint).
  virtual std::string OwnStepWhat(const RunbookStep& step, std::string_view user,
                                  const MoveState& m) = 0;
  virtual Result<bool> RunOwnStep(Gate& gate, const RunbookStep& step, std::string_view user,
                                  MoveState& m) = 0;

  // Delivers `messages` to `server_user` on `s` over LMTP; Infra when one
  // is refused.
  Status DeliverAll(MailServer& s, const std::string& server_user, std::string_view user,
                    const std::vector<std::string>& messages);

  // Ok when both servers of `m` run.
  Status CheckBothAlive(const MoveState& m);

  // Waits for every move's background command.
  void JoinBackground();

  // A command hung or a server stopped answering: the next Reset rebuilds.
  void MarkWedged() { wedged_ = true; }

  const std::string& root() const { return root_; }
  const Directory& directory() const { return directory_; }
  const std::vector<std::unique_ptr<MailServer>>& servers() const { return servers_; }
  std::string HomeOf(std::string_view user) const { return std::string(HomeIn(directory_, user)); }
  void SetHome(std::string_view user, std::string_view server) {
    SetHomeIn(&directory_, user, server);
  }

 private:
  Result<MoveResult> RunSteps(Gate& gate, std::string_view user, MoveState& m);
  MoveResult Fail(std::string_view user);
  // Forgets the move, waiting for its background command first.
  void EndMove(std::string_view user);
  static void JoinBackground(MoveState& m);
  // Stops both servers, removes their directories and starts them afresh.
  Status Rebuild();

  std::vector<RunbookStep> runbook_;
  std::string root_;
  bool keep_;
  bool start_in_parallel_;
  std::string hung_;
  std::function<std::unique_ptr<MailServer>(const std::string&, const std::string&)>
      make_server_;
  bool wedged_ = false;
  std::vector<std::unique_ptr<MailServer>> servers_;
  int generation_ = 0;
  std::vector<std::string> used_;  // server-side user names of this schedule
  Directory directory_;
  std::set<std::string> held_;
  std::map<std::string, MoveState> moves_;
};

// A TwoServerDeployment whose servers are the store's own type S (a
// MailServer made by its make_server).
template <typename S>
class TwoServerDeploymentOf : public TwoServerDeployment {
 public:
  using TwoServerDeployment::TwoServerDeployment;

  // The server named `name`, or nullptr.
  S* Server(std::string_view name) { return static_cast<S*>(FindServer(name)); }

 protected:
  // `s` as the store's server: every server of the deployment is one.
  static S& Own(MailServer& s) { return static_cast<S&>(s); }
};

}  // namespace intransit
