#!/usr/bin/env bash
# Installs what is missing, builds, runs every test (stress tests included),
# then builds and runs them again, stress tests excepted, under AddressSanitizer
# + UBSan, then the fuzzers for a bounded time and the manager's tests under
# ThreadSanitizer.
# Skip the slow stress tests locally with: RTX_SKIP_STRESS=1 scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# Each stage's wall time, printed again as the last lines of the log (a CI log
# may keep only its head and tail), so a slow stage shows where it is.
times=()
stage_start=$SECONDS
stage() {  # stage NAME: closes the running stage under NAME
  times+=("$(printf '%5d s  %s' $((SECONDS - stage_start)) "$1")")
  stage_start=$SECONDS
}
print_times() {
  echo "== test.sh stages (wall time)"
  printf '%s\n' "${times[@]}"
  echo "$(printf '%5d s  total' "$SECONDS")"
}
trap print_times EXIT

scripts/deps.sh
stage deps
# The unit binaries' "whole" runs (one process each) are left to the sanitizer
# stage below, which runs them anyway; here every test runs on its own.
skip_labels=whole
[ -n "${RTX_SKIP_STRESS:-}" ] && skip_labels="whole|stress"

# ctest in BUILD_DIR; when a test fails, the end of its output is printed again
# at the end of the log (a CI log may keep only its head and tail). Three at a
# time on 2 cores: most e2e tests wait on servers, locks and child processes
# (the whole run used ~1.1 of 2 cores at -j2), and every test must hold on a
# loaded machine anyway.
run_ctest() {
  local dir="$1"
  shift
  ctest --test-dir "$dir" --output-on-failure -j3 "$@" && return 0
  local rc=$?
  scripts/ctest_failures.sh "$dir"
  return "$rc"
}

scripts/build.sh build -DRTX_BENCH=ON
stage "build"
run_ctest build -LE "$skip_labels"
stage "ctest"

# Sanitizers: the same suite, with the binaries it drives built instrumented,
# the unit binaries each as one process (label "whole": an ASan process start
# costs ~0.3 s, 470 of them most of this stage), and without the stress tests
# (the soak, zero-downtime): they ran above against the optimised build, where
# their load is what they are about; under -O0 ASan the same rounds would take
# much of CI's time budget and exercise no code the other tests do not. Nor the
# install-prefix stories (cmake --install, cpack, the demo from the prefix):
# they test packaging, and under ASan they only rebuild a .deb slowly.
scripts/build.sh build-asan -DRTX_SANITIZE=ON -DRTX_BENCH=OFF -DCMAKE_BUILD_TYPE=Debug
stage "build-asan"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  run_ctest build-asan -L "e2e|whole" -LE stress -E "^e2e\.InstallPrefix\."
stage "ctest asan+ubsan"

# Fuzzers (issue 8 item 12): each libFuzzer target of fuzz/ for a bounded
# time, on a copy of its seed corpus: 5 s × 23 targets stays under 2 minutes
# of fuzzing. Then ThreadSanitizer (item 14) on the manager's and net's unit
# tests and the npm dependency installer end to end.
scripts/fuzz.sh 5
stage "fuzz (build and run)"
scripts/tsan.sh
stage "tsan (build and run)"
