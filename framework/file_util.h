// Writing report files so that a reader never sees half of one.
//
// CI dashboards and scripts pick up --json and --junit files as soon as they
// appear, and a nightly run may be killed at any moment. WriteFile writes the
// whole text to "<path>.tmp", flushes it to disk, then renames it over
// `path`: a reader sees the old file or the new one, never a torn one.
#pragma once

#include <string>

#include "framework/status.h"

namespace intransit {

// Replaces the file at `path` with `text`, atomically (rename(2) within one
// directory). On success `path` holds exactly `text` and no "<path>.tmp" is
// left behind.
// On failure returns Status::Infra whose message names `path` and the
// strerror of the call that failed ("cannot write out/r.json: open
// out/r.json.tmp: No such file or directory"); `path` is left as it was and
// the temporary file is removed.
// REQUIRES: the caller is the only writer of `path` (the temporary name is
// fixed, so two concurrent writers of one path would share it).
Status WriteFile(const std::string& path, const std::string& text);

}  // namespace intransit
