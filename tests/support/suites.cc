// Suites built in code: see suites.h.
#include "tests/support/suites.h"

#include <stdexcept>

namespace intransit::testing {

Suite Q277911Suite(const std::string& variant, int senders, int messages, int preexisting) {
  RegisterBuiltinFaults();
  Suite s;
  s.file = "suites/q277911.toml";
  s.name = "q277911-" + variant;
  s.adapter = "reference";
  s.adapter_config.variant = variant;
  s.users.push_back({"alice", "src", preexisting, ""});
  ActorSpec mover;
  mover.kind = ActorKind::kMover;
  mover.name = "mover";
  mover.user = "alice";
  mover.to = "dst";
  s.actors.push_back(mover);
  for (int i = 1; i <= senders; ++i) {
    ActorSpec sender;
    sender.kind = ActorKind::kSender;
    sender.name = "sender-" + std::to_string(i);
    sender.user = "alice";
    sender.messages = messages;
    s.actors.push_back(sender);
  }
  s.oracle.invariants = AllInvariants();
  return s;
}

void AddFault(Suite* suite, const std::string& point, const std::string& kind,
              const Params& params, int64_t nth, int64_t times, double probability) {
  RegisterBuiltinFaults();
  const FaultKind* k = FaultRegistry::Global().Find(kind);
  if (k == nullptr) throw std::invalid_argument("no fault kind " + kind);
  auto fault = k->make(params);
  if (!fault.ok()) throw std::invalid_argument(fault.status().message());
  FaultRule rule;
  rule.point = point;
  rule.nth = nth;
  rule.times = times;
  rule.probability = probability;
  rule.fault = std::shared_ptr<const Fault>(std::move(*fault));
  rule.where = "test";
  suite->faults.push_back(std::move(rule));
}

}  // namespace intransit::testing
