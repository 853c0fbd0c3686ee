// The exec protocol's lines from the program, read without a program.
//
// What the exec adapter makes of one line on the program's stdout
// (docs/exec-protocol.md): the framing (a JSON object with an integer `id`),
// then the contents of the two replies with structure, hello's and
// inspect's, and of a touch line (a step's footprint). These are pure functions, apart from the adapter that owns the
// child process, so that a fuzzer (tests/fuzz/exec_reply_fuzzer.cc) can feed
// them any bytes a broken or hostile store could write.
//
// Errors are Status::Infra whose message says what is wrong with the line;
// the adapter prefixes "exec: request N (label): " (and "bad reply: " for a
// reply's contents), stops the program and ends the run with exit 3.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "store/adapter.h"
#include "store/footprint.h"

namespace intransit {

// One framed line: its request id and the whole object.
struct ExecLine {
  int64_t id = 0;
  nlohmann::json msg;
};

// How a line is quoted in a message: whole if short, else its start.
std::string QuoteExecLine(const std::string& line);

// The string at `key` of object `j`; "" when it is missing or not a string.
std::string ExecStringField(const nlohmann::json& j, const char* key);

// Parses one line the program wrote. Error: not JSON, not an object, or no
// integer `id`; the message quotes the line (at most 200 bytes of it).
Result<ExecLine> ParseExecLine(const std::string& line);

// What hello's reply declares about the program.
struct ExecHello {
  std::string name;
  std::vector<std::string> servers;  // never empty on success
  std::vector<PointInfo> points;
  std::vector<std::string> recovery;
  std::vector<std::string> holding;
  bool footprints = false;  // the program declares every step's footprint
};

// Reads an `ok: true` hello reply (the protocol version is the caller's to
// check). Error: a list that is not a list of strings, a point that is
// neither a name nor {"name": ...}, no servers, a `footprints` that is not
// a boolean.
Status ParseExecHello(const nlohmann::json& reply, ExecHello* out);

// Reads an `ok: true` inspect reply into `out` (cleared first; the holding
// folders are the caller's, from hello). Error: `servers` or `directory`
// missing or not shaped as docs/exec-protocol.md says.
Status ParseExecInspect(const nlohmann::json& reply, Snapshot* out);

// The longest object name a touch line may carry, in bytes.
inline constexpr size_t kMaxExecObjectBytes = 256;

// One object a step touches, as a touch line names it.
using ExecTouch = std::pair<std::string, Access>;

// Reads the `touch` of a touch line `{"id": N, "touch": [[object, access],
// ...]}` into `out` (cleared first). Strict, because a sloppy footprint is a
// silent hole in the reduction: `touch` is a list (possibly empty) whose
// every entry is a 2-element list of a non-empty object name of at most
// kMaxExecObjectBytes bytes without control characters and an access word
// (`read`, `write`, `append`). Error: anything else, or a line that is also
// a reply, point or note; the message says which entry and what is wrong
// with it (the caller quotes the line, which it has as written).
// REQUIRES: `line` is an object holding `touch`.
Status ParseExecTouch(const nlohmann::json& line, std::vector<ExecTouch>* out);

}  // namespace intransit
