// The libfiu bridge: store code written in C reaches the gate through
// libfiu's fault points, with no intransit header of its own.
//
//   /* in the store's C code, before the step: */
//   fiu_return_on("intransit/flag", -1);   /* fail the step when told to */
//
// InstallFiuGate enables "intransit/<point>" for every point with one
// external callback. When the calling thread runs an actor, the callback
// passes that actor's gate (and may block there while others run); outside
// any actor it lets the call through. libfiu's traps (shared/FIU.md) decide
// the shape: every point is enabled once, up front, never while an actor is
// parked; and a fiber may not switch inside a callback, so such stores run
// their actors on threads (AdapterInfo::needs_threads).
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace intransit {

// What fiu_failinfo() holds after a point failed, for the C code to read.
enum FiuGateInfo : long {
  kFiuTempfail = 1,
  kFiuPermfail = 2,
  kFiuIo = 3,
  kFiuCrash = 4,
  kFiuAfter = 16,  // or-ed in: the step should run, then report failure
};

// Enables "intransit/<point>" for each point. Idempotent per point.
// REQUIRES: no actor is parked inside a libfiu callback (FIU.md).
Status InstallFiuGate(const std::vector<std::string>& points);

}  // namespace intransit
