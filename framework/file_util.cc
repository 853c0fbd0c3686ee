// WriteFile: write a temporary file, fsync it, rename it into place.
#include "framework/file_util.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace intransit {

namespace {

Status Failed(const std::string& path, const std::string& call, const std::string& file,
              int err) {
  return Status::Infra("cannot write " + path + ": " + call + " " + file + ": " +
                       std::strerror(err));
}

}  // namespace

Status WriteFile(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return Failed(path, "open", tmp, errno);

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
