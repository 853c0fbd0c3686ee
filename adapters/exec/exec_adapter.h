// The `exec` adapter: any store, in any language, behind a line protocol.
//
// intransit starts the vendor's program (`[adapter] command = "python3
// store.py"`) and speaks `intransit-exec/1` with it over stdin/stdout, one
// JSON object per line (docs/exec-protocol.md). The program announces each
// point of its own procedures and waits for the framework's answer, so
// every strategy, fault kind and oracle check works on it unchanged.
//
// The adapter's own options are `command` (required) and `timeout_ms`
// (default 10000, per request); every other [adapter] key, `variant`
// included, is handed to the program in `hello`. Servers, points, holding
// folders and recovery are what the program's `hello` reply says, so the
// registry entry declares none and sets AdapterInfo::open_options; `open`
// checks the suite's server and point names against the reply. A program
// whose hello says `"footprints": true` declares each step's footprint with
// touch lines, passed to Gate::Touch; DeclaresFootprints() says which.
//
// A program that exits, hangs past the timeout, writes a line that is not
// JSON, answers an id that is not in flight or speaks another protocol
// version is stopped (SIGTERM, then SIGKILL, reaped) and the run ends with
// Status::Infra naming the request and the offending line: exit 3.
#pragma once

#include <memory>
#include <ostream>

#include "store/adapter.h"

namespace intransit {

// The registry entry: options, open (spawn + hello), describe (spawn +
// hello, for `intransit list points`).
AdapterInfo ExecAdapterInfo();

// Opens an exec deployment whose program's stderr goes to `log` (nullptr =
// std::cerr). For tests and the bench; the registry uses std::cerr.
Result<std::unique_ptr<Deployment>> OpenExecDeployment(const AdapterConfig& config,
                                                      std::ostream* log);

// The protocol version this adapter speaks.
inline constexpr const char* kExecProtocol = "intransit-exec/1";

}  // namespace intransit
