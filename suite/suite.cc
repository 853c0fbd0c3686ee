// Suite helpers: names, the invariant list, and the point check.
#include "suite/suite.h"

#include <algorithm>

namespace intransit {

std::vector<std::string> AllInvariants() {
  return {kNoSilentLoss, kNoDuplicates, kNoStranded, kPreserved, kNoMisdelivery, kMoveCompletes};
}

bool OracleSpec::Checks(std::string_view name) const {
  if (name == kNoSilentLoss) return true;
  return std::find(invariants.begin(), invariants.end(), name) != invariants.end();
}

const char* ExpectName(Expect e) { return e == Expect::kPass ? "pass" : "violation"; }

Status CheckPoints(const Suite& suite, const AdapterInfo& adapter) {
  for (const auto& rule : suite.faults) {
    if (rule.point != kRecoverPoint && !adapter.HasPoint(rule.point)) {
      return Status::Invalid(rule.point_where + ": key 'point': unknown point '" + rule.point +
                             "' for adapter " + adapter.name + "; it passes " +
                             JoinAlternatives(adapter.PointNames()));
    }
    for (const auto& named : rule.named_points) {
      if (named.point != kRecoverPoint && !adapter.HasPoint(named.point)) {
        return Status::Invalid(named.where + ": key '" + named.key + "': unknown point '" +
                               named.point + "' for adapter " + adapter.name + "; it passes " +
                               JoinAlternatives(adapter.PointNames()));
      }
    }
  }
  return Status::Ok();
}

}  // namespace intransit
