#!/bin/sh
# run_fuzzer.sh FUZZER CORPUS fresh|keep SEEDS [libFuzzer options]: runs the description fuzzer
# with CORPUS as its working corpus (emptied first with "fresh", kept with "keep") and SEEDS as
# read-only inputs, so the repository's seed files never change. "keep" (make fuzz) runs for
# FUZZ_SECONDS seconds (default 600).
set -eu
fuzzer=$1 corpus=$2 mode=$3 seeds=$4
shift 4
[ "$mode" = fresh ] && rm -rf "$corpus"
mkdir -p "$corpus" "$(dirname "$corpus")/artifacts"
if [ "$mode" = keep ]; then
    set -- "$@" "-max_total_time=${FUZZ_SECONDS:-600}"
fi
exec "$fuzzer" "$@" "$corpus" "$seeds"
