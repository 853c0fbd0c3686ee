// What each step of the dovecot adapter touches, for partial-order
// reduction (store/footprint.h): object names and the footprint of a
// delivery and of every runbook step, as plain data so that they can be
// checked without servers.
//
// Objects, per suite user `alice` (the suite's name, never the schedule's
// Dovecot name "alice-g17": the names are the same in every run):
//
//   dir/alice        the directory: where LMTP for alice is routed
//   hold/alice       the MTA queue hold for alice
//   srv/<server>     the server itself (running, its config); no runbook
//                    step changes it today: a step that restarted or
//                    reloaded a server would write it
//   box/<srv>/alice  whether alice has a home (a mailbox) on the server
//   <srv>/alice/INBOX  the folder LMTP stores into, and so the only folder
//                    a dsync copies
//
// A delivery reads the route, the hold, the server and the existence of the
// mailbox, and appends to the folder it stores into: two deliveries of
// different Message-IDs commute (nothing observes their order: Inspect
// reads no UIDs). It may create the home when there is none; that only
// matters to steps that write the existence anyway (a dsync, a delete).
//
// A dsync pass locks, indexes and writes dsync state on both sides, for the
// whole user: it writes everything of the user on both servers (REDUCTION.md:
// when in doubt, a write). A background backup runs from its start-backup to
// its wait-backup (or to the end of the move): both steps, and every mover
// step while it runs, declare it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "adapters/dovecot/runbook.h"
#include "store/gate.h"

namespace intransit::dovecot {

// The folder every LMTP delivery stores into (no Sieve here).
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

// How far a delivery got after its point.
enum class DeliverReach {
  kRouted,  // routed, then a crash or an injected failure: nothing sent
  kHeld,    // the MTA queue hold was looked at and held the message
  kSent,    // sent over LMTP to the routed server (stored or refused)
};

// What the deliver step touches. `route` is the server the directory named
// when the step ran ("" when none: only the route is read).
Touches DeliverFootprint(std::string_view user, std::string_view route, DeliverReach reach);

// What runbook step `kind` of a move of `user` from `from` to `to` touches.
// Never empty.
Touches StepFootprint(StepKind kind, std::string_view user, std::string_view from,
                      std::string_view to);

// Declares every touch of `touches` to the step under way.
void Declare(Gate& gate, const Touches& touches);

}  // namespace intransit::dovecot
