#!/usr/bin/env bash
# Runs every benchmark and prints their figures (bench/README.md).
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
section "what the kernel charges per syscall, directory, page, exec: $bin/rtx-bench-kernel-costs"
"$bin/rtx-bench-kernel-costs" | tee -a "$log"
section "shim growth (versions, index, depth, env): $bin/rtx-bench-shim-growth"
"$bin/rtx-bench-shim-growth" | tee -a "$log"

section "rtx ps with 1000 lease holders: $bin/rtx-bench-ps"; "$bin/rtx-bench-ps" | tee -a "$log"
section "same, with a RETIRED build: $bin/rtx-bench-ps --retired 1"
"$bin/rtx-bench-ps" --retired 1 | tee -a "$log"
section "growth, rtx ps vs live lease holders: $bin/rtx-bench-ps --growth 100,1000,10000"
"$bin/rtx-bench-ps" --growth 100,1000,10000 | tee -a "$log"
section "growth, rtx gc vs RETIRED builds held by one process each: $bin/rtx-bench-gc-growth"
"$bin/rtx-bench-gc-growth" | tee -a "$log"

section "shim throughput during upgrades: $bin/rtx-bench-upgrade-throughput --windows 6 --seconds 2"
"$bin/rtx-bench-upgrade-throughput" --windows 6 --seconds 2 | tee -a "$log"

section "extraction vs tar -xf: $bin/rtx-bench-extract"; "$bin/rtx-bench-extract" | tee -a "$log"

# These need the test HTTP server, built only with the tests.
if [[ -x "$bin/rtx-bench-download" ]]; then
  section "download vs curl -o: $bin/rtx-bench-download --mib 100 --rounds 5"
  "$bin/rtx-bench-download" --mib 100 --rounds 5 | tee -a "$log"
fi
if [[ -x "$bin/rtx-bench-cached-reinstall" ]]; then
  section "cached reinstall: $bin/rtx-bench-cached-reinstall"
  "$bin/rtx-bench-cached-reinstall" | tee -a "$log"
  section "growth, rtx install from the cache vs archive size: $bin/rtx-bench-cached-reinstall --growth 1,10,100"
  "$bin/rtx-bench-cached-reinstall" --growth 1,10,100 | tee -a "$log"
fi
if [[ -x "$bin/rtx-bench-parallel-install" ]]; then
  section "parallel installs, -j1 vs -j4: $bin/rtx-bench-parallel-install"
  "$bin/rtx-bench-parallel-install" | tee -a "$log"
fi
if [[ -x "$bin/rtx-bench-locked-install" ]]; then
  section "locked vs unlocked install: $bin/rtx-bench-locked-install"
  "$bin/rtx-bench-locked-install" | tee -a "$log"
fi

# Needs the network (mise from the npm registry, rbenv from apt if missing):
# a failure there is reported and the other figures stand.
section "rtx's shim vs mise's and rbenv's: $here/compare_peers.sh --bin $bin"
"$here/compare_peers.sh" --bin "$bin" | tee -a "$log" || echo "(compare_peers.sh failed: see its line above)"

section "instructions: $here/shim_callgrind.sh $bin"
"$here/shim_callgrind.sh" "$bin" | tee -a "$log"
section "syscalls and instructions per variant, realistic setup: $here/shim_profile.sh $bin"
"$here/shim_profile.sh" "$bin" | tee -a "$log"

section "summary (targets: resolution <= 10 us, shim/hop overhead <= 1.3, shim RSS <= 2048 KiB, shim <= 200000 instructions, ps <= 50 ms, extraction/tar >= 0.9)"
grep '^RESULT' "$log"
