// The dovecot adapter's deployment; see dovecot_adapter.h.
//
// Deliver: pass `deliver`, look the route up again (the sender may have
// waited while the mover switched it), then either answer tempfail because
// the MTA queue is held, or speak LMTP to the routed server: its reply
// after DATA is the answer.
//
// Move: the runbook's steps in order, each after its point. A dsync pass
// that exits 2 ("changes caused a desync") or 75 (EX_TEMPFAIL) is not done:
// the runbook stops there and the move fails. A command that does not
// return within command_timeout_ms is killed and reported as Infra (exit 3),
// as is a server whose master died. A crash at a point leaves the step
// undone; Recover resumes the runbook at that step.
//
// Footprints (footprints.h): every step declares what it touches through
// Gate::Touch, so DeclaresFootprints() is true. What a call reads before its
// first point (the route the point announces) belongs to the actor's
// previous step, and is declared there too.
#include "adapters/dovecot/dovecot_adapter.h"

#include <stdlib.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <thread>

#include "adapters/dovecot/dovecot_server.h"
#include "adapters/dovecot/footprints.h"
#include "adapters/dovecot/process.h"
#include "adapters/dovecot/runbook.h"
#include "base/name_rule.h"
#include "base/process_registry.h"

namespace intransit {
namespace {

namespace fs = std::filesystem;
using dovecot::Command;
using dovecot::CommandResult;
using dovecot::DeliverReach;
using dovecot::DovecotServer;
using dovecot::Runbook;
using dovecot::Step;
using dovecot::StepKind;

constexpr int kUnderWay = 50;  // message files on dst: the copy is under way

constexpr const char* kMissing =
    "dovecot not found: install the Debian packages dovecot-core dovecot-imapd dovecot-lmtpd";

// Ok when `user` and `message` may go into MessageText's header fields:
// a line break there would forge a header (or end it).
Status CheckHeaders(std::string_view user, std::string_view message) {
  if (Status s = dovecot::CheckHeaderValue("user", user); !s.ok()) return s;
  return dovecot::CheckHeaderValue("Message-ID", message);
}

// A real RFC 5322 message carrying the framework's Message-ID. The date is
// fixed so that runs are byte-for-byte repeatable.
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

// The first line of `text` that mentions an error or warning, shortened:
// what the timeline shows of a dsync pass that was not done.
std::string FirstComplaint(const std::string& text) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    for (const char* key : {"Error: ", "Warning: ", "Panic: ", "Fatal: "}) {
      size_t k = line.find(key);
      if (k != std::string::npos) {
        std::string s = line.substr(k);
        return s.size() > 160 ? s.substr(0, 157) + "..." : s;
      }
    }
    pos = end + 1;
  }
  return "";
}

// True when at least `n` message files are in the Maildir's tmp/, new/ or
// cur/ (counts no further than n).
bool HasMessageFiles(const std::string& maildir, int n) {
  int seen = 0;
  for (const char* sub : {"/tmp", "/new", "/cur"}) {
    std::error_code ec;
    for (fs::directory_iterator it(maildir + sub, ec), end; !ec && it != end; it.increment(ec)) {
      if (++seen >= n) return true;
    }
  }
  return false;
}

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

  ~DovecotDeployment() override {
    JoinBackground();
    for (auto& s : servers_) s->BeginStop();
    for (auto& s : servers_) s->Stop();
    servers_.clear();
    if (!keep_ && !root_.empty()) {
      RemoveTempDir(root_);
    }
  }

  Status Start(const dovecot::ServerOptions& base, const std::string& fiu_server,
               const std::string& fiu_enable) {
    base_ = base;
    fiu_server_ = fiu_server;
    fiu_enable_ = fiu_enable;
    for (const char* name : {"src", "dst"}) {
      dovecot::ServerOptions o = base;
      o.name = name;
      o.dir = root_ + "/" + name;
      if (!fiu_enable.empty() && fiu_server == name) o.fiu_enable = fiu_enable;
      auto server = std::make_unique<DovecotServer>(o);
      Status s = server->Start();
      servers_.push_back(std::move(server));  // stopped by the destructor, even on error
      if (!s.ok()) return s;
    }
    return Status::Ok();
  }

  DovecotServer* Server(std::string_view name) {
    for (auto& s : servers_) {
      if (s->name() == name) return s.get();
    }
    return nullptr;
  }

  bool DeclaresFootprints() const override { return true; }

  Status Reset() override {
    JoinBackground();
    if (wedged_) {
      // A dsync hung past its timeout in the last schedule: that schedule
      // got its Infra error; the servers may still hold its locks or a
      // stuck doveadm-server. Rebuild both instead of failing this one.
      Status s = Rebuild();
      if (!s.ok()) return s.Wrap("rebuilding the servers after a hung dsync");
    }
    for (auto& s : servers_) {
      Status alive = s->CheckAlive();
      if (!alive.ok()) return alive;
    }
    // The previous schedule's homes: nothing uses them any more. Each is
    // confined to its server's home root (a name that got this far is never
    // removed from anywhere else).
    std::vector<std::string> used;
    used.swap(used_);
    for (const auto& user : used) {
      for (auto& s : servers_) {
        Result<std::string> home = s->HomeOf(user);
        if (!home.ok()) return home.status().Wrap("reset");
        std::error_code ec;
        fs::remove_all(*home, ec);
        if (ec) return Status::Infra("cannot delete " + *home + ": " + ec.message());
      }
    }
    ++generation_;
    directory_.clear();
    held_.clear();
    moves_.clear();
    return Status::Ok();
  }

  Status Provision(std::string_view user, std::string_view server,
                   const std::vector<std::string>& messages) override {
    // A suite built in code skips the loader's check: checked again here,
    // before the name becomes a home, an LMTP argument or a header.
    if (Status st = CheckName("user", user); !st.ok()) return st;
    DovecotServer* s = Server(server);
    if (s == nullptr) return Status::Invalid("no server '" + EscapeControl(server) + "'");
    for (const auto& m : messages) {
      if (Status st = CheckHeaders(user, m); !st.ok()) return st;
    }
    SetHome(user, server);
    std::string duser = DovecotUser(user);
    if (provision_ == "maildir") return WriteMaildir(s, duser, user, messages);
    for (const auto& m : messages) {
      auto r = s->Deliver(duser, MessageText(user, m));
      if (!r.ok()) return r.status();
      if (!r->accepted()) {
        return Status::Infra("provision: " + s->name() + " refused " + m + ": " + r->text);
      }
    }
    return Status::Ok();
  }

  Result<DeliverResult> Deliver(Gate& gate, std::string_view user,
                                std::string_view message) override {
    if (Status st = CheckName("user", user); !st.ok()) return st;
    if (Status st = CheckHeaders(user, message); !st.ok()) return st;
    DeliverResult r;
    // The point announces the route (a fault rule may match its server).
    gate.Touch(dovecot::RouteObject(user), Access::kRead);
    Decision d = gate.Pass({"deliver", HomeOf(user), user, message, "deliver over LMTP"});
    // Routed again: the sender may have waited at the point while the mover
    // switched the directory.
    std::string route = HomeOf(user);
    gate.RanOn(route);
    if (d.crash() || d.fails_before()) {
      dovecot::Declare(gate, dovecot::DeliverFootprint(user, route, DeliverReach::kRouted));
    }
    if (d.crash()) {
      gate.Note("connection lost before the store answered");
      r.answer = Answer::kTempfail;
      return r;
    }
    if (d.fails_before()) {
      r.answer = AnswerFor(d.error);
      return r;
    }
    const bool held = held_.count(std::string(user)) != 0;
    const DeliverReach reach = held ? DeliverReach::kHeld : DeliverReach::kSent;
    dovecot::Declare(gate, dovecot::DeliverFootprint(user, route, reach));
    if (held) {
      gate.Note("the MTA queue is held: not sent");
      r.answer = Answer::kTempfail;
      return r;
    }
    DovecotServer* s = Server(route);
    if (s == nullptr) return Status::Infra("the directory names no server for " + std::string(user));
    auto reply = s->Deliver(DovecotUser(user), MessageText(user, message));
    if (!reply.ok()) return reply.status();
    gate.Note("LMTP " + reply->text.substr(0, std::min<size_t>(reply->text.size(), 80)));
    if (d.fails_after()) {
      if (reply->accepted()) gate.Note("the acknowledgement is lost");
      r.answer = AnswerFor(d.error);
      return r;
    }
    if (reply->accepted()) {
      r.answer = Answer::kAccepted;
      r.server = route;
      r.folder = dovecot::kDeliveryFolder;
    } else {
      r.answer = reply->tempfail() ? Answer::kTempfail : Answer::kPermfail;
    }
    return r;
  }

  Result<MoveResult> Move(Gate& gate, std::string_view user, std::string_view to) override {
    if (Status st = CheckName("user", user); !st.ok()) return st;
    // The route says where the mailbox is (and the first point announces
    // it): read in the actor's previous step.
    gate.Touch(dovecot::RouteObject(user), Access::kRead);
    std::string from = HomeOf(user);
    if (Server(from) == nullptr || Server(to) == nullptr || from == to) {
      return Status::Invalid("cannot move '" + std::string(user) + "' from '" + from + "' to '" +
                             EscapeControl(to) + "'");
    }
    MoveState& m = moves_[std::string(user)];
    // A crashed move's background backup may still run: the new runbook's
    // start-backup must not find it. Waiting for it is its wait-backup.
    if (m.background) {
      dovecot::Declare(gate, dovecot::StepFootprint(StepKind::kWaitBackup, user, m.from, m.to));
    }
    JoinBackground(m);
    m.from = from;
    m.to = std::string(to);
    m.next = 0;
    return RunSteps(gate, user, m);
  }

  Result<MoveResult> Recover(Gate& gate, std::string_view user) override {
    if (Status st = CheckName("user", user); !st.ok()) return st;
    auto it = moves_.find(std::string(user));
    if (it == moves_.end()) {
      return Status::Invalid("no crashed move of '" + std::string(user) + "' to recover");
    }
    return RunSteps(gate, user, it->second);
  }

  Status Inspect(Snapshot* out) override {
    out->Clear();
    JoinBackground();
    out->directory = directory_;
    std::vector<Command> commands;
    std::vector<std::pair<DovecotServer*, std::string>> whose;
    for (const auto& [user, home] : directory_) {
      std::string duser = DovecotUser(user);
      for (auto& s : servers_) {
        // No home: the user never had mail there (or it was deleted). A
        // fetch would create an empty mailbox; skipping it also saves 20 ms.
        Result<std::string> home = s->HomeOf(duser);
        if (!home.ok()) return home.status();
        std::error_code ec;
        if (!fs::exists(*home, ec)) continue;
        commands.push_back(
            s->Doveadm({"-f", "tab", "fetch", "-u", duser, "uid guid mailbox hdr.message-id", "ALL"}));
        whose.emplace_back(s.get(), user);
      }
    }
    std::vector<CommandResult> results;
    Status st = dovecot::RunCommands(commands, &results);
    if (!st.ok()) return st;
    for (size_t i = 0; i < results.size(); ++i) {
      DovecotServer* s = whose[i].first;
      const std::string& user = whose[i].second;
      const CommandResult& r = results[i];
      if (r.timed_out) {
        wedged_ = true;
        return Status::Infra("doveadm fetch on " + s->name() + " for " + user + " " + r.Describe());
      }
      Status alive = s->CheckAlive();
      if (!alive.ok()) return alive;
      if (r.out.rfind("uid\t", 0) != 0) {
        return Status::Infra("doveadm fetch on " + s->name() + " for " + user + ": " +
                             r.Describe() + ": " + r.err.substr(0, 300));
      }
      if (!r.ok()) {
        out->notes.push_back(s->name() + ": doveadm fetch for " + user + " " + r.Describe() + ": " +
                             FirstComplaint(r.err));
      }
      ParseFetch(s->name(), user, r.out, &out->copies);
    }
    return Status::Ok();
  }

  // The schedule's Dovecot name of a suite user (see the header).
  std::string DovecotUser(std::string_view user) {
    std::string d = std::string(user) + "-g" + std::to_string(generation_);
    if (std::find(used_.begin(), used_.end(), d) == used_.end()) used_.push_back(d);
    return d;
  }

 private:
  static void ParseFetch(const std::string& server, const std::string& user,
                         const std::string& text, std::vector<MessageCopy>* out) {
    size_t pos = text.find('\n');  // skip the header line
    while (pos != std::string::npos && pos + 1 < text.size()) {
      size_t end = text.find('\n', pos + 1);
      std::string line = text.substr(pos + 1, (end == std::string::npos ? text.size() : end) - pos - 1);
      pos = end;
      if (line.empty()) continue;
      // uid \t guid \t mailbox \t message-id
      size_t t1 = line.find('\t');
      size_t t2 = t1 == std::string::npos ? t1 : line.find('\t', t1 + 1);
      size_t t3 = t2 == std::string::npos ? t2 : line.find('\t', t2 + 1);
      if (t3 == std::string::npos) continue;
      std::string mailbox = line.substr(t2 + 1, t3 - t2 - 1);
      std::string id = line.substr(t3 + 1);
      while (!id.empty() && (id.back() == '\r' || id.back() == ' ')) id.pop_back();
      out->push_back({server, user, mailbox, id});
    }
  }

  Status WriteMaildir(DovecotServer* s, const std::string& duser, std::string_view user,
                      const std::vector<std::string>& messages) {
    // Pre-existing mail written straight into the Maildir (what a store
    // migrated from another Maildir system looks like): thousands of
    // messages in a fraction of the LMTP time. Dovecot indexes them when the
    // mailbox is first opened.
    //
    // Every path goes through HomeOf (confined to the server's home root),
    // and nothing follows a link: lchown for the directories, O_NOFOLLOW |
    // O_EXCL and fchown for the files. Running as root, a chown that
    // followed a planted link would hand any file to the mail uid.
    const int uid = s->options().uid, gid = s->options().gid;
    const std::vector<std::vector<std::string_view>> dirs = {
        {}, {"Maildir"}, {"Maildir", "cur"}, {"Maildir", "new"}, {"Maildir", "tmp"}};
    for (const auto& sub : dirs) {
      Result<std::string> dir = s->HomeOf(duser, sub);
      if (!dir.ok()) return dir.status();
      if (mkdir(dir->c_str(), 0700) != 0 && errno != EEXIST) {
        return Status::Infra("cannot create " + *dir + ": " + strerror(errno));
      }
      if (lchown(dir->c_str(), uid, gid) != 0) {
        return Status::Infra("cannot chown " + *dir + ": " + strerror(errno));
      }
    }
    int n = 0;
    for (const auto& m : messages) {
      std::string text = MessageText(user, m);
      std::string name = "1767225600.M" + std::to_string(++n) + "P" + std::to_string(getpid()) +
                         ".intransit,S=" + std::to_string(text.size()) + ":2,";
      Result<std::string> path = s->HomeOf(duser, {"Maildir", "cur", name});
      if (!path.ok()) return path.status();
      int fd = open(path->c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
      if (fd < 0) return Status::Infra("cannot create " + *path + ": " + strerror(errno));
      bool ok = fchown(fd, uid, gid) == 0;
      for (size_t done = 0; ok && done < text.size();) {
        ssize_t w = write(fd, text.data() + done, text.size() - done);
        if (w < 0 && errno == EINTR) continue;
        ok = w > 0;
        if (ok) done += static_cast<size_t>(w);
      }
      const int e = errno;
      if (close(fd) != 0 || !ok) return Status::Infra("cannot write " + *path + ": " + strerror(e));
    }
    return Status::Ok();
  }

  Result<MoveResult> RunSteps(Gate& gate, std::string_view user, MoveState& m) {
    while (m.next < runbook_.size()) {
      const Step& step = runbook_[m.next];
      std::string server = ServerOfStep(step, m);
      std::string what = What(step, user, m);
      Decision d = gate.Pass({step.point, server, user, {}, what});
      // Declared whatever the decision (a superset is sound). A background
      // backup still running overlaps this step (and a failing step's
      // EndMove waits for it): its footprint is this step's too.
      dovecot::Declare(gate, dovecot::StepFootprint(step.kind, user, m.from, m.to));
      if (m.background) {
        dovecot::Declare(gate, dovecot::StepFootprint(StepKind::kWaitBackup, user, m.from, m.to));
      }
      if (d.crash()) return MoveResult::kCrashed;  // m.next stays: Recover runs it
      if (d.fails_before()) return Fail(user);
      auto done = RunStep(gate, step, user, m);
      if (!done.ok()) return done.status();
      if (!*done) return Fail(user);
      ++m.next;
      if (d.fails_after()) return Fail(user);
    }
    EndMove(user);
    return MoveResult::kDone;
  }

  MoveResult Fail(std::string_view user) {
    EndMove(user);
    return MoveResult::kFailed;
  }

  // Forgets the move. A background backup still running (the runbook
  // stopped before its wait-backup) is waited for first: its thread writes
  // into the state, and destroying a joinable std::thread terminates. The
  // wait is bounded by the command's timeout.
  void EndMove(std::string_view user) {
    auto it = moves_.find(std::string(user));
    if (it == moves_.end()) return;
    JoinBackground(it->second);
    moves_.erase(it);
  }

  static std::string ServerOfStep(const Step& step, const MoveState& m) {
    switch (step.kind) {
      case StepKind::kBackup:
      case StepKind::kSync:
      case StepKind::kStartBackup:
      case StepKind::kWaitBackup: return m.to;
      case StepKind::kSwitch: return "directory";
      case StepKind::kHold:
      case StepKind::kRelease: return "mta";
      case StepKind::kDelete: return m.from;
    }
    return "";
  }

  static std::string What(const Step& step, std::string_view user, const MoveState& m) {
    std::string u(user);
    switch (step.kind) {
      case StepKind::kBackup: return "doveadm backup -u " + u + " " + m.from + " -> " + m.to;
      case StepKind::kSync: return "doveadm sync -1 -u " + u + " " + m.from + " -> " + m.to;
      case StepKind::kStartBackup:
        return "doveadm backup -u " + u + " " + m.from + " -> " + m.to + " in the background";
      case StepKind::kWaitBackup: return "wait for the background backup of " + u;
      case StepKind::kSwitch: return "point the directory at " + m.to;
      case StepKind::kHold: return "hold the MTA queue for " + u;
      case StepKind::kRelease: return "release the MTA queue for " + u;
      case StepKind::kDelete: return "delete " + u + "'s home on " + m.from;
    }
    return "";
  }

  Command Dsync(const MoveState& m, const std::string& duser, bool sync) {
    DovecotServer* src = Server(m.from);
    DovecotServer* dst = Server(m.to);
    std::string target = "tcp:127.0.0.1:" + std::to_string(dst->doveadm_port());
    if (sync) return src->Doveadm({"sync", "-1", "-u", duser, target});
    return src->Doveadm({"backup", "-u", duser, target});
  }

  // A dsync pass's outcome: true = done; false = not done (noted); Infra
  // when it hung or a server died.
  Result<bool> Judge(Gate& gate, const MoveState& m, const std::string& what,
                     const Result<CommandResult>& r, bool tolerate) {
    if (!r.ok()) return r.status();
    for (const auto& name : {m.from, m.to}) {
      Status alive = Server(name)->CheckAlive();
      if (!alive.ok()) return alive.Wrap(what);
    }
    if (r->timed_out) {
      wedged_ = true;
      return Status::Infra(what + " did not return: " + r->Describe() +
                           " (a hung Dovecot? see the servers' logs)");
    }
    if (r->ok()) {
      gate.Note("exit 0");
      return true;
    }
    std::string why = r->exit_code == 2    ? "not done: changes during the sync"
                      : r->exit_code == 75 ? "not done: temporary failure"
                                           : "failed";
    std::string complaint = FirstComplaint(r->err);
    gate.Note(r->Describe() + ", " + why + (complaint.empty() ? "" : " (" + complaint + ")"));
    if (tolerate) {
      gate.Note("the runbook goes on: a later pass must catch up");
      return true;
    }
    return false;
  }

  Result<bool> RunStep(Gate& gate, const Step& step, std::string_view user, MoveState& m) {
    std::string duser = DovecotUser(user);
    switch (step.kind) {
      case StepKind::kBackup:
      case StepKind::kSync: {
        for (const auto& name : {m.from, m.to}) {
          Status alive = Server(name)->CheckAlive();
          if (!alive.ok()) return alive;
        }
        bool sync = step.kind == StepKind::kSync;
        auto r = dovecot::RunCommand(Dsync(m, duser, sync));
        return Judge(gate, m, sync ? "doveadm sync -1" : "doveadm backup", r, false);
      }
      case StepKind::kStartBackup: {
        if (m.background) return Status::Invalid("runbook: start-backup while one is running");
        Result<std::string> dst_md = Server(m.to)->HomeOf(duser, {"Maildir"});
        if (!dst_md.ok()) return dst_md.status();
        const std::string& md = *dst_md;
        m.background = std::make_unique<Background>();
        Background* b = m.background.get();
        Command c = Dsync(m, duser, false);
        b->done = false;
        b->thread = std::thread([b, c] {
          b->result = dovecot::RunCommand(c);
          b->done = true;
        });
        // "Under way" means the copy is writing mail on dst: kUnderWay
        // message files are in its Maildir. Before that, a delivery to dst
        // races the start of doveadm (and the mailbox's creation), not the
        // copy. (With the first file as the mark, a delivery right then made
        // the backup hang past its timeout in about one run of three.)
        auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(Server(m.to)->options().command_timeout_ms);
        while (!b->done && !HasMessageFiles(md, kUnderWay) &&
               std::chrono::steady_clock::now() < deadline) {
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        gate.Note(b->done ? "started (and already ended)" : "started; the copy is under way on " + m.to);
        return true;
      }
      case StepKind::kWaitBackup: {
        if (!m.background) return Status::Invalid("runbook: wait-backup without start-backup");
        m.background->thread.join();
        auto r = std::move(m.background->result);
        m.background.reset();
        // A script's `wait` without a look at $?: the exit code is noted,
        // the runbook goes on (its next pass is meant to catch up).
        return Judge(gate, m, "background doveadm backup", r, true);
      }
      case StepKind::kSwitch:
        SetHome(user, m.to);
        return true;
      case StepKind::kHold:
        held_.insert(std::string(user));
        return true;
      case StepKind::kRelease:
        held_.erase(std::string(user));
        return true;
      case StepKind::kDelete: {
        Result<std::string> home = Server(m.from)->HomeOf(duser);
        if (!home.ok()) return home.status();
        std::error_code ec;
        auto n = fs::remove_all(*home, ec);
        if (ec) return Status::Infra("cannot delete the home on " + m.from + ": " + ec.message());
        gate.Note("removed " + std::to_string(n) + " files");
        return true;
      }
    }
    return true;
  }

  static void JoinBackground(MoveState& m) {
    if (m.background && m.background->thread.joinable()) m.background->thread.join();
    m.background.reset();
  }

  void JoinBackground() {
    for (auto& [user, m] : moves_) JoinBackground(m);
  }

  std::string HomeOf(std::string_view user) const {
    for (const auto& [u, s] : directory_) {
      if (u == user) return s;
    }
    return "";
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

  // Stops both servers (killing whatever of theirs still runs, a stuck
  // doveadm-server included), removes their directories and starts them
  // afresh on new ports. The generation counter goes on, so no name of an
  // earlier schedule is reused.
  Status Rebuild() {
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
    return Start(base_, fiu_server_, fiu_enable_);
  }

  Runbook runbook_;
  dovecot::ServerOptions base_;
  std::string fiu_server_, fiu_enable_;
  bool wedged_ = false;  // a dsync timed out: Reset rebuilds the servers
  std::string root_;
  bool keep_;
  std::string provision_;
  std::vector<std::unique_ptr<DovecotServer>> servers_;
  int generation_ = 0;
  std::vector<std::string> used_;  // Dovecot user names of this schedule
  std::vector<std::pair<std::string, std::string>> directory_;
  std::set<std::string> held_;
  std::map<std::string, MoveState> moves_;
};

Result<std::unique_ptr<Deployment>> Open(const AdapterConfig& config) {
  if (!dovecot::DovecotInstalled()) return Status::Infra(kMissing);
  Result<Runbook> runbook = config.options.Has("runbook")
                                ? dovecot::ParseRunbook(config.options.StringList("runbook"))
                                : dovecot::VariantRunbook(config.variant);
  if (!runbook.ok()) return runbook.status();
  std::string provision = config.options.String("provision", "lmtp");

  dovecot::ServerOptions base;
  base.password = "intransit-" + std::to_string(getpid());
  base.uid = base.gid = static_cast<int>(config.options.Int("mail_uid", 4242));
  base.command_timeout_ms = static_cast<int>(config.options.Int("command_timeout_ms", 10000));
  base.lmtp_timeout_ms = static_cast<int>(config.options.Int("lmtp_timeout_ms", 10000));
  base.start_timeout_ms = static_cast<int>(config.options.Int("start_timeout_ms", 10000));
  std::string fiu = config.options.String("fiu", "");
  std::string fiu_enable;
  if (!fiu.empty()) {
    if (access(dovecot::kFiuPosixPreload, R_OK) != 0) {
      return Status::Infra(std::string("fiu: ") + dovecot::kFiuPosixPreload +
                           " not found: install the Debian package fiu-utils");
    }
    fiu_enable = "enable name=" + fiu;
  }

  // The temp root must be searchable by the mail uid (mkdtemp makes 0700),
  // and so must every directory above it: else every delivery is a 451.
  std::string parent = config.work_dir.empty() ? fs::temp_directory_path().string() : config.work_dir;
  if (geteuid() == 0) {
    std::error_code ec;
    for (fs::path p = fs::absolute(parent, ec); !p.empty(); p = p.parent_path()) {
      struct stat st {};
      if (stat(p.c_str(), &st) == 0 && (st.st_mode & S_IXOTH) == 0) {
        return Status::Infra("dovecot: " + p.string() + " is not searchable by the mail uid " +
                             std::to_string(base.uid) + " (chmod o+x it, or use another work dir)");
      }
      if (p == p.root_path()) break;
    }
  }
  // Recorded, so SIGINT/SIGTERM remove it too (kept ones are not recorded).
  auto made = MakeTempDir(parent, "intransit-dovecot.", !config.keep);
  if (!made.ok()) return made.status();
  std::string pattern = *made;
  chmod(pattern.c_str(), 0755);
  try {
    auto d = std::make_unique<DovecotDeployment>(std::move(*runbook), pattern, config.keep,
                                                 provision);
    Status s = d->Start(base, config.options.String("fiu_server", "dst"), fiu_enable);
    if (!s.ok()) return s;  // d's destructor stops what started and removes the root
    return std::unique_ptr<Deployment>(std::move(d));
  } catch (const std::exception& e) {
    // Whatever started was stopped by the destructors on the way here.
    return Status::Infra(std::string("dovecot adapter: ") + e.what());
  }
}

}  // namespace

AdapterInfo DovecotAdapterInfo() {
  AdapterInfo info;
  info.name = "dovecot";
  info.summary = "two real Dovecot servers on loopback; LMTP delivery; a dsync runbook moves the mailbox";
  info.variants = dovecot::VariantNames();
  info.default_variant = "documented";
  info.servers = {"src", "dst"};
  info.options = {
      {"runbook", ParamType::kStringList,
       "the mover's steps, overriding the variant: " + JoinAlternatives(dovecot::StepNames()),
       {}, false, ""},
      {"command_timeout_ms", ParamType::kInt,
       "hard timeout of every doveadm command (dsync, fetch); then SIGKILL", {}, false, "10000"},
      {"lmtp_timeout_ms", ParamType::kInt, "how long to wait for each LMTP reply", {}, false,
       "10000"},
      {"start_timeout_ms", ParamType::kInt, "how long a server may take to accept on its ports",
       {}, false, "10000"},
      {"mail_uid", ParamType::kInt, "the uid (and gid) mail is stored as, when run as root", {},
       false, "4242"},
      {"provision", ParamType::kString,
       "how pre-existing mail is put in place: over LMTP, or written into the Maildir (fast)",
       {"lmtp", "maildir"}, false, "lmtp"},
      {"fiu", ParamType::kString,
       "a libfiu POSIX point every process of fiu_server fails, e.g. "
       "'posix/io/dir/rename,failinfo=28' (coarse: for the whole run)",
       {}, false, ""},
      {"fiu_server", ParamType::kString, "the server that runs under the libfiu preload",
       {"src", "dst"}, false, "dst"},
  };
  info.points = {
      {"deliver", "a message is delivered over LMTP to the server the directory names"},
      {"dovecot/backup", "doveadm backup src -> dst (also start-backup)"},
      {"dovecot/sync", "doveadm sync -1 src -> dst"},
      {"dovecot/wait", "waiting for a background backup"},
      {"route", "the directory is pointed at dst"},
      {"dovecot/hold", "the MTA queue is held: deliveries answer tempfail"},
      {"dovecot/release", "the MTA queue is released"},
      {"cleanup", "the user's home on src is deleted"},
  };
  info.recovery = {"resume"};
  info.open = Open;
  return info;
}

}  // namespace intransit
