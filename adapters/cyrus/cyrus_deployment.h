// The cyrus adapter's deployment; see cyrus_adapter.h for what it runs and
// how schedules are kept apart. What every two-server store does (the
// servers' lifetime, Reset and Rebuild, the directory, Provision's checks,
// Deliver over LMTP, the mover's bookkeeping and the switch, hold and
// release steps) is store/two_server_deployment.h; what is Cyrus's own
// lives where its seam is:
//   cyrus_deployment.cc  making a server, forgetting and creating users,
//                        Inspect over IMAP
//   cyrus_mover.cc       the runbook's own steps: sync_client, XFER, DELETE
//
// Footprints (footprints.h): every step declares what it touches through
// Gate::Touch. What a call reads before its first point (the route the
// point announces) belongs to the actor's previous step, and is declared
// there too.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/cyrus/cyrus_server.h"
#include "adapters/cyrus/runbook.h"
#include "store/two_server_deployment.h"

namespace intransit::cyrus {

// What the timeline shows of an LMTP reply: its last line, without Cyrus's
// SESSIONID (different in every run), at most 80 characters.
std::string ReplySummary(const std::string& text);

class CyrusDeployment : public TwoServerDeploymentOf<CyrusServer> {
 public:
  // The servers ("src", "dst") live under `root`, each with `base`'s
  // timeouts; Start() starts both at once.
  CyrusDeployment(Runbook runbook, std::string root, bool keep, const ServerOptions& base);

  // cyrus_deployment.cc
  Status Inspect(Snapshot* out) override;

 protected:
  // cyrus_deployment.cc
  // Cyrus's lmtpd reads a '+' as plus-addressing (cyrus_server.h).
  Status CheckUser(std::string_view user) override { return CheckLmtpUser(user); }
  // Deletes the user; a user not there (never there, moved away by XFER)
  // answers NO: fine.
  Status ForgetUser(MailServer& s, const std::string& server_user) override;
  // Creates the user, then delivers the messages over LMTP.
  Status PlaceMail(MailServer& s, const std::string& server_user, std::string_view user,
                   const std::vector<std::string>& messages) override;
  std::string ReplySummary(const std::string& text) override { return cyrus::ReplySummary(text); }

  // cyrus_mover.cc
  std::string OwnStepWhat(const RunbookStep& step, std::string_view user,
                          const MoveState& m) override;
  Result<bool> RunOwnStep(Gate& gate, const RunbookStep& step, std::string_view user,
                          MoveState& m) override;
};

}  // namespace intransit::cyrus
