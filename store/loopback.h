// Loopback ports for the stores that run real servers: a port the OS picks
// for a server to listen on, and the first line a server says on a port
// (its greeting), by which a store knows the server is up — and that it is
// its own server, not a stale one from an earlier run holding the port;
// and the connection the stores' protocol clients (LMTP, IMAP) open.
#pragma once

#include <string>

#include "base/status.h"

namespace intransit {

// A TCP port on 127.0.0.1 nobody listens on right now (bind to port 0,
// read it back, close). Another process may take it before the server
// binds it: callers check the server's greeting and retry.
Result<int> FreeLoopbackPort();

// True when a connection to 127.0.0.1:`port` is accepted (something
// listens there); false when it is refused or cannot be made.
bool LoopbackAccepts(int port);

// Connects to 127.0.0.1:`port` and returns the first line the server sends
// (without CRLF), waiting at most `timeout_ms`; "" when nothing listens or
// nothing was said in time.
std::string LoopbackGreeting(int port, int timeout_ms);

// A connected TCP socket to `host`:`port` (an IPv4 address), with
// TCP_NODELAY and `timeout_ms` for every read and write; the caller owns
// the descriptor. Infra, naming `protocol` ("LMTP", "IMAP") and the
// address, when the connection is refused.
Result<int> ConnectTcp(const std::string& host, int port, int timeout_ms, const char* protocol);

}  // namespace intransit
