#!/bin/sh
# ctest install_into_a_prefix: `cmake --install` into a temporary prefix,
# then use only what was installed, as a vendor would:
#   - every piece is there: binary, battery, suites, schemas, docs, man page,
#     completion, <intransit/fiu_gate.h>, the CMake package and intransit.pc;
#   - the prefix is moved elsewhere (nothing may point back into it or into
#     the sources), and the moved binary prints its version and runs
#     `conform --adapter reference` on the battery beside it, from a
#     directory with no suites/;
#   - a tiny C store includes <intransit/fiu_gate.h> and links libfiu, built
#     once with pkg-config and once with find_package(intransit).
# Usage: install_test.sh BUILD_DIR
set -eu
build=$(cd "$1" && pwd)
work=$(cd "$(mktemp -d)" && pwd -P)  # real path: /proc/self/exe gives one
trap 'rm -rf "$work"' EXIT
fail() { echo "install_test: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$work/first" >/dev/null
mv "$work/first" "$work/moved"
p="$work/moved"
for f in bin/intransit share/intransit/conformance/baseline.toml share/intransit/q277911.toml \
         share/intransit/schemas/suite.schema.json share/intransit/schemas/result.schema.json \
         share/doc/intransit/README.md share/doc/intransit/suite-format.md \
         share/bash-completion/completions/intransit include/intransit/fiu_gate.h; do
  [ -e "$p/$f" ] || fail "missing $f"
done
if command -v help2man >/dev/null; then
  [ -e "$p/share/man/man1/intransit.1" ] || fail "missing share/man/man1/intransit.1"
  grep -q 'conform' "$p/share/man/man1/intransit.1" || fail "the man page lacks the commands"
fi
pc=$(find "$p" -name intransit.pc)
[ -n "$pc" ] || fail "missing intransit.pc"
config=$(find "$p" -name intransitConfig.cmake)
[ -n "$config" ] || fail "missing intransitConfig.cmake"

# The moved binary, run from an empty directory: its battery is the one
# beside it, not ./suites and not the source tree.
mkdir "$work/elsewhere"
cd "$work/elsewhere"
"$p/bin/intransit" --version | grep -q '^intransit [0-9]' || fail "--version"
out=$(env -u INTRANSIT_DATA_DIR "$p/bin/intransit" conform --adapter reference \
      --max-schedules 40) || fail "conform from the installed binary failed: $out"
echo "$out" | head -1 | grep -q "($p/share/intransit/conformance)" ||
  fail "conform did not use the installed battery: $(echo "$out" | head -1)"
# INTRANSIT_DATA_DIR wins.
mkdir -p "$work/data/conformance"
cp "$p/share/intransit/conformance/baseline.toml" "$work/data/conformance/"
out=$(INTRANSIT_DATA_DIR="$work/data" "$p/bin/intransit" conform --adapter reference \
      --max-schedules 40) || fail "conform with INTRANSIT_DATA_DIR failed: $out"
echo "$out" | head -1 | grep -q "($work/data/conformance)" || fail "INTRANSIT_DATA_DIR ignored"

# A tiny C store against the installed header.
cat > "$work/store.c" <<'C'
#include <intransit/fiu_gate.h>
#include <stdio.h>
static int flag(void) {
  fiu_return_on(INTRANSIT_POINT("flag"), -1);
  return 0;
}
int main(void) {
  fiu_init(0);
  printf("%d %ld\n", flag(), (long)INTRANSIT_FIU_AFTER);
  return 0;
}
C
cc -o "$work/store" "$work/store.c" \
  $(PKG_CONFIG_PATH="$(dirname "$pc")" pkg-config --cflags --libs intransit) ||
  fail "the C store does not build with pkg-config"
[ "$("$work/store")" = "0 16" ] || fail "the C store built with pkg-config misbehaves"

mkdir "$work/cmake-store"
cat > "$work/cmake-store/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.22)
project(store C)
find_package(intransit REQUIRED)
add_executable(store ../store.c)
target_link_libraries(store PRIVATE intransit::fiu_gate)
CM
cmake -S "$work/cmake-store" -B "$work/cmake-store/build" -DCMAKE_PREFIX_PATH="$p" >/dev/null ||
  fail "find_package(intransit) failed"
cmake --build "$work/cmake-store/build" >/dev/null || fail "the C store does not build with CMake"
[ "$("$work/cmake-store/build/store")" = "0 16" ] || fail "the C store built with CMake misbehaves"
echo "install_test: ok ($p)"
