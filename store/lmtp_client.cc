// The LMTP client; see lmtp_client.h.
#include "store/lmtp_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "base/name_rule.h"
#include "store/loopback.h"

namespace intransit {

namespace {

Status Refuse(std::string_view what, std::string_view value, const char* kind) {
  return Status::Invalid(std::string(what) + " '" + EscapeControl(value.substr(0, 120)) +
                         (value.size() > 120 ? "..." : "") + "' holds " + kind +
                         ": refused, it could inject an LMTP command or a header");
}

}  // namespace

Status CheckCommandArg(std::string_view what, std::string_view value) {
  if (value.find_first_of(std::string_view("\r\n\0<>", 5)) != std::string_view::npos) {
    return Refuse(what, value, "CR, LF, NUL, '<' or '>'");
  }
  return Status::Ok();
}

Status CheckHeaderValue(std::string_view what, std::string_view value) {
  if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
    return Refuse(what, value, "CR, LF or NUL");
  }
  return Status::Ok();
}

std::string DotStuff(const std::string& message) {
  std::string out;
  out.reserve(message.size() + 8);
  bool line_start = true;
  for (char c : message) {
    if (line_start && c == '.') out += '.';
    out += c;
    line_start = c == '\n';
  }
  if (!out.empty() && out.back() != '\n') out += "\r\n";
  out += ".\r\n";
  return out;
}

LmtpClient::LmtpClient(std::string host, int port, int timeout_ms)
    : host_(std::move(host)), port_(port), timeout_ms_(timeout_ms) {}

LmtpClient::~LmtpClient() { Close(); }

void LmtpClient::Close() {
  if (fd_ >= 0) {
    static const char kQuit[] = "QUIT\r\n";
    send(fd_, kQuit, sizeof kQuit - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
    close(fd_);
  }
  fd_ = -1;
  buffer_.clear();
}

Status LmtpClient::Connect() {
  Close();
  auto fd = ConnectTcp(host_, port_, timeout_ms_, "LMTP");
  if (!fd.ok()) return fd.status();
  fd_ = *fd;
  auto greeting = ReadReply();
  if (!greeting.ok()) return greeting.status().Wrap("LMTP greeting");
  if (greeting->code != 220) return Status::Infra("LMTP greeting: " + greeting->text);
  Status s = SendAll("LHLO intransit\r\n");
  if (!s.ok()) return s;
  auto lhlo = ReadReply();
  if (!lhlo.ok()) return lhlo.status().Wrap("LHLO");
  if (lhlo->code != 250) return Status::Infra("LHLO refused: " + lhlo->text);
  return Status::Ok();
}

Status LmtpClient::SendAll(const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return Status::Infra("LMTP send to port " + std::to_string(port_) + ": " +
                           (n < 0 ? strerror(errno) : "connection closed"));
    }
    sent += static_cast<size_t>(n);
  }
  return Status::Ok();
}

Result<LmtpReply> LmtpClient::ReadReply() {
  LmtpReply reply;
  char buf[4096];
  while (true) {
    size_t eol = buffer_.find("\r\n");
    if (eol == std::string::npos) eol = buffer_.find('\n');
    if (eol != std::string::npos) {
      std::string line = buffer_.substr(0, eol);
      buffer_.erase(0, eol + (buffer_[eol] == '\r' ? 2 : 1));
      if (line.size() < 3) return Status::Infra("LMTP: malformed reply '" + line + "'");
      if (!reply.text.empty()) reply.text += " / ";
      reply.text += line;
      reply.code = std::atoi(line.substr(0, 3).c_str());
      if (line.size() > 3 && line[3] == '-') continue;  // continuation line
      return reply;
    }
    ssize_t n = recv(fd_, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) return Status::Infra("LMTP: port " + std::to_string(port_) + " closed the connection");
    if (n < 0) {
      return Status::Infra("LMTP: no reply from port " + std::to_string(port_) + ": " +
                           (errno == EAGAIN ? "timed out" : strerror(errno)));
    }
    buffer_.append(buf, static_cast<size_t>(n));
  }
}

Result<LmtpReply> LmtpClient::Transaction(const std::string& from, const std::string& rcpt,
                                          const std::string& message, bool* nothing_sent) {
  *nothing_sent = true;
  Status s = SendAll("MAIL FROM:<" + from + ">\r\n");
  if (!s.ok()) return s;
  auto mail = ReadReply();
  if (!mail.ok()) return mail;  // an idle connection closed by the server lands here
  *nothing_sent = false;
  if (mail->code / 100 != 2) {
    SendAll("RSET\r\n");
    ReadReply();
    return mail;
  }
  s = SendAll("RCPT TO:<" + rcpt + ">\r\n");
  if (!s.ok()) return s;
  auto rc = ReadReply();
  if (!rc.ok()) return rc;
  if (rc->code / 100 != 2) {
    SendAll("RSET\r\n");
    ReadReply();
    return rc;
  }
  s = SendAll("DATA\r\n");
  if (!s.ok()) return s;
  auto data = ReadReply();
  if (!data.ok()) return data;
  if (data->code != 354) {
    // The transaction still holds MAIL and RCPT: without RSET the next
    // message's MAIL would get 503.
    SendAll("RSET\r\n");
    ReadReply();
    return data;
  }
  s = SendAll(DotStuff(message));
  if (!s.ok()) return s;
  // One reply per accepted recipient: ours.
  return ReadReply();
}

Result<LmtpReply> LmtpClient::Deliver(const std::string& from, const std::string& rcpt,
                                      const std::string& message) {
  if (Status s = CheckCommandArg("MAIL FROM address", from); !s.ok()) return s;
  if (Status s = CheckCommandArg("RCPT TO address", rcpt); !s.ok()) return s;
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (fd_ < 0) {
      Status s = Connect();
      if (!s.ok()) {
        Close();
        return s;
      }
    }
    bool nothing_sent = true;
    auto r = Transaction(from, rcpt, message, &nothing_sent);
    if (r.ok()) return r;
    Close();
    // Reconnect only when the server had seen nothing of this message.
    if (!nothing_sent) return r.status();
  }
  return Status::Infra("LMTP: port " + std::to_string(port_) + " keeps closing the connection");
}

}  // namespace intransit
