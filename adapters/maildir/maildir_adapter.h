// The `maildir` adapter: two Maildir++ roots on disk as two servers (`src`,
// `dst`), a directory file naming each user's home, delivery by the Maildir
// protocol and a mover that copies files — so that intransit tests real
// file-handling code, with I/O faults planted in the real calls.
//
// Layout of one schedule's tree (a fresh one per schedule; kept with --keep):
//   directory              "alice dst dst .InTransit": user, home, where mail goes
//   moves/alice            the mover's journal: from, to, next step (for Recover)
//   src/alice/{cur,new,tmp}/            alice's INBOX on src
//   dst/alice/.InTransit/{cur,new,tmp}/ the holding folder while she moves
//
// Variants (the mover's runbook):
//   naive       create, copy, route, cleanup: loses mail that reaches src
//               after the copy (the cleanup deletes it)
//   in-transit  create (with .InTransit), route to .InTransit, copy, unflag,
//               flush (rename into cur/ new/), cleanup: the safe one; a
//               failure before the switch (or a copy that keeps failing
//               after it) is rolled back into the source, one after it is
//               retried, a resent Message-ID is dropped on delivery
//   pre-sp4     the Q277911 order: create (src forwards to it), flag, copy
//               by replacing cur/ and new/, route, unflag, flush, cleanup
#pragma once

#include "store/adapter.h"

namespace intransit {

// The registry entry: variants, options (root, fsync, io_steps), points.
AdapterInfo MaildirAdapterInfo();

}  // namespace intransit
