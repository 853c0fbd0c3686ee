// Fuzz target: the suite loader. Any bytes as a suite file's text; the
// loader must answer with a Suite or a Status::Invalid, never crash, hang,
// leak or allocate without bound (tests/fuzz/README.md).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cli/builtin_adapters.h"
#include "suite/suite_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace intransit;
  RegisterBuiltinAdapters();  // idempotent: the fuzzer is the program here
  std::string_view text(reinterpret_cast<const char*>(data), size);
  LoadOptions options;
  Result<Suite> suite = LoadSuiteFromString(text, "fuzz.toml", options);
  // An error must say where: the file's name starts every message.
  if (!suite.ok() && suite.status().message().empty()) __builtin_trap();
  return 0;
}
