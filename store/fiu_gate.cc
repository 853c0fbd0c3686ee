// The libfiu bridge: see fiu_gate.h.
#include "store/fiu_gate.h"

#include <fiu-control.h>
#include <fiu.h>

#include <cstring>
#include <mutex>
#include <set>

#include "store/actor_context.h"
#include "store/gate.h"

namespace intransit {
namespace {

constexpr const char kPrefix[] = "intransit/";

int OnPoint(const char* name, int* failnum, void** failinfo, unsigned int* flags) {
  (void)flags;
  Gate* gate = CurrentGate();
  if (gate == nullptr) return 0;  // not an actor's step: the framework's own code
  const char* point = name + sizeof(kPrefix) - 1;
  Decision d = gate->Pass({point, {}, {}, {}, "C step"});
  if (d.go()) return 0;
  long info = d.crash()                             ? kFiuCrash
              : d.error == FailError::kPermfail     ? kFiuPermfail
              : d.error == FailError::kIo           ? kFiuIo
                                                    : kFiuTempfail;
  if (d.fails_after()) info |= kFiuAfter;
  *failinfo = reinterpret_cast<void*>(info);
  *failnum = 1;
  return 1;
}

std::mutex g_mu;
std::set<std::string>* g_enabled = nullptr;

}  // namespace

Status InstallFiuGate(const std::vector<std::string>& points) {
  std::lock_guard<std::mutex> lock(g_mu);
  if (g_enabled == nullptr) {
    if (fiu_init(0) != 0) return Status::Infra("libfiu: fiu_init failed");
    g_enabled = new std::set<std::string>();
  }
  for (const auto& p : points) {
    std::string name = kPrefix + p;
    if (g_enabled->count(name)) continue;
    if (fiu_enable_external(name.c_str(), 1, nullptr, 0, OnPoint) != 0) {
      return Status::Infra("libfiu: cannot enable " + name);
    }
    g_enabled->insert(name);
  }
  return Status::Ok();
}

}  // namespace intransit
