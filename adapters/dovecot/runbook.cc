// Runbook steps and the built-in runbooks; see runbook.h.
#include "adapters/dovecot/runbook.h"

#include "base/params.h"
#include "store/points.h"

namespace intransit::dovecot {

const std::vector<RunbookStep>& AllSteps() {
  static const std::vector<RunbookStep> steps = {
      {static_cast<int>(StepKind::kBackup), "backup", "dovecot/backup"},
      {static_cast<int>(StepKind::kSync), "sync", "dovecot/sync"},
      {static_cast<int>(StepKind::kStartBackup), "start-backup", "dovecot/backup"},
      {static_cast<int>(StepKind::kWaitBackup), "wait-backup", "dovecot/wait"},
      {static_cast<int>(StepKind::kSwitch), "switch", points::kRoute.name, StepRole::kSwitch},
      {static_cast<int>(StepKind::kHold), "hold", "dovecot/hold", StepRole::kHold},
      {static_cast<int>(StepKind::kRelease), "release", "dovecot/release", StepRole::kRelease},
      {static_cast<int>(StepKind::kDelete), "delete", points::kCleanup.name},
  };
  return steps;
}

std::vector<std::string> StepNames() { return RunbookStepNames(AllSteps()); }

std::vector<std::string> VariantNames() { return {"naive", "documented", "hold"}; }

Result<Runbook> VariantRunbook(const std::string& variant) {
  if (variant == "naive") return ParseRunbook({"backup", "switch", "backup", "delete"});
  if (variant == "documented") {
    return ParseRunbook({"backup", "backup", "switch", "sync", "delete"});
  }
  if (variant == "hold") return ParseRunbook({"hold", "backup", "switch", "delete", "release"});
  return Status::Invalid("unknown runbook '" + variant + "': allowed are " +
                         JoinAlternatives(VariantNames()));
}

Result<Runbook> ParseRunbook(const std::vector<std::string>& names) {
  return ParseRunbookSteps(AllSteps(), names);
}

}  // namespace intransit::dovecot
