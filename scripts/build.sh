#!/usr/bin/env bash
# Configures and builds rtx: scripts/build.sh [BUILD_DIR] [CMAKE_ARGS…]
# Writes BUILD_DIR/bin/rtx, rtx-manager and rtx-shim (default BUILD_DIR: build).
# A unity build (16 sources per compiler run): about half the CPU time of one
# run per file, since most of a file's time is the headers it shares with the
# others. File-local names must therefore be unique across a target; pass
# -DCMAKE_UNITY_BUILD=OFF for one compiler run per file while editing.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-build}"
shift || true
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=16 "$@" > "$dir.configure.log" 2>&1 \
  || { cat "$dir.configure.log"; exit 1; }
cmake --build "$dir" -j"$(nproc)"
