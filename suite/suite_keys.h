// The keys of the suite's own tables, each declared once: internal to suite/.
//
// A table's keys are ParamSpecs (base/params.h), as a fault kind's and an
// adapter's are. The loader's unknown-key check allows exactly a table's
// declared names and lists them in the order declared ("allowed: mode,
// strategy, ..."), and the reads take the declared spec where it holds
// something to check: an integer's bounds (ReadInt), a choice's allowed
// values (ReadChoice). Which keys must be present, and when, is each
// table's reader's to say (table_*.cc). SuiteIntKeys() (suite_loader.h) is
// the integer keys declared here.
//
//   const TableKeys& keys = ExploreKeys();
//   CheckKeys(table, keys.table, keys.Names());
//   ReadInt(table, keys.table, keys.Key("seed"), &seed);
//
// [[faults]] keys are SharedFaultKeys() and each kind's (faults/fault.h);
// [adapter] takes AdapterKeys() and the adapter's own (its AdapterInfo).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/params.h"

namespace intransit::loader_internal {

struct TableKeys {
  std::string table;            // as messages name it: "[explore]", "[[actors]]"
  std::vector<ParamSpec> keys;  // in the order messages list them

  // The spec of the key `name`. REQUIRES: declared here (a read of an
  // undeclared key is a bug in the loader: it aborts).
  const ParamSpec& Key(std::string_view name) const;
  // The declared names, in order.
  std::vector<std::string> Names() const;
};

const TableKeys& SuiteKeys();    // [suite]
const TableKeys& AdapterKeys();  // [adapter], besides the adapter's own options
const TableKeys& UserKeys();     // [[users]]
const TableKeys& ActorKeys();    // [[actors]] of either kind
const TableKeys& MoverKeys();    // [[actors]] with kind = "mover": ActorKeys() and its own
const TableKeys& SenderKeys();   // [[actors]] with kind = "sender": ActorKeys() and its own
const TableKeys& ExploreKeys();  // [explore]
const TableKeys& OracleKeys();   // [oracle]

}  // namespace intransit::loader_internal
