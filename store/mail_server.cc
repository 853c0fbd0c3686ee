// MakeServerDirs: see mail_server.h.
#include "store/mail_server.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "base/confined_path.h"

namespace intransit {

Status MakeServerDirs(const std::string& dir, std::initializer_list<const char*> subs) {
  const std::string root = std::filesystem::path(dir).parent_path().string();
  for (const char* sub : subs) {
    const std::string path = dir + sub;
    if (int e = MakeDirsBelow(root, path); e != 0) {
      return Status::Infra("cannot create " + path + ": " + strerror(e));
    }
    if (chmod(path.c_str(), 0755) != 0) {
      return Status::Infra("cannot chmod " + path + ": " + strerror(errno));
    }
  }
  return Status::Ok();
}

}  // namespace intransit
