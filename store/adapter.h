// The adapter interface: what a mail store offers the framework.
//
// An adapter is registered by name (AdapterRegistry) with the options and
// variants it accepts and the points it passes. Opening it gives a
// Deployment: named servers, the mailboxes on each and the directory that
// maps users to home servers. The runner resets the deployment before every
// schedule, provisions users, then lets actors call Deliver and Move from
// their own execution contexts; Inspect is read after the run, for the oracle.
//
// Errors are values: a Status that is not ok means the store or the harness
// broke (exit 3), never a mail outcome. Mail outcomes (accepted, tempfail,
// permfail; a move done, failed or crashed) are results.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/params.h"
#include "base/status.h"
#include "store/gate.h"

namespace intransit {

enum class Answer { kAccepted, kTempfail, kPermfail };
const char* AnswerName(Answer a);
// What a delivery answers when its step fails with `e`: permfail stays a
// 5xx; tempfail and io are a 4xx the sender retries.
inline Answer AnswerFor(FailError e) {
  return e == FailError::kPermfail ? Answer::kPermfail : Answer::kTempfail;
}

struct DeliverResult {
  Answer answer = Answer::kAccepted;
  std::string server;  // where it was stored, when accepted
  std::string folder;  // which folder, when accepted
};

enum class MoveResult { kDone, kFailed, kCrashed };
const char* MoveResultName(MoveResult r);

// One copy of one message found by Inspect.
struct MessageCopy {
  std::string server;
  std::string user;
  std::string folder;
  std::string message;  // Message-ID
};

// The directory: user -> home server, in the order users were first named.
using Directory = std::vector<std::pair<std::string, std::string>>;

// The home server of `user` in `directory`, or "" when it names none.
std::string_view HomeIn(const Directory& directory, std::string_view user);
// Points `user` at `server`, adding the user when the directory lacks it.
void SetHomeIn(Directory* directory, std::string_view user, std::string_view server);

// What Inspect reads from the stores after a run.
struct Snapshot {
  std::vector<MessageCopy> copies;
  Directory directory;
  std::vector<std::string> holding_folders;                     // e.g. "InTransit"
  std::vector<std::string> notes;  // e.g. "src: alice/tmp/1.2.host left behind"

  void Clear() {
    copies.clear();
    directory.clear();
    holding_folders.clear();
    notes.clear();
  }
  // The home server of `user`, or "" when the directory does not name one.
  std::string_view HomeOf(std::string_view user) const { return HomeIn(directory, user); }
};

// A name a suite uses that the loader could not check, because the adapter
// learns its servers and points only when it is opened (open_options).
struct UncheckedName {
  std::string kind;   // "server" or "point"
  std::string name;   // "dst", "flag"
  std::string where;  // "suites/x.toml:12:7" (the key) or "--set ..."
  std::string key;    // "home", "to", "point", "until"
};

// The options a suite's [adapter] table gave, validated against the info.
struct AdapterConfig {
  std::string variant;
  Params options;
  std::string work_dir;  // where the adapter may create files ("" = system temp)
  bool keep = false;     // keep files for inspection after the run
  // The points the suite arms faults at: an adapter that can only honour
  // some of them in certain conditions (posix/* needs libfiu's preload)
  // refuses rather than run a suite whose faults would never fire.
  std::vector<std::string> armed_points;
  // open_options adapters only: the servers and points the suite names, for
  // `open` to check once it knows them (Status::Invalid naming `where`).
  std::vector<UncheckedName> unchecked;
};

class Deployment {
 public:
  virtual ~Deployment() = default;

  // Brings the deployment to a fresh, empty state: no users, directory
  // empty. Called before every schedule.
  virtual Status Reset() = 0;

  // Creates `user` on `server` with `messages` (Message-IDs) in its INBOX and
  // points the directory at `server`. No points are passed.
  virtual Status Provision(std::string_view user, std::string_view server,
                           const std::vector<std::string>& messages) = 0;

  // Delivers `message` to `user` as an MTA would: routes by the directory,
  // passes "deliver" (and points of its own) through `gate`, answers.
  virtual Result<DeliverResult> Deliver(Gate& gate, std::string_view user,
                                        std::string_view message) = 0;

  // Moves `user` to server `to` with the store's own procedure, passing its
  // points in the order it really uses them.
  virtual Result<MoveResult> Move(Gate& gate, std::string_view user, std::string_view to) = 0;

  // Runs the recovery of a move that crashed: finishes it (kDone) or rolls it
  // back (kFailed: all mail on the source, directory unchanged).
  virtual Result<MoveResult> Recover(Gate& gate, std::string_view user) {
    (void)gate;
    (void)user;
    return Status::Unsupported("this adapter has no recovery for a crashed move");
  }

  // Reads every server's mailboxes and the directory into `out` (cleared first).
  virtual Status Inspect(Snapshot* out) = 0;

  // True when every step of Deliver, Move and Recover declares, through
  // Gate::Touch, every object it reads or changes (footprint.h): exhaustive
  // may then reduce. False (the default): every step is taken to touch
  // everything, and exhaustive runs every interleaving.
  virtual bool DeclaresFootprints() const { return false; }
};

// The point the runner itself passes when a crashed mover restarts, before
// the adapter's recovery: faults may be armed there like anywhere.
inline constexpr const char* kRecoverPoint = "recover";

struct PointInfo {
  std::string name;
  std::string help;
};

struct AdapterInfo {
  std::string name;
  std::string summary;
  std::vector<std::string> variants;
  std::string default_variant;
  std::vector<ParamSpec> options;  // keys of [adapter] besides name and variant
  std::vector<std::string> servers;
  std::vector<PointInfo> points;     // every point it may pass
  std::vector<std::string> recovery;  // "resume", "rollback": what Recover does
  // Actors must run on OS threads (C code reaching the gate through libfiu,
  // which may not switch fibers inside its callback).
  bool needs_threads = false;
  std::function<Result<std::unique_ptr<Deployment>>(const AdapterConfig&)> open;
  // The adapter learns its variants, servers and points only when opened
  // (exec asks its program). The loader then accepts any other [adapter] key
  // (a string, integer, float or bool, into AdapterConfig::options), any
  // variant, and — when `servers` / `points` are empty — any server and point
  // name, which it lists in AdapterConfig::unchecked for `open` to check.
  bool open_options = false;
  // When set, `intransit list points` calls it (with the config built from
  // --set adapter.KEY=VALUE) instead of reading `points`: exec asks its program.
  std::function<Result<std::vector<PointInfo>>(const AdapterConfig&)> describe;

  bool HasPoint(std::string_view point) const;
  std::vector<std::string> PointNames() const;
};

// Adapters are registered explicitly, by the program that links them
// (cli/builtin_adapters.h): static self-registration is silently dropped
// from static libraries, and the layers below the command line know no
// store by name.
class AdapterRegistry {
 public:
  static AdapterRegistry& Global();

  void Add(AdapterInfo info);
  // nullptr when no adapter has that name.
  const AdapterInfo* Find(std::string_view name) const;
  std::vector<std::string> Names() const;
  const std::vector<AdapterInfo>& All() const { return adapters_; }

 private:
  std::vector<AdapterInfo> adapters_;
};

}  // namespace intransit
