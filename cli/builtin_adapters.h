// The stores built into intransit. The command line is the composition root:
// it (and each test or benchmark program) registers them before it loads a
// suite; the loader and the explorer only look adapters up.
#pragma once

namespace intransit {

// Registers reference, maildir, exec and dovecot into
// AdapterRegistry::Global(). Idempotent and thread-safe.
void RegisterBuiltinAdapters();

}  // namespace intransit
