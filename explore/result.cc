// Names of run outcomes.
#include "explore/result.h"

namespace intransit {

const char* OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kPass: return "pass";
    case Outcome::kViolation: return "violation";
    case Outcome::kError: return "error";
  }
  return "?";
}

}  // namespace intransit
