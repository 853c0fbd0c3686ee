// The swimlanes of one violation in the HTML report: one lane per actor,
// the steps as rows in the order they ran, each in its actor's lane with
// its fault marked; to the right, one lifeline per message showing where it
// was after every step (a colour per server:user/folder, a legend below),
// from acceptance to its end. The step that decided a bad verdict is
// highlighted and carries an anchor the verdict list links to. Plain HTML
// and CSS: it reads the same with scripting off.
#pragma once

#include <sstream>
#include <string>

#include "explore/result.h"

namespace intransit {

// Writes the lanes of `v` into `o`. `id` prefixes every anchor ("s1-v1"):
// the decisive step of message i is "<id>-step<N>", message i's lifeline
// column header "<id>-m<i>".
void PrintLanes(std::ostringstream& o, const Violation& v, const std::string& id);

// The anchor of `step`'s row in the lanes of `id`.
std::string StepAnchor(const std::string& id, int step);

// "m1.alice" for "<m1.alice@intransit>": short enough for a column header.
std::string ShortMessage(const std::string& message);

}  // namespace intransit
