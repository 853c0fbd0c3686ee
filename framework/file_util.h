// Writing report files so that a reader never sees half of one.
//
// CI dashboards and scripts pick up --json and --junit files as soon as they
// appear, and a nightly run may be killed at any moment. WriteFile writes the
// whole text to a temporary file beside it ("<path>.XXXXXX", a name no
// other file has), flushes it to disk, then renames it over `path`: a
// reader sees the old file or the new one, never a torn one.
#pragma once

#include <string>

#include "framework/status.h"

namespace intransit {

// Replaces the file at `path` with `text`, atomically (rename(2) within one
// directory). On success `path` holds exactly `text` and no temporary file
// is left behind. The file gets mode 0666 less the umask.
// On failure returns Status::Infra whose message names `path` and the
// strerror of the call that failed ("cannot write out/r.json: create
// out/r.json.XXXXXX: No such file or directory"); `path` is left as it was
// and the temporary file is removed.
Status WriteFile(const std::string& path, const std::string& text);

}  // namespace intransit
