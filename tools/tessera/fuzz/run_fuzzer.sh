#!/bin/sh
# run_fuzzer.sh FUZZER CORPUS fresh|keep|keep-runs SEEDS [libFuzzer options]: runs a libFuzzer
# target with CORPUS as its working corpus (emptied first with "fresh", kept otherwise) and SEEDS
# as read-only inputs, so the seed files never change. "keep" (make fuzz) runs for FUZZ_SECONDS
# seconds (default 600), "keep-runs" for FUZZ_RUNS inputs (default 10^6).
set -eu
fuzzer=$1 corpus=$2 mode=$3 seeds=$4
shift 4
[ "$mode" = fresh ] && rm -rf "$corpus"
mkdir -p "$corpus" "$(dirname "$corpus")/artifacts"
if [ "$mode" = keep ]; then
    set -- "$@" "-max_total_time=${FUZZ_SECONDS:-600}"
elif [ "$mode" = keep-runs ]; then
    set -- "$@" "-runs=${FUZZ_RUNS:-1000000}"
fi
exec "$fuzzer" "$@" "$corpus" "$seeds"
