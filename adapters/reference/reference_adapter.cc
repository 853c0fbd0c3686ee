// The reference store. Each server keeps its mailboxes in memory; a mailbox
// has an INBOX and, while a move is on, an InTransit folder. The MTA routes
// by the directory; a server whose user is being moved away forwards new
// mail to the mailbox being built on the destination, so nothing lands in
// the old mailbox after its content was copied.
//
// MoveUser, as Exchange 5.5 did it (the KB's order):
//   create  the mailbox on dst (from now on src forwards new mail to it)
//   flag    set InTransit: deliveries go to the InTransit folder
//   copy    write the source mailbox's content into the new one
//   route   the directory names dst
//   unflag  clear InTransit
//   flush   append the InTransit folder to the mailbox
//   cleanup delete the mailbox on src
// The copy writes the mailbox over: the new mailbox was created a moment ago
// and "must" be empty. Before SP4 it is not always — a message forwarded
// between create and flag sits in it, and the copy wipes it out. SP4 creates
// the mailbox already in transit, so nothing ever reaches the real folder
// before the copy.
#include "adapters/reference/reference_adapter.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace intransit {
namespace {

constexpr const char* kInbox = "INBOX";
constexpr const char* kInTransit = "InTransit";

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

Answer AnswerFor(FailError e) {
  return e == FailError::kPermfail ? Answer::kPermfail : Answer::kTempfail;
}

class ReferenceDeployment : public Deployment {
 public:
  explicit ReferenceDeployment(bool sp4) : sp4_(sp4) {
    servers_[0].name = "src";
    servers_[1].name = "dst";
  }

  Status Reset() override {
    for (auto& s : servers_) {
      s.mailboxes.clear();
      s.forward.clear();
    }
    directory_.clear();
    return Status::Ok();
  }

  Status Provision(std::string_view user, std::string_view server,
                   const std::vector<std::string>& messages) override {
    Server* s = FindServer(server);
    if (s == nullptr) return Status::Invalid("no server '" + std::string(server) + "'");
    Mailbox& m = s->mailboxes.emplace_back();
    m.user = std::string(user);
    m.inbox = messages;
    SetHome(user, server);
    return Status::Ok();
  }

  Result<DeliverResult> Deliver(Gate& gate, std::string_view user,
                                std::string_view message) override {
    DeliverResult r;
    Decision d = gate.Pass({"deliver", Route(user), user, message, "deliver"});
    // Routed again: the actor may have waited at the point while a move ran.
    const std::string& server = Route(user);
    gate.RanOn(server);
    if (d.crash()) {
      gate.Note("connection lost before the store answered");
      r.answer = Answer::kTempfail;
      return r;
    }
    if (d.fails_before()) {
      r.answer = AnswerFor(d.error);
      return r;
    }
    Server* s = FindServer(server);
    Mailbox* m = s ? s->Find(user) : nullptr;
    if (m == nullptr) {
      gate.Note("no such mailbox on " + server + ": 450 try later");
      r.answer = Answer::kTempfail;
      return r;
    }
    const char* folder = m->in_transit ? kInTransit : kInbox;
    (m->in_transit ? m->transit : m->inbox).emplace_back(message);
    gate.Note(m->in_transit ? "stored in InTransit" : "stored in INBOX");
    if (d.fails_after()) {
      r.answer = AnswerFor(d.error);
      return r;
    }
    r.answer = Answer::kAccepted;
    r.server = server;
    r.folder = folder;
    return r;
  }

  Result<MoveResult> Move(Gate& gate, std::string_view user, std::string_view to) override {
    std::string from = HomeOf(user);
    Server* src = FindServer(from);
    Server* dst = FindServer(to);
    if (src == nullptr || dst == nullptr || src == dst) {
      return Status::Invalid("cannot move '" + std::string(user) + "' from '" + from + "' to '" +
                             std::string(to) + "'");
    }
    Decision d;

    d = gate.Pass({"create", to, user, {},
                   sp4_ ? "create the mailbox, already in transit" : "create the mailbox"});
    if (!d.go() && !d.fails_after()) return Stop(d);
    {
      Mailbox& m = dst->mailboxes.emplace_back();
      m.user = std::string(user);
      m.in_transit = sp4_;
      src->forward.emplace_back(std::string(user), std::string(to));
    }
    if (d.fails_after()) return Stop(d);

    if (!sp4_) {
      d = gate.Pass({"flag", to, user, {}, "set InTransit on the new mailbox"});
      if (!d.go() && !d.fails_after()) return Stop(d);
      dst->Find(user)->in_transit = true;
      if (d.fails_after()) return Stop(d);
    }

    d = gate.Pass({"copy", to, user, {}, "copy the source mailbox into the new one"});
    if (!d.go() && !d.fails_after()) return Stop(d);
    {
      // The new mailbox is taken to be empty: the copy writes it over.
      Mailbox* m = dst->Find(user);
      size_t overwritten = m->inbox.size();
      m->inbox = src->Find(user)->inbox;
      char note[80];
      int n = overwritten ? snprintf(note, sizeof note, "copied %zu message(s), overwriting %zu",
                                     m->inbox.size(), overwritten)
                          : snprintf(note, sizeof note, "copied %zu message(s)", m->inbox.size());
      gate.Note(std::string_view(note, static_cast<size_t>(n)));
    }
    if (d.fails_after()) return Stop(d);

    d = gate.Pass({"route", "directory", user, {}, "point the directory at the new server"});
    if (!d.go() && !d.fails_after()) return Stop(d);
    SetHome(user, to);
    if (d.fails_after()) return Stop(d);

    d = gate.Pass({"unflag", to, user, {}, "clear InTransit"});
    if (!d.go() && !d.fails_after()) return Stop(d);
    dst->Find(user)->in_transit = false;
    if (d.fails_after()) return Stop(d);

    d = gate.Pass({"flush", to, user, {}, "flush InTransit into the mailbox"});
    if (!d.go() && !d.fails_after()) return Stop(d);
    {
      Mailbox* m = dst->Find(user);
      char note[48];
      int n = snprintf(note, sizeof note, "flushed %zu message(s)", m->transit.size());
      gate.Note(std::string_view(note, static_cast<size_t>(n)));
      m->inbox.insert(m->inbox.end(), m->transit.begin(), m->transit.end());
      m->transit.clear();
    }
    if (d.fails_after()) return Stop(d);

    d = gate.Pass({"cleanup", from, user, {}, "delete the old mailbox"});
    if (!d.go() && !d.fails_after()) return Stop(d);
    src->Remove(user);
    src->StopForwarding(user);
    if (d.fails_after()) return Stop(d);
    return MoveResult::kDone;
  }

  Status Inspect(Snapshot* out) override {
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

 private:
  static MoveResult Stop(const Decision& d) {
    return d.crash() ? MoveResult::kCrashed : MoveResult::kFailed;
  }

  Server* FindServer(std::string_view name) {
    for (auto& s : servers_) {
      if (s.name == name) return &s;
    }
    return nullptr;
  }

  const std::string& HomeOf(std::string_view user) const {
    static const std::string kNone;
    for (const auto& [u, s] : directory_) {
      if (u == user) return s;
    }
    return kNone;
  }

  void SetHome(std::string_view user, std::string_view server) {
    for (auto& [u, s] : directory_) {
      if (u == user) {
        s = std::string(server);
        return;
      }
    }
    directory_.emplace_back(std::string(user), std::string(server));
  }

  // Where the MTA's delivery ends up: the home server, or where it forwards.
  const std::string& Route(std::string_view user) {
    const std::string& home = HomeOf(user);
    Server* s = FindServer(home);
    if (s != nullptr) {
      if (const std::string* f = s->ForwardOf(user)) return *f;
    }
    return home;
  }

  bool sp4_;
  Server servers_[2];
  std::vector<std::pair<std::string, std::string>> directory_;
};

}  // namespace

AdapterInfo ReferenceAdapterInfo() {
  AdapterInfo info;
  info.name = "reference";
  info.summary = "in-memory model of two Exchange-5.5-style servers and a directory";
  info.variants = {"pre-sp4", "sp4"};
  info.default_variant = "sp4";
  info.servers = {"src", "dst"};
  info.points = {
      {"create", "the mailbox is created on the destination"},
      {"flag", "InTransit is set on the new mailbox (pre-sp4 only)"},
      {"copy", "the source content is copied into the new mailbox"},
      {"route", "the directory is pointed at the destination"},
      {"unflag", "InTransit is cleared"},
      {"flush", "the InTransit folder is flushed into the mailbox"},
      {"cleanup", "the old mailbox is deleted"},
      {"deliver", "a message is stored"},
  };
  info.open = [](const AdapterConfig& config) -> Result<std::unique_ptr<Deployment>> {
    return std::unique_ptr<Deployment>(new ReferenceDeployment(config.variant == "sp4"));
  };
  return info;
}

}  // namespace intransit
