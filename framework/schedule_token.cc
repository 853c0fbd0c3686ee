// Token encoding: see schedule_token.h.
#include "framework/schedule_token.h"

#include <cctype>

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

Result<std::vector<int>> DecodeSchedule(std::string_view token) {
  if (token.substr(0, 2) != "1.") {
    return Status::Invalid("schedule token '" + std::string(token) +
                           "' is not an intransit token (it must start with \"1.\")");
  }
  std::vector<int> values;
  size_t i = 2;
  auto bad = [&](size_t pos) {
    return Status::Invalid("schedule token '" + std::string(token) + "': unexpected '" +
                           std::string(1, token[pos]) + "' at position " + std::to_string(pos + 1));
  };
  while (i < token.size()) {
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
        if (value > 1000000) return bad(k);
      }
      i = close + 1;
    } else {
      return bad(i);
    }
    size_t count = 0;
    while (i < token.size() && std::isdigit(static_cast<unsigned char>(token[i]))) {
      count = count * 10 + static_cast<size_t>(token[i] - '0');
      if (count > 10000000) return bad(i);
      ++i;
    }
    if (count == 0) count = 1;
    values.insert(values.end(), count, value);
  }
  return values;
}

}  // namespace intransit
