// The observer of a run's steps: told after every step, while each actor is
// parked at its next point, so it may inspect the deployment between steps.
//
// The runner calls it only when one is set, and the explorer sets one only
// on the rerun of a violating schedule (or a replay) to record each
// message's custody (oracle/custody.h): the schedules it merely judges pay
// one null test per step.
#pragma once

#include "base/status.h"

namespace intransit {

class StepObserver {
 public:
  virtual ~StepObserver() = default;
  // The deployment is between steps: `step` (the timeline number of the
  // step just taken) has finished, no other has begun. Step 0 is the state
  // once the users are provisioned, before the first step. Not ok: the run
  // stops with that error.
  virtual Status AfterStep(int step) = 0;
};

}  // namespace intransit
