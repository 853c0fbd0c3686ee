// The adapter contract (DESIGN §4, and §9's rules that hold for every store),
// checked the same way over every adapter in the registry: what the runner
// and the oracle take for granted of a Deployment whatever the store.
//
// Each registered adapter has a subject here, its correct variant opened the
// way it can run on this machine (reference and maildir as they are, exec
// with the Python example store, Dovecot and Cyrus when they are installed: the
// case says so and skips them otherwise). A registered adapter without a subject fails
// the first case, so a new store cannot skip the contract. The rules:
//   - Reset leaves no mail and an empty directory; Provision puts the mail
//     in the user's INBOX and points the directory at the server;
//   - a delivery passes `deliver`; accepted, it is found where it says;
//     a failure before stores nothing and answers its error; a crash is a
//     lost connection (tempfail), nothing stored; a failure after stores it
//     and answers tempfail (a lost acknowledgement);
//   - a move passes only points the adapter declares, ends done, with all
//     the mail on the destination and the directory pointing there;
//   - a move crashed at any of its points and recovered ends done (all the
//     mail on the destination) or failed (all of it on the source, the
//     directory unchanged), nothing lost or doubled, none left in holding;
//   - a store that declares footprints names what every step touches.
#include <algorithm>
#include <catch2/catch.hpp>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "store/adapter.h"
#include "store/points.h"
#include "tests/adapters/cyrus/cyrus_support.h"
#include "tests/adapters/dovecot/dovecot_support.h"
#include "tests/support/fake_gate.h"
#include "tests/support/temp_dir.h"

namespace intransit {
namespace {

using testing::Crash;
using testing::Fail;
using testing::FakeGate;

const std::string kPythonStore =
    "python3 " + std::string(INTRANSIT_SOURCE_DIR) + "/examples/python-store/store.py";

// How one adapter is opened here.
struct Subject {
  std::string adapter;
  std::string variant;  // its correct procedure
  // Why it cannot run on this machine, or "".
  std::function<std::string()> missing = [] { return std::string(); };
  // Sets what the adapter needs besides the variant; `dir` is a fresh
  // directory open to other users (Dovecot's mail uid).
  std::function<void(AdapterConfig*, const std::string& dir)> configure = [](AdapterConfig*,
                                                                             const std::string&) {};
};

const std::vector<Subject>& Subjects() {
  static const std::vector<Subject> subjects = {
      {"reference", "correct"},
      {"maildir", "in-transit", [] { return std::string(); },
       [](AdapterConfig* c, const std::string& dir) { c->work_dir = dir; }},
      {"exec", "correct", [] { return std::string(); },
       [](AdapterConfig* c, const std::string&) {
         c->options.Set("command", kPythonStore);
         c->options.Set("timeout_ms", static_cast<int64_t>(20000));
       }},
      {"dovecot", "documented", &dovecot::testing::MissingDovecot,
       [](AdapterConfig* c, const std::string& dir) { c->work_dir = dir; }},
      {"cyrus", "sync-twice", &cyrus::testing::MissingCyrus,
       [](AdapterConfig* c, const std::string& dir) { c->work_dir = dir; }},
  };
  return subjects;
}

// An adapter opened for one test case, with what it declares.
struct Opened {
  const AdapterInfo* info = nullptr;
  std::unique_ptr<testing::TempDir> dir;
  std::unique_ptr<Deployment> deployment;
  std::vector<std::string> points;  // every point it may pass
  std::string skipped;              // why it did not open here, or ""
};

Opened Open(const Subject& subject) {
  Opened o;
  o.info = AdapterRegistry::Global().Find(subject.adapter);
  REQUIRE(o.info != nullptr);
  o.skipped = subject.missing();
  if (!o.skipped.empty()) return o;
  o.dir = std::make_unique<testing::TempDir>(0755);
  AdapterConfig config;
  config.variant = subject.variant;
  subject.configure(&config, o.dir->path());
  auto opened = o.info->open(config);
  REQUIRE(opened.ok());
  o.deployment = std::move(*opened);
  std::vector<PointInfo> points = o.info->points;
  if (o.info->describe) {
    auto described = o.info->describe(config);
    REQUIRE(described.ok());
    points = *described;
  }
  for (const PointInfo& p : points) o.points.push_back(p.name);
  o.points.push_back(kRecoverPoint);
  return o;
}

// The copies of `message` in `snapshot`, as "server/folder".
std::vector<std::string> Where(const Snapshot& s, const std::string& message) {
  std::vector<std::string> at;
  for (const MessageCopy& c : s.copies) {
    if (c.message == message) at.push_back(c.server + "/" + c.folder);
  }
  return at;
}

Snapshot Inspected(Deployment& d) {
  Snapshot s;
  REQUIRE(d.Inspect(&s).ok());
  return s;
}

// A fresh deployment with alice on src holding `messages`.
void Fresh(Deployment& d, const std::vector<std::string>& messages) {
  REQUIRE(d.Reset().ok());
  REQUIRE(d.Provision("alice", "src", messages).ok());
}

const std::vector<std::string> kMail = {"<p1.alice@intransit>", "<p2.alice@intransit>"};
const std::string kNew = "<m1.alice@intransit>";

// Each subject, once per case that GENERATEs over them; skipped ones warn.
#define FOR_EACH_SUBJECT(opened)                             \
  const Subject& subject = GENERATE(from_range(Subjects())); \
  CAPTURE(subject.adapter, subject.variant);                 \
  Opened opened = Open(subject);                             \
  if (!opened.skipped.empty()) {                             \
    WARN(subject.adapter + " skipped: " + opened.skipped);   \
    return;                                                  \
  }                                                          \
  Deployment& d = *opened.deployment

TEST_CASE("contract: every registered adapter has a subject here", "[contract]") {
  for (const std::string& name : AdapterRegistry::Global().Names()) {
    CAPTURE(name);
    CHECK(std::any_of(Subjects().begin(), Subjects().end(),
                      [&](const Subject& s) { return s.adapter == name; }));
  }
}

TEST_CASE("contract: reset empties the deployment, provision fills one INBOX", "[contract]") {
  FOR_EACH_SUBJECT(opened);
  Fresh(d, kMail);
  Snapshot s = Inspected(d);
  CHECK(s.HomeOf("alice") == "src");
  for (const std::string& m : kMail) CHECK(Where(s, m) == std::vector<std::string>{"src/INBOX"});
  CHECK(s.copies.size() == kMail.size());
  REQUIRE(d.Reset().ok());
  s = Inspected(d);
  CHECK(s.copies.empty());
  CHECK(s.directory.empty());
}

TEST_CASE("contract: a delivery passes deliver and is found where it was accepted", "[contract]") {
  FOR_EACH_SUBJECT(opened);
  Fresh(d, kMail);
  FakeGate gate;
  auto r = d.Deliver(gate, "alice", kNew);
  REQUIRE(r.ok());
  CHECK(r->answer == Answer::kAccepted);
  CHECK(r->server == "src");
  REQUIRE_FALSE(gate.Passed().empty());
  CHECK(gate.Passed().front() == points::kDeliver.name);
  for (const std::string& p : gate.Passed()) {
    CAPTURE(p);
    CHECK(std::count(opened.points.begin(), opened.points.end(), p) == 1);
  }
  // Stored once, where the answer says (the folder is optional: §9).
  std::vector<std::string> at = Where(Inspected(d), kNew);
  REQUIRE(at.size() == 1);
  CHECK(at[0].rfind("src/", 0) == 0);
  if (!r->folder.empty()) CHECK(at[0] == "src/" + r->folder);
}

TEST_CASE("contract: a delivery that fails before or crashes at deliver stores nothing",
          "[contract]") {
  FOR_EACH_SUBJECT(opened);
  struct Case {
    const char* what;
    Decision decision;
    Answer answer;
  };
  const Case cases[] = {
      {"tempfail before", Fail(Phase::kBefore), Answer::kTempfail},
      {"permfail before", Fail(Phase::kBefore, FailError::kPermfail), Answer::kPermfail},
      {"io before", Fail(Phase::kBefore, FailError::kIo), Answer::kTempfail},
      {"crash", Crash(), Answer::kTempfail},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    Fresh(d, kMail);
    FakeGate gate;
    gate.Script(points::kDeliver.name, c.decision);
    auto r = d.Deliver(gate, "alice", kNew);
    REQUIRE(r.ok());
    CHECK(r->answer == c.answer);
    CHECK(gate.Passed() == std::vector<std::string>{points::kDeliver.name});
    CHECK(Where(Inspected(d), kNew).empty());
  }
}

TEST_CASE("contract: a delivery that fails after deliver is stored, the sender hears tempfail",
          "[contract]") {
  FOR_EACH_SUBJECT(opened);
  Fresh(d, kMail);
  FakeGate gate;
  gate.Script(points::kDeliver.name, Fail(Phase::kAfter));
  auto r = d.Deliver(gate, "alice", kNew);
  REQUIRE(r.ok());
  CHECK(r->answer == Answer::kTempfail);
  CHECK(Where(Inspected(d), kNew).size() == 1);
}

// Checks the end of a move of alice from src to dst that answered `result`:
// done, all the mail on dst outside holding folders and the directory
// there; failed, all of it on src and the directory unchanged.
void CheckMoveEnd(const Snapshot& s, MoveResult result, const std::vector<std::string>& mail) {
  const std::string home = result == MoveResult::kDone ? "dst" : "src";
  CHECK(s.HomeOf("alice") == home);
  for (const std::string& m : mail) {
    CAPTURE(m);
    std::vector<std::string> at = Where(s, m);
    REQUIRE(at.size() == 1);  // neither lost nor doubled
    CHECK(at[0].rfind(home + "/", 0) == 0);
    const std::string folder = at[0].substr(home.size() + 1);
    CHECK(std::count(s.holding_folders.begin(), s.holding_folders.end(), folder) == 0);
  }
}

TEST_CASE("contract: a move passes declared points and moves all the mail", "[contract]") {
  FOR_EACH_SUBJECT(opened);
  Fresh(d, kMail);
  FakeGate gate;
  auto moved = d.Move(gate, "alice", "dst");
  REQUIRE(moved.ok());
  CHECK(*moved == MoveResult::kDone);
  CHECK_FALSE(gate.Passed().empty());
  for (const std::string& p : gate.Passed()) {
    CAPTURE(p);
    CHECK(std::count(opened.points.begin(), opened.points.end(), p) == 1);
  }
  CheckMoveEnd(Inspected(d), *moved, kMail);
  // Mail delivered after the move lands on the new home.
  FakeGate after;
  auto r = d.Deliver(after, "alice", kNew);
  REQUIRE(r.ok());
  CHECK(r->answer == Answer::kAccepted);
  CHECK(r->server == "dst");
}

TEST_CASE("contract: a move crashed at any point recovers to done or to failed", "[contract]") {
  FOR_EACH_SUBJECT(opened);
  Fresh(d, kMail);
  FakeGate plain;
  REQUIRE(d.Move(plain, "alice", "dst").ok());
  const std::vector<std::string> passed = plain.Passed();
  // The n-th Pass crashes, for every n: a point passed twice is crashed at
  // each time (the script counts per point name).
  std::map<std::string, int> seen;
  for (const std::string& point : passed) {
    const int nth = ++seen[point];
    CAPTURE(point, nth);
    Fresh(d, kMail);
    FakeGate gate;
    gate.at_pass = [&gate, &point, nth](std::string_view at) {
      // Armed as the nth pass at `point` is about to answer (the pass is
      // recorded already).
      const std::vector<std::string> so_far = gate.Passed();
      if (at == point && std::count(so_far.begin(), so_far.end(), point) == nth) {
        gate.Script(point, Crash());
      }
    };
    auto moved = d.Move(gate, "alice", "dst");
    REQUIRE(moved.ok());
    CHECK(*moved == MoveResult::kCrashed);
    FakeGate again;
    auto recovered = d.Recover(again, "alice");
    if (!recovered.ok() && recovered.status().code() == Status::Code::kUnsupported) {
      // (AdapterInfo::recovery says so, or for exec the program's hello.)
      WARN(subject.adapter + " offers no recovery: nothing to check");
      return;
    }
    REQUIRE(recovered.ok());
    REQUIRE(*recovered != MoveResult::kCrashed);
    CheckMoveEnd(Inspected(d), *recovered, kMail);
  }
}

TEST_CASE("contract: a store that declares footprints names what every step touches",
          "[contract]") {
  FOR_EACH_SUBJECT(opened);
  if (!d.DeclaresFootprints()) {
    WARN(subject.adapter + " declares no footprints: every step is global");
    return;
  }
  Fresh(d, kMail);
  FakeGate gate;
  REQUIRE(d.Deliver(gate, "alice", kNew).ok());
  // The route is read before the point (the sender's previous step).
  CHECK_FALSE(gate.Before().empty());
  REQUIRE(d.Move(gate, "alice", "dst").ok());
  REQUIRE(d.Deliver(gate, "alice", "<m2.alice@intransit>").ok());
  for (const testing::RecordedStep& step : gate.Steps()) {
    CAPTURE(step.Describe());
    CHECK_FALSE(step.touches.empty());
  }
}

}  // namespace
}  // namespace intransit
