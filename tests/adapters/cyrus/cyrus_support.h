// Helpers for the Cyrus adapter's tests: a temp dir cyrus can read, a gate
// that lets every step go (and can run a hook at a point), the adapter
// opened on it, and what a snapshot holds per server.
#pragma once

#include <algorithm>
#include <catch2/catch.hpp>
#include <functional>
#include <string>
#include <vector>

#include "adapters/cyrus/cyrus_adapter.h"
#include "adapters/cyrus/cyrus_server.h"
#include "store/adapter.h"
#include "tests/support/temp_dir.h"

namespace intransit::cyrus::testing {

// "cyrus not found: install ..." when Cyrus is missing, else "": the one
// skip text of every Cyrus test (SKIP_WITHOUT_CYRUS, the adapter contract).
inline std::string MissingCyrus() {
  if (CyrusInstalled()) return "";
  return "cyrus not found: install the Debian packages cyrus-imapd cyrus-admin cyrus-clients "
         "cyrus-replication (the Cyrus tests are skipped)";
}

// The tests' TempDir, open to uid cyrus: the servers' trees are under it.
class TempDir : public ::intransit::testing::TempDir {
 public:
  TempDir() : ::intransit::testing::TempDir(0755) {}
};

// Opens the cyrus adapter with `variant` (or `options`) under `work_dir`.
inline Result<std::unique_ptr<Deployment>> OpenCyrus(const std::string& work_dir,
                                                     const std::string& variant,
                                                     Params options = {}) {
  AdapterConfig config;
  config.variant = variant;
  config.options = std::move(options);
  config.work_dir = work_dir;
  auto opened = CyrusAdapterInfo().open(config);
  // Said with the next assertion, the REQUIRE(d.ok()) that fails: why.
  if (!opened.ok()) UNSCOPED_INFO("open cyrus: " << opened.status().message());
  return opened;
}

// Message-IDs of `user`'s copies on `server` in `snapshot`, sorted.
inline std::vector<std::string> IdsOn(const Snapshot& snapshot, const std::string& server,
                                      const std::string& user) {
  std::vector<std::string> ids;
  for (const auto& c : snapshot.copies) {
    if (c.server == server && c.user == user) ids.push_back(c.message);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

inline std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace intransit::cyrus::testing

// Ends the test case with a warning where Cyrus is not installed.
#define SKIP_WITHOUT_CYRUS()                                               \
  do {                                                                     \
    std::string missing = ::intransit::cyrus::testing::MissingCyrus();     \
    if (!missing.empty()) {                                                \
      WARN(missing);                                                       \
      return;                                                              \
    }                                                                      \
  } while (0)
