// The cyrus deployment's own runbook steps; see cyrus_deployment.h. The
// mover that runs them in order, each after its point, is the two-server
// stores' (store/two_server_mover.cc).
//
// A sync_client that exits non-zero, an XFER or DELETE the server answers
// NO: the step is not done, the runbook stops there and the move fails. A
// command that does not return within command_timeout_ms is killed and
// reported as Infra (exit 3), as is a server whose master died.
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

std::string CyrusDeployment::OwnStepWhat(const RunbookStep& step, std::string_view suite_user,
                                         const MoveState& m) {
  const std::string user(suite_user);
  switch (KindOf(step)) {
    case StepKind::kSync: return "sync_client -u " + user + " " + m.from + " -> " + m.to;
    case StepKind::kXfer: return "XFER user/" + user + " " + m.from + " -> " + m.to;
    case StepKind::kDelete: return "delete user/" + user + " on " + m.from;
    default: return "";  // switch, hold, release: the deployment's
  }
}

Result<bool> CyrusDeployment::RunOwnStep(Gate& gate, const RunbookStep& step,
                                         std::string_view user, MoveState& m) {
  const StepKind kind = KindOf(step);
  const std::string cuser = ServerUser(user);
  CyrusServer* from = Server(m.from);
  CyrusServer* to = Server(m.to);
  switch (kind) {
    case StepKind::kSync: {
      if (Status s = CheckBothAlive(m); !s.ok()) return s;
      auto r = RunCommand(from->SyncClient(cuser));
      if (!r.ok()) return r.status();
      if (Status s = CheckBothAlive(m); !s.ok()) return s.Wrap("sync_client");
      if (r->timed_out) {
        MarkWedged();
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
        MarkWedged();  // no answer in time: the admin connection is gone
        return r.status();
      }
      gate.Note(FirstLine(r->Describe()));
      return r->ok();
    }
    default:
      return true;  // switch, hold, release: the deployment's
  }
}

}  // namespace intransit::cyrus
