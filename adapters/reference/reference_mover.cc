// The reference store's mover: see reference_deployment.h.
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
#include <string>
#include <vector>

#include "adapters/reference/reference_deployment.h"
#include "store/points.h"

namespace intransit::reference {

Result<MoveResult> ReferenceDeployment::Move(Gate& gate, std::string_view user,
                                             std::string_view to) {
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

Result<MoveResult> ReferenceDeployment::Recover(Gate& gate, std::string_view user) {
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
      Decision d = gate.Pass({points::kCleanup.name, st->to, user, {}, "roll the move back"});
      TouchParts(gate, Access::kWrite, "move", user);
      if (d.crash()) return MoveResult::kCrashed;
      RollBack(gate, *st, /*forget_transit=*/true);
      return MoveResult::kFailed;
    }
  }
  return MoveResult::kFailed;
}

// Runs the procedure's steps from st.next to the end.
Result<MoveResult> ReferenceDeployment::RunFrom(Gate& gate, MoveState& st) {
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

ReferenceDeployment::Next ReferenceDeployment::OnFailure(Gate& gate, MoveState& st, StepKind k) {
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
void ReferenceDeployment::TouchStep(Gate& gate, const MoveState& st, StepKind k) {
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
      TouchFlush(gate, to, u, kInTransit, kInbox, StoreAccess(u, kInbox));
      return;
    case StepKind::kFlushRebuild:
      TouchFlush(gate, to, u, kInTransit, kInbox, Access::kWrite);
      return;
    case StepKind::kCleanup:
      TouchCleanup(gate, from, u, kInTransit, kInbox);
      TouchParts(gate, Access::kWrite, "fwd", from, u);
      return;
  }
}

Status ReferenceDeployment::Do(Gate& gate, MoveState& st, StepKind k) {
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
Status ReferenceDeployment::CopyOne(Gate& gate, MoveState& st, StepKind k, Mailbox& target) {
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
void ReferenceDeployment::RollBack(Gate& gate, MoveState& st, bool forget_transit) {
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

}  // namespace intransit::reference
