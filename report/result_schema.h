// The JSON Schema of the JSON report, format "intransit-result/1"
// (schemas/result.schema.json; `intransit schema result` prints it). Written
// here, next to report_json.cc which writes the format, so that a key added
// there and not here fails the test that validates every report the tests
// write (tests/framework/schema_test.cc).
#pragma once

#include <string>

namespace intransit {

// The schema as JSON text (draft-07, 2-space indent, trailing newline).
std::string ResultSchemaJson();

}  // namespace intransit
