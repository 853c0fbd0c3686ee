#!/usr/bin/env python3
"""Validates files against a JSON Schema: TOML suites (read with tomllib,
Python 3.11) or JSON reports. Used by tests/framework/schema_test.cc.

  validate.py SCHEMA FILE...   exit 0 when every FILE validates, else 1
Every failure is printed as FILE: path: message.
"""
import json
import sys
import tomllib

import jsonschema


def load(path):
    with open(path, "rb") as f:
        if path.endswith(".toml"):
            return tomllib.load(f)
        return json.load(f)


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], "rb") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)  # the schema itself must be a valid draft-07 schema
    validator = cls(schema)
    bad = 0
    for path in sys.argv[2:]:
        for error in validator.iter_errors(load(path)):
            where = "/".join(str(p) for p in error.absolute_path) or "(top)"
            print(f"{path}: {where}: {error.message}")
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
