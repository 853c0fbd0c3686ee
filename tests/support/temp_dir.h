// A temporary directory for one test, removed with everything in it.
#pragma once

#include <string>

namespace intransit::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // Writes `text` to path()/name and returns the full path.
  std::string Write(const std::string& name, const std::string& text) const;
  // Reads path()/name (or an absolute path); "" when missing.
  std::string Read(const std::string& name) const;

 private:
  std::string path_;
};

}  // namespace intransit::testing
