// Cyrus migration runbooks: the mover's procedure as a list of named steps,
// from Cyrus's own tools (FACTS: shared/cyrus/FACTS.md). Each step is one
// point the framework may delay, reorder, fail or crash at.
//
//   step     point          what it does
//   sync     cyrus/sync     sync_client -u USER: replicate the user to the other server
//   xfer     cyrus/xfer     IMAP XFER user/USER to the other server (admin on the
//                           source); the source then answers 550 User unknown
//   switch   route          point the directory at the destination
//   hold     cyrus/hold     hold the MTA queue (deliveries: tempfail)
//   release  cyrus/release  release the queue
//   delete   cleanup        delete the user on the source (SETACL + DELETE)
//
// The built-in runbooks are the adapter's variants:
//   naive       sync, switch, delete          (loses mail: FACTS "races" 2)
//   sync-twice  sync, switch, sync, delete
//   xfer        xfer, switch                  (bounces between the two)
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "store/runbook_steps.h"

namespace intransit::cyrus {

enum class StepKind { kSync, kXfer, kSwitch, kHold, kRelease, kDelete };

using Runbook = std::vector<RunbookStep>;

inline StepKind KindOf(const RunbookStep& step) { return static_cast<StepKind>(step.kind); }

// Every step, in the table's order.
const std::vector<RunbookStep>& AllSteps();
std::vector<std::string> StepNames();

// The runbook of a built-in variant; Invalid for an unknown name.
Result<Runbook> VariantRunbook(const std::string& variant);
std::vector<std::string> VariantNames();

// A runbook a suite spells as a list of step names (runbook_steps.h).
Result<Runbook> ParseRunbook(const std::vector<std::string>& names);

}  // namespace intransit::cyrus
