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

#include "store/actor_context.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

namespace intransit {

namespace ctx = boost::context;

namespace {

thread_local Gate* t_current_gate = nullptr;

#if defined(__SANITIZE_ADDRESS__)
constexpr size_t kStackSize = 1 << 20;
#else
constexpr size_t kStackSize = 256 << 10;
#endif

// AddressSanitizer poisons the redzones of a frame on entry and clears them
// on return; a frame left by an exception or a fiber parked for good keeps
// them. ASan does not know these stacks (the switches are not annotated), so
// a stack reused from the pool, or a fiber reused for its next body, clears
// them itself. A no-op without ASan.
void Unpoison(void* base, size_t size) {
#if defined(__SANITIZE_ADDRESS__)
  __asan_unpoison_memory_region(base, size);
#else
  (void)base;
  (void)size;
#endif
}

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
    } else {
      Unpoison(p, kStackSize);
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
  void** base = nullptr;  // where to say which stack was handed out
  ctx::stack_context allocate() {
    ctx::stack_context sc = StackPool::Get().Allocate();
    if (base != nullptr) *base = static_cast<char*>(sc.sp) - sc.size;
    return sc;
  }
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
    // The parked fiber's own frame is live; the rest may hold stale redzones
    // of the last body (see Unpoison). Clearing live frames only loses
    // ASan's checks of them.
    if (fiber_ && stack_ != nullptr) Unpoison(stack_, kStackSize);
    if (!fiber_) {
      // One fiber for every body this context runs: making a fiber (a
      // stack from the pool, its record, the first switch) for each
      // schedule cost as much as a step.
      fiber_ = ctx::fiber(std::allocator_arg, PooledStack{&stack_}, [this](ctx::fiber&& scheduler) {
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
  void* stack_ = nullptr;  // the fiber's stack (the lowest address)
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
