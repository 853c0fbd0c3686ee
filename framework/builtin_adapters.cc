// The one place where built-in adapters are registered.
#include "adapters/dovecot/dovecot_adapter.h"
#include "adapters/exec/exec_adapter.h"
#include "adapters/maildir/maildir_adapter.h"
#include "adapters/reference/reference_adapter.h"
#include "framework/adapter.h"

namespace intransit {

void RegisterBuiltinAdapters() {
  AdapterRegistry& r = AdapterRegistry::Global();
  r.Add(ReferenceAdapterInfo());
  r.Add(MaildirAdapterInfo());
  r.Add(ExecAdapterInfo());
  r.Add(DovecotAdapterInfo());
}

}  // namespace intransit
