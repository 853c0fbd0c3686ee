// The maildir store's deployment: see maildir_adapter.h for the layout of
// its tree and what each variant does. Its parts live where their seam is:
//   maildir_deployment.cc  set-up (Reset, Provision), Inspect, the directory
//                          file, the Message-ID lookups
//   maildir_delivery.cc    Deliver, by the Maildir protocol
//   maildir_mover.cc       Move and Recover: the steps, their journal, the
//                          in-transit mover's retries and rollback
//
// Every step declares what it touches (Gate::Touch; docs/footprints.md has
// the table and the reasons), per user: `dir/alice` (her line of the
// directory file: every writer rewrites the file in one step, keeping the
// other lines), `box/<srv>/alice` (her maildir exists there, and its folders
// other than .InTransit, which only movers touch), `<srv>/alice/INBOX` (the
// files of cur/ new/ tmp/), `<srv>/alice/InTransit` (.InTransit: whether it
// exists, and its files), `journal/alice` (moves/alice).
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "adapters/maildir/maildir_store.h"
#include "adapters/maildir/procedure.h"
#include "store/adapter.h"

namespace intransit::maildir {

inline constexpr const char* kInbox = "INBOX";
inline constexpr const char* kHoldingDir = ".InTransit";
inline constexpr const char* kServers[] = {"src", "dst"};
inline constexpr int kStepAttempts = 3;  // a step that hits an I/O error is retried
inline constexpr const char* kInTransit = "InTransit";  // the object name of .InTransit

// One line of the directory file: its four fields each encoded with
// EncodeField (maildir_store.h), so that no name can split or forge a line.
struct Entry {
  std::string user;
  std::string home;    // the user's home server
  std::string server;  // where deliveries go now (a forward while moving)
  std::string folder;  // "INBOX" or ".InTransit"
};

// What one mover step ended with.
enum class StepEnd { kOk, kFailed, kCrashed };

class MaildirDeployment : public Deployment {
 public:
  // `procedure`: the variant's (procedure.h), which outlives the deployment.
  MaildirDeployment(const Procedure& procedure, std::string base, bool keep, bool fsync,
                    std::vector<std::string> io_steps, bool io_armed)
      : proc_(procedure), base_(std::move(base)), keep_(keep), fsync_(fsync),
        io_steps_(std::move(io_steps)), io_armed_(io_armed) {}

  bool DeclaresFootprints() const override { return true; }

  ~MaildirDeployment() override;

  // maildir_deployment.cc
  Status Reset() override;
  Status Provision(std::string_view user, std::string_view server,
                   const std::vector<std::string>& messages) override;
  Status Inspect(Snapshot* out) override;

  // maildir_delivery.cc
  Result<DeliverResult> Deliver(Gate& gate, std::string_view user,
                                std::string_view message) override;

  // maildir_mover.cc
  Result<MoveResult> Move(Gate& gate, std::string_view user, std::string_view to) override;
  // Resumes the move at the step its journal names.
  Result<MoveResult> Recover(Gate& gate, std::string_view user) override;

 private:
  static Status Infra(const std::string& what, int e);
  int MakeDir(const std::string& path) const;
  static bool IsServer(std::string_view s) { return s == "src" || s == "dst"; }
  static Entry* Find(std::vector<Entry>* dir, std::string_view user);

  // tree/<server>/<user>, confined to the tree (confined_path.h): the one
  // place a user's name becomes a path.
  Result<std::string> UserDir(std::string_view server, std::string_view user) const;

  // Whether the I/O points may fail the file operations of `step`.
  bool IoIn(std::string_view step) const;

  // The directory file (maildir_deployment.cc).
  bool ReadDirectory(MaildirIo& io, std::vector<Entry>* out);
  // Replaces the directory file: write a temporary file, fsync, rename.
  int WriteDirectory(MaildirIo& io, const std::vector<Entry>& dir);
  int SetRoute(MaildirIo& io, std::string_view user, const std::string& home,
               const std::string& server, const std::string& folder);
  // *routed: the directory sends the user's mail to `to` (the switch ran).
  Status Routed(std::string_view user, const std::string& to, bool* routed);

  // The mover (maildir_mover.cc).
  // Records the step a crashed move resumes at; a finished move has none.
  // A journal that cannot be written is an infrastructure error: Recover
  // would resume from a stale step.
  Status WriteJournal(std::string_view user, const std::string& from, const std::string& to,
                      size_t next);
  Result<MoveResult> RunSteps(Gate& gate, std::string_view user, const std::string& from,
                              const std::string& to, size_t first);
  // Undoes a move of the in-transit mover that has not completed its copy.
  void RollBack(Gate& gate, std::string_view user, const std::string& from,
                const std::string& to);
  StepEnd Ended(MaildirIo& io, int err) const;
  // What `step` of the move reads and changes, declared before it runs (a
  // retried step touches the same). The copy adds what it finds (Copy).
  void TouchStep(Gate& gate, StepKind step, std::string_view user, const std::string& from,
                 const std::string& to);
  StepEnd DoStep(Gate& gate, MaildirIo& io, StepKind step, std::string_view user,
                 const std::string& from, const std::string& to);
  // Copies every folder of the source but the holding one, file by file,
  // through tmp/ with the Maildir protocol, keeping names (and flags).
  StepEnd Copy(Gate& gate, MaildirIo& io, std::string_view user, const std::string& from,
               const std::string& to);
  // Renames every held file into the INBOX's cur/ or new/; removes the
  // holding folder once it is empty. A file whose rename fails stays held.
  StepEnd Flush(Gate& gate, MaildirIo& io, const std::string& dst);

  // Message-IDs (maildir_deployment.cc).
  // The Message-ID of the file at `path`, read once: Maildir files never
  // change once renamed into place (a new name is a new key).
  const std::string& IdOf(const std::string& path);
  // The Message-IDs in the INBOX (cur/, new/) of the maildir at `md`: read
  // once per rollback or flush rather than once per file it moves.
  std::unordered_set<std::string> IdsIn(const std::string& md);
  // Whether the maildir at `md` holds `id` in cur/ or new/ (and, with
  // `held`, in its .InTransit folder): listed from disk at every call.
  bool Holds(const std::string& md, std::string_view id, bool held);

  // "3 file(s): a, b, c": what a step moved, for its note.
  static std::string Names(const std::vector<std::string>& names);
  void InspectFolder(Snapshot* out, const std::string& server, const std::string& user,
                     const std::string& folder, const std::string& path, const std::string& rel);

  // What a store of a new file into a folder is declared as. An append (a
  // new unique name nobody else adds) unless an I/O fault is armed: the copy
  // and the flush go through a folder's files one by one in name order, the
  // names follow the deliveries' order, and a counted fault at the k-th
  // write or rename then leaves a different file behind.
  Access StoreAccess() const { return io_armed_ ? Access::kWrite : Access::kAppend; }

  const Procedure& proc_;
  std::string base_;
  bool keep_;
  bool fsync_;
  std::vector<std::string> io_steps_;
  bool io_armed_;  // the suite arms an I/O point (maildir/*, posix/*): StoreAccess
  std::string tree_;
  int schedule_ = 0;
  std::unordered_map<std::string, std::string> ids_;  // path -> Message-ID, this schedule
};

}  // namespace intransit::maildir
