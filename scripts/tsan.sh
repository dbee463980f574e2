#!/usr/bin/env bash
# ThreadSanitizer (issue 8 item 14): the manager's unit tests (manager_tests,
# net_tests) and the npm dependency installer, driven end to end
# (npm_dependencies_test) and `rtx install -j` of six tools
# (parallel_install_test) through an rtx built with -fsanitize=thread.
#
# The static rtx-shim cannot be built under TSan (g++ refuses -static with
# -fsanitize=thread) and has no threads: the e2e test gets an uninstrumented
# shim built in build-tsan/shim/, copied into build-tsan/bin/, and its own
# target is built without its dependencies ("/fast", Makefile generator) so
# the build never tries to link the static shim with TSan.
#
# Every process writes its reports to build-tsan/tsan-logs/ (log_path), so a
# race in an rtx child the e2e harness runs counts as much as one in a test
# binary: any report, or any failing test, fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
jobs="$(nproc)"
launcher=()
command -v ccache > /dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

configure() {  # configure DIR ARGS…
  local dir="$1"
  shift
  mkdir -p "$dir"
  cmake -S . -B "$dir" -G "Unix Makefiles" -DRTX_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=16 "${launcher[@]}" "$@" \
    > "$dir.configure.log" 2>&1 || { cat "$dir.configure.log"; exit 1; }
}

# -O1 and line tables (-g1): what TSan's docs build with, reports keep
# file:line, and the build costs far less than RelWithDebInfo's -O2 -g.
configure build-tsan -DCMAKE_CXX_FLAGS=-fsanitize=thread "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1"
configure build-tsan/shim -DRTX_TESTING=OFF
cmake --build build-tsan/shim -j"$jobs" --target rtx-shim
cmake --build build-tsan -j"$jobs" --target manager_tests net_tests rtx rtx_e2e_harness rtx_test_http_server rtx_test_archive_builder
cp build-tsan/shim/bin/rtx-shim build-tsan/bin/rtx-shim
make -C build-tsan --no-print-directory -j"$jobs" npm_dependencies_test/fast parallel_install_test/fast

logs="$PWD/build-tsan/tsan-logs"
rm -rf "$logs"
mkdir -p "$logs"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:log_path=$logs/report"
failed=0
for test in manager_tests net_tests npm_dependencies_test parallel_install_test; do
  echo "== tsan: $test"
  (cd build-tsan && "bin/$test" --gtest_brief=1) || failed=1
done
for report in "$logs"/report*; do
  [ -e "$report" ] || continue
  echo "== tsan: report $(basename "$report")" >&2
  cat "$report" >&2
  failed=1
done
[ "$failed" -eq 0 ] && echo "tsan: manager_tests, net_tests, npm_dependencies_test, parallel_install_test: no reports"
exit "$failed"
