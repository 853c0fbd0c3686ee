// The JSON Schema of a suite file (schemas/suite.schema.json), generated
// from the keys the loader declares — suite/suite_keys.cc's tables, the fault
// kinds' ParamSpecs (faults/) and the registered adapters' options — so it
// cannot drift from what `intransit check` accepts. TOML editors (taplo,
// Even Better TOML) read it to complete and check suites as they are typed;
// `intransit schema suite` prints it.
//
// The schema is draft-07 (what those editors read). It is looser than the
// loader in what JSON Schema cannot say (a point the adapter passes, an
// actor's name, a name's character rule) and as strict in the rest: every
// table and key, each type, each choice, each integer's bounds, the keys a
// table requires.
#pragma once

#include <string>

namespace intransit {

// The schema as JSON text (2-space indent, trailing newline).
// REQUIRES: RegisterBuiltinFaults() has run, and the adapters the schema
// should name are registered (AdapterRegistry::Global()).
std::string SuiteSchemaJson();

}  // namespace intransit
