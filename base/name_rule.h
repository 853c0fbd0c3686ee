// The one rule for every name a suite or a store gives intransit.
//
// Suites and stores may come from strangers, and a name given there becomes
// a directory (a user's Maildir, a Dovecot home), a protocol argument (LMTP's
// RCPT TO:<user>), a Message-ID header and a line on the console. One rule,
// checked by the loader for every name a suite gives (users, actors, servers,
// folders), keeps each of those uses safe without escaping at each use:
//
//   - 1 to kMaxNameLength bytes;
//   - letters, digits and `.` `_` `-` `+` only (no `/`, `@`, space, quote,
//     angle bracket, control byte or NUL);
//   - starts with a letter or a digit (so never `.`, `..`, `-x` or `+x`).
//
//   if (Status s = CheckName("user", name); !s.ok()) return s;
//
// Adapters do not rely on it alone: every path they build also goes through
// a check that refuses to leave its root (defence in depth).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/status.h"

namespace intransit {

inline constexpr std::size_t kMaxNameLength = 64;

// True when `name` follows the rule above.
bool IsValidName(std::string_view name);

// Ok when `name` follows the rule; otherwise Status::Invalid saying what
// `what` ("user name", "actor name", ...) may hold, quoting the name with its
// control bytes escaped. The caller adds the file:line:column.
Status CheckName(std::string_view what, std::string_view name);

// `text` with every control character written out: C0 bytes and DEL as \xHH
// (\r, \n, \t as such), C1 controls as \u00HH; other UTF-8 passes through.
// A name or a note from a suite or a store can then never move the
// terminal's cursor, change its colours or split a line.
std::string EscapeControl(std::string_view text);

}  // namespace intransit
