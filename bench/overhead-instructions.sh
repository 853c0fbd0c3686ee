#!/usr/bin/env bash
# The runner's overhead in counts that do not depend on the machine's load:
# instructions, L1 instruction-cache misses, L1 data-cache misses and
# mispredicted branches per schedule, from cachegrind's simulation, for the
# explorer (sp4, 3 senders x 2 messages, reduction none) and for the same
# store operations and oracle in a fixed order (bench/overhead_bench.cc).
#
#   bench/overhead-instructions.sh [BUILD_DIR] [N]
#
# Each side runs N and 2N schedules; the difference divided by N leaves out
# start-up (loading the suite, the first allocations). Thread CPU time, which
# `intransit_bench overhead` prints, counts what other jobs on a shared
# machine do to the caches and the branch predictor; these counts do not
# (cachegrind's branch model has no return-stack buffer, so what a stack
# switch costs there is not in them). Needs valgrind. Takes a minute or two.
set -euo pipefail
build=${1:-build}
n=${2:-2000}
bench=$build/intransit_bench
[[ -x $bench ]] || { echo "no $bench: build the bench target first" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Totals of one run: "Ir I1mr D1mr+D1mw Bcm+Bim".
totals() {
  valgrind --tool=cachegrind --cache-sim=yes --branch-sim=yes \
    --cachegrind-out-file="$work/out" "$bench" "overhead-$1" "$2" >/dev/null 2>&1
  awk '/^events:/ { for (i = 2; i <= NF; ++i) name[i] = $i }
       /^summary:/ { for (i = 2; i <= NF; ++i) v[name[i]] = $i
                     print v["Ir"], v["I1mr"], v["D1mr"] + v["D1mw"], v["Bcm"] + v["Bim"] }' \
    "$work/out"
}

declare -A per
for side in runner fixed; do
  read -r -a one <<<"$(totals "$side" "$n")"
  read -r -a two <<<"$(totals "$side" $((2 * n)))"
  for i in 0 1 2 3; do per[$side,$i]=$(( (two[i] - one[i]) / n )); done
done

names=("instructions" "I1 misses" "D1 misses" "mispredicted branches")
echo "runner overhead per schedule (sp4, 3x2, reduction none; cachegrind, $n vs $((2 * n)) schedules):"
for i in 0 1 2 3; do
  r=${per[runner,$i]}
  f=${per[fixed,$i]}
  ratio=$(awk -v r="$r" -v f="$f" 'BEGIN { if (f > 0) printf "%.2fx", r / f; else print "-" }')
  printf '  %-22s runner %8d   fixed order %8d   %s\n' "${names[$i]}" "$r" "$f" "$ratio"
done
