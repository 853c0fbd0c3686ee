// A small IMAP4rev1 client (RFC 3501): how a store that runs a real IMAP
// server (Cyrus) creates, moves, deletes and reads mailboxes, as an
// administrator or a user would with any IMAP tool.
//
// One connection, one command at a time: Command() sends "tN COMMAND" and
// reads every untagged response up to the tagged one. A literal in a
// response ({N} at a line's end, then N bytes) is read whole and kept inline
// in its untagged response, so a FETCH of header fields comes back as one
// string. Arguments the caller interpolates go through Quote(), which
// refuses CR, LF and NUL: a line break would end the command and start
// another.
//
//   ImapClient c("127.0.0.1", port, /*timeout_ms=*/5000);
//   auto g = c.Connect();                       // the greeting line
//   auto r = c.Command("LOGIN " + *ImapClient::Quote("admin") + " x");
//   if (r.ok() && r->ok()) ...                  // tagged OK
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace intransit {

struct ImapReply {
  std::string status;                  // "OK", "NO" or "BAD" (the tagged reply)
  std::string text;                    // the tagged reply's text after the status
  std::vector<std::string> untagged;   // each "* ..." response, literals inline, without "* "

  bool ok() const { return status == "OK"; }
  // "NO Mailbox does not exist", for messages.
  std::string Describe() const { return status + " " + text; }
};

class ImapClient {
 public:
  ImapClient(std::string host, int port, int timeout_ms);
  ~ImapClient();
  ImapClient(const ImapClient&) = delete;
  ImapClient& operator=(const ImapClient&) = delete;

  // Opens the connection and returns the greeting line ("* OK ..."). Infra
  // when the connection fails, times out or the server says BYE.
  Result<std::string> Connect();

  // Sends `command` (without tag or CRLF) and reads up to its tagged reply.
  // Infra when the connection is not open, breaks or times out (the client
  // is then closed); a NO or BAD is a reply, not an error. Invalid when the
  // command holds CR, LF or NUL (nothing is sent).
  Result<ImapReply> Command(const std::string& command);

  // LOGOUT when open, then closes.
  void Close();
  bool connected() const { return fd_ >= 0; }

  // `value` as an IMAP quoted string ("a\"b"); Invalid when it holds CR,
  // LF or NUL (a quoted string cannot carry them).
  static Result<std::string> Quote(std::string_view value);

 private:
  Status SendAll(const std::string& data);
  // One line without its CRLF; when it ends with a literal {N}, the N bytes
  // and the rest of the response are appended.
  Result<std::string> ReadResponse();
  Result<std::string> ReadLine();
  Status ReadBytes(size_t n, std::string* out);
  Status Fill();

  std::string host_;
  int port_;
  int timeout_ms_;
  int fd_ = -1;
  int tag_ = 0;
  std::string buffer_;
};

// The mailbox name at the end of a LIST response's text
// ("LIST (\HasNoChildren) "/" INBOX" -> "INBOX"; a quoted name unquoted).
// "" when the text is not a LIST response.
std::string ListedMailbox(std::string_view untagged);

// The value of header field `field` (case-insensitive) in `text`, trimmed;
// "" when absent. Folded continuation lines are joined with one space.
std::string HeaderValue(std::string_view text, std::string_view field);

}  // namespace intransit
