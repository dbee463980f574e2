#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang-14 (build-fuzz/) and runs
# each for SECONDS (default 60) on a copy of its seed corpus, so the
# repository's corpus never grows by itself:
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET…]     (TARGET: config_toml, extract, …)
# One line per target: "fuzz <target>: <N> execs, <R> exec/s, ok". A crash,
# leak or hang (an input taking over 10 s) saves the input under
# fuzz/crashes/<target>-<kind>-<hash>, prints the report and makes the script
# exit 1 once every target ran. To keep a fixed crash as a regression test,
# move its file into fuzz/corpus/<target>/: every run starts with the corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
scripts/deps.sh

launcher=()
command -v ccache > /dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
# -O1 and line tables only (fuzz/CMakeLists.txt): what libFuzzer's own docs
# build with; reports keep file:line, and the build takes half the time -O2 -g did.
cmake -S fuzz -B build-fuzz -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 \
  -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=16 "${launcher[@]}" \
  > build-fuzz.configure.log 2>&1 || { cat build-fuzz.configure.log; exit 1; }
cmake --build build-fuzz -j"$(nproc)" > build-fuzz.build.log 2>&1 || { tail -50 build-fuzz.build.log; exit 1; }

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for bin in build-fuzz/bin/*_fuzz; do
    name="$(basename "$bin")"
    targets+=("${name%_fuzz}")
  done
fi

scratch="$(mktemp -d /tmp/rtx-fuzz.XXXXXX)"
trap 'rm -rf "$scratch"' EXIT
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
failed=0
for target in "${targets[@]}"; do
  bin="build-fuzz/bin/${target}_fuzz"
  [ -x "$bin" ] || { echo "fuzz $target: no such target ($bin)" >&2; failed=1; continue; }
  work="$scratch/$target"
  mkdir -p "$work/corpus" "$work/artifacts"
  [ -d "fuzz/corpus/$target" ] && cp -R "fuzz/corpus/$target/." "$work/corpus/"
  status=0
  "$bin" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" "$work/corpus" > "$work/log" 2>&1 || status=$?
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)"
  rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log" | tail -1)"
  if [ "$status" -eq 0 ]; then
    echo "fuzz $target: ${execs:-?} execs, ${rate:-?} exec/s, ok"
    continue
  fi
  failed=1
  mkdir -p fuzz/crashes
  saved=()
  for artifact in "$work/artifacts"/*; do
    [ -e "$artifact" ] || continue
    cp "$artifact" "fuzz/crashes/$target-$(basename "$artifact")"
    saved+=("fuzz/crashes/$target-$(basename "$artifact")")
  done
  echo "fuzz $target: ${execs:-?} execs, ${rate:-?} exec/s, FAILED (exit $status): ${saved[*]:-no input saved}"
  # The report: from the sanitizer's or libFuzzer's first line to the saved input.
  sed -n '/^==[0-9]*==\|runtime error\|property broken\|^ALARM\|^==.*ERROR/,$p' "$work/log" | head -80 >&2
done
exit "$failed"
