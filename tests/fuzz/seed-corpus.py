#!/usr/bin/env python3
"""Writes the seed inputs of the fuzz targets into tests/fuzz/corpus/<target>/.

Seeds come from what the repository already holds:
  suite_loader   every shipped suite (suites/, examples/) and the TOML texts
                 the tests embed as raw strings (R"( ... )");
  schedule_token every token ("1.…") quoted in the README, docs and tests,
                 and those the shipped reference suites print;
  exec_reply     every JSON line of docs/exec-protocol.md, and the lines a
                 file given with --lines holds (one per line: e.g. the stdout
                 of examples/python-store captured with `| tee` in its
                 adapter.command).
Each input is stored under the SHA-1 of its bytes, as libFuzzer names them,
so running this again adds nothing twice. Run from the repository root;
afterwards minimise with run-fuzz.sh's merge (see README.md).
"""
import argparse
import glob
import hashlib
import os
import re
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")


def write(target, data):
    if isinstance(data, str):
        data = data.encode()
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, hashlib.sha1(data).hexdigest())
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def sources(*patterns):
    for pattern in patterns:
        yield from sorted(glob.glob(os.path.join(ROOT, pattern), recursive=True))


def c_strings(text):
    """The value of adjacent C string literals ("a\\n" "b")."""
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', text)
    return "".join(p.encode().decode("unicode_escape") for p in parts)


def suites():
    for path in sources("suites/**/*.toml", "examples/**/*.toml"):
        write("suite_loader", read(path))
    raw = re.compile(r'R"\((.*?)\)"', re.S)
    literals = r'((?:\s*"(?:[^"\\\n]|\\.)*"(?:\s*//[^\n]*)?)+)'
    for path in sources("tests/**/*.cc"):
        text = read(path)
        for suite in raw.findall(text):
            if "[" in suite and "=" in suite:
                write("suite_loader", suite)
        # The loader tests: kBase (ten lines) plus the lines a case appends.
        base = re.search(r"const std::string kBase =" + literals, text)
        if base:
            base = c_strings(re.sub(r"//[^\n]*", "", base.group(1)))
            for tail in re.findall(r"kBase \+" + literals, text):
                write("suite_loader", base + c_strings(re.sub(r"//[^\n]*", "", tail)))


def tokens(binary):
    found = set()
    pattern = re.compile(r"\b1\.[a-z0-9_]*")
    for path in sources("README.md", "docs/*.md", "tests/**/*.cc", "tests/golden/*"):
        found.update(t for t in pattern.findall(read(path)) if not t.startswith("1.tom"))
    if binary:
        shipped = list(sources("suites/*.toml", "suites/races/*.toml", "suites/conformance/*.toml"))
        out = subprocess.run([binary, "run"] + shipped, cwd=ROOT, capture_output=True, text=True)
        found.update(re.findall(r"--schedule '?(1\.[a-z0-9_]*)", out.stdout + out.stderr))
    for t in sorted(found):
        write("schedule_token", t)


def exec_lines(extra):
    lines = []
    for line in read(os.path.join(ROOT, "docs/exec-protocol.md")).splitlines():
        m = re.search(r"(\{.*\})", line)
        if m:
            lines.append(m.group(1))
    for path in extra:
        lines.extend(read(path).splitlines())
    for line in lines:
        write("exec_reply", line)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--intransit", help="an intransit binary, to collect printed tokens")
    ap.add_argument("--lines", action="append", default=[], help="a file of exec lines")
    args = ap.parse_args()
    suites()
    tokens(args.intransit)
    exec_lines(args.lines)


if __name__ == "__main__":
    main()
