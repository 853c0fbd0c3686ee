// Fuzz target: the exec adapter's reading of a line from the store's
// program (docs/exec-protocol.md). Any bytes as one line: framed (a JSON
// object with an integer id, or an error), then read as hello's reply and
// as inspect's, as the adapter would if it were the reply it waits for, and
// as a touch line when it holds `touch`.
// Never a crash, hang, leak or unbounded allocation (tests/fuzz/README.md).
#include <cstddef>
#include <cstdint>
#include <string>

#include "adapters/exec/exec_reply.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace intransit;
  const std::string line(reinterpret_cast<const char*>(data), size);
  Result<ExecLine> parsed = ParseExecLine(line);
  if (!parsed.ok()) return 0;
  ExecHello hello;
  Status h = ParseExecHello(parsed->msg, &hello);
  if (h.ok() && hello.servers.empty()) __builtin_trap();
  Snapshot snapshot;
  (void)ParseExecInspect(parsed->msg, &snapshot);
  (void)ExecStringField(parsed->msg, "result");
  if (parsed->msg.contains("touch")) {
    std::vector<ExecTouch> touches;
    if (ParseExecTouch(parsed->msg, &touches).ok()) {
      for (const auto& [object, access] : touches) {
        if (object.empty() || object.size() > kMaxExecObjectBytes) __builtin_trap();
      }
    }
  }
  return 0;
}
