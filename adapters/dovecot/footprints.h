// What each runbook step of the dovecot adapter touches, for partial-order
// reduction (store/footprint.h). The objects (route, hold, server, mailbox,
// INBOX per user) and a delivery's footprint are the two-server stores'
// (store/server_footprints.h); a delivery may create the home when there is
// none, which matters only to steps that write the existence anyway.
//
// A dsync pass locks, indexes and writes dsync state on both sides, for the
// whole user: it writes everything of the user on both servers (REDUCTION.md:
// when in doubt, a write). A background backup runs from its start-backup to
// its wait-backup (or to the end of the move): both steps, and every mover
// step while it runs, declare it.
#pragma once

#include <string_view>

#include "adapters/dovecot/runbook.h"
#include "store/server_footprints.h"

namespace intransit::dovecot {

// What runbook step `kind` of a move of `user` from `from` to `to` touches:
// the footprint of its role in Runbooks() (runbook.cc), as the deployment
// declares it. Never empty. The objects, the roles' footprints and Declare
// are the two-server stores' (store/server_footprints.h).
Touches StepFootprint(StepKind kind, std::string_view user, std::string_view from,
                      std::string_view to);

}  // namespace intransit::dovecot
