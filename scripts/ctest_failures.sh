#!/usr/bin/env bash
# scripts/ctest_failures.sh BUILD_DIR: prints again, last, the end of the output
# of every test that failed in BUILD_DIR's last ctest run. A CI log that keeps
# only its head and tail then still shows why each test failed.
set -uo pipefail
dir="$1"
failed="$dir/Testing/Temporary/LastTestsFailed.log"
log="$dir/Testing/Temporary/LastTest.log"
[ -f "$failed" ] && [ -f "$log" ] || exit 0
echo "== the failed tests of $dir, the end of each one's output"
cut -d: -f2- "$failed" | while IFS= read -r name; do
  echo "-- $name"
  awk -v name="$name" '
    index($0, "Test: " name) && $0 ~ ("Test: " name "$") { on = 1; next }
    on && /^<end of output>/ { exit }
    on { print }' "$log" | tail -n 60
done
