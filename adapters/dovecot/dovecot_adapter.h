// The `dovecot` adapter: two real Dovecot servers (`src`, `dst`) on
// loopback, mail delivered over LMTP, a mailbox moved by a dsync runbook,
// the result read back with `doveadm fetch`.
//
// The servers start once per run (AdapterInfo::open) in a temporary
// directory and stop when the deployment is destroyed; every process is
// recorded and reaped (base/command.h). The directory (user -> home server) and
// the MTA queue hold are the adapter's own, in memory. The variant names
// the runbook (runbook.h): `naive`, `documented`, `hold`; the `runbook`
// option spells a custom one.
//
// Reset between schedules does not restart Dovecot: every schedule uses
// fresh Dovecot user names ("alice" is "alice-g17" in schedule 17), so no
// index, dsync state or stale lock of an earlier schedule can be seen, and
// the previous schedule's homes are deleted (their processes are done with
// them). Reports name users as the suite does. The exception: after a
// doveadm command hung past command_timeout_ms (that schedule's Infra
// error), the next Reset stops both servers, deletes their directories and
// starts them afresh, so one hung dsync costs one schedule, not the run.
#pragma once

#include "store/adapter.h"

namespace intransit {

// The registry entry: variants, options, points, factory. open() returns
// Status::Infra naming the Debian packages when `dovecot` is not installed.
AdapterInfo DovecotAdapterInfo();

}  // namespace intransit
