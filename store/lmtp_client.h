// A small LMTP client (RFC 2033): how the stores that run real servers
// (Dovecot, Cyrus) deliver mail to them, as an MTA would.
//
// One transaction per message, one recipient: MAIL FROM, RCPT TO, DATA, and
// the per-recipient reply after the final dot decides the outcome (2xx
// accepted, 4xx tempfail, 5xx permfail). The connection is kept open between
// messages (2-3 ms a message instead of 4-20 ms with a new connection,
// FACTS.md); a connection the server closed while idle is opened again
// before anything of the next message was sent, so that never changes an
// outcome.
//
//   LmtpClient c("127.0.0.1", port, /*timeout_ms=*/5000);
//   auto r = c.Deliver("sender@intransit", "alice", message_text);
//   if (!r.ok()) ...            // the connection broke: not a mail outcome
//   if (r->code / 100 == 2) ... // accepted
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace intransit {

struct LmtpReply {
  int code = 0;      // 250, 451, 550, ...
  std::string text;  // the whole reply line(s), for the timeline

  bool accepted() const { return code / 100 == 2; }
  bool tempfail() const { return code / 100 == 4; }
};

class LmtpClient {
 public:
  LmtpClient(std::string host, int port, int timeout_ms);
  ~LmtpClient();
  LmtpClient(const LmtpClient&) = delete;
  LmtpClient& operator=(const LmtpClient&) = delete;

  // Delivers `message` (RFC 5322 text with CRLF line ends) to `rcpt`.
  // `from` and `rcpt` go inside MAIL FROM:<...> and RCPT TO:<...>: one that
  // holds CR, LF, NUL, '<' or '>' could end the command and start another,
  // so it is refused (Status::Invalid, see CheckCommandArg) before anything
  // is sent or a connection is opened.
  // Returns the reply that decides the outcome: the RCPT reply when the
  // recipient was refused, the MAIL reply when the sender was, else the
  // recipient's reply after DATA. Not ok (Infra) when the connection failed
  // or timed out: the outcome is then unknown to the caller.
  Result<LmtpReply> Deliver(const std::string& from, const std::string& rcpt,
                            const std::string& message);

  // Closes the connection (QUIT when it is open). Deliver opens it again.
  void Close();

 private:
  Status Connect();
  Status SendAll(const std::string& data);
  // Reads one reply (all its "250-" continuation lines).
  Result<LmtpReply> ReadReply();
  Result<LmtpReply> Transaction(const std::string& from, const std::string& rcpt,
                                const std::string& message, bool* nothing_sent);

  std::string host_;
  int port_;
  int timeout_ms_;
  int fd_ = -1;
  std::string buffer_;
};

// Ok when `value` may be interpolated into an LMTP command (MAIL FROM:<>,
// RCPT TO:<>); Status::Invalid naming `what` and the escaped value when it
// holds CR, LF, NUL, '<' or '>'.
Status CheckCommandArg(std::string_view what, std::string_view value);

// Ok when `value` may be written as a header field's value: no CR, LF or
// NUL (a line break would end the field and start a forged one, or end the
// header). Status::Invalid naming `what` otherwise.
Status CheckHeaderValue(std::string_view what, std::string_view value);

// Dot-stuffs `message` and ends it with CRLF "." CRLF, for DATA.
std::string DotStuff(const std::string& message);

}  // namespace intransit
