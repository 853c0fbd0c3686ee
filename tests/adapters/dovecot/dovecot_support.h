// Helpers for the Dovecot adapter's tests: a temp dir per test and the check
// that no process the test started is left. (Their gate is the tests' one
// FakeGate, tests/support/fake_gate.h.)
#pragma once

#include <string>
#include <vector>

#include "store/adapter.h"
#include "tests/support/fake_gate.h"
#include "tests/support/temp_dir.h"

namespace intransit::dovecot::testing {

// "dovecot not found: install ..." when Dovecot is missing, else "".
std::string MissingDovecot();

// The tests' TempDir, open to the mail uid: the servers' homes are under it.
class TempDir : public ::intransit::testing::TempDir {
 public:
  TempDir() : ::intransit::testing::TempDir(0755) {}
};

// Opens the dovecot adapter with `variant` under `work_dir`; options as
// key/value pairs of ints or string lists are set by the caller.
Result<std::unique_ptr<Deployment>> OpenDovecot(const std::string& work_dir,
                                                const std::string& variant, Params options = {});

// The pids of live (not zombie) processes whose command line mentions
// `needle` (what `pgrep -f` sees).
std::vector<int> ProcessesMentioning(const std::string& needle);

// The pids of live processes of the Dovecot servers that the intransit
// process `pid` (the test itself, or a CLI run) started under `work_dir`.
// The masters and doveadm name `work_dir` on their command line; the
// masters' children (log, anvil, config, auth, stats, lmtp, doveadm-server)
// do not: they carry the instance name, "dovecot-intransit-src-<pid>/lmtp".
std::vector<int> LeftBehind(const std::string& work_dir, int pid);

// LeftBehind, polled until it is empty or `ms` have passed.
std::vector<int> LeftBehindAfter(const std::string& work_dir, int pid, int ms);

// Waits up to `ms` until process `pid` has exited (a zombie counts: it runs
// nothing). True when it did.
bool AwaitExit(int pid, int ms);

// The master pid of server `name` ("src", "dst") of the deployment under
// `work_dir` (Dovecot writes base_dir/master.pid), or -1.
int MasterPid(const std::string& work_dir, const std::string& name);

// Message-IDs of `user`'s copies on `server` in `snapshot`.
std::vector<std::string> IdsOn(const Snapshot& snapshot, const std::string& server,
                               const std::string& user);

// Runs a shell command line, returns its exit code; its output to `out`.
int Shell(const std::string& command, std::string* out);

}  // namespace intransit::dovecot::testing

// Ends the test case with a warning where Dovecot is not installed.
#define SKIP_WITHOUT_DOVECOT()                                        \
  do {                                                                \
    std::string missing = ::intransit::dovecot::testing::MissingDovecot(); \
    if (!missing.empty()) {                                           \
      WARN(missing);                                                  \
      return;                                                         \
    }                                                                 \
  } while (0)
