// The maildir mover's procedures: see procedure.h, and maildir_adapter.h
// for what each variant does to mail.
#include "adapters/maildir/procedure.h"

#include "store/points.h"

namespace intransit::maildir {
namespace {

constexpr const char* kDefault = "in-transit";

}  // namespace

const std::vector<Procedure>& Procedures() {
  using S = StepKind;
  static const std::vector<Procedure> kAll = [] {
    std::vector<Procedure> v;

    Procedure naive;
    naive.name = "naive";
    naive.steps = {{S::kCreate, "create the maildir"},
                   {S::kCopy, "copy the source files"},
                   {S::kRoute, "point the directory at the new server"},
                   {S::kCleanup, "delete the source maildir"}};
    v.push_back(naive);

    Procedure in_transit;
    in_transit.name = kDefault;
    in_transit.steps = {{S::kCreate, "create the maildir with a .InTransit folder"},
                        {S::kRoute, "point the directory at the new server's .InTransit"},
                        {S::kCopy, "copy the source files"},
                        {S::kUnflag, "route deliveries to the INBOX again"},
                        {S::kFlush, "flush .InTransit into cur/ and new/ by rename"},
                        {S::kCleanup, "delete the source maildir"}};
    in_transit.create_holding = true;
    in_transit.route_to_holding = true;
    in_transit.drop_resent = true;
    in_transit.on_failure = OnFailure::kRetryOrRollBack;
    v.push_back(in_transit);

    Procedure pre;
    pre.name = "pre-sp4";
    pre.steps = {{S::kCreate, "create the maildir; src forwards new mail to it"},
                 {S::kFlag, "create .InTransit; deliveries go there"},
                 {S::kCopy, "copy the source by replacing cur/ and new/"},
                 {S::kRoute, "point the directory at the new server's .InTransit"},
                 {S::kUnflag, "route deliveries to the INBOX again"},
                 {S::kFlush, "flush .InTransit into cur/ and new/ by rename"},
                 {S::kCleanup, "delete the source maildir"}};
    pre.forward_from_create = true;
    pre.route_to_holding = true;
    pre.copy_over = true;
    v.push_back(pre);
    return v;
  }();
  return kAll;
}

const Procedure& ProcedureOf(std::string_view name) {
  const Procedure* fallback = nullptr;
  for (const auto& p : Procedures()) {
    if (p.name == name) return p;
    if (p.name == kDefault) fallback = &p;
  }
  return *fallback;
}

const char* DefaultVariant() { return kDefault; }

const char* StepPoint(StepKind k) {
  switch (k) {
    case StepKind::kCreate: return points::kCreate.name;
    case StepKind::kFlag: return points::kFlag.name;
    case StepKind::kCopy: return points::kCopy.name;
    case StepKind::kRoute: return points::kRoute.name;
    case StepKind::kUnflag: return points::kUnflag.name;
    case StepKind::kFlush: return points::kFlush.name;
    case StepKind::kCleanup: return points::kCleanup.name;
  }
  return "?";
}

}  // namespace intransit::maildir
