// The IMAP client; see imap_client.h.
#include "store/imap_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "store/loopback.h"

namespace intransit {
namespace {

bool HasLineBreak(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

// The literal's length when `line` ends with "{N}" (or "{N+}"), else -1.
long LiteralLength(const std::string& line) {
  if (line.empty() || line.back() != '}') return -1;
  size_t open = line.rfind('{');
  if (open == std::string::npos) return -1;
  std::string n = line.substr(open + 1, line.size() - open - 2);
  if (!n.empty() && n.back() == '+') n.pop_back();
  if (n.empty() || n.size() > 9) return -1;
  for (char c : n) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return -1;
  }
  return std::atol(n.c_str());
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

ImapClient::ImapClient(std::string host, int port, int timeout_ms)
    : host_(std::move(host)), port_(port), timeout_ms_(timeout_ms) {}

ImapClient::~ImapClient() { Close(); }

void ImapClient::Close() {
  if (fd_ >= 0) {
    std::string logout = "t" + std::to_string(++tag_) + " LOGOUT\r\n";
    send(fd_, logout.data(), logout.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    close(fd_);
  }
  fd_ = -1;
  buffer_.clear();
}

Result<std::string> ImapClient::Connect() {
  Close();
  auto fd = ConnectTcp(host_, port_, timeout_ms_, "IMAP");
  if (!fd.ok()) return fd.status();
  fd_ = *fd;
  auto greeting = ReadResponse();
  if (!greeting.ok()) {
    Close();
    return greeting.status().Wrap("IMAP greeting");
  }
  if (greeting->rfind("* OK", 0) != 0 && greeting->rfind("* PREAUTH", 0) != 0) {
    Close();
    return Status::Infra("IMAP greeting from port " + std::to_string(port_) + ": " + *greeting);
  }
  return *greeting;
}

Result<ImapReply> ImapClient::Command(const std::string& command) {
  if (HasLineBreak(command)) {
    return Status::Invalid("IMAP command holds CR, LF or NUL: refused");
  }
  if (fd_ < 0) return Status::Infra("IMAP: not connected to port " + std::to_string(port_));
  std::string tag = "t" + std::to_string(++tag_);
  Status s = SendAll(tag + " " + command + "\r\n");
  if (!s.ok()) {
    Close();
    return s;
  }
  ImapReply reply;
  while (true) {
    auto line = ReadResponse();
    if (!line.ok()) {
      Close();
      return line.status();
    }
    if (line->rfind("* ", 0) == 0) {
      reply.untagged.push_back(line->substr(2));
      continue;
    }
    if (line->rfind("+", 0) == 0) {
      Close();  // we never send a literal: a continuation request is a protocol error
      return Status::Infra("IMAP: unexpected continuation request: " + *line);
    }
    if (line->rfind(tag + " ", 0) != 0) continue;  // another tag: not ours
    std::string rest = line->substr(tag.size() + 1);
    size_t sp = rest.find(' ');
    reply.status = rest.substr(0, sp);
    reply.text = sp == std::string::npos ? "" : rest.substr(sp + 1);
    return reply;
  }
}

Result<std::string> ImapClient::Quote(std::string_view value) {
  if (HasLineBreak(value)) {
    return Status::Invalid("IMAP string holds CR, LF or NUL: refused");
  }
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

Status ImapClient::SendAll(const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return Status::Infra("IMAP send to port " + std::to_string(port_) + ": " +
                           (n < 0 ? strerror(errno) : "connection closed"));
    }
    sent += static_cast<size_t>(n);
  }
  return Status::Ok();
}

Status ImapClient::Fill() {
  char buf[8192];
  while (true) {
    ssize_t n = recv(fd_, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) return Status::Infra("IMAP: port " + std::to_string(port_) + " closed the connection");
    if (n < 0) {
      return Status::Infra("IMAP: no reply from port " + std::to_string(port_) + ": " +
                           (errno == EAGAIN ? "timed out" : strerror(errno)));
    }
    buffer_.append(buf, static_cast<size_t>(n));
    return Status::Ok();
  }
}

Result<std::string> ImapClient::ReadLine() {
  while (true) {
    size_t eol = buffer_.find("\r\n");
    if (eol != std::string::npos) {
      std::string line = buffer_.substr(0, eol);
      buffer_.erase(0, eol + 2);
      return line;
    }
    Status s = Fill();
    if (!s.ok()) return s;
  }
}

Status ImapClient::ReadBytes(size_t n, std::string* out) {
  while (buffer_.size() < n) {
    Status s = Fill();
    if (!s.ok()) return s;
  }
  out->append(buffer_, 0, n);
  buffer_.erase(0, n);
  return Status::Ok();
}

Result<std::string> ImapClient::ReadResponse() {
  auto line = ReadLine();
  if (!line.ok()) return line;
  std::string response = *line;
  // A literal ends the line; the response goes on after its bytes.
  for (long n = LiteralLength(response); n >= 0; n = LiteralLength(response)) {
    response += "\r\n";
    Status s = ReadBytes(static_cast<size_t>(n), &response);
    if (!s.ok()) return s;
    auto more = ReadLine();
    if (!more.ok()) return more;
    response += *more;
  }
  return response;
}

std::string ListedMailbox(std::string_view untagged) {
  if (untagged.rfind("LIST ", 0) != 0) return "";
  std::string_view s = untagged;
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.empty()) return "";
  if (s.back() != '"') {
    size_t sp = s.rfind(' ');
    return std::string(sp == std::string_view::npos ? s : s.substr(sp + 1));
  }
  // A quoted name: find its opening quote, honouring backslash escapes.
  std::string name;
  size_t end = s.size() - 1;
  size_t i = end;
  while (i > 0) {
    --i;
    if (s[i] == '"' && (i == 0 || s[i - 1] != '\\')) break;
  }
  for (size_t k = i + 1; k < end; ++k) {
    if (s[k] == '\\' && k + 1 < end) ++k;
    name += s[k];
  }
  return name;
}

std::string HeaderValue(std::string_view text, std::string_view field) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    size_t colon = line.find(':');
    if (colon != std::string_view::npos && EqualsNoCase(line.substr(0, colon), field)) {
      std::string value(line.substr(colon + 1));
      // Folded lines continue with a space or a tab.
      size_t next = eol + 1;
      while (next < text.size() && (text[next] == ' ' || text[next] == '\t')) {
        size_t e = text.find('\n', next);
        if (e == std::string_view::npos) e = text.size();
        std::string_view cont = text.substr(next, e - next);
        if (!cont.empty() && cont.back() == '\r') cont.remove_suffix(1);
        while (!cont.empty() && (cont.front() == ' ' || cont.front() == '\t')) cont.remove_prefix(1);
        value += " ";
        value += cont;
        next = e + 1;
      }
      size_t b = value.find_first_not_of(" \t");
      size_t e = value.find_last_not_of(" \t");
      return b == std::string::npos ? "" : value.substr(b, e - b + 1);
    }
    pos = eol + 1;
  }
  return "";
}

}  // namespace intransit
