// Migration runbooks: the mover's procedure as a list of named steps.
//
// An operator moves a mailbox between two Dovecot servers with a runbook:
// a few dsync passes, a switch of the directory, maybe a hold on the MTA
// queue, and finally deleting the old mailbox. Each step is one point the
// framework may delay, reorder, fail or crash at.
//
//   step          point            what it does
//   backup        dovecot/backup   doveadm backup: make dst an exact copy of src
//   sync          dovecot/sync     doveadm sync -1: merge src's changes into dst
//   start-backup  dovecot/backup   doveadm backup started in the background
//   wait-backup   dovecot/wait     wait for that background backup to end
//   switch        route            point the directory at dst
//   hold          dovecot/hold     hold the MTA queue (deliveries: tempfail)
//   release       dovecot/release  release the queue
//   delete        cleanup          delete the user's home on src
//
// The built-in runbooks are the adapter's variants:
//   naive       backup, switch, backup, delete   (loses mail: FACTS.md)
//   documented  backup, backup, switch, sync, delete
//   hold        hold, backup, switch, delete, release
#pragma once

#include <vector>

#include "store/runbook_steps.h"

namespace intransit::dovecot {

enum class StepKind { kBackup, kSync, kStartBackup, kWaitBackup, kSwitch, kHold, kRelease, kDelete };

using Runbook = std::vector<RunbookStep>;

inline StepKind KindOf(const RunbookStep& step) { return static_cast<StepKind>(step.kind); }

// Every step (its role says where it runs and what it touches) and the
// built-in runbooks: Runbooks().Variant("naive"), Runbooks().Parse({...}).
const RunbookCatalog& Runbooks();

}  // namespace intransit::dovecot
