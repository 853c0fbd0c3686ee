// Footprints of the stores that run two real servers and a directory
// (Dovecot, Cyrus), for partial-order reduction (store/footprint.h,
// docs/footprints.md): the object names, a delivery's footprint and the
// footprints every runbook shares, as plain data so they can be checked
// without servers. Each store keeps only the table of its own steps.
//
// Objects, per suite user `alice` (the suite's name, never the schedule's
// server-side name "alice-g17": the names are the same in every run):
//
//   dir/alice          the directory: where LMTP for alice is routed
//   hold/alice         the MTA queue hold for alice
//   srv/<server>       the server itself (running, its config)
//   box/<srv>/alice    whether alice has a mailbox on the server
//   <srv>/alice/INBOX  the folder LMTP stores into (no Sieve), and so the
//                      only folder a replication pass copies
//
// A delivery reads the route, the hold, the server and the existence of the
// mailbox, and appends to INBOX: two deliveries of different Message-IDs
// commute (Inspect reads no UIDs).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "store/gate.h"
#include "store/runbook_steps.h"

namespace intransit {

// The folder every LMTP delivery stores into.
inline constexpr const char* kDeliveryFolder = "INBOX";

struct Touch {
  std::string object;
  Access access;
  bool operator==(const Touch& o) const { return object == o.object && access == o.access; }
};
using Touches = std::vector<Touch>;

std::string RouteObject(std::string_view user);                              // dir/alice
std::string HoldObject(std::string_view user);                               // hold/alice
std::string ServerObject(std::string_view server);                           // srv/dst
std::string MailboxObject(std::string_view server, std::string_view user);   // box/dst/alice
std::string FolderObject(std::string_view server, std::string_view user,
                         std::string_view folder);                           // dst/alice/INBOX

// Everything of `user` on `server` (the existence and every folder), each
// written: a step whose effects on the user's store are not narrower.
Touches UserWrites(std::string_view server, std::string_view user);

// A pass over the whole user on both servers (a dsync, a sync_client, an
// XFER): both servers read, everything of the user written on both sides
// (REDUCTION.md: when in doubt, a write).
Touches WholeUserPass(std::string_view user, std::string_view from, std::string_view to);

// A step a store's table does not know: everything of the user, on both
// servers, the route and the hold, so that reduction stays sound.
Touches UnknownStep(std::string_view user, std::string_view from, std::string_view to);

// What a runbook step of role `role` touches in a move of `user` from
// `from` to `to`: a pass, WholeUserPass; a delete, UserWrites on `from`;
// switch writes the route, hold and release write the hold. Never empty.
// For kOwn (a step the deployment does not know): UnknownStep, so that
// reduction stays sound.
Touches StepFootprint(StepRole role, std::string_view user, std::string_view from,
                      std::string_view to);

// How far a delivery got after its point.
enum class DeliverReach {
  kRouted,  // routed, then a crash or an injected failure: nothing sent
  kHeld,    // the MTA queue hold was looked at and held the message
  kSent,    // sent over LMTP to the routed server (stored or refused)
};

// What the deliver step touches. `route` is the server the directory named
// when the step ran ("" when none: only the route is read).
Touches DeliverFootprint(std::string_view user, std::string_view route, DeliverReach reach);

// Declares every touch of `touches` to the step under way.
void Declare(Gate& gate, const Touches& touches);

}  // namespace intransit
