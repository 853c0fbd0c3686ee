// What each runbook step of the cyrus adapter touches, for partial-order
// reduction (store/footprint.h, docs/footprints.md). The objects and a
// delivery's footprint are the two-server stores' (store/server_footprints.h).
// `sync_client -u` replicates the whole user and, on a split brain, copies
// the replica's mail back (FACTS "races" 1): it writes everything of the user
// on both servers, as does XFER (it creates the user on one side and leaves a
// tombstone on the other). `delete` writes everything of the user on the
// source.
#pragma once

#include <string_view>

#include "adapters/cyrus/runbook.h"
#include "store/server_footprints.h"

namespace intransit::cyrus {

// What runbook step `kind` of a move of `user` from `from` to `to` touches:
// the footprint of its role in Runbooks() (runbook.cc), as the deployment
// declares it. Never empty. The objects, the roles' footprints and Declare
// are the two-server stores' (store/server_footprints.h).
Touches StepFootprint(StepKind kind, std::string_view user, std::string_view from,
                      std::string_view to);

}  // namespace intransit::cyrus
