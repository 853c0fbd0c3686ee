// The exec protocol's lines from the program, read without a program.
//
// What the exec adapter makes of one line on the program's stdout
// (docs/exec-protocol.md): the framing (a JSON object with an integer `id`),
// then the contents of the two replies with structure, hello's and
// inspect's. These are pure functions, apart from the adapter that owns the
// child process, so that a fuzzer (tests/fuzz/exec_reply_fuzzer.cc) can feed
// them any bytes a broken or hostile store could write.
//
// Errors are Status::Infra whose message says what is wrong with the line;
// the adapter prefixes "exec: request N (label): " (and "bad reply: " for a
// reply's contents), stops the program and ends the run with exit 3.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "framework/adapter.h"
#include "framework/status.h"

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
};

// Reads an `ok: true` hello reply (the protocol version is the caller's to
// check). Error: a list that is not a list of strings, a point that is
// neither a name nor {"name": ...}, no servers.
Status ParseExecHello(const nlohmann::json& reply, ExecHello* out);

// Reads an `ok: true` inspect reply into `out` (cleared first; the holding
// folders are the caller's, from hello). Error: `servers` or `directory`
// missing or not shaped as docs/exec-protocol.md says.
Status ParseExecInspect(const nlohmann::json& reply, Snapshot* out);

}  // namespace intransit
