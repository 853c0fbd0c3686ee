// The cyrus deployment's mover; see cyrus_deployment.h.
//
// Move: the runbook's steps in order, each after its point. A sync_client
// that exits non-zero, an XFER or DELETE the server answers NO: the step is
// not done, the runbook stops there and the move fails. A command that does
// not return within command_timeout_ms is killed and reported as Infra
// (exit 3), as is a server whose master died. A crash at a point leaves the
// step undone; Recover resumes the runbook at that step.
#include <string>

#include "adapters/cyrus/cyrus_deployment.h"
#include "adapters/cyrus/footprints.h"
#include "base/name_rule.h"

namespace intransit::cyrus {
namespace {

// The first line of `text` that says something, shortened: what the
// timeline shows of a command that failed.
std::string FirstLine(const std::string& text) {
  size_t b = text.find_first_not_of(" \r\n\t");
  if (b == std::string::npos) return "";
  size_t e = text.find_first_of("\r\n", b);
  std::string line = text.substr(b, e == std::string::npos ? std::string::npos : e - b);
  return line.size() > 160 ? line.substr(0, 157) + "..." : line;
}

}  // namespace

Result<MoveResult> CyrusDeployment::Move(Gate& gate, std::string_view user, std::string_view to) {
  if (Status st = CheckName("user", user); !st.ok()) return st;
  // The route says where the mailbox is: read in the actor's previous step.
  gate.Touch(RouteObject(user), Access::kRead);
  std::string from = HomeOf(user);
  if (Server(from) == nullptr || Server(to) == nullptr || from == to) {
    return Status::Invalid("cannot move '" + std::string(user) + "' from '" + from + "' to '" +
                           EscapeControl(to) + "'");
  }
  MoveState& m = moves_[std::string(user)];
  m.from = from;
  m.to = std::string(to);
  m.next = 0;
  return RunSteps(gate, user, m);
}

Result<MoveResult> CyrusDeployment::Recover(Gate& gate, std::string_view user) {
  if (Status st = CheckName("user", user); !st.ok()) return st;
  auto it = moves_.find(std::string(user));
  if (it == moves_.end()) {
    return Status::Invalid("no crashed move of '" + std::string(user) + "' to recover");
  }
  return RunSteps(gate, user, it->second);
}

Result<MoveResult> CyrusDeployment::RunSteps(Gate& gate, std::string_view user, MoveState& m) {
  while (m.next < runbook_.size()) {
    const StepKind kind = KindOf(runbook_[m.next]);
    std::string server = ServerOfStep(kind, m);
    std::string what = What(kind, std::string(user), m);
    Decision d = gate.Pass({runbook_[m.next].point, server, user, {}, what});
    // Declared whatever the decision (a superset is sound).
    Declare(gate, StepFootprint(kind, user, m.from, m.to));
    if (d.crash()) return MoveResult::kCrashed;  // m.next stays: Recover runs it
    if (d.fails_before()) return Fail(user);
    auto done = RunStep(gate, kind, user, m);
    if (!done.ok()) return done.status();
    if (!*done) return Fail(user);
    ++m.next;
    if (d.fails_after()) return Fail(user);
  }
  moves_.erase(std::string(user));
  return MoveResult::kDone;
}

MoveResult CyrusDeployment::Fail(std::string_view user) {
  moves_.erase(std::string(user));
  return MoveResult::kFailed;
}

std::string CyrusDeployment::ServerOfStep(StepKind kind, const MoveState& m) {
  switch (kind) {
    case StepKind::kSync:
    case StepKind::kXfer: return m.to;
    case StepKind::kSwitch: return "directory";
    case StepKind::kHold:
    case StepKind::kRelease: return "mta";
    case StepKind::kDelete: return m.from;
  }
  return "";
}

std::string CyrusDeployment::What(StepKind kind, const std::string& user, const MoveState& m) {
  switch (kind) {
    case StepKind::kSync: return "sync_client -u " + user + " " + m.from + " -> " + m.to;
    case StepKind::kXfer: return "XFER user/" + user + " " + m.from + " -> " + m.to;
    case StepKind::kSwitch: return "point the directory at " + m.to;
    case StepKind::kHold: return "hold the MTA queue for " + user;
    case StepKind::kRelease: return "release the MTA queue for " + user;
    case StepKind::kDelete: return "delete user/" + user + " on " + m.from;
  }
  return "";
}

Status CyrusDeployment::CheckBothAlive(const MoveState& m) {
  for (const auto& name : {m.from, m.to}) {
    Status alive = Server(name)->CheckAlive();
    if (!alive.ok()) return alive;
  }
  return Status::Ok();
}

Result<bool> CyrusDeployment::RunStep(Gate& gate, StepKind kind, std::string_view user,
                                      MoveState& m) {
  const std::string cuser = CyrusUser(user);
  CyrusServer* from = Server(m.from);
  CyrusServer* to = Server(m.to);
  switch (kind) {
    case StepKind::kSync: {
      if (Status s = CheckBothAlive(m); !s.ok()) return s;
      auto r = RunCommand(from->SyncClient(cuser));
      if (!r.ok()) return r.status();
      if (Status s = CheckBothAlive(m); !s.ok()) return s.Wrap("sync_client");
      if (r->timed_out) {
        wedged_ = true;
        return Status::Infra("sync_client -u " + cuser + " did not return: " + r->Describe());
      }
      if (r->ok()) {
        gate.Note("exit 0");
        return true;
      }
      std::string why = FirstLine(r->err.empty() ? r->out : r->err);
      gate.Note(r->Describe() + ", not done" + (why.empty() ? "" : " (" + why + ")"));
      return false;
    }
    case StepKind::kXfer:
    case StepKind::kDelete: {
      if (Status s = CheckBothAlive(m); !s.ok()) return s;
      auto r = kind == StepKind::kXfer ? from->Xfer(cuser, *to) : from->DeleteUser(cuser);
      if (!r.ok()) {
        wedged_ = true;  // no answer in time: the admin connection is gone
        return r.status();
      }
      gate.Note(FirstLine(r->Describe()));
      return r->ok();
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
  }
  return true;
}

}  // namespace intransit::cyrus
