// The dovecot deployment's own runbook steps; see dovecot_deployment.h. The
// mover that runs them in order, each after its point, is the two-server
// stores' (store/two_server_mover.cc).
//
// A dsync pass that exits 2 ("changes caused a desync") or 75 (EX_TEMPFAIL)
// is not done: the runbook stops there and the move fails. A command that
// does not return is killed and reported as Infra (exit 3), as is a server
// whose master died. "Does not return" is no I/O for command_timeout_ms (by
// the pass or dst's server), or command_max_ms in all.
#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

#include "adapters/dovecot/dovecot_deployment.h"
#include "adapters/dovecot/footprints.h"

namespace intransit::dovecot {
namespace {

namespace fs = std::filesystem;

constexpr int kUnderWay = 50;  // message files on dst: the copy is under way

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

}  // namespace

std::string DovecotDeployment::OwnStepWhat(const RunbookStep& step, std::string_view user,
                                           const MoveState& m) {
  std::string u(user);
  switch (KindOf(step)) {
    case StepKind::kBackup: return "doveadm backup -u " + u + " " + m.from + " -> " + m.to;
    case StepKind::kSync: return "doveadm sync -1 -u " + u + " " + m.from + " -> " + m.to;
    case StepKind::kStartBackup:
      return "doveadm backup -u " + u + " " + m.from + " -> " + m.to + " in the background";
    case StepKind::kWaitBackup: return "wait for the background backup of " + u;
    case StepKind::kDelete: return "delete " + u + "'s home on " + m.from;
    default: return "";  // switch, hold, release: the deployment's
  }
}

Command DovecotDeployment::Dsync(const MoveState& m, const std::string& duser, bool sync) {
  DovecotServer* src = Server(m.from);
  DovecotServer* dst = Server(m.to);
  std::string target = "tcp:127.0.0.1:" + std::to_string(dst->doveadm_port());
  Command c = sync ? src->Doveadm({"sync", "-1", "-u", duser, target})
                   : src->Doveadm({"backup", "-u", duser, target});
  dsync_ran_ = true;  // the next Inspect waits for dst's doveadm-servers
  // The writing is done by dst's doveadm-server while the doveadm here
  // waits for it: its I/O is the pass's progress too. Only its: dst's log
  // and stats processes move bytes for any server's chatter, which would
  // hide a stall. (The group is taken now: a pass never outlives the
  // server it talks to.)
  c.also_watch = {{dst->master_pid(), "doveadm-server"}};
  return c;
}

Result<bool> DovecotDeployment::Judge(Gate& gate, const MoveState& m, const std::string& what,
                                      const Result<CommandResult>& r, bool tolerate) {
  if (!r.ok()) return r.status();
  if (Status alive = CheckBothAlive(m); !alive.ok()) return alive.Wrap(what);
  if (r->timed_out) {
    MarkWedged();
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

Result<bool> DovecotDeployment::RunOwnStep(Gate& gate, const RunbookStep& step,
                                           std::string_view user, MoveState& m) {
  std::string duser = ServerUser(user);
  switch (KindOf(step)) {
    case StepKind::kBackup:
    case StepKind::kSync: {
      if (Status alive = CheckBothAlive(m); !alive.ok()) return alive;
      bool sync = KindOf(step) == StepKind::kSync;
      auto r = RunCommand(Dsync(m, duser, sync));
      return Judge(gate, m, sync ? "doveadm sync -1" : "doveadm backup", r, false);
    }
    case StepKind::kStartBackup: {
      if (m.background) return Status::Invalid("runbook: start-backup while one is running");
      Result<std::string> dst_md = Server(m.to)->HomeOf(duser, {"Maildir"});
      if (!dst_md.ok()) return dst_md.status();
      const std::string& md = *dst_md;
      m.background = std::make_unique<BackgroundCommand>();
      BackgroundCommand* b = m.background.get();
      Command c = Dsync(m, duser, false);
      b->done = false;
      b->thread = std::thread([b, c] {
        b->result = RunCommand(c);
        b->done = true;
      });
      // "Under way" means the copy is writing mail on dst: kUnderWay
      // message files are in its Maildir. Before that, a delivery to dst
      // races the start of doveadm (and the mailbox's creation), not the
      // copy. (With the first file as the mark, a delivery right then made
      // the backup hang past its timeout in about one run of three.)
      auto deadline = std::chrono::steady_clock::now() +
                      std::chrono::milliseconds(Server(m.to)->options().command_max_ms);
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
    case StepKind::kDelete: {
      Result<std::string> home = Server(m.from)->HomeOf(duser);
      if (!home.ok()) return home.status();
      std::error_code ec;
      auto n = fs::remove_all(*home, ec);
      if (ec) return Status::Infra("cannot delete the home on " + m.from + ": " + ec.message());
      gate.Note("removed " + std::to_string(n) + " files");
      return true;
    }
    default:
      return true;  // switch, hold, release: the deployment's
  }
}

}  // namespace intransit::dovecot
