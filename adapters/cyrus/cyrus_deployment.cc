// The cyrus deployment's servers, users and inspection; see
// cyrus_deployment.h. Delivery is the two-server stores' (LMTP to the
// routed server): a 550 from a server the user left (after XFER or a
// delete) is a permanent failure: the sender writes an NDR, and the oracle
// says `bounced`, not lost.
#include "adapters/cyrus/cyrus_deployment.h"

#include <algorithm>

namespace intransit::cyrus {

std::string ReplySummary(const std::string& text) {
  // The last line: Cyrus's 550 spans three ("Mailbox unknown. Either ...",
  // ..., "5.1.1 User unknown"); the last one says it.
  size_t cut = text.rfind(" / ");
  std::string line = cut == std::string::npos ? text : text.substr(cut + 3);
  if (cut != std::string::npos && line.size() > 3 && line[3] == '-') line[3] = ' ';
  // The session id differs in every run: the timeline stays the same.
  size_t sid = line.find(" SESSIONID=");
  if (sid != std::string::npos) line.erase(sid);
  std::replace(line.begin(), line.end(), '\n', ' ');
  return line.size() > 80 ? line.substr(0, 77) + "..." : line;
}

CyrusDeployment::CyrusDeployment(Runbook runbook, std::string root, bool keep,
                                 const ServerOptions& base)
    : TwoServerDeploymentOf({
          .runbook = std::move(runbook),
          .root = root,
          .keep = keep,
          // A start is mostly waiting for Cyrus's processes to come up.
          .start_in_parallel = true,
          .hung = "command",
          .make_server = [root, base](const std::string& name, const std::string& dir) {
            ServerOptions o = base;
            o.name = name;
            o.dir = dir;
            // sync_client replicates to the other server's socket.
            o.peer_dir = root + "/" + (name == "src" ? "dst" : "src");
            return std::unique_ptr<MailServer>(std::make_unique<CyrusServer>(o));
          },
      }) {}

Status CyrusDeployment::ForgetUser(MailServer& s, const std::string& server_user) {
  auto r = Own(s).DeleteUser(server_user);
  if (!r.ok()) return r.status().Wrap("reset");
  return Status::Ok();
}

Status CyrusDeployment::PlaceMail(MailServer& s, const std::string& server_user,
                                  std::string_view user,
                                  const std::vector<std::string>& messages) {
  if (Status st = Own(s).CreateUser(server_user); !st.ok()) return st;
  return DeliverAll(s, server_user, user, messages);
}

Status CyrusDeployment::Inspect(Snapshot* out) {
  out->Clear();
  out->directory = directory();
  for (const auto& [user, home] : directory()) {
    std::string cuser = ServerUser(user);
    for (auto& server : servers()) {
      CyrusServer* s = &Own(*server);
      auto messages = s->Fetch(cuser);
      if (!messages.ok()) {
        MarkWedged();  // a server that does not answer: the next Reset rebuilds
        Status alive = s->CheckAlive();
        if (!alive.ok()) return alive;
        return messages.status();
      }
      for (const auto& m : *messages) out->copies.push_back({s->name(), user, m.folder, m.message});
    }
  }
  return Status::Ok();
}

}  // namespace intransit::cyrus
