// Runbook steps and the built-in runbooks; see runbook.h.
#include "adapters/dovecot/runbook.h"

#include "store/points.h"

namespace intransit::dovecot {

const RunbookCatalog& Runbooks() {
  static const RunbookCatalog catalog = {
      {
          {static_cast<int>(StepKind::kBackup), "backup", "dovecot/backup", StepRole::kPass},
          {static_cast<int>(StepKind::kSync), "sync", "dovecot/sync", StepRole::kPass},
          {static_cast<int>(StepKind::kStartBackup), "start-backup", "dovecot/backup",
           StepRole::kPass},
          {static_cast<int>(StepKind::kWaitBackup), "wait-backup", "dovecot/wait", StepRole::kPass},
          {static_cast<int>(StepKind::kSwitch), "switch", points::kRoute.name, StepRole::kSwitch},
          {static_cast<int>(StepKind::kHold), "hold", "dovecot/hold", StepRole::kHold},
          {static_cast<int>(StepKind::kRelease), "release", "dovecot/release", StepRole::kRelease},
          {static_cast<int>(StepKind::kDelete), "delete", points::kCleanup.name, StepRole::kDelete},
      },
      {
          {"naive", {"backup", "switch", "backup", "delete"}},
          {"documented", {"backup", "backup", "switch", "sync", "delete"}},
          {"hold", {"hold", "backup", "switch", "delete", "release"}},
      },
  };
  return catalog;
}

}  // namespace intransit::dovecot
