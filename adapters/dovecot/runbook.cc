// Runbook steps and the built-in runbooks; see runbook.h.
#include "adapters/dovecot/runbook.h"

#include "base/params.h"
#include "store/points.h"

namespace intransit::dovecot {

const std::vector<Step>& AllSteps() {
  static const std::vector<Step> steps = {
      {StepKind::kBackup, "backup", "dovecot/backup"},
      {StepKind::kSync, "sync", "dovecot/sync"},
      {StepKind::kStartBackup, "start-backup", "dovecot/backup"},
      {StepKind::kWaitBackup, "wait-backup", "dovecot/wait"},
      {StepKind::kSwitch, "switch", points::kRoute.name},
      {StepKind::kHold, "hold", "dovecot/hold"},
      {StepKind::kRelease, "release", "dovecot/release"},
      {StepKind::kDelete, "delete", points::kCleanup.name},
  };
  return steps;
}

std::vector<std::string> StepNames() {
  std::vector<std::string> names;
  for (const auto& s : AllSteps()) names.push_back(s.name);
  return names;
}

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
  if (names.empty()) return Status::Invalid("runbook: the list of steps is empty");
  Runbook out;
  for (const auto& n : names) {
    const Step* found = nullptr;
    for (const auto& s : AllSteps()) {
      if (n == s.name) found = &s;
    }
    if (found == nullptr) {
      return Status::Invalid("runbook: unknown step '" + n + "': allowed are " +
                             JoinAlternatives(StepNames()));
    }
    out.push_back(*found);
  }
  return out;
}

std::string Describe(const Runbook& runbook) {
  std::string out;
  for (const auto& s : runbook) {
    if (!out.empty()) out += ", ";
    out += s.name;
  }
  return out;
}

}  // namespace intransit::dovecot
