// The reference store. Each server keeps its mailboxes in memory; a mailbox
// has an INBOX and, while a move is on, an InTransit folder. The MTA routes
// by the directory; a server whose user is being moved away may forward new
// mail to the mailbox being built on the destination, so that nothing lands
// in the old mailbox after its content was copied.
//
// The move runs the steps of its variant's Procedure (procedure.h). Before
// SP4 (KB Q277911) the order was: create the mailbox on dst, flag it
// InTransit, copy, switch the directory, clear the flag, flush, delete on
// src — and the copy wrote the new mailbox over, since it "must" be empty a
// moment after its creation. A message forwarded between create and flag
// sits in it and is wiped out. SP4 creates the mailbox already in transit.
// The other variants reproduce the other known races of a move.
//
// The copy is one step by default. With the option copy = "message" the
// mover lists the old mailbox and copies what it listed one message at a
// time, each passing the `copy` point, as MoveUser and dsync do: a long
// move, whose late windows a scheduler can only reach by letting the mover
// run many steps in a row.
//
// Every step declares what it touches (Gate::Touch; docs/footprints.md has
// the table and the reasons), per user: `dir/alice` (her directory entry),
// `fwd/<srv>/alice` (whether srv forwards her mail), `box/<srv>/alice` (her
// mailbox exists there, and its InTransit flag), `<srv>/alice/INBOX` and
// `<srv>/alice/InTransit` (the folders' content), `move/alice` (the state of
// her moves, which Recover looks up by user).
#include "adapters/reference/reference_adapter.h"

#include <algorithm>
#include <cstdio>
#include <deque>
#include <string>
#include <vector>

#include "adapters/reference/procedure.h"

namespace intransit {
namespace {

constexpr const char* kInbox = "INBOX";
constexpr const char* kInTransit = "InTransit";

bool Contains(const std::vector<std::string>& ids, std::string_view id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

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

// A move in progress: where it is, so that a crash can be resumed.
struct MoveState {
  std::string user, from, to;
  size_t next = 0;  // the step to run (again) next
  bool routed = false;
  int attempts = 0;                 // of the current step
  size_t part = 0;                  // copy = "message": the listed message to copy next
  std::vector<std::string> copied;  // what the copy listed
};

void NoteCount(Gate& gate, const char* fmt, size_t a, size_t b = 0) {
  char note[96];
  int n = snprintf(note, sizeof note, fmt, a, b);
  gate.Note(std::string_view(note, static_cast<size_t>(n)));
}

class ReferenceDeployment : public Deployment {
 public:
  ReferenceDeployment(const Procedure& procedure, bool copy_by_message)
      : proc_(procedure), copy_by_message_(copy_by_message) {
    servers_[0].name = "src";
    servers_[1].name = "dst";
  }

  Status Reset() override {
    for (auto& s : servers_) {
      s.mailboxes.clear();
      s.forward.clear();
    }
    directory_.clear();
    moves_.clear();
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
    // The route announced decides which faults match: read in the actor's
    // previous step, which these touches join.
    Decision d = gate.Pass({"deliver", Route(gate, user), user, message, "deliver"});
    // Routed again: the actor may have waited at the point while a move ran.
    const std::string& server = Route(gate, user);
    gate.RanOn(server);
    if (d.crash()) {
      gate.Note("connection lost before the store answered");
      r.answer = Answer::kTempfail;
      return r;
    }
    if (d.fails_before()) {
      if (proc_.tempfail_as_accepted && d.error != FailError::kPermfail) {
        gate.Note("the write failed; answered 250 anyway");
        r.answer = Answer::kAccepted;
        r.server = server;
        return r;
      }
      r.answer = AnswerFor(d.error);
      return r;
    }
    Server* s = FindServer(server);
    if (s != nullptr) TouchParts(gate, Access::kRead, "box", server, user);
    Mailbox* m = s ? s->Find(user) : nullptr;
    if (m == nullptr) {
      gate.Note("no such mailbox on " + server + ": 450 try later");
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

  Result<MoveResult> Move(Gate& gate, std::string_view user, std::string_view to) override {
    TouchParts(gate, Access::kRead, "dir", user);
    const std::string& from = HomeOf(user);
    if (FindServer(from) == nullptr || FindServer(to) == nullptr || from == to) {
      return Status::Invalid("cannot move '" + std::string(user) + "' from '" + from + "' to '" +
                             std::string(to) + "'");
    }
    MoveState& st = moves_.emplace_back();
    st.user = std::string(user);
    st.from = from;
    st.to = std::string(to);
    return RunFrom(gate, st);
  }

  Result<MoveResult> Recover(Gate& gate, std::string_view user) override {
    // The step after the runner's `recover` point: it picks the move up.
    TouchParts(gate, Access::kWrite, "move", user);
    MoveState* st = nullptr;
    for (auto& m : moves_) {
      if (m.user == user) st = &m;
    }
    if (st == nullptr)
      return Status::Infra("reference: no move of " + std::string(user) + " to recover");
    switch (proc_.recovery) {
      case Recovery::kNone:
        return Status::Unsupported("variant " + proc_.name + " has no recovery");
      case Recovery::kResume:
        st->attempts = 0;
        return RunFrom(gate, *st);
      case Recovery::kRollBackForget: {
        Decision d = gate.Pass({"cleanup", st->to, user, {}, "roll the move back"});
        TouchParts(gate, Access::kWrite, "move", user);
        if (d.crash()) return MoveResult::kCrashed;
        RollBack(gate, *st, /*forget_transit=*/true);
        return MoveResult::kFailed;
      }
    }
    return MoveResult::kFailed;
  }

  bool DeclaresFootprints() const override { return true; }

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
  enum class Next { kRetry, kSkip, kStop };

  // Runs the procedure's steps from st.next to the end.
  Result<MoveResult> RunFrom(Gate& gate, MoveState& st) {
    const auto& steps = proc_.steps;
    while (st.next < steps.size()) {
      StepKind k = steps[st.next];
      const bool by_message = copy_by_message_ && IsCopy(k);
      std::string_view server = k == StepKind::kRoute     ? std::string_view("directory")
                                : k == StepKind::kCleanup ? std::string_view(st.from)
                                                          : std::string_view(st.to);
      // The first pass lists the mailbox (in CopyOne, at the moment the
      // whole-mailbox copy would read it); the later ones name their message.
      std::string_view message;
      if (by_message && st.part > 0 && st.part < st.copied.size()) message = st.copied[st.part];
      Decision d = gate.Pass({StepPoint(k), server, st.user, message,
                              !by_message    ? StepWhat(k)
                              : st.part == 0 ? "list the old mailbox, copy its first message"
                                             : "copy the next listed message"});
      ++st.attempts;
      // The move's own state, which Recover finds by user: another mover
      // of the same user may pick it up.
      TouchParts(gate, Access::kWrite, "move", st.user);
      if (d.crash()) return MoveResult::kCrashed;  // st.next stays: resume redoes it
      if (!d.fails_before()) {
        Status s = Do(gate, st, k);
        if (!s.ok()) return s;
      }
      if (!d.go()) {
        Next next = OnFailure(gate, st, k);
        if (next == Next::kRetry) continue;
        if (next == Next::kStop) return MoveResult::kFailed;
      }
      st.attempts = 0;
      // An empty listing still passes the point once, copying nothing. A
      // failed message that the procedure skips (kIgnoreCopy) is just that
      // message: the mover goes on with the next.
      if (by_message && ++st.part < st.copied.size()) continue;
      st.part = 0;
      ++st.next;
    }
    return MoveResult::kDone;
  }

  static bool IsCopy(StepKind k) { return k == StepKind::kCopyOver || k == StepKind::kCopyMerge; }

  Next OnFailure(Gate& gate, MoveState& st, StepKind k) {
    const bool copy = IsCopy(k);
    if (proc_.retry_after_route && st.routed && st.attempts < 3) {
      gate.Note("failed; retrying the step");
      return Next::kRetry;
    }
    if (proc_.on_failure == OnFailure::kIgnoreCopy && copy) {
      gate.Note("copy failed; logged, the move goes on");
      return Next::kSkip;
    }
    if (proc_.on_failure != OnFailure::kStop && !st.routed) {
      RollBack(gate, st, /*forget_transit=*/false);
      return Next::kStop;
    }
    gate.Note("failed; the move stops here");
    return Next::kStop;
  }

  // What step `k` of the move reads and changes, declared before it runs
  // (the part of a copy = "message" included: the first lists the old
  // mailbox, every one writes the new).
  void TouchStep(Gate& gate, const MoveState& st, StepKind k) {
    const std::string& u = st.user;
    const std::string_view from = st.from, to = st.to;
    switch (k) {
      case StepKind::kCreate:
        TouchParts(gate, Access::kWrite, "box", to, u);
        if (proc_.forward_from_create) TouchParts(gate, Access::kWrite, "fwd", from, u);
        return;
      case StepKind::kFlag:
      case StepKind::kUnflag:
        TouchParts(gate, Access::kWrite, "box", to, u);
        return;
      case StepKind::kCopyOver:
      case StepKind::kCopyMerge:
        // Writes, merging too: the merge reads the new mailbox to see what
        // is missing, and may add a message a resent delivery checks for.
        TouchParts(gate, Access::kRead, "box", to, u);
        TouchParts(gate, Access::kWrite, to, u, kInbox);
        if (!copy_by_message_ || st.part == 0) {
          TouchParts(gate, Access::kRead, "box", from, u);
          TouchParts(gate, Access::kRead, from, u, kInbox);
        }
        return;
      case StepKind::kRoute:
        TouchParts(gate, Access::kWrite, "dir", u);
        return;
      case StepKind::kFlushAppend:
        TouchParts(gate, Access::kRead, "box", to, u);
        TouchParts(gate, Access::kWrite, to, u, kInTransit);
        TouchParts(gate, StoreAccess(u, kInbox), to, u, kInbox);
        return;
      case StepKind::kFlushRebuild:
        TouchParts(gate, Access::kRead, "box", to, u);
        TouchParts(gate, Access::kWrite, to, u, kInTransit);
        TouchParts(gate, Access::kWrite, to, u, kInbox);
        return;
      case StepKind::kCleanup:
        TouchParts(gate, Access::kWrite, "box", from, u);
        TouchParts(gate, Access::kWrite, from, u, kInbox);
        TouchParts(gate, Access::kWrite, from, u, kInTransit);
        TouchParts(gate, Access::kWrite, "fwd", from, u);
        return;
    }
  }

  // How a store into `folder` of `user` is declared. An append unless some
  // step observes the folder's order: with copy = "message" the mover lists
  // the old INBOX and copies it one message per step, so which messages a
  // failure or a crash leaves uncopied depends on the order they arrived
  // in. InTransit's order reaches the old INBOX only through a rollback, and
  // is listed after it only by a second move of the same user (all moves
  // are begun before any step runs).
  Access StoreAccess(std::string_view user, std::string_view folder) const {
    if (!copy_by_message_) return Access::kAppend;
    if (folder == kInbox) return Access::kWrite;
    size_t moves = 0;
    for (const auto& m : moves_) moves += m.user == user;
    return moves > 1 ? Access::kWrite : Access::kAppend;
  }

  Status Do(Gate& gate, MoveState& st, StepKind k) {
    TouchStep(gate, st, k);
    Server* src = FindServer(st.from);
    Server* dst = FindServer(st.to);
    Mailbox* target = dst->Find(st.user);
    Mailbox* source = src->Find(st.user);
    if (k != StepKind::kCreate && k != StepKind::kRoute && k != StepKind::kCleanup &&
        target == nullptr) {
      return Status::Infra("reference: the new mailbox of " + st.user + " is missing");
    }
    switch (k) {
      case StepKind::kCreate:
        if (target == nullptr) {
          Mailbox& m = dst->mailboxes.emplace_back();
          m.user = st.user;
          m.in_transit = proc_.create_in_transit;
        }
        if (proc_.forward_from_create && src->ForwardOf(st.user) == nullptr) {
          src->forward.emplace_back(st.user, st.to);
        }
        break;
      case StepKind::kFlag:
        target->in_transit = true;
        break;
      case StepKind::kCopyOver:
      case StepKind::kCopyMerge: {
        if (copy_by_message_) return CopyOne(gate, st, k, *target);
        if (source == nullptr) return Status::Infra("reference: the source mailbox is missing");
        size_t before = target->inbox.size();
        st.copied = source->inbox;
        if (k == StepKind::kCopyOver) {
          // The new mailbox is taken to be empty: the copy writes it over.
          target->inbox = source->inbox;
          if (before > 0) {
            NoteCount(gate, "copied %zu message(s), overwriting %zu", target->inbox.size(), before);
          } else {
            NoteCount(gate, "copied %zu message(s)", target->inbox.size());
          }
        } else {
          size_t added = 0;
          for (const auto& id : source->inbox) {
            if (!Contains(target->inbox, id)) {
              target->inbox.push_back(id);
              ++added;
            }
          }
          NoteCount(gate, "copied %zu message(s)", added);
        }
        break;
      }
      case StepKind::kRoute:
        SetHome(st.user, st.to);
        st.routed = true;
        break;
      case StepKind::kUnflag:
        target->in_transit = false;
        break;
      case StepKind::kFlushAppend: {
        size_t n = 0;
        for (const auto& id : target->transit) {
          if (!proc_.drop_resent || !Contains(target->inbox, id)) {
            target->inbox.push_back(id);
            ++n;
          }
        }
        target->transit.clear();
        NoteCount(gate, "flushed %zu message(s)", n);
        break;
      }
      case StepKind::kFlushRebuild: {
        size_t lost = target->inbox.size();
        std::vector<std::string> rebuilt = st.copied;
        rebuilt.insert(rebuilt.end(), target->transit.begin(), target->transit.end());
        target->inbox = std::move(rebuilt);
        target->transit.clear();
        NoteCount(gate, "rebuilt the mailbox with %zu message(s) over %zu", target->inbox.size(),
                  lost);
        break;
      }
      case StepKind::kCleanup:
        src->Remove(st.user);
        src->StopForwarding(st.user);
        break;
    }
    return Status::Ok();
  }

  // copy = "message": the first pass lists the old mailbox; each copies the
  // listed message st.part. Mail arriving in the old mailbox after the
  // listing is not in it. Writing over, the first pass truncates the new
  // mailbox, taken to be empty, as the whole-mailbox copy writes it over.
  Status CopyOne(Gate& gate, MoveState& st, StepKind k, Mailbox& target) {
    if (st.part == 0) {
      Mailbox* source = FindServer(st.from)->Find(st.user);
      if (source == nullptr) return Status::Infra("reference: the source mailbox is missing");
      st.copied = source->inbox;
      if (k == StepKind::kCopyOver && !target.inbox.empty()) {
        NoteCount(gate, "the first write truncates the new mailbox: %zu message(s) overwritten",
                  target.inbox.size());
        target.inbox.clear();
      }
    }
    if (st.part >= st.copied.size()) {
      gate.Note("the old mailbox is empty: nothing to copy");
      return Status::Ok();
    }
    const std::string& id = st.copied[st.part];
    if (k == StepKind::kCopyMerge && Contains(target.inbox, id)) {
      gate.Note("already in the new mailbox");
      return Status::Ok();
    }
    target.inbox.push_back(id);
    gate.Note("copied " + id + " (" + std::to_string(st.part + 1) + " of " +
              std::to_string(st.copied.size()) + ")");
    return Status::Ok();
  }

  // Undoes a move that has not switched the directory: mail that reached
  // the new mailbox goes back to the old one, the new one is deleted. With
  // `forget_transit`, the InTransit folder is forgotten and stays behind.
  void RollBack(Gate& gate, MoveState& st, bool forget_transit) {
    TouchParts(gate, Access::kWrite, "fwd", st.from, st.user);
    TouchParts(gate, Access::kWrite, "dir", st.user);
    TouchParts(gate, Access::kWrite, "box", st.from, st.user);
    TouchParts(gate, Access::kWrite, "box", st.to, st.user);
    TouchParts(gate, Access::kWrite, st.from, st.user, kInbox);
    TouchParts(gate, Access::kWrite, st.to, st.user, kInbox);
    TouchParts(gate, Access::kWrite, st.to, st.user, kInTransit);
    Server* src = FindServer(st.from);
    Server* dst = FindServer(st.to);
    src->StopForwarding(st.user);
    SetHome(st.user, st.from);
    st.routed = false;
    Mailbox* target = dst->Find(st.user);
    Mailbox* source = src->Find(st.user);
    if (target == nullptr || source == nullptr) return;
    if (forget_transit) {
      // The rollback deletes what the copy wrote, and nothing else.
      target->inbox.clear();
      gate.Note("rolled back; the InTransit folder was not looked at");
      return;
    }
    for (const auto* folder : {&target->inbox, &target->transit}) {
      for (const auto& id : *folder) {
        if (!Contains(source->inbox, id)) source->inbox.push_back(id);
      }
    }
    dst->Remove(st.user);
    gate.Note("rolled back: all mail on " + st.from);
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
  const std::string& Route(Gate& gate, std::string_view user) {
    TouchParts(gate, Access::kRead, "dir", user);
    const std::string& home = HomeOf(user);
    Server* s = FindServer(home);
    if (s != nullptr) {
      TouchParts(gate, Access::kRead, "fwd", home, user);
      if (const std::string* f = s->ForwardOf(user)) return *f;
    }
    return home;
  }

  const Procedure& proc_;
  const bool copy_by_message_;
  Server servers_[2];
  std::vector<std::pair<std::string, std::string>> directory_;
  // A deque: a mover keeps a reference to its MoveState across gate.Pass,
  // while another mover may add its own.
  std::deque<MoveState> moves_;
};

}  // namespace

AdapterInfo ReferenceAdapterInfo() {
  AdapterInfo info;
  info.name = "reference";
  info.summary = "in-memory model of two Exchange-5.5-style servers and a directory";
  for (const auto& p : Procedures()) info.variants.push_back(p.name);
  info.default_variant = Procedures().front().name;
  info.servers = {"src", "dst"};
  info.points = {
      {"create", "the mailbox is created on the destination"},
      {"flag", "InTransit is set on the new mailbox (pre-sp4 only)"},
      {"copy",
       "the source content is copied into the new mailbox (per message: copy = \"message\")"},
      {"route", "the directory is pointed at the destination"},
      {"unflag", "InTransit is cleared"},
      {"flush", "the InTransit folder is flushed into the mailbox"},
      {"cleanup", "the old mailbox is deleted (or a crashed move rolled back)"},
      {"deliver", "a message is stored"},
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
    return std::unique_ptr<Deployment>(new ReferenceDeployment(*p, by_message));
  };
  return info;
}

}  // namespace intransit
