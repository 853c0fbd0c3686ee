// The custody rerun: see custody_recorder.h.
#include "explore/custody_recorder.h"

#include "explore/replay_strategy.h"

namespace intransit {

Status CustodyRecorder::AfterStep(int step) {
  Status s = deployment_->Inspect(&scratch_);
  if (!s.ok()) return s.Wrap("inspect after step " + std::to_string(step));
  StepState& state = states_.emplace_back();
  state.step = step;
  state.copies = scratch_.copies;
  return Status::Ok();
}

Status RecordCustody(Runner* runner, Deployment* deployment, const Schedule& schedule,
                     Violation* v) {
  std::vector<int> values;
  for (const auto& c : schedule.choices) values.push_back(c.value);
  ReplayStrategy again(values);
  again.BeginSchedule(0);
  CustodyRecorder recorder(deployment);
  runner->set_observer(&recorder);
  Status s = runner->Run(&again);
  runner->set_observer(nullptr);
  again.EndSchedule();
  if (!s.ok()) return s;
  if (!again.error().ok()) return again.error();
  // The same schedule must take the same steps; a store that does not is
  // not deterministic, and its trail would describe another run.
  const Timeline& t = runner->timeline();
  bool same = t.size() == v->timeline.size();
  for (size_t i = 0; same && i < t.size(); ++i) {
    same = t[i].actor == v->timeline[i].actor && t[i].point == v->timeline[i].point;
  }
  if (!same) return Status::Infra("the rerun took other steps than the reported run");

  const Ledger& ledger = runner->ledger();
  if (ledger.size() != v->messages.size()) {
    return Status::Infra("the rerun's ledger does not match the verdicts");
  }
  std::vector<CustodySubject> subjects;
  for (size_t i = 0; i < ledger.size(); ++i) {
    const LedgerEntry& e = ledger.entry(i);
    CustodySubject& m = subjects.emplace_back();
    m.message = e.message;
    m.user = e.user;
    m.verdict = v->messages[i].verdict;
    m.preexisting = e.preexisting;
    for (const Attempt& a : e.attempts) {
      if (a.answer == Answer::kAccepted) {
        m.accepted_step = a.step;
        break;
      }
    }
  }
  v->custody = DeriveCustody(subjects, recorder.states(), v->timeline, runner->snapshot());
  return Status::Ok();
}

}  // namespace intransit
