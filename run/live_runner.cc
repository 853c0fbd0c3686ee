// The live runner: see live_runner.h.
#include "run/live_runner.h"

#include <algorithm>
#include <thread>
#include <vector>

#include "base/rng.h"
#include "run/runner_actor.h"
#include "store/actor_context.h"

namespace intransit {

LiveRunner::LiveRunner(const Suite& suite, Deployment* deployment)
    : RunnerBase(suite, deployment) {}

LiveRunner::~LiveRunner() = default;

std::chrono::steady_clock::time_point LiveRunner::HoldEnd(int64_t ms) const {
  const auto now = std::chrono::steady_clock::now();
  // Compared in milliseconds first: now + ms could overflow the clock's
  // nanoseconds for a huge `ms`, never past the deadline's distance.
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(live_deadline_ - now);
  if (ms >= left.count()) return live_deadline_;
  return now + std::chrono::milliseconds(std::max<int64_t>(ms, 0));
}

Decision LiveRunner::Arrive(Actor& a, const PointCall& call) {
  // The step that led here ends: give the store to the other actors.
  std::unique_lock<std::mutex> lock(live_mu_);
  a.holding = TakeArrival(a, call);
  a.until_seen = false;
  a.parked = true;
  const bool retry = a.retry_wait;
  a.retry_wait = false;
  if (a.holds_step) {
    a.holds_step = false;
    step_mu_.unlock();
  }
  // Wall-clock holds: a delay sleeps; a reorder waits for the point it
  // names (or its timeout), after the delay's sleep when both fired here; a
  // retry after a tempfail waits a moment.
  const bool sleeps = a.holding && a.hold.ms_hi > 0;
  const bool waits = a.holding && !a.hold.until_point.empty();
  if (sleeps) {
    int64_t span = a.hold.ms_hi - a.hold.ms_lo;
    int64_t ms = a.hold.ms_lo + (span > 0 ? static_cast<int64_t>(a.rng.Below(span + 1)) : 0);
    const auto until = HoldEnd(ms);
    lock.unlock();
    std::this_thread::sleep_until(until);
    lock.lock();
    if (until == live_deadline_) timeline_.staged(a.slot).fault += ", released: time budget spent";
  }
  if (waits) {
    const auto until = HoldEnd(a.hold.timeout_ms);
    if (!live_cv_.wait_until(lock, until, [&] { return a.until_seen; })) {
      timeline_.staged(a.slot).fault +=
          until == live_deadline_ ? ", released: time budget spent" : ", released: timeout";
    }
  }
  if (retry && !sleeps && !waits) {
    lock.unlock();
    std::this_thread::sleep_for(std::chrono::microseconds(200 + a.rng.Below(800)));
    lock.lock();
  }
  a.holding = false;
  a.parked = false;
  lock.unlock();

  step_mu_.lock();
  a.holds_step = true;
  lock.lock();
  Record(a);
  lock.unlock();
  live_cv_.notify_all();
  return a.decision;
}

Decision LiveRunner::Probe(Actor& a, const PointCall& call) {
  std::lock_guard<std::mutex> lock(live_mu_);
  return TakeProbe(a, call);
}

bool LiveRunner::ChooseFire(Actor& a, double probability) {
  // Live mode's draws are not a schedule: threads race, nothing replays.
  return a.rng.Unit() < probability;
}

Status LiveRunner::Run(uint64_t seed, uint64_t iteration,
                       std::chrono::steady_clock::time_point deadline) {
  live_deadline_ = deadline;
  Status s = Setup();
  if (!s.ok()) return s;
  std::vector<std::thread> threads;
  for (auto& a : actors_) {
    a->holds_step = false;
    Rng mix(seed ^ (iteration * 0x9e3779b97f4a7c15ULL) ^ (static_cast<uint64_t>(a->id) << 48));
    a->rng = Rng(mix.Next());
  }
  for (auto& a : actors_) {
    Actor* actor = a.get();
    threads.emplace_back([this, actor] {
      // C code finds the actor's gate through libfiu by the thread.
      SetCurrentGateForThread(actor->gate.get());
      // The code before the first point is a step too: it runs under the lock.
      step_mu_.lock();
      actor->holds_step = true;
      RunActor(*actor);
      if (actor->holds_step) {
        actor->holds_step = false;
        step_mu_.unlock();
      }
      SetCurrentGateForThread(nullptr);
    });
  }
  for (auto& t : threads) t.join();
  for (auto& a : actors_) {
    if (!a->error.ok()) return a->error;
  }
  s = deployment_->Inspect(&snapshot_);
  if (!s.ok()) return s.Wrap("inspect");
  return Status::Ok();
}

}  // namespace intransit
