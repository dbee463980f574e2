#!/usr/bin/env bash
# Installs what is missing, builds, runs every test (stress tests included),
# then builds and runs the tests again under AddressSanitizer + UBSan, then the
# fuzzers for a bounded time and the manager's tests under ThreadSanitizer.
# Skip the slow stress tests locally with: RTX_SKIP_STRESS=1 scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
exclude=()
[ -n "${RTX_SKIP_STRESS:-}" ] && exclude=(-LE stress)

# ctest in BUILD_DIR; when a test fails, the end of its output is printed again
# at the end of the log (a CI log may keep only its head and tail).
run_ctest() {
  local dir="$1"
  shift
  ctest --test-dir "$dir" --output-on-failure -j2 "$@" && return 0
  local rc=$?
  scripts/ctest_failures.sh "$dir"
  return "$rc"
}

scripts/build.sh build -DRTX_BENCH=ON
run_ctest build "${exclude[@]}"
# ctest runs each test in a process of its own; the unit binaries also run
# whole, so state one test leaves to the next (a reused libcurl handle) is
# exercised as a long-lived rtx would.
for unit in net_tests manager_tests archive_tests; do
  echo "== $unit, every test in one process"
  (cd build && "bin/$unit" --gtest_brief=1)
done

# Sanitizers: the same suite, with the binaries it drives built instrumented.
scripts/build.sh build-asan -DRTX_SANITIZE=ON -DRTX_BENCH=OFF -DCMAKE_BUILD_TYPE=Debug
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  run_ctest build-asan "${exclude[@]}"

# Fuzzers (issue 8 item 12): each libFuzzer target of fuzz/ for a bounded
# time, on a copy of its seed corpus: 7 s × 15 targets stays under 2 minutes
# of fuzzing. Then ThreadSanitizer (item 14) on the manager's and net's unit
# tests and the npm dependency installer end to end.
scripts/fuzz.sh 7
scripts/tsan.sh
