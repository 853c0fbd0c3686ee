// Adapter registry and the small value helpers of the adapter interface.
#include "store/adapter.h"

#include <algorithm>

namespace intransit {

const char* AnswerName(Answer a) {
  switch (a) {
    case Answer::kAccepted: return "accepted";
    case Answer::kTempfail: return "tempfail";
    case Answer::kPermfail: return "permfail";
  }
  return "?";
}

const char* MoveResultName(MoveResult r) {
  switch (r) {
    case MoveResult::kDone: return "done";
    case MoveResult::kFailed: return "failed";
    case MoveResult::kCrashed: return "crashed";
  }
  return "?";
}

const char* FailErrorName(FailError e) {
  switch (e) {
    case FailError::kTempfail: return "tempfail";
    case FailError::kPermfail: return "permfail";
    case FailError::kIo: return "io";
  }
  return "?";
}

const char* PhaseName(Phase p) { return p == Phase::kBefore ? "before" : "after"; }

std::string_view HomeIn(const Directory& directory, std::string_view user) {
  for (const auto& [u, server] : directory) {
    if (u == user) return server;
  }
  return {};
}

void SetHomeIn(Directory* directory, std::string_view user, std::string_view server) {
  for (auto& [u, s] : *directory) {
    if (u == user) {
      s = std::string(server);
      return;
    }
  }
  directory->emplace_back(std::string(user), std::string(server));
}

bool AdapterInfo::HasPoint(std::string_view point) const {
  return std::any_of(points.begin(), points.end(),
                     [&](const PointInfo& p) { return p.name == point; });
}

std::vector<std::string> AdapterInfo::PointNames() const {
  std::vector<std::string> names;
  for (const auto& p : points) names.push_back(p.name);
  return names;
}

AdapterRegistry& AdapterRegistry::Global() {
  static AdapterRegistry registry;
  return registry;
}

void AdapterRegistry::Add(AdapterInfo info) {
  if (Find(info.name) != nullptr) return;
  adapters_.push_back(std::move(info));
}

const AdapterInfo* AdapterRegistry::Find(std::string_view name) const {
  for (const auto& a : adapters_) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

std::vector<std::string> AdapterRegistry::Names() const {
  std::vector<std::string> names;
  for (const auto& a : adapters_) names.push_back(a.name);
  return names;
}

}  // namespace intransit
