// The suite loader's own class, shared by its files: internal to suite/,
// not to be included elsewhere (the loader's interface is suite_loader.h).
//
// Loader::Load (suite_loader.cc) parses the document, applies the overrides
// (overrides.h) and reads each table in turn, each by its own file:
//   [suite], [oracle]        table_suite.cc
//   [adapter]                table_adapter.cc
//   [[users]], [[actors]]    table_actors.cc
//   [explore]                table_explore.cc
//   [[faults]]               table_faults.cc
// All of them read through the TomlReader it is (toml_reader.h), so every
// message is worded and placed the same way, and check each table's keys
// against its declaration (suite_keys.h).
#pragma once

#include <toml++/toml.h>

#include <string>
#include <string_view>

#include "base/status.h"
#include "store/adapter.h"
#include "suite/suite.h"
#include "suite/suite_keys.h"
#include "suite/suite_loader.h"
#include "suite/toml_reader.h"

namespace intransit::loader_internal {

class Loader : private TomlReader {
 public:
  // `path` names the suite in messages; `options` must outlive the Loader.
  Loader(const std::string& path, const LoadOptions& options)
      : TomlReader(path), options_(options) {}

  // See LoadSuiteFromString.
  Result<Suite> Load(std::string_view text);
  // Only [adapter], made by the overrides alone (see LoadAdapterConfig).
  Result<AdapterConfig> LoadAdapterOnly();

 private:
  // One table each, in the order Load calls them: a later table may check
  // its names against an earlier one's (an actor's user, a fault's actor).
  // Each returns the first mistake it meets, leaving `suite` partly filled.
  Status LoadSuiteTable(const toml::table& doc, Suite* suite);
  Result<const AdapterInfo*> LoadAdapter(const toml::table& doc, Suite* suite);
  Status LoadUsers(const toml::table& doc, const AdapterInfo& adapter, Suite* suite);
  Status LoadActors(const toml::table& doc, const AdapterInfo& adapter, Suite* suite);
  Status LoadExplore(const toml::table& doc, Suite* suite);
  Status LoadFaults(const toml::table& doc, Suite* suite);
  Status LoadOracle(const toml::table& doc, Suite* suite);

  const LoadOptions& options_;
};

}  // namespace intransit::loader_internal
