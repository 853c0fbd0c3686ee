// fail: see fail.h.
#include "faults/fail.h"

namespace intransit {

void FailFault::Fire(FaultEffect* effect) const {
  Decision d;
  d.action = Decision::Action::kFail;
  d.error = error_;
  d.phase = phase_;
  effect->decision = d;
}

std::string FailFault::Describe() const {
  return std::string("fail ") + FailErrorName(error_) + " " + PhaseName(phase_);
}

FaultKind FailFaultKind() {
  return {
      "fail",
      "the step fails with `error`, before it runs or after it ran (the ambiguous outcome)",
      {{"error", ParamType::kString, "what the step reports", {"tempfail", "permfail", "io"},
        false, "tempfail"},
       {"phase", ParamType::kString, "before: nothing happened; after: it happened anyway",
        {"before", "after"}, false, "before"}},
      [](const Params& p) -> Result<std::unique_ptr<Fault>> {
        std::string e = p.String("error", "tempfail");
        FailError error = e == "permfail" ? FailError::kPermfail
                          : e == "io"     ? FailError::kIo
                                          : FailError::kTempfail;
        Phase phase = p.String("phase", "before") == "after" ? Phase::kAfter : Phase::kBefore;
        return std::unique_ptr<Fault>(new FailFault(error, phase));
      },
  };
}

}  // namespace intransit
