// Token encoding: see schedule_token.h.
#include "suite/schedule_token.h"
#include "suite/suite.h"

#include <algorithm>
#include <cctype>

#include "base/name_rule.h"

namespace intransit {
namespace {

void AppendValue(std::string* out, int value) {
  if (value < 26) {
    out->push_back(static_cast<char>('a' + value));
  } else {
    *out += "_" + std::to_string(value) + "_";
  }
}

}  // namespace

std::string EncodeSchedule(const Schedule& schedule) {
  size_t end = schedule.choices.size();
  while (end > 0 && schedule.choices[end - 1].value == schedule.choices[end - 1].first) --end;
  std::string out = "1.";
  size_t i = 0;
  while (i < end) {
    int v = schedule.choices[i].value;
    size_t run = 1;
    while (i + run < end && schedule.choices[i + run].value == v) ++run;
    AppendValue(&out, v);
    if (run > 1) out += std::to_string(run);
    i += run;
  }
  return out;
}

TokenLimits TokenLimitsFor(const Suite& suite) {
  TokenLimits limits;
  limits.max_value = std::max(1, static_cast<int>(suite.actors.size()) - 1);
  return limits;
}

Result<std::vector<int>> DecodeSchedule(std::string_view token, const TokenLimits& limits) {
  // The token is quoted in messages: a long one only by its start, and
  // nothing in it may reach a terminal raw.
  const std::string shown =
      EscapeControl(token.substr(0, 40)) + (token.size() > 40 ? "..." : "");
  if (token.substr(0, 2) != "1.") {
    return Status::Invalid("schedule token '" + shown +
                           "' is not an intransit token (it must start with \"1.\")");
  }
  std::vector<int> values;
  size_t i = 2;
  auto bad = [&](size_t pos) {
    return Status::Invalid("schedule token '" + shown + "': unexpected '" +
                           EscapeControl(token.substr(pos, 1)) + "' at position " +
                           std::to_string(pos + 1));
  };
  while (i < token.size()) {
    const size_t at = i;
    int value;
    char c = token[i];
    if (c >= 'a' && c <= 'z') {
      value = c - 'a';
      ++i;
    } else if (c == '_') {
      size_t close = token.find('_', i + 1);
      if (close == std::string_view::npos || close == i + 1) return bad(i);
      value = 0;
      for (size_t k = i + 1; k < close; ++k) {
        if (!std::isdigit(static_cast<unsigned char>(token[k]))) return bad(k);
        value = value * 10 + (token[k] - '0');
        if (value > kMaxTokenValue) return bad(k);
      }
      i = close + 1;
    } else {
      return bad(i);
    }
    if (value > limits.max_value) {
      return Status::Invalid("schedule token '" + shown + "' does not fit this suite: choice " +
                             std::to_string(values.size() + 1) + " (position " +
                             std::to_string(at + 1) + ") is " + std::to_string(value) +
                             "; this suite's choices are at most " +
                             std::to_string(limits.max_value));
    }
    const size_t count_at = i;
    size_t count = 0;
    while (i < token.size() && std::isdigit(static_cast<unsigned char>(token[i]))) {
      count = count * 10 + static_cast<size_t>(token[i] - '0');
      // Checked at each digit: the count can never overflow, and nothing is
      // allocated for choices past the limit.
      if (values.size() + count > limits.max_choices) {
        return Status::Invalid("schedule token '" + shown + "': the count at position " +
                               std::to_string(count_at + 1) + " takes it past " +
                               std::to_string(limits.max_choices) + " choices");
      }
      ++i;
    }
    // A count is what EncodeSchedule writes: 2 or more, no leading zero.
    // "1.ab0" would otherwise replay as "1.ab" and "1.a1" as "1.a": a token
    // that says one thing and runs another.
    if (i > count_at && (token[count_at] == '0' || count < 2)) {
      return Status::Invalid("schedule token '" + shown + "': the count at position " +
                             std::to_string(count_at + 1) +
                             " must be 2 or more, without a leading 0");
    }
    if (count == 0) count = 1;
    if (values.size() + count > limits.max_choices) {
      return Status::Invalid("schedule token '" + shown + "': position " +
                             std::to_string(at + 1) + " takes it past " +
                             std::to_string(limits.max_choices) + " choices");
    }
    values.insert(values.end(), count, value);
  }
  return values;
}

}  // namespace intransit
