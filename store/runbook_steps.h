// Runbooks as data: a store's migration procedure spelled as a list of
// named steps, each passed at a point (DESIGN §2). The stores that run real
// servers (Dovecot, Cyrus) read a suite's `runbook = [...]` the same way:
// each step name is looked up in the store's table of steps, and an unknown
// name is refused with the allowed ones listed. The steps every runbook
// of theirs has (switch, hold, release) carry a role: the two-server
// deployment does them itself (store/two_server_deployment.h).
//
//   const std::vector<RunbookStep> kSteps = {{0, "sync", "cyrus/sync"}, ...};
//   Result<std::vector<RunbookStep>> r = ParseRunbookSteps(kSteps, {"sync", "switch"});
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace intransit {

// What a step is to the deployment: a step of the store's own, or one it
// shares with every two-server runbook.
enum class StepRole {
  kOwn,      // the store's own: its deployment runs it
  kSwitch,   // point the directory at the destination
  kHold,     // hold the MTA queue: deliveries answer tempfail
  kRelease,  // release the queue
};

struct RunbookStep {
  int kind;           // the store's own enum, as an int
  const char* name;   // as a suite spells it: "sync"
  const char* point;  // the point passed before it: "cyrus/sync"
  StepRole role = StepRole::kOwn;
};

// The steps `names` spells, looked up in `table`. Invalid (naming the bad
// step and listing the allowed ones) for an unknown name or an empty list.
Result<std::vector<RunbookStep>> ParseRunbookSteps(const std::vector<RunbookStep>& table,
                                                   const std::vector<std::string>& names);

// The role of the step of kind `kind` in `table` (kOwn when none has it).
StepRole RoleOf(const std::vector<RunbookStep>& table, int kind);

// The names of `table`, in its order.
std::vector<std::string> RunbookStepNames(const std::vector<RunbookStep>& table);

// "sync, switch, delete".
std::string DescribeRunbook(const std::vector<RunbookStep>& steps);

}  // namespace intransit
