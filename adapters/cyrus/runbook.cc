// Cyrus runbook steps and the built-in runbooks; see runbook.h.
#include "adapters/cyrus/runbook.h"

#include "base/params.h"

namespace intransit::cyrus {

const std::vector<RunbookStep>& AllSteps() {
  static const std::vector<RunbookStep> steps = {
      {static_cast<int>(StepKind::kSync), "sync", "cyrus/sync"},
      {static_cast<int>(StepKind::kXfer), "xfer", "cyrus/xfer"},
      {static_cast<int>(StepKind::kSwitch), "switch", "route", StepRole::kSwitch},
      {static_cast<int>(StepKind::kHold), "hold", "cyrus/hold", StepRole::kHold},
      {static_cast<int>(StepKind::kRelease), "release", "cyrus/release", StepRole::kRelease},
      {static_cast<int>(StepKind::kDelete), "delete", "cleanup"},
  };
  return steps;
}

std::vector<std::string> StepNames() { return RunbookStepNames(AllSteps()); }

std::vector<std::string> VariantNames() { return {"naive", "sync-twice", "xfer"}; }

Result<Runbook> VariantRunbook(const std::string& variant) {
  if (variant == "naive") return ParseRunbook({"sync", "switch", "delete"});
  if (variant == "sync-twice") return ParseRunbook({"sync", "switch", "sync", "delete"});
  if (variant == "xfer") return ParseRunbook({"xfer", "switch"});
  return Status::Invalid("unknown runbook '" + variant + "': allowed are " +
                         JoinAlternatives(VariantNames()));
}

Result<Runbook> ParseRunbook(const std::vector<std::string>& names) {
  return ParseRunbookSteps(AllSteps(), names);
}

}  // namespace intransit::cyrus
