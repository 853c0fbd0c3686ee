// The reference store. Each server keeps its mailboxes in memory; a mailbox
// has an INBOX and, while a move is on, an InTransit folder. The MTA routes
// by the directory; a server whose user is being moved away may forward new
// mail to the mailbox being built on the destination, so that nothing lands
// in the old mailbox after its content was copied.
//
// This file: the deployment's set-up, its delivery and inspection, and the
// registry entry; the mover (the steps of a variant's Procedure) is in
// reference_mover.cc, the state both share in reference_deployment.h.
#include "adapters/reference/reference_adapter.h"

#include <cstdio>
#include <string>
#include <vector>

#include "adapters/reference/procedure.h"
#include "adapters/reference/reference_deployment.h"
#include "store/points.h"

namespace intransit {
namespace reference {

void NoteCount(Gate& gate, const char* fmt, size_t a, size_t b) {
  char note[96];
  int n = snprintf(note, sizeof note, fmt, a, b);
  gate.Note(std::string_view(note, static_cast<size_t>(n)));
}

Status ReferenceDeployment::Reset() {
  for (auto& s : servers_) {
    s.mailboxes.clear();
    s.forward.clear();
  }
  directory_.clear();
  moves_.clear();
  return Status::Ok();
}

Status ReferenceDeployment::Provision(std::string_view user, std::string_view server,
                                      const std::vector<std::string>& messages) {
  Server* s = FindServer(server);
  if (s == nullptr) return Status::Invalid("no server '" + std::string(server) + "'");
  Mailbox& m = s->mailboxes.emplace_back();
  m.user = std::string(user);
  m.inbox = messages;
  SetHome(user, server);
  return Status::Ok();
}

Result<DeliverResult> ReferenceDeployment::Deliver(Gate& gate, std::string_view user,
                                                   std::string_view message) {
  // The route announced decides which faults match: read in the actor's
  // previous step, which these touches join. Routed again after the point:
  // the actor may have waited there while a move ran.
  std::string_view server;
  DeliveryOpening open = OpenDelivery(gate, {Route(gate, user), user, message, "deliver"}, [&] {
    server = Route(gate, user);
    return server;
  });
  const Decision& d = open.decision;
  if (open.ended) {
    // The variant's bug (tempfail-accepted): a write that failed is
    // answered 250 anyway.
    if (d.fails_before() && proc_.tempfail_as_accepted && d.error != FailError::kPermfail) {
      gate.Note("the write failed; answered 250 anyway");
      open.result.answer = Answer::kAccepted;
      open.result.server = server;
    }
    return open.result;
  }
  DeliverResult r;
  Server* s = FindServer(server);
  if (s != nullptr) TouchParts(gate, Access::kRead, "box", server, user);
  Mailbox* m = s ? s->Find(user) : nullptr;
  if (m == nullptr) {
    gate.Note("no such mailbox on " + std::string(server) + ": 450 try later");
    r.answer = Answer::kTempfail;
    return r;
  }
  const char* folder = m->in_transit ? kInTransit : kInbox;
  // The Message-ID check reads only whether this message is stored, which
  // no other delivery changes (each adds its own): an append, against
  // which a mover step that can add this message (a copy) is a write.
  if (proc_.drop_resent) {
    TouchParts(gate, Access::kAppend, server, user, kInbox);
    TouchParts(gate, Access::kAppend, server, user, kInTransit);
  }
  TouchParts(gate, StoreAccess(user, folder), server, user, folder);
  if (proc_.drop_resent && (Contains(m->inbox, message) || Contains(m->transit, message))) {
    gate.Note("already stored: the resend is dropped");
  } else {
    (m->in_transit ? m->transit : m->inbox).emplace_back(message);
    gate.Note(m->in_transit ? "stored in InTransit" : "stored in INBOX");
  }
  if (d.fails_after() && !proc_.tempfail_as_accepted) {
    r.answer = AnswerFor(d.error);
    return r;
  }
  r.answer = Answer::kAccepted;
  r.server = server;
  r.folder = folder;
  return r;
}

Status ReferenceDeployment::Inspect(Snapshot* out) {
  // Assigned into the slots of the last snapshot: no allocation once warm.
  size_t n = 0;
  for (const auto& s : servers_) {
    for (const auto& m : s.mailboxes) n += m.inbox.size() + m.transit.size();
  }
  out->copies.resize(n);
  size_t i = 0;
  auto put = [&](const Server& s, const Mailbox& m, const char* folder, const std::string& id) {
    MessageCopy& c = out->copies[i++];
    c.server.assign(s.name);
    c.user.assign(m.user);
    c.folder.assign(folder);
    c.message.assign(id);
  };
  for (const auto& s : servers_) {
    for (const auto& m : s.mailboxes) {
      for (const auto& id : m.inbox) put(s, m, kInbox, id);
      for (const auto& id : m.transit) put(s, m, kInTransit, id);
    }
  }
  out->directory = directory_;
  out->holding_folders.assign(1, kInTransit);
  out->notes.clear();
  return Status::Ok();
}

// How a store into `folder` of `user` is declared. An append unless some
// step observes the folder's order: with copy = "message" the mover lists
// the old INBOX and copies it one message per step, so which messages a
// failure or a crash leaves uncopied depends on the order they arrived
// in. InTransit's order reaches the old INBOX only through a rollback, and
// is listed after it only by a second move of the same user (all moves
// are begun before any step runs).
Access ReferenceDeployment::StoreAccess(std::string_view user, std::string_view folder) const {
  if (!copy_by_message_) return Access::kAppend;
  if (folder == kInbox) return Access::kWrite;
  size_t moves = 0;
  for (const auto& m : moves_) moves += m.user == user;
  return moves > 1 ? Access::kWrite : Access::kAppend;
}

// Where the MTA's delivery ends up: the home server, or where it forwards.
const std::string& ReferenceDeployment::Route(Gate& gate, std::string_view user) {
  TouchParts(gate, Access::kRead, "dir", user);
  const std::string& home = HomeOf(user);
  Server* s = FindServer(home);
  if (s != nullptr) {
    TouchParts(gate, Access::kRead, "fwd", home, user);
    if (const std::string* f = s->ForwardOf(user)) return *f;
  }
  return home;
}

}  // namespace reference

AdapterInfo ReferenceAdapterInfo() {
  AdapterInfo info;
  info.name = "reference";
  info.summary = "in-memory model of two Exchange-5.5-style servers and a directory";
  for (const auto& p : Procedures()) info.variants.push_back(p.name);
  info.default_variant = Procedures().front().name;
  info.servers = {"src", "dst"};
  info.points = {
      ListPoint(points::kCreate),
      ListPoint(points::kFlag, "pre-sp4 only"),
      ListPoint(points::kCopy, "per message: copy = \"message\""),
      ListPoint(points::kRoute),
      ListPoint(points::kUnflag),
      ListPoint(points::kFlush),
      ListPoint(points::kCleanup, "or a crashed move rolled back"),
      ListPoint(points::kDeliver),
  };
  info.options = {
      {"copy",
       ParamType::kString,
       "mailbox: one step copies the whole mailbox; message: the mover lists the mailbox and "
       "copies one message per step (MoveUser, dsync), a long move",
       {"mailbox", "message"},
       false,
       "mailbox"},
  };
  info.recovery = {"resume", "rollback"};
  info.open = [](const AdapterConfig& config) -> Result<std::unique_ptr<Deployment>> {
    const Procedure* p = FindProcedure(config.variant.empty() ? "correct" : config.variant);
    if (p == nullptr) return Status::Invalid("reference: unknown variant '" + config.variant + "'");
    const bool by_message = config.options.String("copy", "mailbox") == "message";
    return std::unique_ptr<Deployment>(new reference::ReferenceDeployment(*p, by_message));
  };
  return info;
}

}  // namespace intransit
