// Actors as OS threads, handing a baton back and forth with the scheduler.
// Slow (a handoff costs microseconds) but it lets libfiu callbacks block: a
// fiber may not switch inside one (shared/FIU.md), a thread may wait.
#include <condition_variable>
#include <mutex>
#include <thread>

#include "store/actor_context.h"

namespace intransit {
namespace {

class ThreadContext : public ActorContext {
 public:
  explicit ThreadContext(Gate* gate) : gate_(gate) {}
  ~ThreadContext() override {
    if (thread_.joinable()) thread_.join();
  }

  void Start(std::function<void()> body) override {
    actor_turn_ = true;
    finished_ = false;
    thread_ = std::thread([this, body = std::move(body)] {
      SetCurrentGateForThread(gate_);
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return actor_turn_; });
      }
      body();
      std::lock_guard<std::mutex> lock(mu_);
      finished_ = true;
      actor_turn_ = false;
      cv_.notify_all();
    });
    WaitForActor();
  }

  void Resume() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      actor_turn_ = true;
    }
    cv_.notify_all();
    WaitForActor();
  }

  void Suspend() override {
    std::unique_lock<std::mutex> lock(mu_);
    actor_turn_ = false;
    cv_.notify_all();
    cv_.wait(lock, [this] { return actor_turn_; });
  }

  bool finished() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return finished_;
  }

 private:
  void WaitForActor() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return !actor_turn_; });
    if (finished_ && thread_.joinable()) {
      lock.unlock();
      thread_.join();
    }
  }

  Gate* gate_;
  std::thread thread_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool actor_turn_ = false;
  bool finished_ = true;  // until started
};

}  // namespace

std::unique_ptr<ActorContext> NewThreadContext(Gate* gate) {
  return std::make_unique<ThreadContext>(gate);
}

}  // namespace intransit
