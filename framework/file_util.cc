// WriteFile: write a temporary file, fsync it, rename it into place.
#include "framework/file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace intransit {

namespace {

Status Failed(const std::string& path, const std::string& call, const std::string& file, int err) {
  return Status::Infra("cannot write " + path + ": " + call + " " + file + ": " +
                       std::strerror(err));
}

}  // namespace

Status WriteFile(const std::string& path, const std::string& text) {
  // A fresh name beside `path`: never a file the user already has.
  std::string tmp = path + ".XXXXXX";
  int fd = ::mkostemp(tmp.data(), O_CLOEXEC);
  if (fd < 0) return Failed(path, "create", path + ".XXXXXX", errno);
  // mkostemp makes it 0600; a report is as readable as any file the user
  // creates (0666 less the umask).
  const mode_t mask = ::umask(0);
  ::umask(mask);
  if (::fchmod(fd, 0666 & ~mask) != 0) {
    int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    return Failed(path, "chmod", tmp, err);
  }

  const char* p = text.data();
  size_t left = text.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return Failed(path, "write", tmp, err);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  // Without the fsync a crash right after the rename could leave an empty
  // file under the final name on some file systems (ext4 delalloc).
  if (::fsync(fd) != 0) {
    int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    return Failed(path, "fsync", tmp, err);
  }
  if (::close(fd) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return Failed(path, "close", tmp, err);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return Failed(path, "rename", tmp, err);
  }
  return Status::Ok();
}

}  // namespace intransit
