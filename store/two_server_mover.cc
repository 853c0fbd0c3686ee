// The two-server deployment's mover; see two_server_deployment.h.
//
// Move: the runbook's steps in order, each after its point. A step not done
// (the store's RunOwnStep says why in the timeline) stops the runbook and
// the move fails. A crash at a point leaves the step undone; Recover
// resumes the runbook at that step. The steps every runbook has (switch,
// hold, release) are done here; the store runs its own.
#include "base/name_rule.h"
#include "store/two_server_deployment.h"

namespace intransit {
namespace {

// The server a step's point announces.
std::string StepServer(StepRole role, const MoveState& m) {
  switch (role) {
    case StepRole::kSwitch: return "directory";
    case StepRole::kHold:
    case StepRole::kRelease: return "mta";
    case StepRole::kDelete: return m.from;
    case StepRole::kOwn:
    case StepRole::kPass: break;
  }
  return m.to;
}

std::string SharedStepWhat(StepRole role, const std::string& user, const MoveState& m) {
  switch (role) {
    case StepRole::kSwitch: return "point the directory at " + m.to;
    case StepRole::kHold: return "hold the MTA queue for " + user;
    case StepRole::kRelease: return "release the MTA queue for " + user;
    case StepRole::kOwn:
    case StepRole::kPass:
    case StepRole::kDelete: break;
  }
  return "";
}

}  // namespace

Result<MoveResult> TwoServerDeployment::Move(Gate& gate, std::string_view user,
                                             std::string_view to) {
  if (Status st = CheckName("user", user); !st.ok()) return st;
  // The route says where the mailbox is (and the first point announces
  // it): read in the actor's previous step.
  gate.Touch(RouteObject(user), Access::kRead);
  std::string from = HomeOf(user);
  if (FindServer(from) == nullptr || FindServer(to) == nullptr || from == to) {
    return Status::Invalid("cannot move '" + std::string(user) + "' from '" + from + "' to '" +
                           EscapeControl(to) + "'");
  }
  MoveState& m = moves_[std::string(user)];
  // A crashed move's background command may still run: the new runbook
  // must not find it. Waiting for it is a pass over the whole user.
  if (m.background) Declare(gate, WholeUserPass(user, m.from, m.to));
  JoinBackground(m);
  m.from = from;
  m.to = std::string(to);
  m.next = 0;
  return RunSteps(gate, user, m);
}

Result<MoveResult> TwoServerDeployment::Recover(Gate& gate, std::string_view user) {
  if (Status st = CheckName("user", user); !st.ok()) return st;
  auto it = moves_.find(std::string(user));
  if (it == moves_.end()) {
    return Status::Invalid("no crashed move of '" + std::string(user) + "' to recover");
  }
  return RunSteps(gate, user, it->second);
}

Result<MoveResult> TwoServerDeployment::RunSteps(Gate& gate, std::string_view user,
                                                 MoveState& m) {
  while (m.next < runbook_.size()) {
    const RunbookStep& step = runbook_[m.next];
    const bool own = step.role == StepRole::kOwn || step.role == StepRole::kPass ||
                     step.role == StepRole::kDelete;
    std::string server = StepServer(step.role, m);
    std::string what = own ? OwnStepWhat(step, user, m)
                           : SharedStepWhat(step.role, std::string(user), m);
    Decision d = gate.Pass({step.point, server, user, {}, what});
    // Declared whatever the decision (a superset is sound). A background
    // command still running overlaps this step (and a failing step's
    // EndMove waits for it): its footprint is this step's too.
    Declare(gate, StepFootprint(step.role, user, m.from, m.to));
    if (m.background) Declare(gate, WholeUserPass(user, m.from, m.to));
    if (d.crash()) return MoveResult::kCrashed;  // m.next stays: Recover runs it
    if (d.fails_before()) return Fail(user);
    Result<bool> done = true;
    switch (step.role) {
      case StepRole::kOwn:
      case StepRole::kPass:
      case StepRole::kDelete: done = RunOwnStep(gate, step, user, m); break;
      case StepRole::kSwitch: SetHome(user, m.to); break;
      case StepRole::kHold: held_.insert(std::string(user)); break;
      case StepRole::kRelease: held_.erase(std::string(user)); break;
    }
    if (!done.ok()) return done.status();
    if (!*done) return Fail(user);
    ++m.next;
    if (d.fails_after()) return Fail(user);
  }
  EndMove(user);
  return MoveResult::kDone;
}

MoveResult TwoServerDeployment::Fail(std::string_view user) {
  EndMove(user);
  return MoveResult::kFailed;
}

// A background command still running (the runbook stopped before the step
// that waits for it) is waited for first: its thread writes into the state,
// and destroying a joinable std::thread terminates. The wait is bounded by
// the command's timeout.
void TwoServerDeployment::EndMove(std::string_view user) {
  auto it = moves_.find(std::string(user));
  if (it == moves_.end()) return;
  JoinBackground(it->second);
  moves_.erase(it);
}

Status TwoServerDeployment::CheckBothAlive(const MoveState& m) {
  for (const auto& name : {m.from, m.to}) {
    Status alive = FindServer(name)->CheckAlive();
    if (!alive.ok()) return alive;
  }
  return Status::Ok();
}

void TwoServerDeployment::JoinBackground(MoveState& m) {
  if (m.background && m.background->thread.joinable()) m.background->thread.join();
  m.background.reset();
}

void TwoServerDeployment::JoinBackground() {
  for (auto& [user, m] : moves_) JoinBackground(m);
}

}  // namespace intransit
