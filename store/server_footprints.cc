// Footprints of the two-server stores; see server_footprints.h.
#include "store/server_footprints.h"

namespace intransit {

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

Touches WholeUserPass(std::string_view user, std::string_view from, std::string_view to) {
  Touches t = {{ServerObject(from), Access::kRead}, {ServerObject(to), Access::kRead}};
  for (auto& w : UserWrites(from, user)) t.push_back(std::move(w));
  for (auto& w : UserWrites(to, user)) t.push_back(std::move(w));
  return t;
}

Touches UnknownStep(std::string_view user, std::string_view from, std::string_view to) {
  Touches t = {{RouteObject(user), Access::kWrite}, {HoldObject(user), Access::kWrite}};
  for (auto& w : UserWrites(from, user)) t.push_back(std::move(w));
  for (auto& w : UserWrites(to, user)) t.push_back(std::move(w));
  return t;
}

Touches StepFootprint(StepRole role, std::string_view user, std::string_view from,
                      std::string_view to) {
  switch (role) {
    case StepRole::kPass:
      return WholeUserPass(user, from, to);
    case StepRole::kDelete:
      return UserWrites(from, user);
    case StepRole::kSwitch:
      return {{RouteObject(user), Access::kWrite}};
    case StepRole::kHold:
    case StepRole::kRelease:
      return {{HoldObject(user), Access::kWrite}};
    case StepRole::kOwn:
      break;
  }
  return UnknownStep(user, from, to);
}

Touches DeliverFootprint(std::string_view user, std::string_view route, DeliverReach reach) {
  Touches t = {{RouteObject(user), Access::kRead}};
  if (reach == DeliverReach::kRouted) return t;
  t.push_back({HoldObject(user), Access::kRead});
  if (reach == DeliverReach::kHeld || route.empty()) return t;
  t.push_back({ServerObject(route), Access::kRead});
  t.push_back({MailboxObject(route, user), Access::kRead});
  // Declared whatever LMTP answered: a refusal after DATA may still have
  // stored (a lost acknowledgement), and a superset is sound.
  t.push_back({FolderObject(route, user, kDeliveryFolder), Access::kAppend});
  return t;
}

void Declare(Gate& gate, const Touches& touches) {
  for (const auto& t : touches) gate.Touch(t.object, t.access);
}

}  // namespace intransit
