// The custody rerun: a violating schedule (or a replay) run once more with
// an inspection after every step, so the report can say where each message
// was and which step decided its verdict (oracle/custody.h).
//
// Only the schedule being reported pays for it: the explorer calls
// RecordCustody once per reported violation, never while exploring.
// Adapters with cheap inspection (reference, maildir, exec) cost little per
// step; Dovecot's doveadm fetch is ~25 ms a step, fine for one schedule.
#pragma once

#include <vector>

#include "explore/result.h"
#include "oracle/custody.h"
#include "run/runner.h"
#include "run/step_observer.h"
#include "store/adapter.h"

namespace intransit {

// Inspects the deployment after every step and keeps the copies it found.
class CustodyRecorder final : public StepObserver {
 public:
  // REQUIRES: `deployment` outlives the recorder.
  explicit CustodyRecorder(Deployment* deployment) : deployment_(deployment) {}

  Status AfterStep(int step) override;
  const std::vector<StepState>& states() const { return states_; }

 private:
  Deployment* deployment_;
  Snapshot scratch_;
  std::vector<StepState> states_;
};

// Reruns `schedule` on `runner` (which runs on `deployment`) with a
// CustodyRecorder and fills v->custody, one per v->messages entry. REQUIRES:
// v->messages and v->timeline are the judged run of that schedule. Not ok:
// the rerun failed or did not take the same steps; v->custody is left empty
// and the suite's outcome stands (the caller notes why in v->custody_note).
Status RecordCustody(Runner* runner, Deployment* deployment, const Schedule& schedule,
                     Violation* v);

}  // namespace intransit
