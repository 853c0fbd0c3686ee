// The --adapter and --set overrides, written into a parsed suite document:
// internal to suite/ (the loader's; see LoadOptions in suite_loader.h).
//
// The overrides are applied before anything is validated, so that an
// override is checked exactly like the file's own value; each value written
// is marked with its word in the reader, so that a mistake in it is reported
// as "--set explore.seed=x: ..." rather than at a line of the file.
//
//   toml::table doc = toml::parse(text, path);
//   TomlReader reader(path);
//   if (Status s = ApplyOverrides(options, &doc, &reader); !s.ok()) return s;
#pragma once

#include <toml++/toml.h>

#include "base/status.h"
#include "suite/suite_loader.h"
#include "suite/toml_reader.h"

namespace intransit::loader_internal {

// Writes options.adapter, then each of options.sets in order, into `doc`,
// marking every node it writes with its override in `reader`.
// --adapter NAME sets [adapter] name; when the file named another adapter,
// the file's [adapter] is cleared first (its variant and options were meant
// for the other one). --set TABLE.KEY=VALUE sets KEY in [TABLE] (created if
// absent) to VALUE read as a TOML value, or as a plain string when it is not
// one.
// Errors: Status::Invalid naming the override ("--set x: expected
// KEY=VALUE, ...") for a word that is not TABLE.KEY=VALUE or names a table
// that cannot be set; at the file's position when the table to write into
// is not a table. `doc` may then be partly written.
Status ApplyOverrides(const LoadOptions& options, toml::table* doc, TomlReader* reader);

}  // namespace intransit::loader_internal
