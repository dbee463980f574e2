#!/usr/bin/env bash
# Runs the three benchmarks and prints their figures (bench/README.md).
#
#   bench/run_all.sh [BIN_DIR]     default: build/bin beside bench/
#   ROUNDS=N (rtx-bench-shim rounds, default 2000), REPS=N (Google Benchmark
#   repetitions, default 9) tune the run time.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bin=$(cd "${1:-$here/../build/bin}" && pwd)
rounds=${ROUNDS:-2000}
reps=${REPS:-9}
log=$(mktemp /tmp/rtx-bench-log-XXXXXX)
trap 'rm -f "$log"' EXIT

section() { printf '\n=== %s\n' "$*"; }

section "resolution in-process: $bin/rtx-bench-resolve"
"$bin/rtx-bench-resolve" --benchmark_color=false --benchmark_repetitions="$reps" | tee -a "$log"

section "whole process: $bin/rtx-bench-shim --rounds $rounds"
"$bin/rtx-bench-shim" --rounds "$rounds" | tee -a "$log"

section "rtx ps with 1000 lease holders: $bin/rtx-bench-ps"; "$bin/rtx-bench-ps" | tee -a "$log"

section "instructions: $here/shim_callgrind.sh $bin"
"$here/shim_callgrind.sh" "$bin" | tee -a "$log"

section "summary (targets: resolution <= 10 us, shim/hop overhead <= 1.3, shim RSS <= 2048 KiB, shim <= 200000 instructions)"
grep '^RESULT' "$log"
