// Loading a suite from text in a test, and the ten-line suite most loader
// tests start from (an adapter, one user, one mover; a test appends its own
// tables from line 11, so the line numbers its errors expect are stable).
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "suite/suite_loader.h"

namespace intransit::testing {

inline const std::string kBase =
    "[adapter]\n"             // 1
    "name = \"reference\"\n"  // 2
    "[[users]]\n"             // 3
    "name = \"alice\"\n"      // 4
    "home = \"src\"\n"        // 5
    "messages = 2\n"          // 6
    "[[actors]]\n"            // 7
    "kind = \"mover\"\n"      // 8
    "user = \"alice\"\n"      // 9
    "to = \"dst\"\n";         // 10

// `text` loaded as the file "t.toml".
inline Result<Suite> Load(const std::string& text, LoadOptions options = {}) {
  return LoadSuiteFromString(text, "t.toml", options);
}

// The error message of a load that must fail as the user's mistake.
inline std::string Error(const std::string& text, LoadOptions options = {}) {
  Result<Suite> r = Load(text, options);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Status::Code::kInvalid);
  return r.status().message();
}

}  // namespace intransit::testing
