// A temporary directory for one test, removed with everything in it: the
// one TempDir of every test (the Dovecot tests open it to the mail uid).
#pragma once

#include <string>

namespace intransit::testing {

class TempDir {
 public:
  // A fresh directory under $TMPDIR (mkdtemp), with `mode` (0700 unless a
  // server running as another user must reach into it). Throws when mkdtemp
  // fails: a test cannot go on without it.
  explicit TempDir(unsigned mode = 0700);
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
