#!/usr/bin/env bash
# Fuzzes one target for a while, or minimises its checked-in corpus.
#
#   tests/fuzz/run-fuzz.sh TARGET SECONDS   fuzz; exit non-zero on a crash,
#                                           leak, timeout or huge allocation
#   tests/fuzz/run-fuzz.sh TARGET merge     minimise tests/fuzz/corpus/TARGET
#                                           with what the runs found
#
# TARGET: suite_loader, schedule_token or exec_reply. Run from anywhere; it
# builds the clang build directory ($FUZZ_BUILD, default build-fuzz) first
# if needed. New inputs go to $FUZZ_BUILD/corpus/TARGET (kept between runs,
# never the checked-in seeds); a crash's input to
# $FUZZ_BUILD/artifacts/TARGET/, to be copied into tests/fuzz/corpus/TARGET/
# as regress-<what> once it is fixed. It ends with libFuzzer's final stats
# and one line "TARGET: N execs/s, corpus N inputs (N bytes), ...".
set -euo pipefail
cd "$(dirname "$0")/../.."

usage() { echo "usage: $0 suite_loader|schedule_token|exec_reply SECONDS|merge" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
target=$1
what=$2
case $target in suite_loader|schedule_token|exec_reply) ;; *) usage ;; esac
[[ $what == merge || $what =~ ^[0-9]+$ ]] || usage

build=${FUZZ_BUILD:-build-fuzz}
if [[ ! -f $build/CMakeCache.txt ]]; then
  CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DINTRANSIT_FUZZ=ON -DINTRANSIT_TESTS=OFF
fi
cmake --build "$build" -j2 --target "fuzz_$target" >/dev/null

seeds=tests/fuzz/corpus/$target
work=$build/corpus/$target
artifacts=$build/artifacts/$target
mkdir -p "$work" "$artifacts"
fuzzer=$build/tests/fuzz/fuzz_$target

# Bounds for every input: 2 GB of memory in all, 1 GB in one allocation
# (a parser must refuse a huge count before it allocates), 10 s per input.
limits=(-rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=10)

if [[ $what == merge ]]; then
  # Regression inputs (regress-*) stay whatever coverage they add.
  fresh=$(mktemp -d)
  trap 'rm -rf "$fresh"' EXIT
  "$fuzzer" -merge=1 "${limits[@]}" "$fresh" "$seeds" "$work" 2>&1 | grep -E '^MERGE-OUTER' || true
  find "$seeds" -maxdepth 1 -type f ! -name 'regress-*' -delete
  cp "$fresh"/* "$seeds"/
  echo "$target: $(find "$seeds" -type f | wc -l) inputs in $seeds"
  exit 0
fi

log=$build/fuzz-$target.log
set +e
"$fuzzer" "${limits[@]}" -max_total_time="$what" -print_final_stats=1 \
  -artifact_prefix="$artifacts/" "$work" "$seeds" >"$log" 2>&1
status=$?
set -e
grep -E '^stat::|^(==|SUMMARY|artifact_prefix|Test unit written|Base64)' "$log" || true
corpus=$(grep -oE 'corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" | tail -1 | cut -d' ' -f2)
execs=$(grep -oE '^stat::average_exec_per_sec: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo '?')
rss=$(grep -oE '^stat::peak_rss_mb: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo '?')
echo "$target: $execs execs/s, corpus ${corpus%%/*} inputs (${corpus#*/}), peak RSS $rss MB," \
  "$what s, libFuzzer exit $status (log: $log)"
exit "$status"
