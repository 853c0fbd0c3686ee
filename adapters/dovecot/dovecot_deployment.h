// The dovecot adapter's deployment; see dovecot_adapter.h for what it runs
// and how schedules are kept apart. What every two-server store does (the
// servers' lifetime, Reset and Rebuild, the directory, Provision's checks,
// Deliver over LMTP, the mover's bookkeeping and the switch, hold and
// release steps) is store/two_server_deployment.h; what is Dovecot's own
// lives where its seam is:
//   dovecot_deployment.cc  making a server, forgetting a user's homes, mail
//                          written into the Maildir, Inspect by doveadm fetch
//   dovecot_mover.cc       the runbook's own steps: dsync, the background
//                          backup, deleting the home
//
// Footprints (footprints.h): every step declares what it touches through
// Gate::Touch. What a call reads before its first point (the route the
// point announces) belongs to the actor's previous step, and is declared
// there too.
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/dovecot/dovecot_server.h"
#include "adapters/dovecot/runbook.h"
#include "base/command.h"
#include "store/two_server_deployment.h"

namespace intransit::dovecot {

// The first line of `text` that mentions an error or warning, shortened:
// what the timeline shows of a dsync pass that was not done.
std::string FirstComplaint(const std::string& text);

class DovecotDeployment : public TwoServerDeploymentOf<DovecotServer> {
 public:
  // The servers ("src", "dst") live under `root`, each with `base`'s
  // options; `fiu_enable` runs on `fiu_server` (dovecot_server.h).
  // `provision` is how pre-existing mail is put in place: "lmtp" or
  // "maildir".
  DovecotDeployment(Runbook runbook, std::string root, bool keep, std::string provision,
                    const ServerOptions& base, const std::string& fiu_server,
                    const std::string& fiu_enable);

  // dovecot_deployment.cc
  Status Inspect(Snapshot* out) override;

 protected:
  // dovecot_deployment.cc
  // Removes the user's home, confined to the server's home root (a name
  // that got this far is never removed from anywhere else).
  Status ForgetUser(MailServer& s, const std::string& server_user) override;
  // Over LMTP, or written straight into the Maildir (WriteMaildir).
  Status PlaceMail(MailServer& s, const std::string& server_user, std::string_view user,
                   const std::vector<std::string>& messages) override;
  std::string ReplySummary(const std::string& text) override {
    return text.substr(0, std::min<size_t>(text.size(), 80));
  }

  // dovecot_mover.cc
  std::string OwnStepWhat(const RunbookStep& step, std::string_view user,
                          const MoveState& m) override;
  Result<bool> RunOwnStep(Gate& gate, const RunbookStep& step, std::string_view user,
                          MoveState& m) override;

 private:
  // Set-up and inspection (dovecot_deployment.cc).
  static void ParseFetch(const std::string& server, const std::string& user,
                         const std::string& text, std::vector<MessageCopy>* out);
  // Pre-existing mail written straight into the Maildir.
  Status WriteMaildir(DovecotServer* s, const std::string& duser, std::string_view user,
                      const std::vector<std::string>& messages);
  // A home of a user of the directory that exists on a server.
  struct Home {
    DovecotServer* server;
    std::string user;   // the suite's name
    std::string duser;  // Dovecot's name
  };
  // Every user's homes that exist, server by server: a user with no home
  // on a server never had mail there (or it was deleted).
  Result<std::vector<Home>> ExistingHomes();

  // The mover (dovecot_mover.cc).
  Command Dsync(const MoveState& m, const std::string& duser, bool sync);
  // A dsync pass's outcome: true = done; false = not done (noted); Infra
  // when it hung or a server died.
  Result<bool> Judge(Gate& gate, const MoveState& m, const std::string& what,
                     const Result<CommandResult>& r, bool tolerate);

  bool dsync_ran_ = false;  // since the last Inspect: it awaits the doveadm-servers
  std::string provision_;
};

}  // namespace intransit::dovecot
