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

#include <string>
#include <vector>

#include "base/status.h"

namespace intransit::dovecot {

enum class StepKind { kBackup, kSync, kStartBackup, kWaitBackup, kSwitch, kHold, kRelease, kDelete };

struct Step {
  StepKind kind;
  const char* name;   // as a suite spells it: "backup"
  const char* point;  // the point passed before it: "dovecot/backup"
};

using Runbook = std::vector<Step>;

// Every step, in the table's order.
const std::vector<Step>& AllSteps();
std::vector<std::string> StepNames();

// The runbook of a built-in variant; Invalid for an unknown name.
Result<Runbook> VariantRunbook(const std::string& variant);
std::vector<std::string> VariantNames();

// A runbook a suite spells as a list of step names. Invalid (naming the
// bad step and listing the allowed ones) for an unknown step or an empty
// list.
Result<Runbook> ParseRunbook(const std::vector<std::string>& names);

// "backup, switch, backup, delete".
std::string Describe(const Runbook& runbook);

}  // namespace intransit::dovecot
