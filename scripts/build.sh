#!/usr/bin/env bash
# Configures and builds rtx: scripts/build.sh [BUILD_DIR] [CMAKE_ARGS…]
# Writes BUILD_DIR/bin/rtx and BUILD_DIR/bin/rtx-shim (default BUILD_DIR: build).
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-build}"
shift || true
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" > "$dir.configure.log" 2>&1 \
  || { cat "$dir.configure.log"; exit 1; }
cmake --build "$dir" -j"$(nproc)"
