// Actors as Boost.Context fibers. A switch costs a few nanoseconds
// (shared/FIU.md measured 4.6 ns), which is what lets the explorer run
// hundreds of thousands of schedules a second. Stacks come from a pool:
// mmap per fiber would cost more than the whole schedule.
#include <boost/context/fiber.hpp>
#include <boost/context/stack_context.hpp>
#include <cstdlib>
#include <mutex>
#include <new>
#include <utility>
#include <vector>

#include "store/actor_context.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

namespace intransit {

namespace ctx = boost::context;

namespace {

thread_local Gate* t_current_gate = nullptr;
// Where the context that jumped last keeps its continuation: the one woken
// puts it there (see Jump).
thread_local ctx::fiber* t_left = nullptr;

// Runs the context whose continuation is in `to` (taking it), leaving the
// running context's continuation in *mine: the scheduler and every actor
// can jump to any other, which is what lets an actor hand the next step
// straight to the next actor (FiberContext::SwitchTo). Returns when some
// context jumps back here.
void Jump(ctx::fiber& to, ctx::fiber* mine) {
  t_left = mine;
  ctx::fiber back = std::move(to).resume();
  *t_left = std::move(back);
}

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
      fiber_ = ctx::fiber(std::allocator_arg, PooledStack{&stack_}, [this](ctx::fiber&& from) {
        *t_left = std::move(from);
        for (;;) {
          body_();
          finished_ = true;
          // Parked until the next Start resumes it.
          if (handoff_ != nullptr) {
            FiberContext* next = std::exchange(handoff_, nullptr);
            next->home_ = home_;
            t_current_gate = next->gate_;
            Jump(next->fiber_, &fiber_);
          } else {
            Jump(*home_, &fiber_);
          }
        }
        return ctx::fiber();
      });
    }
    Resume();
  }

  void Resume() override {
    home_ = &scheduler_;
    Gate* saved = t_current_gate;
    t_current_gate = gate_;
    Jump(fiber_, &scheduler_);
    t_current_gate = saved;
  }

  // Whoever wakes this context again sets the current gate to its own.
  void Suspend() override { Jump(*home_, &fiber_); }

  void SwitchTo(ActorContext& next) override {
    auto& n = static_cast<FiberContext&>(next);
    n.home_ = home_;  // its Suspend goes where this one's would
    t_current_gate = n.gate_;
    Jump(n.fiber_, &fiber_);
  }
  void HandOffAtEnd(ActorContext* next) override { handoff_ = static_cast<FiberContext*>(next); }
  bool direct() const override { return true; }

  bool finished() const override { return finished_; }  // true until started

 private:
  Gate* gate_;
  std::function<void()> body_;
  ctx::fiber fiber_;      // this actor's continuation while it does not run
  ctx::fiber scheduler_;  // the scheduler's, while an actor it resumed runs
  // The scheduler slot this actor's Suspend and end return to: its own
  // scheduler_, or that of the actor that switched to it.
  ctx::fiber* home_ = &scheduler_;
  FiberContext* handoff_ = nullptr;  // where the body's end goes instead (HandOffAtEnd)
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
