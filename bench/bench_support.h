// What the benches of the real-server stores share: a clock in milliseconds,
// a gate that lets every step go (the bench times the store, not a
// scheduler, so the gate records nothing), and the phases the cyrus and
// dovecot benches both time: start and stop, delivery, inspection and the
// built-in runbooks explored. Error lines read "<name> bench: <message>".
#pragma once

#include <chrono>
#include <initializer_list>
#include <ostream>
#include <string>
#include <string_view>

#include "store/adapter.h"
#include "store/gate.h"

namespace intransit::bench {

using Clock = std::chrono::steady_clock;

inline double MsSince(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

class GoGate : public Gate {
 public:
  Decision Pass(const PointCall&) override { return Decision(); }
  Decision Probe(const PointCall&) override { return Decision(); }
  void Note(std::string_view) override {}
  void RanOn(std::string_view) override {}
};

// Opens `config` `starts` times, each reset (stopped) right away, adding the
// times to *start_ms and *stop_ms. False, after an error line, when one did
// not open.
bool TimeStartStop(std::ostream& out, const std::string& name, const AdapterInfo& info,
                   const AdapterConfig& config, int starts, double* start_ms, double* stop_ms);

// Delivers messages <m1.alice@intransit> .. <m5...> to alice, adding the
// time to *ms and each delivered message to *delivered. False, after an
// error line, when a delivery failed.
bool TimeDeliveries(std::ostream& out, const std::string& name, Deployment& dep, double* ms,
                    int* delivered);

// Inspects `dep` `count` times; *mean_ms is the time of one. False, after
// an error line, when an inspection failed.
bool TimeInspects(std::ostream& out, const std::string& name, Deployment& dep, int count,
                  double* mean_ms);

// Explores, for each of `variants`, one sender of three messages and alice
// with two under `adapter`'s runbook of that variant (suite
// "<suite_prefix><variant>"), and prints its schedules per second. Returns
// false, after an error line, when a scenario did not load.
bool RunRunbooks(std::ostream& out, const std::string& name, const std::string& suite_prefix,
                 std::initializer_list<const char*> variants);

}  // namespace intransit::bench
