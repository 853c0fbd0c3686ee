// The one place where built-in adapters are registered: see builtin_adapters.h.
#include "cli/builtin_adapters.h"

#include <mutex>

#include "adapters/cyrus/cyrus_adapter.h"
#include "adapters/dovecot/dovecot_adapter.h"
#include "adapters/exec/exec_adapter.h"
#include "adapters/maildir/maildir_adapter.h"
#include "adapters/reference/reference_adapter.h"
#include "store/adapter.h"

namespace intransit {

void RegisterBuiltinAdapters() {
  // Once, whoever asks first: explorer jobs run on several threads.
  static std::once_flag once;
  std::call_once(once, [] {
    AdapterRegistry& r = AdapterRegistry::Global();
    r.Add(ReferenceAdapterInfo());
    r.Add(MaildirAdapterInfo());
    r.Add(ExecAdapterInfo());
    r.Add(DovecotAdapterInfo());
    r.Add(CyrusAdapterInfo());
  });
}

}  // namespace intransit
