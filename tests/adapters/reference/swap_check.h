// Swapping adjacent steps that an adapter declares independent, for its
// footprint tests. A scenario: alice on src (provisioned by `open`), a move
// to dst (a crash at a point, then the runner's `recover` point and
// Recover, optionally), message `r` stored on src by a delivery whose
// acknowledgement was lost (so that its resend is checked against the
// copy), and two deliveries (`r` resent, `n` new) run while the mover waits
// at its pass k. Two adjacent steps of different actors whose declarations
// do not conflict must give the same outcome in either order.
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "store/adapter.h"
#include "tests/support/fake_gate.h"

namespace intransit::testing {

struct SwapOutcome {
  std::vector<std::string> copies;  // "server folder message", sorted
  std::vector<std::pair<std::string, std::string>> directory;
  std::vector<std::string> answers;  // per delivery, by Message-ID
  MoveResult move = MoveResult::kDone;
  bool operator==(const SwapOutcome& o) const {
    return copies == o.copies && directory == o.directory && answers == o.answers &&
           move == o.move;
  }
  std::string Describe() const {
    std::string out = "move " + std::to_string(static_cast<int>(move)) + "; copies:";
    for (const auto& c : copies) out += " [" + c + "]";
    out += "; answers:";
    for (const auto& a : answers) out += " [" + a + "]";
    return out;
  }
};

struct SwapRun {
  SwapOutcome outcome;
  RecordedStep mover_step;          // the mover's step at pass k
  std::vector<RecordedStep> sends;  // the deliveries' steps, in the order they ran
  bool reached = false;             // the mover passed k
};

struct SwapScenario {
  std::function<std::unique_ptr<Deployment>()> open;  // reset, alice provisioned on src
  std::string r = "r", n = "n";                       // Message-IDs
  std::string crash_at;                               // "" = no crash
};

// `order`: "rn@k" runs r then n at pass k; "nr@k" n then r; "r@k+1" runs r
// at pass k + 1 (n at k), swapping r with the mover's step k.
inline SwapRun RunSwap(const SwapScenario& sc, size_t k, const std::string& order) {
  auto d = sc.open();
  SwapRun run;
  FakeGate lost;
  lost.Script("deliver", Fail(Phase::kAfter));
  REQUIRE(d->Deliver(lost, "alice", sc.r).ok());

  FakeGate mover;
  if (!sc.crash_at.empty()) mover.Script(sc.crash_at, Crash());
  std::map<std::string, std::string> answers;
  auto send = [&](const std::string& id) {
    FakeGate g;
    auto r = d->Deliver(g, "alice", id);
    REQUIRE(r.ok());
    answers[id] = std::string(AnswerName(r->answer)) + " " + r->server + " " + r->folder;
    run.sends.push_back(g.Steps().at(0));
  };
  size_t pass = 0;
  auto at = [&](size_t i) {
    if (i == k) {
      run.reached = true;
      if (order == "rn@k") send(sc.r);
      send(sc.n);
      if (order == "nr@k") send(sc.r);
    }
    if (i == k + 1 && order == "r@k+1") send(sc.r);
  };
  mover.at_pass = [&](std::string_view) { at(pass++); };
  auto moved = d->Move(mover, "alice", "dst");
  REQUIRE(moved.ok());
  if (*moved == MoveResult::kCrashed) {
    mover.Pass({"recover", {}, "alice", {}, "restart the mover"});
    auto r = d->Recover(mover, "alice");
    if (r.ok()) moved = r;  // a variant without recovery stays crashed
  }
  at(pass++);  // after the move: the last step's successor
  run.outcome.move = *moved;
  if (k < mover.Steps().size()) run.mover_step = mover.Steps()[k];
  Snapshot snap;
  REQUIRE(d->Inspect(&snap).ok());
  for (const auto& c : snap.copies) {
    run.outcome.copies.push_back(c.server + " " + c.folder + " " + c.message);
  }
  std::sort(run.outcome.copies.begin(), run.outcome.copies.end());
  run.outcome.directory = snap.directory;
  for (const auto& [id, a] : answers) run.outcome.answers.push_back(id + ": " + a);
  return run;
}

// Runs the scenario at every pass of the mover: the two deliveries in both
// orders, and the resend before and after the mover's step. Wherever the
// declarations say the two steps commute, the outcomes must be equal.
// Counts the pairs checked and the pairs declared independent.
inline void CheckSwaps(const SwapScenario& sc, size_t* checked, size_t* swapped) {
  for (size_t k = 0;; ++k) {
    INFO("pass " << k);
    SwapRun a = RunSwap(sc, k, "rn@k");
    if (!a.reached) break;
    SwapRun b = RunSwap(sc, k, "nr@k");
    ++*checked;
    if (!Conflict(a.sends[0], a.sends[1])) {
      ++*swapped;
      INFO(a.sends[0].Describe() << " | " << a.sends[1].Describe());
      INFO(a.outcome.Describe() << " vs " << b.outcome.Describe());
      CHECK(a.outcome == b.outcome);
    }
    // b ran n, r, then the mover's step k; e runs n, the step, then r.
    SwapRun e = RunSwap(sc, k, "r@k+1");
    if (e.mover_step.point.empty()) continue;  // after the move: no step k
    ++*checked;
    if (!Conflict(b.sends[1], b.mover_step) || !Conflict(e.sends[1], e.mover_step)) {
      ++*swapped;
      INFO(b.sends[1].Describe() << " | " << b.mover_step.Describe());
      INFO(b.outcome.Describe() << " vs " << e.outcome.Describe());
      CHECK(b.outcome == e.outcome);
    }
  }
}

}  // namespace intransit::testing
