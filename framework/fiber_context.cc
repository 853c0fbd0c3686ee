// Actors as Boost.Context fibers. A switch costs a few nanoseconds
// (shared/FIU.md measured 4.6 ns), which is what lets the explorer run
// hundreds of thousands of schedules a second. Stacks come from a pool:
// mmap per fiber would cost more than the whole schedule.
#include <boost/context/fiber.hpp>
#include <boost/context/stack_context.hpp>
#include <cstdlib>
#include <mutex>
#include <new>
#include <vector>

#include "framework/actor_context.h"

namespace intransit {

namespace ctx = boost::context;

namespace {

thread_local Gate* t_current_gate = nullptr;

#if defined(__SANITIZE_ADDRESS__)
constexpr size_t kStackSize = 1 << 20;
#else
constexpr size_t kStackSize = 256 << 10;
#endif

// Hands out fixed-size stacks and keeps the returned ones for reuse.
class StackPool {
 public:
  static StackPool& Get() {
    static StackPool pool;
    return pool;
  }
  ~StackPool() {
    for (void* p : free_) std::free(p);
  }
  ctx::stack_context Allocate() {
    void* p = nullptr;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!free_.empty()) {
        p = free_.back();
        free_.pop_back();
      }
    }
    if (p == nullptr) {
      p = std::aligned_alloc(64, kStackSize);
      if (p == nullptr) throw std::bad_alloc();
    }
    ctx::stack_context sc;
    sc.size = kStackSize;
    sc.sp = static_cast<char*>(p) + kStackSize;
    return sc;
  }
  void Deallocate(ctx::stack_context& sc) {
    void* p = static_cast<char*>(sc.sp) - sc.size;
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(p);
  }

 private:
  std::mutex mu_;
  std::vector<void*> free_;
};

struct PooledStack {
  ctx::stack_context allocate() { return StackPool::Get().Allocate(); }
  void deallocate(ctx::stack_context& sc) noexcept { StackPool::Get().Deallocate(sc); }
};

class FiberContext : public ActorContext {
 public:
  explicit FiberContext(Gate* gate) : gate_(gate) {}
  // A fiber parked between bodies is unwound here (Boost throws its
  // forced_unwind through it), before the members it uses are gone.
  ~FiberContext() override { fiber_ = ctx::fiber(); }

  void Start(std::function<void()> body) override {
    body_ = std::move(body);
    finished_ = false;
    if (!fiber_) {
      // One fiber for every body this context runs: making a fiber (a
      // stack from the pool, its record, the first switch) for each
      // schedule cost as much as a step.
      fiber_ = ctx::fiber(std::allocator_arg, PooledStack(), [this](ctx::fiber&& scheduler) {
        scheduler_ = std::move(scheduler);
        for (;;) {
          body_();
          finished_ = true;
          // Parked until the next Start resumes it.
          scheduler_ = std::move(scheduler_).resume();
        }
        return std::move(scheduler_);
      });
    }
    Resume();
  }

  void Resume() override {
    Gate* saved = t_current_gate;
    t_current_gate = gate_;
    fiber_ = std::move(fiber_).resume();
    t_current_gate = saved;
  }

  void Suspend() override { scheduler_ = std::move(scheduler_).resume(); }

  bool finished() const override { return finished_; }  // true until started

 private:
  Gate* gate_;
  std::function<void()> body_;
  ctx::fiber fiber_;
  ctx::fiber scheduler_;
  bool finished_ = true;
};

}  // namespace

Gate* CurrentGate() { return t_current_gate; }

// Used by the thread context, whose actor owns its OS thread.
void SetCurrentGateForThread(Gate* gate) { t_current_gate = gate; }

std::unique_ptr<ActorContext> NewFiberContext(Gate* gate) {
  return std::make_unique<FiberContext>(gate);
}

}  // namespace intransit
