// Runbooks as data: a store's migration procedure spelled as a list of
// named steps, each passed at a point (DESIGN §2). The stores that run real
// servers (Dovecot, Cyrus) read a suite's `runbook = [...]` the same way:
// each step name is looked up in the store's table of steps, and an unknown
// name is refused with the allowed ones listed. Each step carries its role,
// which says where it runs and what it touches; the two-server deployment
// does the switch, hold and release itself (store/two_server_deployment.h).
// A store's catalog holds its steps and its built-in runbooks (variants).
//
//   const RunbookCatalog c = {{{0, "sync", "cyrus/sync", StepRole::kPass}, ...},
//                             {{"naive", {"sync", "switch", "delete"}}, ...}};
//   Result<std::vector<RunbookStep>> r = c.Parse({"sync", "switch"});
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "base/status.h"

namespace intransit {

// What a step is to the deployment: a step of the store's own, or one it
// shares with every two-server runbook.
enum class StepRole {
  kOwn,      // unknown to the deployment: the store runs it; touches all
  kPass,     // the store's pass over the whole user, run on the destination
  kDelete,   // the store deletes the user on the source
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

// A store's steps and its built-in runbooks, which are its variants.
struct RunbookCatalog {
  std::vector<RunbookStep> steps;
  std::vector<std::pair<std::string, std::vector<std::string>>> variants;  // name, steps

  // The runbook `names` spells (ParseRunbookSteps).
  Result<std::vector<RunbookStep>> Parse(const std::vector<std::string>& names) const;
  // The runbook of a built-in variant; Invalid for an unknown name.
  Result<std::vector<RunbookStep>> Variant(const std::string& name) const;
  std::vector<std::string> StepNames() const { return RunbookStepNames(steps); }
  std::vector<std::string> VariantNames() const;
};

}  // namespace intransit
