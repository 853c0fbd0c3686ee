// io: see io.h.
#include "faults/io.h"

#include <cerrno>
#include <utility>

namespace intransit {
namespace {

// The errors a mail store's disk really returns; EIO is the generic one.
const std::pair<const char*, int> kErrnos[] = {
    {"EIO", EIO}, {"ENOSPC", ENOSPC}, {"EDQUOT", EDQUOT}, {"EROFS", EROFS}};

}  // namespace

std::string ErrnoName(int errno_value) {
  for (const auto& [name, value] : kErrnos) {
    if (value == errno_value) return name;
  }
  return "errno " + std::to_string(errno_value);
}

void IoFault::Fire(FaultEffect* effect) const {
  Decision d;
  d.action = Decision::Action::kFail;
  d.error = FailError::kIo;
  d.phase = phase_;
  d.errno_value = errno_value_;
  effect->decision = d;
}

std::string IoFault::Describe() const {
  return "io " + ErrnoName(errno_value_) + " " + PhaseName(phase_);
}

FaultKind IoFaultKind() {
  std::vector<std::string> names;
  for (const auto& e : kErrnos) names.emplace_back(e.first);
  return {
      "io",
      "an I/O call fails with an errno (at maildir/* points and libfiu's posix/* points)",
      {{"errno", ParamType::kString, "the error the call returns", names, false, "EIO"},
       {"phase", ParamType::kString,
        "before: the call did nothing; after: it did its work, then reported the error",
        {"before", "after"}, false, "before"}},
      [](const Params& p) -> Result<std::unique_ptr<Fault>> {
        std::string name = p.String("errno", "EIO");
        int value = EIO;
        for (const auto& [n, v] : kErrnos) {
          if (name == n) value = v;
        }
        Phase phase = p.String("phase", "before") == "after" ? Phase::kAfter : Phase::kBefore;
        return std::unique_ptr<Fault>(new IoFault(value, phase));
      },
  };
}

}  // namespace intransit
