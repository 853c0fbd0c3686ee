// The schedule token: a short, printable, shell-safe text that replays a run
// step for step on any machine.
//
// "1." then the schedule's choices, one letter each ('a' = 0 ... 'z' = 25,
// "_N_" for larger values), a letter followed by a count repeats it
// ("a3" = "aaa"; a count is 2 or more, with no leading 0). Trailing choices that took the default are dropped: the
// replay takes the default when the token runs out. Example: "1.ab".
//
// A token comes from a user (a suite's `schedule`, --schedule), so decoding
// is bounded: a run count may not take the choices past TokenLimits, checked
// before anything is allocated for them ("1.a999999" is an error, not 4 MB).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace intransit {

// What a token encodes: the choices of one schedule, in the order the
// runner met them (run/strategy.h says who makes them).
enum class ChoiceKind { kActor, kFire };

struct Choice {
  ChoiceKind kind = ChoiceKind::kActor;
  int value = 0;    // actor id, or 1 = fire / 0 = hold fire
  int first = 0;    // the value the default (first) option had
  int options = 2;  // how many there were to choose from
};

// Every choice of one schedule, in order.
struct Schedule {
  std::vector<Choice> choices;
  int preemptions = 0;  // switches away from an actor that could have gone on
};

// The most choices any token may decode to (4 MiB of values), and the
// largest value ("_1000000_").
inline constexpr size_t kMaxTokenChoices = size_t{1} << 20;
inline constexpr int kMaxTokenValue = 1000000;

// What a decoded token may hold.
struct TokenLimits {
  int max_value = kMaxTokenValue;       // each choice: an actor id, or fire (1) / hold (0)
  size_t max_choices = kMaxTokenChoices;  // how many choices in all
};

struct Suite;

// The limits for a token of `suite`: a value names one of its actors, or is
// a fault's fire/hold (0 or 1).
TokenLimits TokenLimitsFor(const Suite& suite);

std::string EncodeSchedule(const Schedule& schedule);

// The choice values of a token. Error: Invalid, naming the offending
// position (1-based, in characters) and, for a value or a count past
// `limits`, the limit.
Result<std::vector<int>> DecodeSchedule(std::string_view token, const TokenLimits& limits = {});

}  // namespace intransit
