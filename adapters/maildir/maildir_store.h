// The on-disk primitives of the maildir adapter: Maildir++ folders, the
// Maildir delivery protocol, and one place where every file operation of a
// step can be made to fail.
//
// MaildirIo performs a step's file operations. Before each real call it asks
// the gate at the adapter's I/O point (`maildir/write`, `maildir/fsync`,
// `maildir/rename`) and, when the fault plan fails it, the call fails with
// the planted errno exactly as if the kernel had returned it; around each
// call it opens a PosixScope, so libfiu's POSIX points (`posix/io/dir/rename`
// ...) reach the same fault plan from inside libc. Harness I/O (provisioning,
// inspection) uses a MaildirIo without a gate and never fails on purpose.
//
//   MaildirIo io(&gate, "dst", "alice", /*posix=*/true, /*fsync=*/true);
//   int e = io.PutFile(maildir + "/tmp/" + name, maildir + "/new/" + name, text);
//   if (io.crashed()) ...            // the store "died" inside the call
//   else if (e != 0) ...             // strerror(e): answer tempfail
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace intransit {

class Gate;

class MaildirIo {
 public:
  // `gate` null: harness I/O, no point is asked. `posix`: libfiu's POSIX
  // points may fail this step's calls. `fsync`: files are synced before
  // they are renamed into place (the Maildir protocol; off only to measure).
  MaildirIo(Gate* gate, std::string server, std::string user, bool posix, bool fsync);

  // The Maildir protocol: creates `tmp_path` (O_EXCL), writes `data`, fsyncs,
  // closes, renames it to `final_path`. Returns 0, or the errno of the call
  // that failed; then `tmp_path` is removed (unless crashed(): a store that
  // died leaves its tmp file behind, as a real one would) and
  // `final_path` does not exist — except after a rename that failed
  // "after" (it happened, the caller hears failure: the ambiguous outcome).
  int PutFile(const std::string& tmp_path, const std::string& final_path, std::string_view data);

  // rename(2) with the maildir/rename point and posix/io/dir/rename. 0 or errno.
  int Rename(const std::string& from, const std::string& to);

  // Reads a whole file. 0 or errno.
  int ReadFile(const std::string& path, std::string* out);

  // A probe said crash: the step stops right here, leaving what it left.
  bool crashed() const { return crashed_; }
  // The last failure, for notes: "rename tmp/X -> new/X: Input/output error".
  const std::string& last_error() const { return last_error_; }
  // Records a failure the step found itself (a mkdir, a remove): last_error()
  // becomes "what: strerror(e)". Returns e.
  int Fail(int e, const std::string& what);

 private:
  // Asks the gate at `point` about the call `what`. Returns 0 to go on, or
  // the errno to fail with; sets *after when the call must run first.
  int Ask(const char* point, const std::string& what, bool* after);
  std::string Short(const std::string& path) const;  // the path under the user's maildir

  Gate* gate_;
  std::string server_, user_;
  bool posix_, fsync_;
  bool crashed_ = false;
  std::string last_error_;
};

// Creates a Maildir (cur/ new/ tmp/) at `path`, parents included up to
// `tree` (never `tree` itself: MakeDirsBelow); a subfolder (`.InTransit`)
// also gets its `maildirfolder` marker. Idempotent.
// REQUIRES: `path` is below `tree`.
// Returns 0 or errno (ENOENT when `tree` is gone).
int MakeMaildir(const std::string& tree, const std::string& path, bool subfolder);

// The regular files in `dir`, sorted by name (empty when it does not exist).
std::vector<std::string> ListFiles(const std::string& dir);
// The Maildir++ subfolders of `maildir` (".InTransit", ".Sent"), sorted.
std::vector<std::string> ListSubfolders(const std::string& maildir);
// The users' maildirs of a server directory, sorted.
std::vector<std::string> ListDirs(const std::string& dir);

bool Exists(const std::string& path);
// Removes a tree; true when it is gone.
bool RemoveTree(const std::string& path);

// A field of the adapter's directory file, percent-encoded: '%', space,
// control bytes and DEL become %HH, so that no value (a user's name, whatever
// it holds) can split a field or a line. DecodeField is its inverse; false
// for text EncodeField never produces (a bare '%', a bad hex digit, a raw
// space or control byte).
std::string EncodeField(std::string_view value);
bool DecodeField(std::string_view text, std::string* value);

// A unique Maildir file name: "<sec>.M<usec>P<pid>Q<n>.<host>".
std::string UniqueName();

// An RFC 5322 message with `message_id`, addressed to `user`.
std::string MessageText(std::string_view message_id, std::string_view user);

// The Message-ID header of the message file at `path` ("" when it has none
// or cannot be read).
std::string ReadMessageId(const std::string& path);

}  // namespace intransit
