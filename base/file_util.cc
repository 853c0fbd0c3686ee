// WriteFile and CheckWritable: find out what a path names (file_util.h),
// then write a temporary file, fsync it and rename it into place, or write a
// device in place.
#include "base/file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

namespace intransit {

namespace {

Status Failed(const std::string& path, const std::string& call, const std::string& file, int err) {
  return Status::Infra("cannot write " + path + ": " + call + " " + file + ": " +
                       std::strerror(err));
}

// How a report path is written.
struct Target {
  enum Kind { kReplace, kDirect } kind = kReplace;
  // kReplace: the file the temporary file is renamed over (a link's final
  // target); kDirect: the path to open.
  std::string file;
  bool append = false;  // kDirect: intransit's own stdout or stderr
};

bool IsOwnOutput(const struct stat& st) {
  for (int fd : {STDOUT_FILENO, STDERR_FILENO}) {
    struct stat own;
    if (::fstat(fd, &own) == 0 && own.st_dev == st.st_dev && own.st_ino == st.st_ino) return true;
  }
  return false;
}

// What `path` names, by the table of file_util.h.
Result<Target> Resolve(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Target{Target::kReplace, path};
    return Failed(path, "stat", path, errno);
  }
  const bool link = S_ISLNK(st.st_mode);
  if (link && ::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) {
      return Status::Invalid("cannot write " + path +
                             ": a symbolic link to a file that does not exist; a report is "
                             "written through a link, never to a target it would create");
    }
    return Failed(path, "stat", path, errno);
  }
  if (IsOwnOutput(st)) return Target{Target::kDirect, path, true};
  if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) return Target{Target::kDirect, path};
  if (!S_ISREG(st.st_mode)) {
    return Status::Invalid("cannot write " + path +
                           ": not a regular file, character device or FIFO; a report never "
                           "replaces a directory, socket or block device");
  }
  if (!link) return Target{Target::kReplace, path};
  // The temporary file goes beside the target, so that the rename stays in
  // one file system and replaces the target, not the link.
  char real[PATH_MAX];
  if (::realpath(path.c_str(), real) == nullptr) return Failed(path, "resolve", path, errno);
  return Target{Target::kReplace, real};
}

Status WriteAll(const std::string& path, int fd, const std::string& file, const std::string& text) {
  const char* p = text.data();
  size_t left = text.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Failed(path, "write", file, errno);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  return Status::Ok();
}

Status WriteDirect(const std::string& path, const Target& t, const std::string& text) {
  // No O_TRUNC: a device or FIFO has nothing to truncate, and our own
  // stdout holds the console report that came before.
  int fd = ::open(t.file.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC | (t.append ? O_APPEND : 0));
  if (fd < 0) return Failed(path, "open", t.file, errno);
  Status s = WriteAll(path, fd, t.file, text);
  if (::close(fd) != 0 && s.ok()) s = Failed(path, "close", t.file, errno);
  return s;
}

Status WriteReplace(const std::string& path, const std::string& target, const std::string& text) {
  // A fresh name beside `target`: never a file the user already has.
  std::string tmp = target + ".XXXXXX";
  int fd = ::mkostemp(tmp.data(), O_CLOEXEC);
  if (fd < 0) return Failed(path, "create", target + ".XXXXXX", errno);
  // mkostemp makes it 0600; a report is as readable as any file the user
  // creates (0666 less the umask).
  const mode_t mask = ::umask(0);
  ::umask(mask);
  auto fail = [&](const std::string& call, int err) {
    ::close(fd);
    ::unlink(tmp.c_str());
    return Failed(path, call, tmp, err);
  };
  if (::fchmod(fd, 0666 & ~mask) != 0) return fail("chmod", errno);
  if (Status s = WriteAll(path, fd, tmp, text); !s.ok()) {
    ::close(fd);
    ::unlink(tmp.c_str());
    return s;
  }
  // Without the fsync a crash right after the rename could leave an empty
  // file under the final name on some file systems (ext4 delalloc).
  if (::fsync(fd) != 0) return fail("fsync", errno);
  if (::close(fd) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return Failed(path, "close", tmp, err);
  }
  if (::rename(tmp.c_str(), target.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return Failed(path, "rename", tmp, err);
  }
  return Status::Ok();
}

}  // namespace

Status CheckWritable(const std::string& path) {
  auto t = Resolve(path);
  if (!t.ok()) return t.status();
  if (t->kind == Target::kReplace) {
    // What WriteReplace will need: a new file in the target's directory.
    std::string tmp = t->file + ".XXXXXX";
    int fd = ::mkostemp(tmp.data(), O_CLOEXEC);
    if (fd < 0) return Failed(path, "create", t->file + ".XXXXXX", errno);
    ::close(fd);
    ::unlink(tmp.c_str());
    return Status::Ok();
  }
  struct stat st;
  if (::stat(t->file.c_str(), &st) == 0 && S_ISFIFO(st.st_mode)) {
    // Opening a FIFO and closing it again would end a reader's input.
    if (::access(t->file.c_str(), W_OK) != 0) return Failed(path, "open", t->file, errno);
    return Status::Ok();
  }
  int fd = ::open(t->file.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return Failed(path, "open", t->file, errno);
  ::close(fd);
  return Status::Ok();
}

Status WriteFile(const std::string& path, const std::string& text) {
  auto t = Resolve(path);
  if (!t.ok()) return t.status();
  if (t->kind == Target::kDirect) return WriteDirect(path, *t, text);
  return WriteReplace(path, t->file, text);
}

}  // namespace intransit
