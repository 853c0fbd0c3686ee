// The maildir store's mover: see maildir_deployment.h.
//
// Every step of the mover passes its scheduling point first, then does its
// file operations through a MaildirIo, which asks the fault plan at
// maildir/write, maildir/fsync and maildir/rename and opens libfiu's POSIX
// points around the real calls.
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
// The flush (in-transit) drops a held file whose Message-ID the INBOX
// already holds (a resend held while the copy brought the first delivery
// over from the source).
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>
#include <unordered_set>

#include "adapters/maildir/maildir_deployment.h"
#include "base/confined_path.h"
#include "base/name_rule.h"

namespace intransit::maildir {
Result<MoveResult> MaildirDeployment::Move(Gate& gate, std::string_view user, std::string_view to) {
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

Result<MoveResult> MaildirDeployment::Recover(Gate& gate, std::string_view user) {
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
      next > proc_.steps.size()) {
    return Status::Infra("corrupt journal " + *journal);
  }
  return RunSteps(gate, user, from, to, next);
}

Status MaildirDeployment::WriteJournal(std::string_view user, const std::string& from,
                                       const std::string& to, size_t next) {
  Result<std::string> journal = ConfinedPath(tree_, {"moves", user});
  if (!journal.ok()) return journal.status();
  const std::string& path = *journal;
  if (next >= proc_.steps.size()) {
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

Result<MoveResult> MaildirDeployment::RunSteps(Gate& gate, std::string_view user,
                                               const std::string& from, const std::string& to,
                                               size_t first) {
  const auto& steps = proc_.steps;
  int passes = 0;  // of the current step's point
  for (size_t i = first; i < steps.size();) {
    const StepKind step = steps[i].kind;
    if (Status s = WriteJournal(user, from, to, i); !s.ok()) return s;
    const std::string server = step == StepKind::kRoute     ? "directory"
                               : step == StepKind::kCleanup ? from
                                                            : to;
    Decision d = gate.Pass({StepPoint(step), server, user, {}, steps[i].what});
    ++passes;
    // The journal: written for the next step before its point.
    TouchParts(gate, Access::kWrite, "journal", user);
    if (d.crash()) return MoveResult::kCrashed;
    StepEnd end = StepEnd::kFailed;
    if (!d.fails_before()) {
      TouchStep(gate, step, user, from, to);
      for (int attempt = 1; attempt <= kStepAttempts; ++attempt) {
        MaildirIo io(IoIn(StepPoint(step)) ? &gate : nullptr, server, std::string(user), true,
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
    if (proc_.on_failure == OnFailure::kStop) return MoveResult::kFailed;  // the buggy runbooks

    // OnFailure::kRetryOrRollBack, the in-transit mover's answer to a failed
    // step: see the top of the file.
    bool routed = false;
    TouchParts(gate, Access::kRead, "dir", user);
    if (Status s = Routed(user, to, &routed); !s.ok()) return s;
    // A step whose file operations gave up was already retried inside.
    const bool io_exhausted = end == StepEnd::kFailed && !d.fails_before();
    if (routed && !io_exhausted && passes < kStepAttempts) {
      gate.Note("failed after the switch; retrying the step");
      continue;
    }
    if (!routed || step == StepKind::kRoute || step == StepKind::kCopy ||
        step == StepKind::kCreate) {
      RollBack(gate, user, from, to);
      return MoveResult::kFailed;
    }
    gate.Note("failed after the copy; the move stops here (Recover resumes it)");
    return MoveResult::kFailed;
  }
  if (Status s = WriteJournal(user, from, to, steps.size()); !s.ok()) return s;
  return MoveResult::kDone;
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
void MaildirDeployment::RollBack(Gate& gate, std::string_view user, const std::string& from,
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
    if (int e = MakeMaildir(tree_, target, !to_inbox); e != 0) {
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

StepEnd MaildirDeployment::Ended(MaildirIo& io, int err) const {
  if (io.crashed()) return StepEnd::kCrashed;
  return err == 0 ? StepEnd::kOk : StepEnd::kFailed;
}

void MaildirDeployment::TouchStep(Gate& gate, StepKind step, std::string_view user,
                                  const std::string& from, const std::string& to) {
  switch (step) {
    case StepKind::kCreate:
      TouchParts(gate, Access::kWrite, "box", to, user);
      if (proc_.create_holding) TouchParts(gate, Access::kWrite, to, user, kInTransit);
      if (proc_.forward_from_create) TouchParts(gate, Access::kWrite, "dir", user);
      return;
    case StepKind::kFlag:
      TouchParts(gate, Access::kWrite, to, user, kInTransit);
      TouchParts(gate, Access::kWrite, "dir", user);
      return;
    case StepKind::kCopy:
      // Writes: it checks which files the destination has, and may bring
      // a message a resent delivery checks for.
      TouchParts(gate, Access::kRead, "box", from, user);
      TouchParts(gate, Access::kRead, from, user, kInbox);
      TouchParts(gate, Access::kRead, "box", to, user);
      TouchParts(gate, Access::kWrite, to, user, kInbox);
      return;
    case StepKind::kRoute:
    case StepKind::kUnflag:
      TouchParts(gate, Access::kWrite, "dir", user);
      return;
    case StepKind::kFlush:
      TouchFlush(gate, to, user, kInTransit, kInbox, StoreAccess());
      return;
    case StepKind::kCleanup:
      TouchCleanup(gate, from, user, kInTransit, kInbox);
      return;
  }
}

StepEnd MaildirDeployment::DoStep(Gate& gate, MaildirIo& io, StepKind step, std::string_view user,
                                  const std::string& from, const std::string& to) {
  Result<std::string> dst_dir = UserDir(to, user);
  if (!dst_dir.ok()) return Ended(io, io.Fail(EINVAL, dst_dir.status().message()));
  const std::string& dst = *dst_dir;
  switch (step) {
    case StepKind::kCreate: {
      int err = MakeMaildir(tree_, dst, false);
      if (err == 0 && proc_.create_holding) {
        err = MakeMaildir(tree_, dst + "/" + kHoldingDir, true);
      }
      if (err == 0 && proc_.forward_from_create) err = SetRoute(io, user, from, to, kInbox);
      if (err != 0 && io.last_error().empty()) io.Fail(err, "mkdir " + dst);
      return Ended(io, err);
    }
    case StepKind::kFlag: {
      int err = MakeMaildir(tree_, dst + "/" + kHoldingDir, true);
      if (err == 0) err = SetRoute(io, user, from, to, kHoldingDir);
      return Ended(io, err);
    }
    case StepKind::kCopy: return Copy(gate, io, user, from, to);
    case StepKind::kRoute:
      return Ended(io, SetRoute(io, user, to, to,
                                proc_.route_to_holding ? kHoldingDir : kInbox));
    case StepKind::kUnflag: return Ended(io, SetRoute(io, user, to, to, kInbox));
    case StepKind::kFlush: return Flush(gate, io, dst);
    case StepKind::kCleanup: {
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

StepEnd MaildirDeployment::Copy(Gate& gate, MaildirIo& io, std::string_view user,
                                const std::string& from, const std::string& to) {
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
  if (folders.size() > 1 || !Exists(dst + "/new")) {
    TouchParts(gate, Access::kWrite, "box", to, user);
  }
  size_t overwritten = 0;
  if (proc_.copy_over) {
    // The new mailbox "must" be empty: its cur/ and new/ are replaced by
    // the copy. Before SP4 they are not always empty.
    for (const char* sub : {"/cur", "/new"}) {
      overwritten += ListFiles(dst + sub).size();
      if (!RemoveTree(dst + sub)) return Ended(io, io.Fail(EIO, "remove " + dst + sub));
    }
  }
  std::vector<std::string> copied;
  for (const auto& f : folders) {
    if (int err = MakeMaildir(tree_, dst + "/" + f, !f.empty()); err != 0) {
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

StepEnd MaildirDeployment::Flush(Gate& gate, MaildirIo& io, const std::string& dst) {
  const std::string held = dst + "/" + kHoldingDir;
  std::vector<std::string> moved;
  size_t dropped = 0;
  std::unordered_set<std::string> there;
  if (proc_.drop_resent) there = IdsIn(dst);
  for (const char* sub : {"cur/", "new/"}) {
    for (const auto& name : ListFiles(held + "/" + sub)) {
      if (proc_.drop_resent) {
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

}  // namespace intransit::maildir
