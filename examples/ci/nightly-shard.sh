#!/bin/sh
# One nightly run split over N machines, in two steps that any CI or
# scheduler can run: every shard explores its part of every suite's schedule
# space and writes its JSON result; one merge puts them back together into
# the verdict, the reports and the exit code the unsharded run gives.
#
#   nightly-shard.sh run N RESULTS     run shard I of N (I from SHARD_INDEX,
#                                      1-based, or Kubernetes'
#                                      JOB_COMPLETION_INDEX, 0-based)
#   nightly-shard.sh merge N RESULTS   merge RESULTS/shard-*-of-N.json
#
# Environment:
#   NIGHTLY_SUITES  the suite files (shell words, globs allowed; default the
#                   shipped known-bug suites and the conformance battery)
#   NIGHTLY_WAIT    merge: wait up to this many seconds for every shard's
#                   result to appear (a merge job started with the shards,
#                   as on Kubernetes); default 0, no wait
#   INTRANSIT       the intransit binary (default: intransit on PATH)
#
# Exit code: intransit's. A shard of an expect = "violation" suite that holds
# no violation is not judged and exits 0; the merge judges the whole space.
# Used by examples/ci/github-actions.yml and examples/k8s/nightly.yaml, and
# run as shipped by tests/examples/recipes_test.py.
set -eu

usage() {
  echo "usage: $0 run N RESULTS | merge N RESULTS" >&2
  exit 2
}

[ $# -eq 3 ] || usage
command=$1
total=$2
results=$3
intransit=${INTRANSIT:-intransit}
suites=${NIGHTLY_SUITES:-"suites/q277911.toml suites/q277911-sp4.toml suites/conformance/*.toml"}
case $total in
  '' | *[!0-9]* | 0) echo "$0: N must be a positive integer, not '$total'" >&2; exit 2 ;;
esac
mkdir -p "$results"

case $command in
  run)
    if [ -n "${SHARD_INDEX:-}" ]; then
      index=$SHARD_INDEX
    elif [ -n "${JOB_COMPLETION_INDEX:-}" ]; then
      index=$((JOB_COMPLETION_INDEX + 1))
    else
      echo "$0: set SHARD_INDEX (1-based) or JOB_COMPLETION_INDEX (0-based)" >&2
      exit 2
    fi
    out="$results/shard-$index-of-$total"
    # $suites unquoted on purpose: a list of words and globs.
    # shellcheck disable=SC2086
    exec "$intransit" run $suites --shard "$index/$total" \
      --json "$out.json" --junit "$out.junit.xml"
    ;;
  merge)
    waited=0
    while :; do
      have=$(find "$results" -maxdepth 1 -name "shard-*-of-$total.json" | wc -l)
      [ "$have" -ge "$total" ] && break
      if [ "$waited" -ge "${NIGHTLY_WAIT:-0}" ]; then
        echo "$0: $have of $total shard results in $results" >&2
        break  # merge names what is missing
      fi
      sleep 1
      waited=$((waited + 1))
    done
    exec "$intransit" merge "$results"/shard-*-of-"$total".json \
      --json "$results/merged.json" --junit "$results/merged.junit.xml" \
      --html "$results/merged.html"
    ;;
  *) usage ;;
esac
