// The two-server deployment's servers, set-up and delivery; see
// two_server_deployment.h. The mover is two_server_mover.cc.
#include "store/two_server_deployment.h"

#include <algorithm>
#include <filesystem>
#include <utility>

#include "base/name_rule.h"
#include "base/process_registry.h"
#include "store/points.h"

namespace intransit {

namespace fs = std::filesystem;

Status CheckHeaders(std::string_view user, std::string_view message) {
  if (Status s = CheckHeaderValue("user", user); !s.ok()) return s;
  return CheckHeaderValue("Message-ID", message);
}

std::string MailMessage(std::string_view user, std::string_view message) {
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

TwoServerDeployment::TwoServerDeployment(TwoServerSetup setup)
    : runbook_(std::move(setup.runbook)),
      root_(std::move(setup.root)),
      keep_(setup.keep),
      start_in_parallel_(setup.start_in_parallel),
      hung_(std::move(setup.hung)),
      make_server_(std::move(setup.make_server)) {}

TwoServerDeployment::~TwoServerDeployment() {
  JoinBackground();
  for (auto& s : servers_) s->BeginStop();
  for (auto& s : servers_) s->Stop();
  servers_.clear();
  if (!keep_ && !root_.empty()) RemoveTempDir(root_);
}

Status TwoServerDeployment::Start() {
  // Kept before they start: stopped by the destructor, even on error.
  for (const char* name : {"src", "dst"}) {
    servers_.push_back(make_server_(name, root_ + "/" + name));
  }
  if (!start_in_parallel_) {
    for (auto& s : servers_) {
      if (Status st = s->Start(); !st.ok()) return st;
    }
    return Status::Ok();
  }
  // The two servers share nothing until a step runs.
  Status dst_status;
  std::thread dst([&] { dst_status = servers_[1]->Start(); });
  Status src_status = servers_[0]->Start();
  dst.join();
  if (!src_status.ok()) return src_status;
  return dst_status;
}

MailServer* TwoServerDeployment::FindServer(std::string_view name) {
  for (auto& s : servers_) {
    if (s->name() == name) return s.get();
  }
  return nullptr;
}

std::string TwoServerDeployment::ServerUser(std::string_view user) {
  std::string u = std::string(user) + "-g" + std::to_string(generation_);
  if (std::find(used_.begin(), used_.end(), u) == used_.end()) used_.push_back(u);
  return u;
}

Status TwoServerDeployment::Reset() {
  JoinBackground();
  if (wedged_) {
    // A command hung past its timeout in the last schedule: that schedule
    // got its Infra error; the servers may still hold its locks or a stuck
    // process. Rebuild both instead of failing this one.
    Status s = Rebuild();
    if (!s.ok()) return s.Wrap("rebuilding the servers after a hung " + hung_);
  }
  for (auto& s : servers_) {
    Status alive = s->CheckAlive();
    if (!alive.ok()) return alive;
  }
  // The previous schedule's users: nothing uses them any more.
  std::vector<std::string> used;
  used.swap(used_);
  for (const auto& user : used) {
    for (auto& s : servers_) {
      if (Status st = ForgetUser(*s, user); !st.ok()) return st;
    }
  }
  ++generation_;
  directory_.clear();
  held_.clear();
  moves_.clear();
  return Status::Ok();
}

Status TwoServerDeployment::Rebuild() {
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
  return Start();
}

Status TwoServerDeployment::Provision(std::string_view user, std::string_view server,
                                      const std::vector<std::string>& messages) {
  // A suite built in code skips the loader's check: checked again here,
  // before the name becomes a home or mailbox, an LMTP argument or a header.
  if (Status st = CheckName("user", user); !st.ok()) return st;
  if (Status st = CheckUser(user); !st.ok()) return st;
  MailServer* s = FindServer(server);
  if (s == nullptr) return Status::Invalid("no server '" + EscapeControl(server) + "'");
  for (const auto& m : messages) {
    if (Status st = CheckHeaders(user, m); !st.ok()) return st;
  }
  SetHome(user, server);
  return PlaceMail(*s, ServerUser(user), user, messages);
}

Status TwoServerDeployment::DeliverAll(MailServer& s, const std::string& server_user,
                                       std::string_view user,
                                       const std::vector<std::string>& messages) {
  for (const auto& m : messages) {
    auto r = s.Deliver(server_user, MailMessage(user, m));
    if (!r.ok()) return r.status();
    if (!r->accepted()) {
      return Status::Infra("provision: " + s.name() + " refused " + m + ": " + r->text);
    }
  }
  return Status::Ok();
}

Result<DeliverResult> TwoServerDeployment::Deliver(Gate& gate, std::string_view user,
                                                   std::string_view message) {
  if (Status st = CheckName("user", user); !st.ok()) return st;
  if (Status st = CheckUser(user); !st.ok()) return st;
  if (Status st = CheckHeaders(user, message); !st.ok()) return st;
  // The point announces the route (a fault rule may match its server).
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
  MailServer* s = FindServer(route);
  if (s == nullptr) return Status::Infra("the directory names no server for " + std::string(user));
  auto reply = s->Deliver(ServerUser(user), MailMessage(user, message));
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

}  // namespace intransit
