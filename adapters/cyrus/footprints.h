// What each step of the cyrus adapter touches, for partial-order reduction
// (store/footprint.h, docs/footprints.md): the same objects and rules as the
// dovecot adapter's, as plain data so they can be checked without servers.
//
// Objects, per suite user `alice` (the suite's name, never the schedule's
// Cyrus name "alice-g17": the names are the same in every run):
//
//   dir/alice          the directory: where LMTP for alice is routed
//   hold/alice         the MTA queue hold for alice
//   srv/<server>       the server itself (running, its config)
//   box/<srv>/alice    whether user/alice exists on the server
//   <srv>/alice/INBOX  the folder LMTP stores into
//
// A delivery reads the route, the hold, the server and the existence of the
// mailbox, and appends to INBOX: two deliveries of different Message-IDs
// commute (Inspect reads no UIDs). `sync_client -u` replicates the whole
// user and, on a split brain, copies the replica's mail back (FACTS
// "races" 1): it writes everything of the user on both servers, as does
// XFER (it creates the user on one side and leaves a tombstone on the
// other). `delete` writes everything of the user on the source.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "adapters/cyrus/runbook.h"
#include "store/gate.h"

namespace intransit::cyrus {

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

// Everything of `user` on `server`, each written.
Touches UserWrites(std::string_view server, std::string_view user);

// How far a delivery got after its point.
enum class DeliverReach {
  kRouted,  // routed, then a crash or an injected failure: nothing sent
  kHeld,    // the MTA queue hold held the message
  kSent,    // sent over LMTP to the routed server (stored or refused)
};

// What the deliver step touches; `route` is the server the directory named
// ("" when none).
Touches DeliverFootprint(std::string_view user, std::string_view route, DeliverReach reach);

// What runbook step `kind` of a move of `user` from `from` to `to` touches.
// Never empty.
Touches StepFootprint(StepKind kind, std::string_view user, std::string_view from,
                      std::string_view to);

// Declares every touch of `touches` to the step under way.
void Declare(Gate& gate, const Touches& touches);

}  // namespace intransit::cyrus
