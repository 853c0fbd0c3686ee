// TempDir: see temp_dir.h.
#include "tests/support/temp_dir.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace intransit::testing {

TempDir::TempDir(unsigned mode) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "intransit-test.XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
  if (mode != 0700 && chmod(path_.c_str(), static_cast<mode_t>(mode)) != 0) {
    throw std::runtime_error("chmod " + path_ + " failed");
  }
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::Write(const std::string& name, const std::string& text) const {
  std::string p = path_ + "/" + name;
  std::ofstream(p) << text;
  return p;
}

std::string TempDir::Read(const std::string& name) const {
  std::ifstream in(name.rfind('/', 0) == 0 ? name : path_ + "/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace intransit::testing
