// The name rule of name_rule.h: one function that decides, one that explains.
#include "base/name_rule.h"

#include <cstdio>
#include <string>

namespace intransit {
namespace {

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

}  // namespace

bool IsValidName(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength) return false;
  if (!IsAlnum(name.front())) return false;
  for (char c : name) {
    if (!IsAlnum(c) && c != '.' && c != '_' && c != '-' && c != '+') return false;
  }
  return true;
}

Status CheckName(std::string_view what, std::string_view name) {
  if (IsValidName(name)) return Status::Ok();
  std::string why;
  if (name.empty()) {
    why = "is empty";
  } else if (name.size() > kMaxNameLength) {
    why = "is " + std::to_string(name.size()) + " bytes long; at most " +
          std::to_string(kMaxNameLength) + " are allowed";
  } else if (!IsAlnum(name.front())) {
    why = "must start with a letter or a digit";
  } else {
    why = "may hold only letters, digits and . _ - +";
  }
  return Status::Invalid(std::string(what) + " '" + EscapeControl(name.substr(0, 80)) +
                         (name.size() > 80 ? "..." : "") + "' " + why);
}

std::string EscapeControl(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const bool c1 = c == 0xc2 && i + 1 < text.size() &&
                    static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                    static_cast<unsigned char>(text[i + 1]) <= 0x9f;
    if (c1) {  // a C1 control (U+0080..U+009F), e.g. CSI, in UTF-8
      char buf[16];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(text[++i]));
      out += buf;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace intransit
