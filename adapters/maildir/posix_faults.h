// libfiu's POSIX points, driven from inside the intransit process.
//
// With /usr/lib/fiu/fiu_posix_preload.so preloaded, libc's open, write,
// fsync, rename, ... first ask libfiu whether to fail. EnablePosixPoints
// enables each point of kPosixPoints once, up front, with one external
// callback (enabling while an actor is parked in a callback would deadlock:
// shared/FIU.md). The callback fails a call only while a PosixScope is open
// on the calling thread: the adapter opens one around each real file
// operation of a step, so the framework's own I/O (reports, the suite
// loader) and every other call never fail. Inside a scope the callback asks
// the gate (Gate::Probe) whether the suite's fault plan fires there.
//
//   PosixScope scope(&gate, "dst", "alice", "rename .InTransit/new/X -> new/X");
//   if (rename(from, to) != 0) ...   // EIO when the suite armed posix/io/dir/rename
//
// Without the preload the points are enabled but never reached:
// PosixPreloadActive() says which.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace intransit {

class Gate;

// The POSIX points the maildir adapter's file operations reach.
const std::vector<std::string>& PosixPoints();

// Enables every point of PosixPoints() with the callback. Idempotent and
// thread-safe; REQUIRES: no actor is running (call it when opening an adapter).
void EnablePosixPoints();

// Whether fiu_posix_preload.so is loaded into this process.
bool PosixPreloadActive();

// While alive, libc calls of this thread at PosixPoints() consult
// `gate->Probe` (point = the libfiu name, what = `what`). Scopes do not
// nest. REQUIRES: no Gate::Pass while a scope is open (another fiber on this
// thread would inherit it); `server`, `user` and `what` outlive the scope
// (it keeps views of them).
class PosixScope {
 public:
  PosixScope(Gate* gate, std::string_view server, std::string_view user, std::string_view what);
  ~PosixScope();
  PosixScope(const PosixScope&) = delete;
  PosixScope& operator=(const PosixScope&) = delete;

  // A probe inside this scope answered crash: the store "died" in the call.
  bool crashed() const { return crashed_; }

 private:
  friend int PosixCallback(const char*, int*, void**, unsigned int*);
  Gate* gate_;
  std::string_view server_, user_, what_;
  bool crashed_ = false;
};

}  // namespace intransit
