// libfiu's POSIX points: see posix_faults.h.
#include "adapters/maildir/posix_faults.h"

#include <dlfcn.h>
#include <fiu-control.h>
#include <fiu.h>

#include <cerrno>
#include <cstdint>
#include <mutex>

#include "store/gate.h"

namespace intransit {

namespace {
thread_local PosixScope* t_scope = nullptr;
}  // namespace

const std::vector<std::string>& PosixPoints() {
  static const std::vector<std::string> points = {
      "posix/io/oc/open", "posix/io/rw/write", "posix/io/sync/fsync", "posix/io/dir/rename"};
  return points;
}

// libfiu's external callback: non-zero fails the call, *failinfo is the errno
// the preload's wrapper sets. It must never switch fibers (a fiu_fail inside
// would then return 0 for the rest of the callback): Probe never waits.
int PosixCallback(const char* name, int* failnum, void** failinfo, unsigned int* flags) {
  (void)failnum;
  (void)flags;
  PosixScope* s = t_scope;
  if (s == nullptr || s->gate_ == nullptr) return 0;
  t_scope = nullptr;  // whatever the probe does, it is not the store's I/O
  Decision d = s->gate_->Probe({name, s->server_, s->user_, {}, s->what_});
  t_scope = s;
  if (d.go()) return 0;
  if (d.crash()) s->crashed_ = true;
  int e = d.errno_value != 0 ? d.errno_value : EIO;
  *failinfo = reinterpret_cast<void*>(static_cast<intptr_t>(e));
  return 1;
}

void EnablePosixPoints() {
  static std::once_flag once;
  std::call_once(once, [] {
    fiu_init(0);
    for (const auto& p : PosixPoints()) {
      fiu_enable_external(p.c_str(), 1, reinterpret_cast<void*>(static_cast<intptr_t>(EIO)), 0,
                          &PosixCallback);
    }
  });
}

bool PosixPreloadActive() {
  void* h = dlopen("/usr/lib/fiu/fiu_posix_preload.so", RTLD_NOW | RTLD_NOLOAD);
  if (h == nullptr) h = dlopen("fiu_posix_preload.so", RTLD_NOW | RTLD_NOLOAD);
  if (h == nullptr) return false;
  dlclose(h);
  return true;
}

PosixScope::PosixScope(Gate* gate, std::string_view server, std::string_view user,
                       std::string_view what)
    : gate_(gate), server_(server), user_(user), what_(what) {
  t_scope = this;
}

PosixScope::~PosixScope() { t_scope = nullptr; }

}  // namespace intransit
