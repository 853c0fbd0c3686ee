// Report paths (issue #11, items 3 and 4): a report never replaces what its
// path points at (a symlink, a FIFO, a device, intransit's own stdout), `-`
// is stdout, and an unwritable path stops the run before its first schedule.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "base/file_util.h"
#include "tests/support/cli_runner.h"
#include "tests/support/shell_runner.h"
#include "tests/support/temp_dir.h"

namespace intransit {
namespace {

namespace fs = std::filesystem;
using testing::Cli;
using testing::Ran;
using testing::ShellQuote;
using testing::TempDir;

const std::string kQ = std::string(INTRANSIT_SOURCE_DIR) + "/suites/q277911.toml";

bool IsLink(const std::string& p) {
  struct stat st;
  return ::lstat(p.c_str(), &st) == 0 && S_ISLNK(st.st_mode);
}

std::vector<std::string> Entries(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// The JSON object that starts on the first line beginning with '{'.
nlohmann::json JsonAfterConsole(const std::string& out) {
  size_t at = out.rfind("\n{");
  REQUIRE(at != std::string::npos);
  return nlohmann::json::parse(out.substr(at + 1));
}

TEST_CASE("report path: a symlink is written through and stays a link", "[report][hardening]") {
  TempDir dir;
  fs::create_directory(dir.path() + "/real");
  const std::string target = dir.Write("real/r.json", "old\n");
  const std::string link = dir.path() + "/link.json";
  fs::create_symlink(target, link);

  REQUIRE(CheckWritable(link).ok());
  REQUIRE(WriteFile(link, "new\n").ok());
  CHECK(IsLink(link));
  CHECK(fs::read_symlink(link) == target);
  CHECK(dir.Read("real/r.json") == "new\n");
  // No temporary file left beside the link or the target.
  CHECK(Entries(dir.path()) == std::vector<std::string>{"link.json", "real"});
  CHECK(Entries(dir.path() + "/real") == std::vector<std::string>{"r.json"});

  // The command line's --json through the link, too.
  Ran r = Cli({"run", kQ, "--json", link});
  CHECK(r.code == 0);
  CHECK(IsLink(link));
  CHECK(nlohmann::json::parse(dir.Read("real/r.json"))["format"] == "intransit-result/1");
}

TEST_CASE("report path: a link to nothing is refused and nothing is created",
          "[report][hardening]") {
  TempDir dir;
  const std::string link = dir.path() + "/dangling.json";
  fs::create_symlink(dir.path() + "/elsewhere.json", link);
  Status s = WriteFile(link, "x");
  REQUIRE_FALSE(s.ok());
  CHECK(s.code() == Status::Code::kInvalid);
  CHECK_THAT(s.message(), Catch::StartsWith("cannot write " + link + ": a symbolic link"));
  CHECK_FALSE(CheckWritable(link).ok());
  CHECK(IsLink(link));
  CHECK(Entries(dir.path()) == std::vector<std::string>{"dangling.json"});
}

TEST_CASE("report path: a FIFO is written directly and stays a FIFO", "[report][hardening]") {
  TempDir dir;
  const std::string fifo = dir.path() + "/pipe";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  // The reader first (non-blocking, so one thread does both ends); the
  // report is far smaller than the pipe's buffer.
  int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  REQUIRE(reader >= 0);
  REQUIRE(CheckWritable(fifo).ok());
  REQUIRE(WriteFile(fifo, "report through a pipe\n").ok());
  std::string got;
  char buf[256];
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    ssize_t n = ::read(reader, buf, sizeof buf);
    if (n > 0) got.append(buf, static_cast<size_t>(n));
    if (n == 0) break;  // the writer closed: all of it is here
    if (n < 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::close(reader);
  CHECK(got == "report through a pipe\n");
  struct stat st;
  REQUIRE(::lstat(fifo.c_str(), &st) == 0);
  CHECK(S_ISFIFO(st.st_mode));
  CHECK(Entries(dir.path()) == std::vector<std::string>{"pipe"});
}

TEST_CASE("report path: /dev/null stays a character device", "[report][hardening]") {
  // As root (CI runs so), a rename over /dev/null would have replaced the
  // device with a regular file; as anyone else the rename fails instead.
  REQUIRE(CheckWritable("/dev/null").ok());
  REQUIRE(WriteFile("/dev/null", "discarded\n").ok());
  struct stat st;
  REQUIRE(::stat("/dev/null", &st) == 0);
  CHECK(S_ISCHR(st.st_mode));
  CHECK(Cli({"run", kQ, "--junit", "/dev/null"}).code == 0);
  REQUIRE(::stat("/dev/null", &st) == 0);
  CHECK(S_ISCHR(st.st_mode));
  // No temporary file of a rename left in /dev.
  for (const auto& name : Entries("/dev")) CHECK(name.rfind("null.", 0) != 0);
}

TEST_CASE("report path: a directory is refused, not replaced", "[report][hardening]") {
  TempDir dir;
  const std::string blocked = dir.path() + "/blocked";
  fs::create_directory(blocked);
  Status s = WriteFile(blocked, "x");
  REQUIRE_FALSE(s.ok());
  CHECK(s.code() == Status::Code::kInvalid);
  CHECK(fs::is_directory(blocked));
  Ran r = Cli({"run", kQ, "--json", blocked});
  CHECK(r.code == 2);
  CHECK(r.out.empty());
  CHECK(Entries(dir.path()) == std::vector<std::string>{"blocked"});
}

TEST_CASE("report path: - writes the report to stdout after the console report",
          "[report][hardening][cli]") {
  Ran r = Cli({"run", kQ, "--json", "-"});
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("violation"));
  CHECK(JsonAfterConsole(r.out)["format"] == "intransit-result/1");
  CHECK_FALSE(fs::exists("-"));
}

TEST_CASE("report path: --json /dev/stdout works on a pipe and on a redirected file",
          "[report][hardening][cli]") {
  TempDir dir;
  const std::string bin = ShellQuote(INTRANSIT_BINARY);
  const std::string out = dir.path() + "/out.txt";
  SECTION("stdout is a pipe") {
    auto f = testing::RunShell(bin + " run " + ShellQuote(kQ) + " --json /dev/stdout | cat > " +
                                   ShellQuote(out),
                               120);
    REQUIRE(f.in_time);
    CHECK(f.code == 0);
  }
  SECTION("stdout is a regular file: the report is appended, the console report kept") {
    auto f = testing::RunShell(
        bin + " run " + ShellQuote(kQ) + " --json /dev/stdout > " + ShellQuote(out), 120);
    REQUIRE(f.in_time);
    CHECK(f.code == 0);
  }
  const std::string text = dir.Read("out.txt");
  CHECK_THAT(text, Catch::Contains("violation"));
  CHECK(JsonAfterConsole(text)["format"] == "intransit-result/1");
  CHECK(Entries(dir.path()) == std::vector<std::string>{"out.txt"});
}

TEST_CASE("report path: an unwritable report stops the run before its first schedule",
          "[report][hardening][cli]") {
  TempDir dir;
  // 3 senders x 2 messages on pre-sp4: 154,440 schedules, seconds of work
  // that a report check after the run would have spent first.
  std::string suite = "[suite]\nname = \"big\"\nexpect = \"violation\"\n"
                      "[adapter]\nname = \"reference\"\nvariant = \"pre-sp4\"\n"
                      "[[users]]\nname = \"alice\"\nhome = \"src\"\nmessages = 2\n"
                      "[[actors]]\nkind = \"mover\"\nuser = \"alice\"\nto = \"dst\"\n";
  for (int i = 0; i < 3; ++i) {
    suite += "[[actors]]\nkind = \"sender\"\nuser = \"alice\"\nmessages = 2\n";
  }
  const std::string file = dir.Write("big.toml", suite);
  const std::string missing = dir.path() + "/no-such-dir/r.json";
  for (const std::string option : {"--json", "--junit", "--html"}) {
    CAPTURE(option);
    const auto start = std::chrono::steady_clock::now();
    Ran r = Cli({"run", file, option, missing});
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(r.code == 3);
    CHECK(r.out.empty());  // no suite result: nothing ran
    CHECK_THAT(r.err, Catch::Contains(option + ": cannot write " + missing));
    CHECK(secs < 5);
  }
  // A good report and a bad one: still nothing runs, the good one not written.
  Ran both = Cli({"run", file, "--json", dir.path() + "/ok.json", "--junit", missing});
  CHECK(both.code == 3);
  CHECK(both.out.empty());
  CHECK_FALSE(fs::exists(dir.path() + "/ok.json"));

  Ran replay = Cli({"replay", kQ, "--schedule", "1.a", "--json", missing});
  CHECK(replay.code == 3);
  CHECK(replay.out.empty());
  Ran conform = Cli({"conform", "--adapter", "reference", "--json", missing});
  CHECK(conform.code == 3);
  CHECK(conform.out.empty());
  CHECK(Entries(dir.path()) == std::vector<std::string>{"big.toml"});
}

}  // namespace
}  // namespace intransit
