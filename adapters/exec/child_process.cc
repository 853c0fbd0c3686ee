// ChildProcess: see child_process.h.
//
// stdin and stdout are socket pairs rather than pipes so that writing to a
// child that has gone away fails with EPIPE through send(MSG_NOSIGNAL)
// instead of killing intransit with SIGPIPE; a program sees an ordinary
// byte stream either way. posix_spawn (not fork) because the framework may
// run threads: nothing but exec happens in the child.
#include "adapters/exec/child_process.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <thread>

extern char** environ;

namespace intransit {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kMaxLine = 16u << 20;
constexpr size_t kStderrTail = 8;

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

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[1], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // A group of its own, so Stop reaches every process the command starts;
  // default signal dispositions and an empty mask, whatever ours are.
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
  pid_t pid = -1;
  int rc = posix_spawn(&pid, "/bin/sh", &actions, &attr, const_cast<char* const*>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(in[1]);
  close(out[1]);
  close(err[1]);
  if (rc != 0) {
    close(in[0]);
    close(out[0]);
    close(err[0]);
    return Status::Infra("exec: cannot start '" + command + "': " + std::strerror(rc));
  }
  c->pid_ = pid;
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
                         (reaped_ ? ": it " + ExitText() : std::string()));
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
    if (reaped_) why = ExitText();
    DrainStderr(true);
    std::string partial = out_buf_.substr(out_pos_);
    return Status::Infra("the program " + why +
                         (partial.empty() ? std::string() : " after writing '" + partial + "'"));
  }
}

void ChildProcess::DrainStderr(bool final) {
  if (err_fd_ < 0) return;
  char buf[4096];
  while (true) {
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
    err_buf_.append(buf, static_cast<size_t>(n));
  }
  size_t start = 0;
  size_t nl;
  while ((nl = err_buf_.find('\n', start)) != std::string::npos) {
    std::string line = err_buf_.substr(start, nl - start);
    start = nl + 1;
    if (log_ != nullptr) *log_ << "[exec " << pid_ << "] " << line << "\n";
    err_tail_.push_back(std::move(line));
    if (err_tail_.size() > kStderrTail) err_tail_.pop_front();
  }
  err_buf_.erase(0, start);
  if (final && !err_buf_.empty()) {
    if (log_ != nullptr) *log_ << "[exec " << pid_ << "] " << err_buf_ << "\n";
    err_tail_.push_back(err_buf_);
    if (err_tail_.size() > kStderrTail) err_tail_.pop_front();
    err_buf_.clear();
  }
  if (log_ != nullptr) log_->flush();
}

bool ChildProcess::TryReap() {
  if (reaped_ || pid_ < 0) return true;
  int st = 0;
  pid_t r = waitpid(pid_, &st, WNOHANG);
  if (r == pid_ || (r < 0 && errno == ECHILD)) {
    // Whatever else the command started is in the leader's group: the
    // group id stays reserved until its last member exits, so killing it
    // right after the leader exited reaches only our processes.
    kill(-pid_, SIGKILL);
    reaped_ = true;
    status_ = r == pid_ ? st : 0;
    return true;
  }
  return false;
}

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
  DrainStderr(true);
  CloseFds();
  return status_;
}

void ChildProcess::Stop(int grace_ms) {
  if (pid_ < 0) return;
  if (!reaped_) {
    // Closing stdin first lets a well-behaved program exit on EOF.
    if (in_fd_ >= 0) {
      close(in_fd_);
      in_fd_ = -1;
    }
    kill(-pid_, SIGTERM);
    const auto deadline = Clock::now() + std::chrono::milliseconds(grace_ms);
    while (!TryReap() && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (!reaped_) {
      // The leader is not reaped yet, so its pid (the group id) cannot have
      // been reused: this reaches our group only.
      kill(-pid_, SIGKILL);
      int st = 0;
      while (waitpid(pid_, &st, 0) < 0 && errno == EINTR) {
      }
      reaped_ = true;
      status_ = st;
    }
  }
  DrainStderr(true);
  CloseFds();
}

void ChildProcess::CloseFds() {
  for (int* fd : {&in_fd_, &out_fd_, &err_fd_}) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
  }
}

std::string ChildProcess::ExitText() const {
  if (!reaped_) return "";
  if (WIFEXITED(status_)) return "exited with status " + std::to_string(WEXITSTATUS(status_));
  if (WIFSIGNALED(status_)) {
    return "was killed by signal " + std::to_string(WTERMSIG(status_)) + " (" +
           strsignal(WTERMSIG(status_)) + ")";
  }
  return "ended";
}

std::string ChildProcess::LastStderr() const {
  std::string out;
  for (const auto& l : err_tail_) {
    if (!out.empty()) out += " | ";
    out += l;
  }
  return out;
}

}  // namespace intransit
