// The on-disk primitives: see maildir_store.h. Raw POSIX calls on purpose:
// they are what libfiu's preload wraps, and what a real Maildir store does.
#include "adapters/maildir/maildir_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <strings.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "adapters/maildir/posix_faults.h"
#include "base/confined_path.h"
#include "store/gate.h"

namespace intransit {

MaildirIo::MaildirIo(Gate* gate, std::string server, std::string user, bool posix, bool fsync)
    : gate_(gate), server_(std::move(server)), user_(std::move(user)), posix_(posix),
      fsync_(fsync) {}

std::string MaildirIo::Short(const std::string& path) const {
  // "tmp/1764.M1P2Q3.host", or ".InTransit/new/..." inside a subfolder.
  size_t cut = path.size();
  for (int parts = 0; parts < 3 && cut != std::string::npos && cut > 0; ++parts) {
    size_t slash = path.rfind('/', cut - 1);
    if (slash == std::string::npos) return path;
    if (parts == 2 && path[slash + 1] != '.') break;
    cut = slash;
  }
  return path.substr(cut + 1);
}

int MaildirIo::Ask(const char* point, const std::string& what, bool* after) {
  *after = false;
  if (gate_ == nullptr) return 0;
  Decision d = gate_->Probe({point, server_, user_, {}, what});
  if (d.go()) return 0;
  if (d.crash()) {
    crashed_ = true;
    return EIO;
  }
  *after = d.phase == Phase::kAfter;
  return d.errno_value != 0 ? d.errno_value : EIO;
}

int MaildirIo::Fail(int e, const std::string& what) {
  last_error_ = what + ": " + std::strerror(e);
  return e;
}

int MaildirIo::PutFile(const std::string& tmp_path, const std::string& final_path,
                       std::string_view data) {
  const std::string tmp = Short(tmp_path);
  int fd = -1;
  // Every failure ends here: a store that is still alive removes its tmp
  // file; one that died (crashed_) leaves it, as the Maildir spec expects.
  auto bail = [&](int e, const std::string& what) {
    if (fd >= 0) close(fd);
    if (!crashed_) unlink(tmp_path.c_str());
    return Fail(e, what);
  };
  Gate* posix_gate = posix_ ? gate_ : nullptr;

  {
    std::string what = "open " + tmp;
    PosixScope scope(posix_gate, server_, user_, what);
    fd = open(tmp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    int e = errno;
    if (scope.crashed()) crashed_ = true;
    if (fd < 0) return Fail(e, what);
  }

  bool after = false;
  std::string what = "write " + tmp + " (" + std::to_string(data.size()) + " bytes)";
  int planted = Ask("maildir/write", what, &after);
  if (planted != 0 && !after) return bail(planted, what);
  // Failing "after" a write is a partial write: half the bytes reach the
  // file, then the error.
  size_t len = planted != 0 ? data.size() / 2 : data.size();
  size_t done = 0;
  while (done < len) {
    ssize_t n;
    int e;
    {
      PosixScope scope(posix_gate, server_, user_, what);
      n = write(fd, data.data() + done, len - done);
      e = errno;
      if (scope.crashed()) crashed_ = true;
    }
    if (n < 0) {
      if (e == EINTR && !crashed_) continue;
      return bail(e, what);
    }
    done += static_cast<size_t>(n);
  }
  if (planted != 0) {
    return bail(planted, what + ": partial write of " + std::to_string(len) + " bytes");
  }

  what = "fsync " + tmp;
  planted = Ask("maildir/fsync", what, &after);
  if (planted != 0 && !after) return bail(planted, what);
  if (fsync_) {
    PosixScope scope(posix_gate, server_, user_, what);
    int r = fsync(fd);
    int e = errno;
    if (scope.crashed()) crashed_ = true;
    if (r != 0) return bail(e, what);
  }
  if (planted != 0) return bail(planted, what);
  int r = close(fd);
  fd = -1;
  if (r != 0) return bail(errno, "close " + tmp);

  what = "rename " + tmp + " -> " + Short(final_path);
  planted = Ask("maildir/rename", what, &after);
  if (planted != 0 && !after) return bail(planted, what);
  {
    PosixScope scope(posix_gate, server_, user_, what);
    r = rename(tmp_path.c_str(), final_path.c_str());
    int e = errno;
    if (scope.crashed()) crashed_ = true;
    if (r != 0) return bail(e, what);
  }
  // Renamed, yet the caller hears failure: the file is in place.
  if (planted != 0) return Fail(planted, what);
  return 0;
}

int MaildirIo::Rename(const std::string& from, const std::string& to) {
  std::string what = "rename " + Short(from) + " -> " + Short(to);
  bool after = false;
  int planted = Ask("maildir/rename", what, &after);
  if (planted != 0 && !after) return Fail(planted, what);
  PosixScope scope(posix_ ? gate_ : nullptr, server_, user_, what);
  int r = rename(from.c_str(), to.c_str());
  int e = errno;
  if (scope.crashed()) crashed_ = true;
  if (r != 0) return Fail(e, what);
  if (planted != 0) return Fail(planted, what);
  return 0;
}

int MaildirIo::ReadFile(const std::string& path, std::string* out) {
  out->clear();
  int fd;
  // Named: the scope keeps a view of it for the libfiu callback.
  const std::string what = "open " + Short(path);
  {
    PosixScope scope(posix_ ? gate_ : nullptr, server_, user_, what);
    fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (scope.crashed()) crashed_ = true;
  }
  if (fd < 0) return Fail(errno, what);
  char buf[8192];
  while (true) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      close(fd);
      return Fail(e, "read " + Short(path));
    }
    if (n == 0) break;
    out->append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return 0;
}

int MakeMaildir(const std::string& tree, const std::string& path, bool subfolder) {
  for (const char* sub : {"/cur", "/new", "/tmp"}) {
    if (int e = MakeDirsBelow(tree, path + sub); e != 0) return e;
  }
  if (subfolder) {
    int fd = open((path + "/maildirfolder").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return errno;
    close(fd);
  }
  return 0;
}

namespace {

std::vector<std::string> List(const std::string& dir, bool want_dirs) {
  std::vector<std::string> names;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return names;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    bool is_dir = e->d_type == DT_DIR;
    if (e->d_type == DT_UNKNOWN) {
      struct stat st;
      if (stat((dir + "/" + name).c_str(), &st) != 0) continue;
      is_dir = S_ISDIR(st.st_mode);
    }
    if (is_dir == want_dirs) names.push_back(std::move(name));
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

std::vector<std::string> ListFiles(const std::string& dir) { return List(dir, false); }

std::vector<std::string> ListDirs(const std::string& dir) { return List(dir, true); }

std::vector<std::string> ListSubfolders(const std::string& maildir) {
  std::vector<std::string> out;
  for (auto& name : List(maildir, true)) {
    if (name.size() > 1 && name[0] == '.') out.push_back(std::move(name));
  }
  return out;
}

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

bool RemoveTree(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
  return !ec;
}

std::string EncodeField(std::string_view value) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (char ch : value) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7f || c == '%') {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      out += ch;
    }
  }
  return out;
}

bool DecodeField(std::string_view text, std::string* value) {
  auto hex = [](char h) -> int {
    if (h >= '0' && h <= '9') return h - '0';
    if (h >= 'A' && h <= 'F') return h - 'A' + 10;
    return -1;
  };
  value->clear();
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c <= 0x20 || c == 0x7f) return false;
    if (c != '%') {
      *value += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return false;  // a truncated %HH
    const int hi = hex(text[i + 1]), lo = hex(text[i + 2]);
    if (hi < 0 || lo < 0) return false;
    *value += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return true;
}

std::string UniqueName() {
  static std::atomic<uint64_t> counter{0};
  static const std::string host = [] {
    char buf[256] = {};
    if (gethostname(buf, sizeof buf - 1) != 0) return std::string("localhost");
    std::string h = buf;
    // '/' and ':' may not appear in a Maildir name (':' starts the info).
    for (char& c : h) {
      if (c == '/') c = '_';
      if (c == ':') c = '.';
    }
    return h;
  }();
  timeval tv;
  gettimeofday(&tv, nullptr);
  return std::to_string(tv.tv_sec) + ".M" + std::to_string(tv.tv_usec) + "P" +
         std::to_string(getpid()) + "Q" + std::to_string(++counter) + "." + host;
}

std::string MessageText(std::string_view message_id, std::string_view user) {
  char date[64];
  time_t now = time(nullptr);
  tm t;
  gmtime_r(&now, &t);
  strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &t);
  std::string m;
  m.reserve(320);
  m += "Message-ID: ";
  m += message_id;
  m += "\nFrom: sender@intransit.test\nTo: ";
  m += user;
  m += "@intransit.test\nSubject: intransit test message ";
  m += message_id;
  m += "\nDate: ";
  m += date;
  m += "\n\nThis message was sent by intransit while a mailbox was being moved.\n";
  return m;
}

std::string ReadMessageId(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "";
  char buf[4096];
  ssize_t n = read(fd, buf, sizeof buf);
  close(fd);
  if (n <= 0) return "";
  std::string_view text(buf, static_cast<size_t>(n));
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    std::string_view line = text.substr(pos, eol == std::string_view::npos ? eol : eol - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;  // end of the header
    if (line.size() > 11 && strncasecmp(line.data(), "Message-ID:", 11) == 0) {
      std::string_view v = line.substr(11);
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
      while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
      return std::string(v);
    }
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
  }
  return "";
}

}  // namespace intransit
