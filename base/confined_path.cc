// ConfinedPath and MakeDirsBelow: see confined_path.h. lstat, not stat: a
// link is refused without following it, whatever it points at.
#include "base/confined_path.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "base/name_rule.h"

namespace intransit {
namespace {

constexpr std::size_t kMaxComponent = 255;  // NAME_MAX on Linux

// Why `c` cannot be a path component, or "" when it can.
const char* BadComponent(std::string_view c) {
  if (c.empty()) return "is empty";
  if (c.size() > kMaxComponent) return "is longer than 255 bytes";
  if (c == "." || c == "..") return "names the directory itself or its parent";
  if (c.find('\0') != std::string_view::npos) return "holds a NUL byte";
  if (c.find('/') != std::string_view::npos) return "holds a '/'";
  return "";
}

}  // namespace

Result<std::string> ConfinedPath(std::string_view root,
                                 const std::vector<std::string_view>& components) {
  if (root.empty()) return Status::Invalid("confined path: the root is empty");
  if (root.find('\0') != std::string_view::npos) {
    return Status::Invalid("confined path: the root holds a NUL byte");
  }
  std::string path(root);
  for (std::string_view c : components) {
    if (const char* why = BadComponent(c); *why != '\0') {
      std::string shown = EscapeControl(c.substr(0, 80));
      return Status::Invalid("path component '" + shown + (c.size() > 80 ? "..." : "") +
                             "' under " + std::string(root) + " " + why +
                             ": it would leave " + std::string(root));
    }
  }
  bool exists = true;  // so far every component was on disk
  std::size_t i = 0;
  for (std::string_view c : components) {
    ++i;
    path += '/';
    path.append(c);
    if (!exists) continue;
    struct stat st;
    if (lstat(path.c_str(), &st) != 0) {
      if (errno == ENOENT) {
        exists = false;
        continue;
      }
      return Status::Infra("cannot look at " + EscapeControl(path) + ": " + strerror(errno));
    }
    if (S_ISLNK(st.st_mode)) {
      return Status::Infra(EscapeControl(path) + " is a symbolic link: refused, it could lead out of " +
                           std::string(root));
    }
    if (i < components.size() && !S_ISDIR(st.st_mode)) {
      return Status::Infra(EscapeControl(path) + " is not a directory");
    }
  }
  return path;
}

int MakeDirsBelow(std::string_view root, std::string_view path, mode_t mode) {
  struct stat st {};
  std::string at(root);
  if (lstat(at.c_str(), &st) != 0) return errno;
  if (!S_ISDIR(st.st_mode)) return ENOTDIR;
  size_t pos = root.size();
  if (root.back() == '/') --pos;  // "/tmp/x/" + "a": path[pos] is the '/'
  while (pos < path.size()) {
    size_t end = path.find('/', pos + 1);
    if (end == std::string_view::npos) end = path.size();
    std::string_view component = path.substr(pos + 1, end - pos - 1);
    pos = end;
    if (component.empty()) continue;  // "a//b"
    at += '/';
    at += component;
    if (mkdir(at.c_str(), mode) == 0) continue;
    if (errno != EEXIST) return errno;
    if (lstat(at.c_str(), &st) != 0) return errno;
    if (!S_ISDIR(st.st_mode)) return ENOTDIR;
  }
  return 0;
}

}  // namespace intransit
