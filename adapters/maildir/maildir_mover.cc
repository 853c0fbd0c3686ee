// The maildir store and its mover: see maildir_adapter.h.
//
// Every step of the mover and every delivery passes its scheduling point
// first, then does its file operations through a MaildirIo, which asks the
// fault plan at maildir/write, maildir/fsync and maildir/rename and opens
// libfiu's POSIX points around the real calls. The directory is read from
// disk at every delivery, after the delivery's point (the sender may have
// waited there while the mover switched it).
//
// The mover keeps a journal (moves/<user>: the next step to run) written
// before each step, so that Recover resumes a crashed move at the step it
// stopped in. Every step is idempotent for that reason: create makes what
// is missing, copy skips files the destination already has, flush renames
// what is still held, cleanup removes what is left.
//
// What the in-transit mover does when a step fails (the other variants are
// the buggy runbooks they document: they stop at the first failure):
//   - before the directory switch (create, or route failing before it ran):
//     roll back — the new maildir is removed, the directory still names the
//     source, the move reports failed;
//   - after the switch: the step is retried (kStepAttempts passes of its
//     point; a step whose file operations failed was already retried that
//     many times inside and is not passed again);
//   - when the copy (or the switch itself) still fails after its retries,
//     the move is rolled back, not left half-way: the directory is pointed
//     back at the source and the mail held in dst's .InTransit goes back into
//     the source INBOX. Until the copy has completed the source maildir is
//     whole and the only mail the destination has that the source lacks is
//     what .InTransit held, so undoing is a few renames' worth of work and
//     leaves the user on a working mailbox; stopping would leave her routed
//     to a mailbox holding part of her mail. Once the copy completed the
//     destination is the complete mailbox: a later step that keeps failing
//     stops the move (journal kept, Recover resumes it) instead.
// Delivery (in-transit) drops a Message-ID the user's maildir already holds
// (cur/, new/, .InTransit) and answers accepted, so that a resend after a
// lost acknowledgement is not stored twice; the flush drops a held file whose
// Message-ID the INBOX already holds (a resend held while the copy brought
// the first delivery over from the source).
//
// Every step declares what it touches (Gate::Touch; docs/footprints.md has
// the table and the reasons), per user: `dir/alice` (her line of the
// directory file: every writer rewrites the file in one step, keeping the
// other lines), `box/<srv>/alice` (her maildir exists there, and its folders
// other than .InTransit, which only movers touch), `<srv>/alice/INBOX` (the
// files of cur/ new/ tmp/), `<srv>/alice/InTransit` (.InTransit: whether it
// exists, and its files), `journal/alice` (moves/alice).
#include "adapters/maildir/maildir_adapter.h"

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "adapters/maildir/maildir_store.h"
#include "adapters/maildir/posix_faults.h"
#include "base/confined_path.h"
#include "base/name_rule.h"
#include "base/process_registry.h"

namespace intransit {
namespace {

constexpr const char* kInbox = "INBOX";
constexpr const char* kHoldingDir = ".InTransit";
constexpr const char* kServers[] = {"src", "dst"};
constexpr int kStepAttempts = 3;  // a step that hits an I/O error is retried

enum class Variant { kNaive, kInTransit, kPreSp4 };
enum class Step { kCreate, kFlag, kCopy, kRoute, kUnflag, kFlush, kCleanup };

const char* StepName(Step s) {
  switch (s) {
    case Step::kCreate: return "create";
    case Step::kFlag: return "flag";
    case Step::kCopy: return "copy";
    case Step::kRoute: return "route";
    case Step::kUnflag: return "unflag";
    case Step::kFlush: return "flush";
    case Step::kCleanup: return "cleanup";
  }
  return "?";
}

const std::vector<Step>& StepsOf(Variant v) {
  static const std::vector<Step> naive = {Step::kCreate, Step::kCopy, Step::kRoute,
                                          Step::kCleanup};
  static const std::vector<Step> in_transit = {Step::kCreate, Step::kRoute, Step::kCopy,
                                               Step::kUnflag, Step::kFlush, Step::kCleanup};
  static const std::vector<Step> pre_sp4 = {Step::kCreate, Step::kFlag,  Step::kCopy,
                                            Step::kRoute,  Step::kUnflag, Step::kFlush,
                                            Step::kCleanup};
  return v == Variant::kNaive ? naive : v == Variant::kPreSp4 ? pre_sp4 : in_transit;
}

// One line of the directory file: its four fields each encoded with
// EncodeField (maildir_store.h), so that no name can split or forge a line.
struct Entry {
  std::string user;
  std::string home;    // the user's home server
  std::string server;  // where deliveries go now (a forward while moving)
  std::string folder;  // "INBOX" or ".InTransit"
};

constexpr const char* kInTransit = "InTransit";  // the object name of .InTransit

// What one mover step ended with.
enum class StepEnd { kOk, kFailed, kCrashed };

class MaildirDeployment : public Deployment {
 public:
  MaildirDeployment(Variant variant, std::string base, bool keep, bool fsync,
                    std::vector<std::string> io_steps, bool io_armed)
      : variant_(variant), base_(std::move(base)), keep_(keep), fsync_(fsync),
        io_steps_(std::move(io_steps)), io_armed_(io_armed) {}

  bool DeclaresFootprints() const override { return true; }

  ~MaildirDeployment() override {
    if (keep_) {
      std::cerr << "intransit: maildir trees kept under " << base_ << "\n";
    } else {
      RemoveTree(base_);
      ForgetTempDir(base_);
    }
  }

  Status Reset() override {
    if (!tree_.empty() && !keep_) RemoveTree(tree_);
    ids_.clear();
    ++schedule_;
    if (keep_) {
      char name[32];
      snprintf(name, sizeof name, "/schedule-%06d", schedule_);
      tree_ = base_ + name;
    } else {
      tree_ = base_ + "/run";
    }
    for (const char* s : kServers) {
      if (int e = MakeDir(tree_ + "/" + s); e != 0) return Infra("create " + tree_ + "/" + s, e);
    }
    if (int e = MakeDir(tree_ + "/moves"); e != 0) return Infra("create " + tree_ + "/moves", e);
    MaildirIo io(nullptr, "directory", "", false, false);
    if (int e = WriteDirectory(io, {}); e != 0) return Infra("write the directory", e);
    return Status::Ok();
  }

  Status Provision(std::string_view user, std::string_view server,
                   const std::vector<std::string>& messages) override {
    if (Status s = CheckName("user", user); !s.ok()) return s;
    if (!IsServer(server)) {
      return Status::Invalid("no server '" + EscapeControl(server) + "'");
    }
    Result<std::string> dir_of_user = UserDir(server, user);
    if (!dir_of_user.ok()) return dir_of_user.status();
    const std::string md = *dir_of_user;
    if (int e = MakeMaildir(md, false); e != 0) return Infra("create " + md, e);
    // Harness set-up, not the store under test: no points, no fsync.
    MaildirIo io(nullptr, std::string(server), std::string(user), false, false);
    for (const auto& id : messages) {
      std::string name = UniqueName();
      if (io.PutFile(md + "/tmp/" + name, md + "/cur/" + name + ":2,S",
                     MessageText(id, user)) != 0) {
        return Status::Infra("provision " + std::string(user) + ": " + io.last_error());
      }
    }
    std::vector<Entry> dir;
    if (!ReadDirectory(io, &dir)) return Status::Infra("read the directory: " + io.last_error());
    Entry* e = Find(&dir, user);
    if (e == nullptr) e = &dir.emplace_back();
    *e = {std::string(user), std::string(server), std::string(server), kInbox};
    if (WriteDirectory(io, dir) != 0) {
      return Status::Infra("write the directory: " + io.last_error());
    }
    return Status::Ok();
  }

  Result<DeliverResult> Deliver(Gate& gate, std::string_view user,
                                std::string_view message) override {
    // A suite built in code skips the loader's check: the name is checked
    // again before it becomes a path or a header.
    if (Status s = CheckName("user", user); !s.ok()) return s;
    if (message.find_first_of(std::string_view("\0\r\n", 3)) != std::string_view::npos) {
      return Status::Invalid("Message-ID '" + EscapeControl(message) +
                             "' holds a line break or a NUL");
    }
    DeliverResult r;
    r.answer = Answer::kTempfail;
    Entry route;
    {
      // The route announced decides which faults match: read in the
      // actor's previous step, which this touch joins.
      TouchParts(gate, Access::kRead, "dir", user);
      MaildirIo peek(nullptr, "directory", std::string(user), false, false);
      std::vector<Entry> dir;
      if (ReadDirectory(peek, &dir)) {
        if (Entry* e = Find(&dir, user)) route = *e;
      }
    }
    Decision d = gate.Pass({"deliver", route.server, user, message, "deliver"});
    // Read below unless the step fails first; declared anyway, so that every
    // delivery step says what it may touch.
    TouchParts(gate, Access::kRead, "dir", user);
    if (d.crash()) {
      gate.Note("connection lost before the store stored anything");
      return r;
    }
    if (d.fails_before()) {
      r.answer = AnswerFor(d.error);
      return r;
    }
    // Routed again, from disk: the sender may have waited while the mover ran.
    Gate* io_gate = IoIn("deliver") ? &gate : nullptr;
    MaildirIo io(io_gate, "directory", std::string(user), true, fsync_);
    std::vector<Entry> dir;
    if (!ReadDirectory(io, &dir)) {
      gate.Note("directory unreadable: " + io.last_error() + "; 451");
      return r;
    }
    Entry* e = Find(&dir, user);
    if (e == nullptr) {
      gate.Note("no such user in the directory; 550");
      r.answer = Answer::kPermfail;
      return r;
    }
    route = *e;
    gate.RanOn(route.server);
    Result<std::string> dir_of_user = UserDir(route.server, user);
    if (!dir_of_user.ok()) return dir_of_user.status();
    const std::string user_dir = *dir_of_user;
    std::string md = user_dir;
    std::string rel = route.folder == kInbox ? "" : route.folder + "/";
    if (!rel.empty()) md += "/" + route.folder;
    // The maildir's existence decides a 451 (the folder's own, for
    // .InTransit, is its object's); the Message-ID check (in-transit) reads
    // only whether this message is stored, which no other delivery changes:
    // an append, against which a mover step that can bring this message
    // (copy, flush, rollback) is a write.
    const std::string folder_object =
        route.folder == kInbox ? kInbox
        : route.folder == kHoldingDir ? kInTransit
                                      : route.folder;
    TouchParts(gate, Access::kRead, "box", route.server, user);
    if (variant_ == Variant::kInTransit) {
      TouchParts(gate, Access::kAppend, route.server, user, kInbox);
      TouchParts(gate, Access::kAppend, route.server, user, kInTransit);
    }
    TouchParts(gate, StoreAccess(), route.server, user, folder_object);
    if (!Exists(md + "/new")) {
      gate.Note("no maildir for " + std::string(user) + " on " + route.server + "; 451");
      return r;
    }
    // Stored (or already there): accepted, unless the step fails after it ran.
    auto stored = [&] {
      if (d.fails_after()) {
        r.answer = AnswerFor(d.error);
        return r;
      }
      r.answer = Answer::kAccepted;
      r.server = route.server;
      r.folder = route.folder == kInbox ? kInbox : route.folder.substr(1);
      return r;
    };
    if (variant_ == Variant::kInTransit && Holds(user_dir, message, true)) {
      // A resend (the sender never heard our 250): the mailbox has it.
      gate.Note("already stored on " + route.server + ": the resend is dropped");
      return stored();
    }
    MaildirIo store(io_gate, route.server, std::string(user), true, fsync_);
    const std::string name = UniqueName();
    int err = store.PutFile(md + "/tmp/" + name, md + "/new/" + name, MessageText(message, user));
    if (store.crashed()) {
      gate.Note("the store died mid-delivery (" + store.last_error() + "); " + rel + "tmp/" +
                name + " left behind");
      return r;
    }
    if (err != 0) {
      gate.Note(store.last_error() + "; 451");
      return r;
    }
    gate.Note(rel + "new/" + name);
    return stored();
  }

  Result<MoveResult> Move(Gate& gate, std::string_view user, std::string_view to) override {
    if (Status s = CheckName("user", user); !s.ok()) return s;
    TouchParts(gate, Access::kRead, "dir", user);
    TouchParts(gate, Access::kWrite, "journal", user);
    MaildirIo io(nullptr, "directory", std::string(user), false, false);
    std::vector<Entry> dir;
    if (!ReadDirectory(io, &dir)) return Status::Infra("read the directory: " + io.last_error());
    Entry* e = Find(&dir, user);
    std::string from = e ? e->home : "";
    if (!IsServer(from) || !IsServer(to) || from == to) {
      return Status::Invalid("cannot move '" + std::string(user) + "' from '" + from + "' to '" +
                             EscapeControl(to) + "'");
    }
    return RunSteps(gate, user, from, std::string(to), 0);
  }

  // Resumes the move at the step its journal names.
  Result<MoveResult> Recover(Gate& gate, std::string_view user) override {
    if (Status s = CheckName("user", user); !s.ok()) return s;
    // The step after the runner's `recover` point reads the journal.
    TouchParts(gate, Access::kWrite, "journal", user);
    Result<std::string> journal = ConfinedPath(tree_, {"moves", user});
    if (!journal.ok()) return journal.status();
    MaildirIo io(nullptr, "journal", std::string(user), false, false);
    std::string text;
    if (io.ReadFile(*journal, &text) != 0) {
      gate.Note("no journal: the move never started");
      return MoveResult::kFailed;
    }
    std::istringstream in(text);
    std::string from, to;
    size_t next = 0;
    if (!(in >> from >> to >> next) || !IsServer(from) || !IsServer(to) ||
        next > StepsOf(variant_).size()) {
      return Status::Infra("corrupt journal " + *journal);
    }
    return RunSteps(gate, user, from, to, next);
  }

  Status Inspect(Snapshot* out) override {
    out->Clear();
    for (const char* server : kServers) {
      for (const auto& user : ListDirs(tree_ + "/" + server)) {
        Result<std::string> dir_of_user = UserDir(server, user);
        if (!dir_of_user.ok()) {
          out->notes.push_back(dir_of_user.status().message());
          continue;
        }
        const std::string& md = *dir_of_user;
        InspectFolder(out, server, user, kInbox, md, "");
        for (const auto& sub : ListSubfolders(md)) {
          InspectFolder(out, server, user, sub.substr(1), md + "/" + sub, sub + "/");
        }
      }
    }
    MaildirIo io(nullptr, "directory", "", false, false);
    std::vector<Entry> dir;
    if (!ReadDirectory(io, &dir)) return Status::Infra("read the directory: " + io.last_error());
    for (const auto& e : dir) out->directory.emplace_back(e.user, e.home);
    out->holding_folders = {"InTransit", "tmp", "InTransit/tmp"};
    if (keep_) out->notes.push_back("kept: " + tree_);
    return Status::Ok();
  }

 private:
  static Status Infra(const std::string& what, int e) {
    return Status::Infra(what + ": " + std::strerror(e));
  }
  static int MakeDir(const std::string& path) {
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    return ec.value();
  }
  static bool IsServer(std::string_view s) { return s == "src" || s == "dst"; }
  static Entry* Find(std::vector<Entry>* dir, std::string_view user) {
    for (auto& e : *dir) {
      if (e.user == user) return &e;
    }
    return nullptr;
  }

  // tree/<server>/<user>, confined to the tree (confined_path.h): the one
  // place a user's name becomes a path.
  Result<std::string> UserDir(std::string_view server, std::string_view user) const {
    return ConfinedPath(tree_, {server, user});
  }

  bool IoIn(std::string_view step) const {
    return io_steps_.empty() ||
           std::find(io_steps_.begin(), io_steps_.end(), step) != io_steps_.end();
  }

  bool ReadDirectory(MaildirIo& io, std::vector<Entry>* out) {
    out->clear();
    std::string text;
    if (io.ReadFile(tree_ + "/directory", &text) != 0) return false;
    // Four encoded fields a line, separated by single spaces: a line that
    // is not is a corrupt directory, never a silently dropped user.
    size_t pos = 0;
    while (pos < text.size()) {
      size_t eol = text.find('\n', pos);
      if (eol == std::string::npos) eol = text.size();
      std::string_view line(text.data() + pos, eol - pos);
      pos = eol + 1;
      std::string fields[4];
      size_t n = 0;
      bool ok = true;
      while (ok && n < 4) {
        size_t sp = line.find(' ');
        ok = DecodeField(line.substr(0, sp), &fields[n++]);
        if (sp == std::string_view::npos) break;
        line.remove_prefix(sp + 1);
        if (n == 4) ok = false;  // a fifth field
      }
      if (!ok || n != 4) {
        io.Fail(EINVAL, "corrupt directory line " + std::to_string(out->size() + 1));
        return false;
      }
      out->push_back({fields[0], fields[1], fields[2], fields[3]});
    }
    return true;
  }

  // Replaces the directory file: write a temporary file, fsync, rename.
  int WriteDirectory(MaildirIo& io, const std::vector<Entry>& dir) {
    std::string text;
    for (const auto& e : dir) {
      text += EncodeField(e.user) + " " + EncodeField(e.home) + " " + EncodeField(e.server) +
              " " + EncodeField(e.folder) + "\n";
    }
    return io.PutFile(tree_ + "/directory." + UniqueName() + ".tmp", tree_ + "/directory", text);
  }

  int SetRoute(MaildirIo& io, std::string_view user, const std::string& home,
               const std::string& server, const std::string& folder) {
    std::vector<Entry> dir;
    if (!ReadDirectory(io, &dir)) return EIO;
    Entry* e = Find(&dir, user);
    if (e == nullptr) e = &dir.emplace_back();
    *e = {std::string(user), home, server, folder};
    return WriteDirectory(io, dir);
  }

  // Records the step a crashed move resumes at; a finished move has none.
  // A journal that cannot be written is an infrastructure error: Recover
  // would resume from a stale step.
  Status WriteJournal(std::string_view user, const std::string& from, const std::string& to,
                      size_t next) {
    Result<std::string> journal = ConfinedPath(tree_, {"moves", user});
    if (!journal.ok()) return journal.status();
    const std::string& path = *journal;
    if (next >= StepsOf(variant_).size()) {
      if (unlink(path.c_str()) != 0 && errno != ENOENT) {
        return Status::Infra("maildir: remove the journal " + path + ": " + strerror(errno));
      }
      return Status::Ok();
    }
    // Written like a message (tmp name, rename); not fsynced: a crash here
    // is the mover's, simulated, not the machine's, and a fsync per step
    // took the in-transit bench on disk from ~300 schedules/s to ~10.
    MaildirIo io(nullptr, "journal", std::string(user), false, false);
    if (io.PutFile(path + "." + UniqueName() + ".tmp", path,
                   from + " " + to + " " + std::to_string(next) + "\n") != 0) {
      return Status::Infra("maildir: write the move journal: " + io.last_error());
    }
    return Status::Ok();
  }

  Result<MoveResult> RunSteps(Gate& gate, std::string_view user, const std::string& from,
                              const std::string& to, size_t first) {
    const auto& steps = StepsOf(variant_);
    int passes = 0;  // of the current step's point
    for (size_t i = first; i < steps.size();) {
      const Step step = steps[i];
      if (Status s = WriteJournal(user, from, to, i); !s.ok()) return s;
      const std::string server = step == Step::kRoute     ? "directory"
                                 : step == Step::kCleanup ? from
                                                          : to;
      Decision d = gate.Pass({StepName(step), server, user, {}, Describe(step)});
      ++passes;
      // The journal: written for the next step before its point.
      TouchParts(gate, Access::kWrite, "journal", user);
      if (d.crash()) return MoveResult::kCrashed;
      StepEnd end = StepEnd::kFailed;
      if (!d.fails_before()) {
        TouchStep(gate, step, user, from, to);
        for (int attempt = 1; attempt <= kStepAttempts; ++attempt) {
          MaildirIo io(IoIn(StepName(step)) ? &gate : nullptr, server, std::string(user), true,
                       fsync_);
          end = DoStep(gate, io, step, user, from, to);
          if (end != StepEnd::kFailed) break;
          gate.Note("attempt " + std::to_string(attempt) + " failed: " + io.last_error() +
                    (attempt < kStepAttempts ? "; retrying" : "; giving up"));
        }
      }
      if (end == StepEnd::kCrashed) return MoveResult::kCrashed;
      if (end == StepEnd::kOk && !d.fails_after()) {
        ++i;
        passes = 0;
        continue;
      }
      if (variant_ != Variant::kInTransit) return MoveResult::kFailed;  // the buggy runbooks

      // The in-transit mover's answer to a failed step: see the top of the file.
      bool routed = false;
      TouchParts(gate, Access::kRead, "dir", user);
      if (Status s = Routed(user, to, &routed); !s.ok()) return s;
      // A step whose file operations gave up was already retried inside.
      const bool io_exhausted = end == StepEnd::kFailed && !d.fails_before();
      if (routed && !io_exhausted && passes < kStepAttempts) {
        gate.Note("failed after the switch; retrying the step");
        continue;
      }
      if (!routed || step == Step::kRoute || step == Step::kCopy || step == Step::kCreate) {
        RollBack(gate, user, from, to);
        return MoveResult::kFailed;
      }
      gate.Note("failed after the copy; the move stops here (Recover resumes it)");
      return MoveResult::kFailed;
    }
    if (Status s = WriteJournal(user, from, to, steps.size()); !s.ok()) return s;
    return MoveResult::kDone;
  }

  // *routed: the directory sends the user's mail to `to` (the switch ran).
  Status Routed(std::string_view user, const std::string& to, bool* routed) {
    MaildirIo io(nullptr, "directory", std::string(user), false, false);
    std::vector<Entry> dir;
    if (!ReadDirectory(io, &dir)) return Status::Infra("read the directory: " + io.last_error());
    const Entry* e = Find(&dir, user);
    *routed = e != nullptr && e->server == to;
    return Status::Ok();
  }

  // Undoes a move of the in-transit mover that has not completed its copy:
  // the directory names the source INBOX again (new mail goes there from
  // now on), every message of the destination maildir the source does not
  // hold goes back into it by the Maildir protocol (tmp/, fsync, rename;
  // new/ stays new/, a cur/ name keeps its flags; .InTransit mail lands in
  // the INBOX), then the destination maildir and the journal are removed.
  // The rollback's own I/O is not subject to the fault plan (the planted
  // faults belong to the step that failed); a real error stops it before
  // anything is deleted, leaving the destination as it is.
  void RollBack(Gate& gate, std::string_view user, const std::string& from,
                const std::string& to) {
    TouchParts(gate, Access::kWrite, "dir", user);
    TouchParts(gate, Access::kWrite, "journal", user);
    for (const std::string* server : {&from, &to}) {
      TouchParts(gate, Access::kWrite, "box", *server, user);
      TouchParts(gate, Access::kWrite, *server, user, kInbox);
      TouchParts(gate, Access::kWrite, *server, user, kInTransit);
    }
    MaildirIo io(nullptr, from, std::string(user), false, fsync_);
    if (SetRoute(io, user, from, from, kInbox) != 0) {
      gate.Note("rollback failed: cannot write the directory: " + io.last_error());
      return;
    }
    Result<std::string> src_dir = UserDir(from, user), dst_dir = UserDir(to, user);
    Result<std::string> journal = ConfinedPath(tree_, {"moves", user});
    for (const Result<std::string>* r : {&src_dir, &dst_dir, &journal}) {
      if (!r->ok()) {
        gate.Note("rollback failed: " + r->status().message());
        return;
      }
    }
    const std::string& src = *src_dir;
    const std::string& dst = *dst_dir;
    std::vector<std::string> folders = {""};
    for (const auto& sub : ListSubfolders(dst)) folders.push_back(sub);
    std::vector<std::string> returned;
    size_t dropped = 0;
    for (const auto& f : folders) {
      // .InTransit held INBOX mail; any other folder goes back to its own.
      const bool to_inbox = f.empty() || f == kHoldingDir;
      const std::string target = to_inbox ? src : src + "/" + f;
      if (int e = MakeMaildir(target, !to_inbox); e != 0) {
        gate.Note("rollback failed: " + std::string(std::strerror(e)) + " creating " + target);
        return;
      }
      const std::string from_dir = f.empty() ? dst : dst + "/" + f;
      std::unordered_set<std::string> there = IdsIn(target);
      for (const char* sub : {"/cur/", "/new/"}) {
        for (const auto& name : ListFiles(from_dir + sub)) {
          const std::string path = from_dir + sub + name;
          const std::string id = IdOf(path);
          if (!id.empty() && !there.insert(id).second) {
            ++dropped;  // the copy of a source message, or a resend
            continue;
          }
          std::string text;
          std::string base = name;
          if (Exists(target + sub + base)) {
            const size_t colon = name.find(':');
            base = UniqueName() + (colon == std::string::npos ? "" : name.substr(colon));
          }
          const std::string tmp = target + "/tmp/" + base.substr(0, base.find(':'));
          if (io.ReadFile(path, &text) != 0 || io.PutFile(tmp, target + sub + base, text) != 0) {
            gate.Note("rollback failed: " + io.last_error() + "; " + to + "/" +
                      std::string(user) + " kept");
            return;
          }
          returned.push_back((f.empty() ? "" : f + "/") + std::string(sub + 1) + name);
        }
      }
    }
    if (!RemoveTree(dst)) {
      gate.Note("rollback: cannot remove " + dst);
      return;
    }
    unlink(journal->c_str());
    gate.Note("rolled back: " + Names(returned) + " returned to " + from + ", " +
              std::to_string(dropped) + " already there; " + to + "/" + std::string(user) +
              " removed; the directory names " + from);
  }

  // The Message-ID of the file at `path`, read once: Maildir files never
  // change once renamed into place (a new name is a new key).
  const std::string& IdOf(const std::string& path) {
    auto it = ids_.find(path);
    if (it == ids_.end()) it = ids_.emplace(path, ReadMessageId(path)).first;
    return it->second;
  }

  // Whether the maildir at `md` holds `id` in cur/ or new/ (and, with
  // `held`, in its .InTransit folder): listed from disk at every call.
  // The Message-IDs in the INBOX (cur/, new/) of the maildir at `md`: read
  // once per rollback or flush rather than once per file it moves.
  std::unordered_set<std::string> IdsIn(const std::string& md) {
    std::unordered_set<std::string> ids;
    for (const char* sub : {"/cur/", "/new/"}) {
      for (const auto& name : ListFiles(md + sub)) {
        const std::string& id = IdOf(md + sub + name);
        if (!id.empty()) ids.insert(id);
      }
    }
    return ids;
  }

  bool Holds(const std::string& md, std::string_view id, bool held) {
    std::vector<std::string> dirs = {md + "/cur/", md + "/new/"};
    if (held) {
      dirs.push_back(md + "/" + kHoldingDir + "/cur/");
      dirs.push_back(md + "/" + kHoldingDir + "/new/");
    }
    for (const auto& dir : dirs) {
      for (const auto& name : ListFiles(dir)) {
        if (IdOf(dir + name) == id) return true;
      }
    }
    return false;
  }

  const char* Describe(Step step) const {
    switch (step) {
      case Step::kCreate:
        return variant_ == Variant::kInTransit ? "create the maildir with a .InTransit folder"
               : variant_ == Variant::kPreSp4  ? "create the maildir; src forwards new mail to it"
                                               : "create the maildir";
      case Step::kFlag: return "create .InTransit; deliveries go there";
      case Step::kCopy:
        return variant_ == Variant::kPreSp4 ? "copy the source by replacing cur/ and new/"
                                            : "copy the source files";
      case Step::kRoute:
        return variant_ == Variant::kNaive ? "point the directory at the new server"
                                           : "point the directory at the new server's .InTransit";
      case Step::kUnflag: return "route deliveries to the INBOX again";
      case Step::kFlush: return "flush .InTransit into cur/ and new/ by rename";
      case Step::kCleanup: return "delete the source maildir";
    }
    return "";
  }

  StepEnd Ended(MaildirIo& io, int err) const {
    if (io.crashed()) return StepEnd::kCrashed;
    return err == 0 ? StepEnd::kOk : StepEnd::kFailed;
  }

  // What a store of a new file into a folder is declared as. An append (a
  // new unique name nobody else adds) unless an I/O fault is armed: the copy
  // and the flush go through a folder's files one by one in name order, the
  // names follow the deliveries' order, and a counted fault at the k-th
  // write or rename then leaves a different file behind.
  Access StoreAccess() const { return io_armed_ ? Access::kWrite : Access::kAppend; }

  // What `step` of the move reads and changes, declared before it runs (a
  // retried step touches the same). The copy adds what it finds (Copy).
  void TouchStep(Gate& gate, Step step, std::string_view user, const std::string& from,
                 const std::string& to) {
    switch (step) {
      case Step::kCreate:
        TouchParts(gate, Access::kWrite, "box", to, user);
        if (variant_ == Variant::kInTransit) TouchParts(gate, Access::kWrite, to, user, kInTransit);
        if (variant_ == Variant::kPreSp4) TouchParts(gate, Access::kWrite, "dir", user);
        return;
      case Step::kFlag:
        TouchParts(gate, Access::kWrite, to, user, kInTransit);
        TouchParts(gate, Access::kWrite, "dir", user);
        return;
      case Step::kCopy:
        // Writes: it checks which files the destination has, and may bring
        // a message a resent delivery checks for.
        TouchParts(gate, Access::kRead, "box", from, user);
        TouchParts(gate, Access::kRead, from, user, kInbox);
        TouchParts(gate, Access::kRead, "box", to, user);
        TouchParts(gate, Access::kWrite, to, user, kInbox);
        return;
      case Step::kRoute:
      case Step::kUnflag:
        TouchParts(gate, Access::kWrite, "dir", user);
        return;
      case Step::kFlush:
        TouchParts(gate, Access::kRead, "box", to, user);
        TouchParts(gate, Access::kWrite, to, user, kInTransit);
        TouchParts(gate, StoreAccess(), to, user, kInbox);
        return;
      case Step::kCleanup:
        TouchParts(gate, Access::kWrite, "box", from, user);
        TouchParts(gate, Access::kWrite, from, user, kInbox);
        TouchParts(gate, Access::kWrite, from, user, kInTransit);
        return;
    }
  }

  StepEnd DoStep(Gate& gate, MaildirIo& io, Step step, std::string_view user,
                 const std::string& from, const std::string& to) {
    Result<std::string> dst_dir = UserDir(to, user);
    if (!dst_dir.ok()) return Ended(io, io.Fail(EINVAL, dst_dir.status().message()));
    const std::string& dst = *dst_dir;
    switch (step) {
      case Step::kCreate: {
        int err = MakeMaildir(dst, false);
        if (err == 0 && variant_ == Variant::kInTransit) {
          err = MakeMaildir(dst + "/" + kHoldingDir, true);
        }
        if (err == 0 && variant_ == Variant::kPreSp4) err = SetRoute(io, user, from, to, kInbox);
        if (err != 0 && io.last_error().empty()) io.Fail(err, "mkdir " + dst);
        return Ended(io, err);
      }
      case Step::kFlag: {
        int err = MakeMaildir(dst + "/" + kHoldingDir, true);
        if (err == 0) err = SetRoute(io, user, from, to, kHoldingDir);
        return Ended(io, err);
      }
      case Step::kCopy: return Copy(gate, io, user, from, to);
      case Step::kRoute:
        return Ended(io, SetRoute(io, user, to, to,
                                  variant_ == Variant::kNaive ? kInbox : kHoldingDir));
      case Step::kUnflag: return Ended(io, SetRoute(io, user, to, to, kInbox));
      case Step::kFlush: return Flush(gate, io, dst);
      case Step::kCleanup: {
        Result<std::string> src_dir = UserDir(from, user);
        if (!src_dir.ok()) return Ended(io, io.Fail(EINVAL, src_dir.status().message()));
        const std::string& src = *src_dir;
        size_t n = 0;
        for (const char* sub : {"/cur", "/new"}) n += ListFiles(src + sub).size();
        if (!RemoveTree(src)) return Ended(io, io.Fail(EIO, "remove " + src));
        gate.Note("removed " + from + "/" + std::string(user) + " (" + std::to_string(n) +
                  " file(s))");
        return StepEnd::kOk;
      }
    }
    return StepEnd::kFailed;
  }

  // Copies every folder of the source but the holding one, file by file,
  // through tmp/ with the Maildir protocol, keeping names (and flags).
  StepEnd Copy(Gate& gate, MaildirIo& io, std::string_view user, const std::string& from,
               const std::string& to) {
    Result<std::string> src_dir = UserDir(from, user), dst_dir = UserDir(to, user);
    if (!src_dir.ok()) return Ended(io, io.Fail(EINVAL, src_dir.status().message()));
    if (!dst_dir.ok()) return Ended(io, io.Fail(EINVAL, dst_dir.status().message()));
    const std::string& src = *src_dir;
    const std::string& dst = *dst_dir;
    std::vector<std::string> folders = {""};
    for (const auto& sub : ListSubfolders(src)) {
      if (sub != kHoldingDir) folders.push_back(sub + "/");
    }
    // Folders it makes (the source's others, a missing INBOX) change what
    // the destination maildir has.
    if (folders.size() > 1 || !Exists(dst + "/new")) TouchParts(gate, Access::kWrite, "box", to, user);
    size_t overwritten = 0;
    if (variant_ == Variant::kPreSp4) {
      // The new mailbox "must" be empty: its cur/ and new/ are replaced by
      // the copy. Before SP4 they are not always empty.
      for (const char* sub : {"/cur", "/new"}) {
        overwritten += ListFiles(dst + sub).size();
        if (!RemoveTree(dst + sub)) return Ended(io, io.Fail(EIO, "remove " + dst + sub));
      }
    }
    std::vector<std::string> copied;
    for (const auto& f : folders) {
      if (int err = MakeMaildir(dst + "/" + f, !f.empty()); err != 0) {
        return Ended(io, io.Fail(err, "mkdir " + dst + "/" + f));
      }
      for (const char* sub : {"cur/", "new/"}) {
        for (const auto& name : ListFiles(src + "/" + f + sub)) {
          const std::string target = dst + "/" + f + sub + name;
          if (Exists(target)) continue;  // copied before a crash: resumed
          // A copy that died before its rename left its tmp/ file: the
          // resumed copy writes it again.
          unlink((dst + "/" + f + "tmp/" + name).c_str());
          std::string text;
          int err = io.ReadFile(src + "/" + f + sub + name, &text);
          if (err == 0) err = io.PutFile(dst + "/" + f + "tmp/" + name, target, text);
          if (err != 0 || io.crashed()) {
            if (!copied.empty()) gate.Note("copied " + Names(copied));
            return Ended(io, err != 0 ? err : EIO);
          }
          copied.push_back(f + sub + name);
        }
      }
    }
    gate.Note("copied " + Names(copied) +
              (overwritten ? "; replaced cur/ and new/, overwriting " +
                                 std::to_string(overwritten) + " file(s)"
                           : std::string()));
    return StepEnd::kOk;
  }

  // Renames every held file into the INBOX's cur/ or new/; removes the
  // holding folder once it is empty. A file whose rename fails stays held.
  StepEnd Flush(Gate& gate, MaildirIo& io, const std::string& dst) {
    const std::string held = dst + "/" + kHoldingDir;
    std::vector<std::string> moved;
    size_t dropped = 0;
    std::unordered_set<std::string> there;
    if (variant_ == Variant::kInTransit) there = IdsIn(dst);
    for (const char* sub : {"cur/", "new/"}) {
      for (const auto& name : ListFiles(held + "/" + sub)) {
        if (variant_ == Variant::kInTransit) {
          const std::string& id = IdOf(held + "/" + sub + name);
          if (!id.empty() && !there.insert(id).second) {
            // A resend held while the copy brought the first delivery over.
            unlink((held + "/" + sub + name).c_str());
            ++dropped;
            continue;
          }
        }
        int err = io.Rename(held + "/" + sub + name, dst + "/" + sub + name);
        if (err != 0 || io.crashed()) {
          if (!moved.empty()) gate.Note("flushed " + Names(moved));
          return Ended(io, err != 0 ? err : EIO);
        }
        moved.push_back(sub + name);
      }
    }
    gate.Note("flushed " + Names(moved) +
              (dropped ? "; dropped " + std::to_string(dropped) + " already in the INBOX" : ""));
    if (ListFiles(held + "/tmp").empty()) RemoveTree(held);
    return StepEnd::kOk;
  }

  static std::string Names(const std::vector<std::string>& names) {
    std::string out = std::to_string(names.size()) + " file(s)";
    for (size_t i = 0; i < names.size() && i < 3; ++i) out += (i ? ", " : ": ") + names[i];
    if (names.size() > 3) out += ", ...";
    return out;
  }

  void InspectFolder(Snapshot* out, const std::string& server, const std::string& user,
                     const std::string& folder, const std::string& path, const std::string& rel) {
    for (const char* sub : {"cur", "new"}) {
      for (const auto& name : ListFiles(path + "/" + sub)) {
        std::string id = ReadMessageId(path + "/" + sub + "/" + name);
        if (id.empty()) {
          out->notes.push_back(server + ": " + user + "/" + rel + sub + "/" + name +
                               " has no Message-ID");
          continue;
        }
        out->copies.push_back({server, user, folder, id});
      }
    }
    // A file in tmp/ is a delivery that never finished: stranded.
    for (const auto& name : ListFiles(path + "/tmp")) {
      std::string id = ReadMessageId(path + "/tmp/" + name);
      out->notes.push_back(server + ": " + user + "/" + rel + "tmp/" + name + " left behind" +
                           (id.empty() ? "" : " (" + id + ")"));
      if (!id.empty()) {
        out->copies.push_back({server, user, folder == kInbox ? "tmp" : folder + "/tmp", id});
      }
    }
  }

  Variant variant_;
  std::string base_;
  bool keep_;
  bool fsync_;
  std::vector<std::string> io_steps_;
  bool io_armed_;  // the suite arms an I/O point (maildir/*, posix/*): StoreAccess
  std::string tree_;
  int schedule_ = 0;
  std::unordered_map<std::string, std::string> ids_;  // path -> Message-ID, this schedule
};

}  // namespace

AdapterInfo MaildirAdapterInfo() {
  AdapterInfo info;
  info.name = "maildir";
  info.summary = "two Maildir++ roots on disk, Maildir delivery, a file-copying mover";
  info.variants = {"naive", "in-transit", "pre-sp4"};
  info.default_variant = "in-transit";
  info.servers = {"src", "dst"};
  info.options = {
      {"root", ParamType::kString, "where the per-schedule trees go (a tmpfs, a disk)", {}, false,
       "$TMPDIR or /tmp"},
      {"fsync", ParamType::kBool, "fsync each file before its rename (the Maildir protocol)", {},
       false, "true"},
      {"io_steps", ParamType::kStringList,
       "the steps whose file operations the I/O points (maildir/*, posix/*) may fail: create, "
       "flag, copy, route, unflag, flush, cleanup, deliver",
       {}, false, "every step"},
  };
  info.points = {
      {"create", "the maildir is created on the destination"},
      {"flag", "the .InTransit folder is created and deliveries go there (pre-sp4)"},
      {"copy", "the source files are copied to the destination"},
      {"route", "the directory names the destination"},
      {"unflag", "deliveries go to the INBOX again"},
      {"flush", ".InTransit is renamed into cur/ and new/"},
      {"cleanup", "the source maildir is removed"},
      {"deliver", "a message is delivered by the Maildir protocol"},
      {"maildir/write", "a file is written (in tmp/); phase after = a partial write"},
      {"maildir/fsync", "a file is fsynced before its rename"},
      {"maildir/rename", "a file is renamed into place (tmp/ to new/, .InTransit to the INBOX)"},
  };
  for (const auto& p : PosixPoints()) {
    info.points.push_back({p, "libfiu POSIX point in the adapter's own calls (needs the preload)"});
  }
  info.recovery = {"resume"};
  info.open = [](const AdapterConfig& config) -> Result<std::unique_ptr<Deployment>> {
    Variant v = config.variant == "naive"     ? Variant::kNaive
                : config.variant == "pre-sp4" ? Variant::kPreSp4
                                              : Variant::kInTransit;
    std::vector<std::string> io_steps = config.options.StringList("io_steps");
    for (const auto& s : io_steps) {
      static const char* known[] = {"create", "flag",  "copy",    "route",
                                    "unflag", "flush", "cleanup", "deliver"};
      if (std::find_if(std::begin(known), std::end(known),
                       [&](const char* k) { return s == k; }) == std::end(known)) {
        return Status::Invalid("io_steps: unknown step '" + s +
                               "'; allowed: create, flag, copy, route, unflag, flush, cleanup "
                               "or deliver");
      }
    }
    for (const auto& point : config.armed_points) {
      if (point.rfind("posix/", 0) == 0 && !PosixPreloadActive()) {
        return Status::Infra("the suite arms " + point +
                             ", which needs libfiu's POSIX preload in this process; run it "
                             "with `intransit run SUITE` (which arranges the preload) or set "
                             "LD_PRELOAD=/usr/lib/fiu/fiu_posix_preload.so");
      }
    }
    std::string root = config.options.String("root", config.work_dir);
    if (root.empty()) {
      const char* t = getenv("TMPDIR");
      root = t != nullptr && *t != '\0' ? t : "/tmp";
    }
    // Recorded, so SIGINT/SIGTERM remove it too (kept ones are not recorded).
    auto made = MakeTempDir(root, "intransit-maildir-", !config.keep);
    if (!made.ok()) return made.status();
    std::string pattern = *made;
    EnablePosixPoints();
    bool io_armed = false;
    for (const auto& point : config.armed_points) {
      io_armed |= point.rfind("maildir/", 0) == 0 || point.rfind("posix/", 0) == 0;
    }
    return std::unique_ptr<Deployment>(
        new MaildirDeployment(v, pattern, config.keep, config.options.Bool("fsync", true),
                              std::move(io_steps), io_armed));
  };
  return info;
}

}  // namespace intransit
