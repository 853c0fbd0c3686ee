// The core points' entries and the end of a delivery's opening: see points.h.
#include "store/points.h"

#include <string>

namespace intransit {

PointInfo ListPoint(const CorePoint& p, std::string_view how) {
  PointInfo info{p.name, p.help};
  if (!how.empty()) {
    info.help += " (";
    info.help += how;
    info.help += ")";
  }
  return info;
}

void EndOpening(Gate& gate, DeliveryOpening* open) {
  const Decision& d = open->decision;
  if (d.crash()) {
    gate.Note("connection lost before the store answered");
    open->ended = true;
    open->result.answer = Answer::kTempfail;
  } else if (d.fails_before()) {
    open->ended = true;
    open->result.answer = AnswerFor(d.error);
  }
}

}  // namespace intransit
