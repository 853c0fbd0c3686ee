// A main for the fuzz targets without libFuzzer: feeds every file of the
// directories (or the files) on its command line to LLVMFuzzerTestOneInput,
// in name order, once. ctest runs it on tests/fuzz/corpus/<target> in the
// plain build (gcc, no sanitizers) and the sanitizer build, so every input
// the fuzzer ever kept, crashes found included, stays a regression test.
//
// An input that crashes the target crashes this program; one that asks for
// a huge allocation meets the address-space limit below (the same order as
// the fuzzing runs' -malloc_limit_mb) and fails with std::bad_alloc instead
// of swapping the machine. A directory with no input fails: a replay that
// replays nothing cannot fail.
#include <sys/resource.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

// GCC says -fsanitize=address with a macro, clang with a feature.
#if defined(__SANITIZE_ADDRESS__)
#define INTRANSIT_REPLAY_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define INTRANSIT_REPLAY_ASAN 1
#endif
#endif

namespace {

#ifdef INTRANSIT_REPLAY_ASAN
constexpr bool kAsan = true;
#else
constexpr bool kAsan = false;
#endif

// 2 GiB of address space: ample for any input (the targets need a few MB),
// far below what an unbounded allocation asks for.
constexpr rlim_t kAddressSpace = rlim_t{2} << 30;

}  // namespace

#ifdef INTRANSIT_REPLAY_ASAN
// ASan reserves terabytes of shadow, so it cannot run under RLIMIT_AS: it
// refuses a single allocation over 1 GiB instead.
extern "C" const char* __asan_default_options() {
  return "max_allocation_size_mb=1024:allocator_may_return_null=0";
}
#endif

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DIR_OR_FILE...\n", argv[0]);
    return 2;
  }
  if (!kAsan) {
    rlimit limit{kAddressSpace, kAddressSpace};
    setrlimit(RLIMIT_AS, &limit);
  }
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    fs::path p = argv[i];
    if (fs::is_directory(p)) {
      for (const auto& e : fs::directory_iterator(p)) {
        if (e.is_regular_file()) inputs.push_back(e.path());
      }
    } else {
      inputs.push_back(p);
    }
  }
  std::sort(inputs.begin(), inputs.end());
  if (inputs.empty()) {
    std::fprintf(stderr, "no input in the given directories\n");
    return 1;
  }
  for (const fs::path& p : inputs) {
    std::ifstream in(p, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "cannot read %s\n", p.c_str());
      return 1;
    }
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // Named before the call: a crash's output ends with the culprit.
    std::fprintf(stderr, "%s\n", p.c_str());
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }
  std::printf("%zu inputs replayed\n", inputs.size());
  return 0;
}
