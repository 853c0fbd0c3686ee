// The `cyrus` adapter: two real Cyrus IMAP 3.6 servers (`src`, `dst`) on
// loopback, mail delivered over LMTP, a user moved by a runbook of Cyrus's
// own tools (`sync_client -u`, IMAP `XFER`, DELETE), the result read back
// over IMAP as the user (shared/cyrus/FACTS.md).
//
// The servers start once per run (AdapterInfo::open) in a temporary
// directory and stop when the deployment is destroyed; every process is
// recorded and reaped (base/command.h) and the directory is recorded with
// the process registry, so SIGINT and SIGTERM remove both. The directory
// (user -> home server) and the MTA queue hold are the adapter's own, in
// memory. The variant names the runbook (runbook.h): `naive`, `sync-twice`,
// `xfer`; the `runbook` option spells a custom one.
//
// Reset between schedules does not restart Cyrus: every schedule uses
// fresh Cyrus user names ("alice" is "alice-g17" in schedule 17), so no
// mailbox, replication state or tombstone of an earlier schedule is seen;
// the previous schedule's users are deleted on both servers. Reports name
// users as the suite does. After a command hung past command_timeout_ms
// (that schedule's Infra error), the next Reset stops both servers, deletes
// their directories and starts them afresh.
#pragma once

#include "store/adapter.h"

namespace intransit {

// The registry entry: variants, options, points, factory. open() returns
// Status::Infra naming the Debian packages when Cyrus is not installed.
AdapterInfo CyrusAdapterInfo();

}  // namespace intransit
