// The suite loader: a TOML suite file (DESIGN §8) plus --adapter / --set
// overrides in, a validated Suite out.
//
// This is the only place that sees TOML. Every check a suite can fail is
// made here, before anything runs: unknown tables and keys, wrong types,
// values outside the allowed ones, names that point nowhere (adapter,
// variant, server, user, fault kind, point). Each error is a
// Status::Invalid whose message starts with where the mistake is
// ("suites/q277911.toml:9:12", or "--set explore.seed=x" for an override)
// and names the key and what it may be, so a user can fix the suite from
// the message alone:
//
//   suites/q.toml:9:12: key 'strategy' in [explore]: unknown value 'exhuastive';
//   allowed: exhaustive, random, pct or replay
//
//   RegisterBuiltinAdapters();           // cli/builtin_adapters.h, once
//   LoadOptions opts;
//   opts.sets = {"adapter.variant=pre-sp4", "explore.seed=7"};
//   Result<Suite> suite = LoadSuite("suites/q277911.toml", opts);
//   if (!suite.ok()) { print(suite.status().message()); return 2; }
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/params.h"
#include "base/status.h"
#include "suite/suite.h"

namespace intransit {

// Bounds on what a suite may ask for, so that no suite (nor a file that is
// not one) can make the loader or a run allocate or wait without end. Each is
// documented in docs/suite-format.md; a value past one is an error (exit 2)
// naming the key, its position and the bound.
inline constexpr int64_t kMaxSuiteBytes = 1 << 20;  // a suite file: 1 MiB
inline constexpr int64_t kMaxMessages = 10000;      // [[users]] and sender messages
inline constexpr int64_t kMaxRetry = 1000;          // a sender's retries
inline constexpr double kMaxTimeBudgetS = 30 * 86400.0;  // [explore] time_budget: 30 days

// The integer keys of the suite's own tables with the bounds the loader holds
// them to (fault kinds and adapters declare theirs in their own ParamSpecs).
// The loader reads every one of these keys through its entry here, so a
// test that feeds each listed key the values just outside its bounds covers
// a new key as soon as it is declared.
struct TableIntKeys {
  std::string table;  // "[[users]]", "[[actors]]" (a sender's), "[explore]"
  std::vector<ParamSpec> keys;
};
const std::vector<TableIntKeys>& SuiteIntKeys();

struct LoadOptions {
  // --adapter NAME: replaces [adapter] name ("" = keep the file's). When it
  // names a different adapter than the file, the file's variant and adapter
  // options are dropped: they were meant for the other adapter.
  std::string adapter;
  // --set KEY=VALUE, applied in order after --adapter. KEY is TABLE.KEY with
  // TABLE one of suite, adapter, explore, oracle. VALUE is read as a TOML
  // value (7, true, "x", [1, 2]) and, when it is not one, as a plain string
  // (so adapter.variant=pre-sp4 needs no quotes).
  std::vector<std::string> sets;
  // False: leave fault points unchecked (the conformance battery checks them
  // itself, to skip suites whose points the adapter does not pass).
  bool check_points = true;
};

// Reads the suite file at `path` and validates it against the registered
// adapters and fault kinds (registering the built-in ones first).
// On success: a Suite whose every name is checked, with defaults filled in,
// `file` = `path`, and `overrides` holding the options as argv words
// ({"--adapter", "maildir", "--set", "explore.seed=7"}) for a replay command.
// On failure: Status::Invalid, "file:line:column: <what is wrong>" (or
// "--set KEY=VALUE: ..." / "--adapter NAME: ..." when an override is wrong,
// "cannot read 'x.toml': <reason>" when the file cannot be read, is not a
// regular file or is larger than kMaxSuiteBytes: a FIFO or /dev/zero fails
// at once, without a read).
// REQUIRES (all three loaders): the suite's adapter is registered in
// AdapterRegistry::Global() (the program's RegisterBuiltinAdapters()); an
// adapter not registered is reported as unknown.
Result<Suite> LoadSuite(const std::string& path, const LoadOptions& options);

// The same, from `text`; `path` is used only in messages, for the default
// suite name (its stem) and as Suite::file.
Result<Suite> LoadSuiteFromString(std::string_view text, const std::string& path,
                                  const LoadOptions& options);

// The [adapter] table of `adapter` made only of the --set adapter.KEY=VALUE
// words in `sets` (the others are ignored), read and checked as in a suite:
// for commands that open an adapter without one (list points, conform).
// Errors as LoadSuite's, naming the --set word.
Result<AdapterConfig> LoadAdapterConfig(const std::string& adapter,
                                        const std::vector<std::string>& sets);

}  // namespace intransit
