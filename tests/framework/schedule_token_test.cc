// Schedule tokens: short, printable, and they round-trip.
#include <catch2/catch.hpp>

#include "explore/random_strategy.h"
#include "suite/schedule_token.h"

namespace intransit {
namespace {

Schedule Of(std::vector<int> values, int first = 0) {
  Schedule s;
  for (int v : values) s.choices.push_back({ChoiceKind::kActor, v, first});
  return s;
}

TEST_CASE("schedule_token: encodes runs and drops trailing defaults", "[token]") {
  CHECK(EncodeSchedule(Of({})) == "1.");
  CHECK(EncodeSchedule(Of({0, 1})) == "1.ab");
  CHECK(EncodeSchedule(Of({1, 1, 1, 2, 0, 0})) == "1.b3c");
  CHECK(EncodeSchedule(Of({30, 2})) == "1._30_c");
}

TEST_CASE("schedule_token: the letters end at 25 and numbers start at 26",
          "[token][hardening]") {
  // a..z are 0..25; from 26 on a value is written _N_. Pinned at both sides
  // of the boundary, in both directions, alone and as a run.
  CHECK(EncodeSchedule(Of({0, 1})) == "1.ab");
  CHECK(EncodeSchedule(Of({24, 1})) == "1.yb");
  CHECK(EncodeSchedule(Of({25, 1})) == "1.zb");
  CHECK(EncodeSchedule(Of({26, 1})) == "1._26_b");
  CHECK(EncodeSchedule(Of({27, 1})) == "1._27_b");
  CHECK(EncodeSchedule(Of({25, 25, 26, 26, 26})) == "1.z2_26_3");
  CHECK(EncodeSchedule(Of({26}, 26)) == "1.");  // a trailing default is dropped, even past z
  CHECK(EncodeSchedule(Of({25}, 26)) == "1.z");

  auto decoded = [](const std::string& token) {
    auto v = DecodeSchedule(token);
    REQUIRE(v.ok());
    return *v;
  };
  CHECK(decoded("1.a") == std::vector<int>{0});
  CHECK(decoded("1.y") == std::vector<int>{24});
  CHECK(decoded("1.z") == std::vector<int>{25});
  CHECK(decoded("1._26_") == std::vector<int>{26});
  CHECK(decoded("1._25_") == std::vector<int>{25});  // the long form of a letter's value
  CHECK(decoded("1.z2_26_3") == std::vector<int>{25, 25, 26, 26, 26});
  CHECK_FALSE(DecodeSchedule("1.{").ok());  // the byte after 'z'
  CHECK_FALSE(DecodeSchedule("1.`").ok());  // the byte before 'a'
}

TEST_CASE("schedule_token: decode inverts encode", "[token]") {
  Rng rng(GENERATE(take(20, random(1, 1000000))));
  std::vector<int> values;
  int n = static_cast<int>(rng.Below(40)) + 1;
  for (int i = 0; i < n; ++i) values.push_back(static_cast<int>(rng.Below(rng.Below(2) ? 3 : 40)));
  values.push_back(1);  // a last non-default choice, so nothing is dropped
  auto decoded = DecodeSchedule(EncodeSchedule(Of(values)));
  REQUIRE(decoded.ok());
  CHECK(*decoded == values);
}

TEST_CASE("schedule_token: malformed tokens are errors naming the position", "[token]") {
  auto no_version = DecodeSchedule("ab");
  REQUIRE_FALSE(no_version.ok());
  CHECK_THAT(no_version.status().message(), Catch::Contains("start with \"1.\""));
  auto bad = DecodeSchedule("1.ab#");
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.status().message(), Catch::Contains("position 5"));
  CHECK_FALSE(DecodeSchedule("1._12").ok());
  // A count is 2 or more without a leading 0: "1.ab0" is not "1.ab".
  for (const char* odd : {"1.ab0", "1.a1", "1.a02", "1.b00"}) {
    INFO(odd);
    auto count = DecodeSchedule(odd);
    REQUIRE_FALSE(count.ok());
    CHECK_THAT(count.status().message(), Catch::Contains("must be 2 or more"));
  }
  CHECK(DecodeSchedule("1.a2b10").ok());
}

TEST_CASE("random_strategy: the generator is the same on every machine", "[token]") {
  Rng rng(1);
  // SplitMix64's published first output for seed 1.
  CHECK(rng.Next() == 0x910a2dec89025cc1ULL);
}

}  // namespace
}  // namespace intransit
