// Cyrus runbook steps and the built-in runbooks; see runbook.h.
#include "adapters/cyrus/runbook.h"

namespace intransit::cyrus {

const RunbookCatalog& Runbooks() {
  static const RunbookCatalog catalog = {
      {
          {static_cast<int>(StepKind::kSync), "sync", "cyrus/sync", StepRole::kPass},
          {static_cast<int>(StepKind::kXfer), "xfer", "cyrus/xfer", StepRole::kPass},
          {static_cast<int>(StepKind::kSwitch), "switch", "route", StepRole::kSwitch},
          {static_cast<int>(StepKind::kHold), "hold", "cyrus/hold", StepRole::kHold},
          {static_cast<int>(StepKind::kRelease), "release", "cyrus/release", StepRole::kRelease},
          {static_cast<int>(StepKind::kDelete), "delete", "cleanup", StepRole::kDelete},
      },
      {
          {"naive", {"sync", "switch", "delete"}},
          {"sync-twice", {"sync", "switch", "sync", "delete"}},
          {"xfer", {"xfer", "switch"}},
      },
  };
  return catalog;
}

}  // namespace intransit::cyrus
