#!/usr/bin/env bash
# rtx's start-up vs mise 2026.9.15's (issue 11 item 3): fetches mise from the
# npm registry into /tmp (never into the tree) and runs rtx-bench-startup,
# which times rtx --version, current, which, ls, ps against mise's and against
# the full manager (rtx-manager), interleaved.
#
#   bench/startup_vs_mise.sh [BUILD_DIR] [-- rtx-bench-startup flags…]
#   e.g. bench/startup_vs_mise.sh build -- --rounds 101
set -euo pipefail
build=${1:-build}
shift || true
[ "${1:-}" = "--" ] && shift
version=2026.9.15
dir=/tmp/rtx-bench-mise-$version
mise=$dir/package/bin/mise
if [ ! -x "$mise" ]; then
  mkdir -p "$dir"
  curl -sfL -o "$dir/mise.tgz" "https://registry.npmjs.org/@jdxcode/mise-linux-x64/-/mise-linux-x64-$version.tgz"
  tar -xzf "$dir/mise.tgz" -C "$dir"
fi
"$mise" --version
exec "$build/bin/rtx-bench-startup" --mise "$mise" "$@"
