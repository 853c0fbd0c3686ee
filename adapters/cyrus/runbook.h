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

#include <vector>

#include "store/runbook_steps.h"

namespace intransit::cyrus {

enum class StepKind { kSync, kXfer, kSwitch, kHold, kRelease, kDelete };

using Runbook = std::vector<RunbookStep>;

inline StepKind KindOf(const RunbookStep& step) { return static_cast<StepKind>(step.kind); }

// Every step (its role says where it runs and what it touches) and the
// built-in runbooks: Runbooks().Variant("naive"), Runbooks().Parse({...}).
const RunbookCatalog& Runbooks();

}  // namespace intransit::cyrus
