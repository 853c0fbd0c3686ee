// The cyrus deployment's servers, set-up, delivery and inspection; see
// cyrus_deployment.h.
//
// Deliver: pass `deliver`, look the route up again (the sender may have
// waited while the mover switched it), then either answer tempfail because
// the MTA queue is held, or speak LMTP to the routed server: its reply
// after DATA is the answer. A 550 from a server the user left (after XFER
// or a delete) is a permanent failure: the sender writes an NDR, and the
// oracle says `bounced`, not lost.
#include "adapters/cyrus/cyrus_deployment.h"

#include <algorithm>
#include <filesystem>
#include <thread>

#include "adapters/cyrus/footprints.h"
#include "base/name_rule.h"
#include "base/process_registry.h"
#include "store/points.h"

namespace intransit::cyrus {

namespace fs = std::filesystem;

namespace {

Status CheckHeaders(std::string_view user, std::string_view message) {
  if (Status s = CheckHeaderValue("user", user); !s.ok()) return s;
  return CheckHeaderValue("Message-ID", message);
}

}  // namespace

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

std::string MessageText(std::string_view user, std::string_view message) {
  std::string m;
  m += "From: sender@intransit\r\n";
  m += "To: " + std::string(user) + "@intransit\r\n";
  m += "Subject: intransit " + std::string(message) + "\r\n";
  m += "Date: Thu, 01 Jan 2026 00:00:00 +0000\r\n";
  m += "Message-ID: " + std::string(message) + "\r\n";
  m += "\r\n";
  m += "A test message of intransit, " + std::string(message) + ".\r\n";
  return m;
}

CyrusDeployment::~CyrusDeployment() {
  for (auto& s : servers_) s->BeginStop();
  for (auto& s : servers_) s->Stop();
  servers_.clear();
  if (!keep_ && !root_.empty()) RemoveTempDir(root_);
}

Status CyrusDeployment::Start(const ServerOptions& base) {
  base_ = base;
  for (const auto& [name, peer] : {std::pair{"src", "dst"}, std::pair{"dst", "src"}}) {
    ServerOptions o = base;
    o.name = name;
    o.dir = root_ + "/" + name;
    o.peer_dir = root_ + "/" + peer;
    // Kept before it starts: stopped by the destructor, even on error.
    servers_.push_back(std::make_unique<CyrusServer>(o));
  }
  // Both at once: a start is mostly waiting for Cyrus's processes to come
  // up, and the two servers share nothing until a step runs.
  Status dst_status;
  std::thread dst([&] { dst_status = servers_[1]->Start(); });
  Status src_status = servers_[0]->Start();
  dst.join();
  if (!src_status.ok()) return src_status;
  return dst_status;
}

Status CyrusDeployment::Reset() {
  if (wedged_) {
    // A command hung past its timeout in the last schedule (that schedule
    // got its Infra error): rebuild both servers rather than fail this one.
    Status s = Rebuild();
    if (!s.ok()) return s.Wrap("rebuilding the servers after a hung command");
  }
  for (auto& s : servers_) {
    Status alive = s->CheckAlive();
    if (!alive.ok()) return alive;
  }
  // The previous schedule's users: nothing uses them any more. A user not
  // on a server (never there, moved away by XFER) answers NO: fine.
  std::vector<std::string> used;
  used.swap(used_);
  for (const auto& user : used) {
    for (auto& s : servers_) {
      auto r = s->DeleteUser(user);
      if (!r.ok()) return r.status().Wrap("reset");
    }
  }
  ++generation_;
  directory_.clear();
  held_.clear();
  moves_.clear();
  return Status::Ok();
}

Status CyrusDeployment::Provision(std::string_view user, std::string_view server,
                                  const std::vector<std::string>& messages) {
  // A suite built in code skips the loader's check: checked again here,
  // before the name becomes a mailbox, an LMTP argument or a header.
  if (Status st = CheckName("user", user); !st.ok()) return st;
  if (Status st = CheckLmtpUser(user); !st.ok()) return st;
  CyrusServer* s = Server(server);
  if (s == nullptr) return Status::Invalid("no server '" + EscapeControl(server) + "'");
  for (const auto& m : messages) {
    if (Status st = CheckHeaders(user, m); !st.ok()) return st;
  }
  SetHome(user, server);
  std::string cuser = CyrusUser(user);
  if (Status st = s->CreateUser(cuser); !st.ok()) return st;
  for (const auto& m : messages) {
    auto r = s->Deliver(cuser, MessageText(user, m));
    if (!r.ok()) return r.status();
    if (!r->accepted()) {
      return Status::Infra("provision: " + s->name() + " refused " + m + ": " + r->text);
    }
  }
  return Status::Ok();
}

Result<DeliverResult> CyrusDeployment::Deliver(Gate& gate, std::string_view user,
                                               std::string_view message) {
  if (Status st = CheckName("user", user); !st.ok()) return st;
  if (Status st = CheckLmtpUser(user); !st.ok()) return st;
  if (Status st = CheckHeaders(user, message); !st.ok()) return st;
  gate.Touch(RouteObject(user), Access::kRead);
  std::string route;
  DeliveryOpening open =
      OpenDelivery(gate, {HomeOf(user), user, message, "deliver over LMTP"}, [&] {
        route = HomeOf(user);
        return std::string_view(route);
      });
  if (open.ended) {
    Declare(gate, DeliverFootprint(user, route, DeliverReach::kRouted));
    return open.result;
  }
  const Decision& d = open.decision;
  DeliverResult r;
  const bool held = held_.count(std::string(user)) != 0;
  Declare(gate, DeliverFootprint(user, route, held ? DeliverReach::kHeld : DeliverReach::kSent));
  if (held) {
    gate.Note("the MTA queue is held: not sent");
    r.answer = Answer::kTempfail;
    return r;
  }
  CyrusServer* s = Server(route);
  if (s == nullptr) return Status::Infra("the directory names no server for " + std::string(user));
  auto reply = s->Deliver(CyrusUser(user), MessageText(user, message));
  if (!reply.ok()) return reply.status();
  gate.Note("LMTP " + ReplySummary(reply->text));
  if (d.fails_after()) {
    if (reply->accepted()) gate.Note("the acknowledgement is lost");
    r.answer = AnswerFor(d.error);
    return r;
  }
  if (reply->accepted()) {
    r.answer = Answer::kAccepted;
    r.server = route;
    r.folder = kDeliveryFolder;
  } else {
    r.answer = reply->tempfail() ? Answer::kTempfail : Answer::kPermfail;
  }
  return r;
}

Status CyrusDeployment::Inspect(Snapshot* out) {
  out->Clear();
  out->directory = directory_;
  for (const auto& [user, home] : directory_) {
    std::string cuser = CyrusUser(user);
    for (auto& s : servers_) {
      auto messages = s->Fetch(cuser);
      if (!messages.ok()) {
        wedged_ = true;  // a server that does not answer: the next Reset rebuilds
        Status alive = s->CheckAlive();
        if (!alive.ok()) return alive;
        return messages.status();
      }
      for (const auto& m : *messages) out->copies.push_back({s->name(), user, m.folder, m.message});
    }
  }
  return Status::Ok();
}

std::string CyrusDeployment::CyrusUser(std::string_view user) {
  std::string c = std::string(user) + "-g" + std::to_string(generation_);
  if (std::find(used_.begin(), used_.end(), c) == used_.end()) used_.push_back(c);
  return c;
}

std::string CyrusDeployment::HomeOf(std::string_view user) const {
  return std::string(HomeIn(directory_, user));
}

void CyrusDeployment::SetHome(std::string_view user, std::string_view server) {
  SetHomeIn(&directory_, user, server);
}

Status CyrusDeployment::Rebuild() {
  for (auto& s : servers_) s->BeginStop();
  for (auto& s : servers_) s->Stop();
  servers_.clear();
  for (const char* name : {"src", "dst"}) {
    std::error_code ec;
    fs::remove_all(root_ + "/" + name, ec);
    if (ec) return Status::Infra("cannot delete " + root_ + "/" + name + ": " + ec.message());
  }
  used_.clear();
  wedged_ = false;
  return Start(base_);
}

}  // namespace intransit::cyrus
