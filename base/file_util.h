// Writing report files so that a reader never sees half of one, and so that
// a report never replaces what its path points at.
//
// CI dashboards and scripts pick up --json and --junit files as soon as they
// appear, and a nightly run may be killed at any moment. A report that is a
// file of its own is written to a temporary file beside it ("<path>.XXXXXX",
// a name no other file has), flushed to disk, then renamed over the file: a
// reader sees the old file or the new one, never a torn one.
//
// That rename must never replace something that is not a plain report file
// (intransit often runs as root: `--junit /dev/null` must not turn the device
// into a regular file). What a path names decides how it is written:
//
//   does not exist        created atomically (temporary file + rename)
//   regular file          replaced atomically
//   symbolic link         written through: its final target is written by
//                         these rules and the link stays a link; a link
//                         whose target does not exist is refused
//   character device,     written directly, in place (`--json /dev/stdout`,
//   FIFO                  `--junit /dev/null`, a named pipe); never replaced
//   intransit's own       appended to, after what intransit printed there
//   stdout or stderr      (`--json out.txt > out.txt`)
//   anything else         refused: a directory, a socket, a block device
//
// `-` (standard output) is not a path: the command line writes that report
// to its output stream itself (cli/cli_common.cc).
#pragma once

#include <string>

#include "base/status.h"

namespace intransit {

// Whether WriteFile(path, ...) can write `path`, found out before a run so
// that an unwritable report costs no schedule: for a new or regular file a
// temporary file is created beside it and removed again; a device is opened
// and closed; a FIFO is only checked for write permission (opening it would
// hand a waiting reader an end of file). Nothing at `path` changes.
// Error: Status::Infra naming `path` and the reason (its directory does not
// exist or is not writable), Status::Invalid when `path` is a kind of file a
// report never goes to (a directory, a socket, a dangling link).
Status CheckWritable(const std::string& path);

// Writes `text` to `path` by the rules above. Atomically for a new or
// regular file: on success it holds exactly `text`, with mode 0666 less the
// umask for a new file, and no temporary file is left behind. A device or
// FIFO gets `text` written to it directly.
// On failure returns Status::Infra whose message names `path` and the
// strerror of the call that failed ("cannot write out/r.json: create
// out/r.json.XXXXXX: No such file or directory"), or Status::Invalid for a
// kind of file a report never goes to; `path` is left as it was and the
// temporary file is removed.
Status WriteFile(const std::string& path, const std::string& text);

}  // namespace intransit
