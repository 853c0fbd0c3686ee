// The core points, named and explained once, and the rule every store's
// delivery opens with at the `deliver` point.
//
// The core points are the steps every move and delivery has, whatever the
// store (DESIGN §2): a store passes them under these names and lists them
// with ListPoint, which keeps the core help and adds, when the store says
// it, how that store does the step. Points of a store's own are prefixed
// (`maildir/rename`, `dovecot/backup`) and stay with the store.
//
//   info.points = {ListPoint(points::kCreate),
//                  ListPoint(points::kDeliver, "by the Maildir protocol"),
//                  {"maildir/rename", "a file is renamed into place"}};
//
// OpenDelivery is the opening of a delivery (DESIGN §4 and §9), the same in
// every store:
//
//   DeliveryOpening open = OpenDelivery(gate, {Route(user), user, message, "deliver"},
//                                       [&] { return std::string_view(Route(user)); });
//   if (open.ended) return open.result;   // a crash, or a failure before
//   ... store the message; if (open.decision.fails_after()) answer AnswerFor(error)
#pragma once

#include <string_view>

#include "store/adapter.h"
#include "store/gate.h"

namespace intransit {

struct CorePoint {
  const char* name;
  const char* help;
};

namespace points {
inline constexpr CorePoint kCreate = {"create", "the mailbox is created on the destination"};
inline constexpr CorePoint kFlag = {"flag", "InTransit is set on the new mailbox"};
inline constexpr CorePoint kCopy = {"copy", "the source content is copied into the new mailbox"};
inline constexpr CorePoint kRoute = {"route", "the directory is pointed at the destination"};
inline constexpr CorePoint kUnflag = {"unflag", "InTransit is cleared"};
inline constexpr CorePoint kFlush = {"flush", "the InTransit folder is flushed into the mailbox"};
inline constexpr CorePoint kCleanup = {"cleanup", "the old mailbox is deleted"};
inline constexpr CorePoint kDeliver = {"deliver",
                                       "a message is delivered where the directory routes it"};
}  // namespace points

// The entry of core point `p` in AdapterInfo::points: its help, followed by
// "(how)" when the store says how it does the step.
PointInfo ListPoint(const CorePoint& p, std::string_view how = {});

// A delivery as its point announces it.
struct DeliveryCall {
  // Where the store routed the message before the point: read in the
  // actor's previous step (the route announced decides which fault rules
  // match), and declared there (Gate::Touch).
  std::string_view route;
  std::string_view user;
  std::string_view message;  // the Message-ID
  std::string_view what;     // "deliver over LMTP"
};

// How a delivery's opening ended.
struct DeliveryOpening {
  Decision decision;      // at `deliver`
  bool ended = false;     // the delivery ends here: `result` is its answer
  DeliverResult result;   // when ended: tempfail or permfail, nothing stored
};

// Ends the opening of a delivery when its decision alone decides it: a crash
// at the point is a lost connection (tempfail; the sender retries later), a
// failure before is the answer of its error (AnswerFor). Nothing is stored
// either way. Otherwise leaves `open` as it is (not ended).
void EndOpening(Gate& gate, DeliveryOpening* open);

// The opening of a delivery, the rule of every store:
//   1. passes `deliver`, announcing `call.route`;
//   2. routes again, whatever the decision: calls `route_again()`, which
//      declares what it reads and returns the server the message now goes to
//      (the sender may have waited at the point while a mover switched the
//      directory), where the step ran (Gate::RanOn); an empty view when the
//      store routes again only once the step goes on (the maildir store
//      reads its directory from disk through the fault plan, which a crash
//      or a failure before must not reach);
//   3. EndOpening: a crash or a failure before ends the delivery there.
// Not ended: the store stores the message, and answers AnswerFor(error)
// when the decision fails after (a lost acknowledgement: stored, not heard).
// REQUIRES: called from the actor's own execution context (Gate::Pass).
template <typename RouteAgain>
DeliveryOpening OpenDelivery(Gate& gate, const DeliveryCall& call, RouteAgain&& route_again) {
  DeliveryOpening open;
  open.decision =
      gate.Pass({points::kDeliver.name, call.route, call.user, call.message, call.what});
  const std::string_view server = route_again();
  if (!server.empty()) gate.RanOn(server);
  EndOpening(gate, &open);
  return open;
}

}  // namespace intransit
