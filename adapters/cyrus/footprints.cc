// Footprints of the cyrus adapter's steps; see footprints.h.
#include "adapters/cyrus/footprints.h"

namespace intransit::cyrus {

std::string RouteObject(std::string_view user) { return "dir/" + std::string(user); }

std::string HoldObject(std::string_view user) { return "hold/" + std::string(user); }

std::string ServerObject(std::string_view server) { return "srv/" + std::string(server); }

std::string MailboxObject(std::string_view server, std::string_view user) {
  return "box/" + std::string(server) + "/" + std::string(user);
}

std::string FolderObject(std::string_view server, std::string_view user, std::string_view folder) {
  return std::string(server) + "/" + std::string(user) + "/" + std::string(folder);
}

Touches UserWrites(std::string_view server, std::string_view user) {
  return {{MailboxObject(server, user), Access::kWrite},
          {FolderObject(server, user, kDeliveryFolder), Access::kWrite}};
}

Touches DeliverFootprint(std::string_view user, std::string_view route, DeliverReach reach) {
  Touches t = {{RouteObject(user), Access::kRead}};
  if (reach == DeliverReach::kRouted) return t;
  t.push_back({HoldObject(user), Access::kRead});
  if (reach == DeliverReach::kHeld || route.empty()) return t;
  t.push_back({ServerObject(route), Access::kRead});
  t.push_back({MailboxObject(route, user), Access::kRead});
  // Whatever LMTP answered: a refusal after DATA may still have stored.
  t.push_back({FolderObject(route, user, kDeliveryFolder), Access::kAppend});
  return t;
}

Touches StepFootprint(StepKind kind, std::string_view user, std::string_view from,
                      std::string_view to) {
  Touches t;
  switch (kind) {
    case StepKind::kSync:
    case StepKind::kXfer:
      t.push_back({ServerObject(from), Access::kRead});
      t.push_back({ServerObject(to), Access::kRead});
      for (auto& w : UserWrites(from, user)) t.push_back(std::move(w));
      for (auto& w : UserWrites(to, user)) t.push_back(std::move(w));
      return t;
    case StepKind::kSwitch:
      return {{RouteObject(user), Access::kWrite}};
    case StepKind::kHold:
    case StepKind::kRelease:
      return {{HoldObject(user), Access::kWrite}};
    case StepKind::kDelete:
      return UserWrites(from, user);
  }
  // Unknown to this table: everything of the user, so reduction stays sound.
  t = {{RouteObject(user), Access::kWrite}, {HoldObject(user), Access::kWrite}};
  for (auto& w : UserWrites(from, user)) t.push_back(std::move(w));
  for (auto& w : UserWrites(to, user)) t.push_back(std::move(w));
  return t;
}

void Declare(Gate& gate, const Touches& touches) {
  for (const auto& t : touches) gate.Touch(t.object, t.access);
}

}  // namespace intransit::cyrus
