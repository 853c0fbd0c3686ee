// ChildProcess: see child_process.h.
//
// stdin and stdout are socket pairs rather than pipes so that writing to a
// child that has gone away fails with EPIPE through send(MSG_NOSIGNAL)
// instead of killing intransit with SIGPIPE; a program sees an ordinary
// byte stream either way. The process itself (its group, the registry,
// reaping) is base/subprocess.h's.
//
// stderr is bounded: a line is cut at 64 KiB (the rest up to the next
// newline is dropped and counted), and LastStderr quotes at most the last
// 4 KiB, so a store that writes 200 MB without a newline costs neither
// memory nor a 100 MB error message.
#include "adapters/exec/child_process.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <thread>

namespace intransit {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kMaxLine = 16u << 20;
constexpr size_t kStderrTail = 8;
constexpr size_t kMaxStderrLine = 64u << 10;
constexpr size_t kMaxQuoted = 4u << 10;

// The last `max` bytes of `text`, marked when cut.
std::string Tail(const std::string& text, size_t max) {
  if (text.size() <= max) return text;
  return "[" + std::to_string(text.size() - max) + " bytes cut]..." +
         text.substr(text.size() - max);
}

int MsLeft(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

std::string Errno(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

}  // namespace

Result<std::unique_ptr<ChildProcess>> ChildProcess::Start(const std::string& command,
                                                          std::ostream* log) {
  std::unique_ptr<ChildProcess> c(new ChildProcess());
  c->log_ = log;
  int in[2], out[2], err[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) != 0) {
    return Status::Infra(Errno("exec: socketpair"));
  }
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, out) != 0) {
    close(in[0]);
    close(in[1]);
    return Status::Infra(Errno("exec: socketpair"));
  }
  if (pipe2(err, O_CLOEXEC) != 0) {
    for (int fd : {in[0], in[1], out[0], out[1]}) close(fd);
    return Status::Infra(Errno("exec: pipe"));
  }
  // The program's stdin may see EOF only when we close our end; make the
  // child's end of stdin write-shut so it never reads its own output back.
  shutdown(in[1], SHUT_WR);
  shutdown(out[1], SHUT_RD);

  // The framework's spawner: its own group, registered, dies with us.
  SpawnSpec spec;
  spec.argv = {"/bin/sh", "-c", command};
  spec.stdin_fd = in[1];
  spec.stdout_fd = out[1];
  spec.stderr_fd = err[1];
  Status st = c->proc_.Start(spec);
  close(in[1]);
  close(out[1]);
  close(err[1]);
  if (!st.ok()) {
    close(in[0]);
    close(out[0]);
    close(err[0]);
    return Status::Infra("exec: cannot start '" + command + "': " + st.message());
  }
  c->in_fd_ = in[0];
  c->out_fd_ = out[0];
  c->err_fd_ = err[0];
  for (int fd : {c->in_fd_, c->out_fd_, c->err_fd_}) {
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  }
  return c;
}

ChildProcess::~ChildProcess() { Stop(); }

Status ChildProcess::WriteLine(std::string_view line, int timeout_ms) {
  if (in_fd_ < 0) {
    failure_ = Failure::kExited;
    return Status::Infra("the program is not running");
  }
  std::string data;
  data.reserve(line.size() + 1);
  data.append(line);
  data.push_back('\n');
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = send(in_fd_, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n > 0) {
      done += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd p{in_fd_, POLLOUT, 0};
      int left = MsLeft(deadline);
      if (left == 0 || poll(&p, 1, left) == 0) {
        failure_ = Failure::kTimeout;
        return Status::Infra("the program did not read its stdin for " +
                             std::to_string(timeout_ms) + " ms");
      }
      continue;
    }
    failure_ = (errno == EPIPE || errno == ECONNRESET) ? Failure::kExited : Failure::kIo;
    std::string why = std::strerror(errno);
    TryReap();
    return Status::Infra("cannot write to the program (" + why + ")" +
                         (proc_.reaped() ? ": it " + ExitText() : std::string()));
  }
  return Status::Ok();
}

bool ChildProcess::WaitReadable(Clock::time_point deadline) {
  while (true) {
    pollfd p[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
    nfds_t count = err_fd_ >= 0 ? 2 : 1;
    int left = MsLeft(deadline);
    int n = poll(p, count, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return true;  // let read() report the error
    }
    if (n == 0) return false;
    if (count == 2 && p[1].revents != 0) DrainStderr(false);
    if (p[0].revents != 0) return true;
    if (left == 0) return false;
  }
}

Result<std::string> ChildProcess::ReadLine(int timeout_ms) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    size_t nl = out_buf_.find('\n', out_pos_);
    if (nl != std::string::npos) {
      std::string line = out_buf_.substr(out_pos_, nl - out_pos_);
      out_pos_ = nl + 1;
      if (out_pos_ == out_buf_.size()) {
        out_buf_.clear();
        out_pos_ = 0;
      }
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return line;
    }
    if (out_buf_.size() - out_pos_ > kMaxLine) {
      failure_ = Failure::kIo;
      return Status::Infra("the program wrote a line longer than 16 MiB");
    }
    if (out_fd_ < 0) {
      failure_ = Failure::kExited;
      return Status::Infra("the program is not running");
    }
    if (out_pos_ > 0) {
      out_buf_.erase(0, out_pos_);
      out_pos_ = 0;
    }
    char buf[65536];
    ssize_t n = read(out_fd_, buf, sizeof buf);
    if (n > 0) {
      out_buf_.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!WaitReadable(deadline)) {
        failure_ = Failure::kTimeout;
        return Status::Infra("the program did not answer within " + std::to_string(timeout_ms) +
                             " ms");
      }
      continue;
    }
    // EOF or a read error: the program closed stdout, most likely by exiting.
    failure_ = n == 0 ? Failure::kExited : Failure::kIo;
    std::string why = n == 0 ? "closed its stdout" : "stdout failed: " + Errno("read");
    for (int i = 0; i < 200 && !TryReap(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (proc_.reaped()) why = ExitText();
    DrainStderr(true);
    std::string partial = Tail(out_buf_.substr(out_pos_), kMaxQuoted);
    return Status::Infra("the program " + why +
                         (partial.empty() ? std::string() : " after writing '" + partial + "'"));
  }
}

void ChildProcess::DrainStderr(bool final) {
  if (err_fd_ < 0 && err_buf_.empty()) return;
  char buf[4096];
  while (err_fd_ >= 0) {
    ssize_t n = read(err_fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) {  // EOF: the child and its group closed stderr
        close(err_fd_);
        err_fd_ = -1;
        final = true;
      }
      break;
    }
    std::string_view chunk(buf, static_cast<size_t>(n));
    if (err_dropped_ > 0) {
      // Inside an overlong line: drop up to its newline.
      size_t nl = chunk.find('\n');
      if (nl == std::string_view::npos) {
        err_dropped_ += chunk.size();
        continue;
      }
      err_dropped_ += nl;
      EmitStderr(err_buf_ + " [" + std::to_string(err_dropped_) + " more bytes dropped]");
      err_buf_.clear();
      err_dropped_ = 0;
      chunk.remove_prefix(nl + 1);
    }
    err_buf_.append(chunk);
    size_t start = 0;
    size_t nl;
    while ((nl = err_buf_.find('\n', start)) != std::string::npos) {
      EmitStderr(err_buf_.substr(start, nl - start));
      start = nl + 1;
    }
    err_buf_.erase(0, start);
    if (err_buf_.size() > kMaxStderrLine) {
      // Keep the line's first 64 KiB; count the rest until its newline.
      err_dropped_ = err_buf_.size() - kMaxStderrLine;
      err_buf_.resize(kMaxStderrLine);
    }
  }
  if (final && (!err_buf_.empty() || err_dropped_ > 0)) {
    EmitStderr(err_dropped_ > 0
                   ? err_buf_ + " [" + std::to_string(err_dropped_) + " more bytes dropped]"
                   : err_buf_);
    err_buf_.clear();
    err_dropped_ = 0;
  }
  if (log_ != nullptr) log_->flush();
}

void ChildProcess::EmitStderr(std::string line) {
  if (log_ != nullptr) *log_ << "[exec " << pid() << "] " << line << "\n";
  err_tail_.push_back(std::move(line));
  if (err_tail_.size() > kStderrTail) err_tail_.pop_front();
}

bool ChildProcess::TryReap() { return proc_.TryReap(); }

int ChildProcess::WaitExit(int timeout_ms) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!TryReap()) {
    if (Clock::now() >= deadline) {
      Stop();
      return -1;
    }
    DrainStderr(false);
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  proc_.Stop(0);  // waits for the rest of its group, which got SIGKILL
  DrainStderr(true);
  CloseFds();
  return proc_.status();
}

void ChildProcess::Stop(int grace_ms) {
  if (proc_.pid() < 0) return;
  // Closing stdin first lets a well-behaved program exit on EOF.
  if (in_fd_ >= 0) {
    close(in_fd_);
    in_fd_ = -1;
  }
  proc_.Stop(grace_ms);
  DrainStderr(true);
  CloseFds();
}

void ChildProcess::CloseFds() {
  for (int* fd : {&in_fd_, &out_fd_, &err_fd_}) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
  }
}

std::string ChildProcess::ExitText() const { return proc_.ExitText(); }

std::string ChildProcess::LastStderr() const {
  std::string out;
  for (const auto& l : err_tail_) {
    if (!out.empty()) out += " | ";
    out += l;
  }
  return Tail(out, kMaxQuoted);
}

}  // namespace intransit
