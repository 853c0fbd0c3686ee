// The name rule: what a suite may call a user, an actor, a server or a folder,
// and how text from a suite or a store is made safe for a terminal.
#include "base/name_rule.h"

#include <catch2/catch.hpp>

#include <string>

namespace intransit {
namespace {

TEST_CASE("name rule: ordinary mail user names pass", "[name_rule]") {
  for (const char* ok : {"alice", "bob.smith", "user_1", "a-b", "x+tag", "0day", "A"}) {
    INFO(ok);
    CHECK(IsValidName(ok));
    CHECK(CheckName("user name", ok).ok());
  }
  CHECK(IsValidName(std::string(kMaxNameLength, 'a')));
}

TEST_CASE("name rule: names that could leave a directory or a protocol line fail",
          "[name_rule]") {
  const std::string bad[] = {
      "",
      ".",
      "..",
      "../../../tmp/x",
      "/etc",
      "a/b",
      ".hidden",
      "-rf",
      "+x",
      "al ice",
      "alice\n",
      "alice>\r\nRSET",
      "a<b",
      "a@b",
      std::string("a\0b", 3),
      "caf\xc3\xa9",
      "a\x1b[2J",
      std::string(kMaxNameLength + 1, 'a'),
  };
  for (const std::string& name : bad) {
    INFO(EscapeControl(name));
    CHECK_FALSE(IsValidName(name));
    Status s = CheckName("user name", name);
    CHECK(s.code() == Status::Code::kInvalid);
    // The message itself never carries a control byte to the terminal.
    for (char c : s.message()) CHECK(static_cast<unsigned char>(c) >= 0x20);
  }
}

TEST_CASE("name rule: the error says which rule the name broke", "[name_rule]") {
  CHECK(CheckName("user name", "").message() == "user name '' is empty");
  CHECK(CheckName("user name", "..").message() ==
        "user name '..' must start with a letter or a digit");
  CHECK(CheckName("actor name", "al ice").message() ==
        "actor name 'al ice' may hold only letters, digits and . _ - +");
  CHECK(CheckName("user name", std::string(65, 'a')).message().find("at most 64") !=
        std::string::npos);
}

TEST_CASE("EscapeControl: control bytes are written out, UTF-8 text is kept", "[name_rule]") {
  CHECK(EscapeControl("plain text") == "plain text");
  CHECK(EscapeControl("a\r\nb\tc") == "a\\r\\nb\\tc");
  CHECK(EscapeControl("\x1b[31mred") == "\\x1b[31mred");
  CHECK(EscapeControl(std::string("nul\0x", 5)) == "nul\\x00x");
  CHECK(EscapeControl("\x7f") == "\\x7f");
  CHECK(EscapeControl("\xc2\x9b" "2J") == "\\u009b2J");  // C1 CSI
  CHECK(EscapeControl("caf\xc3\xa9 \xe2\x80\x94 ok") == "caf\xc3\xa9 \xe2\x80\x94 ok");
}

}  // namespace
}  // namespace intransit
