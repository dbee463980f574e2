#!/usr/bin/env bash
# Installs rtx from this checkout in one command: missing Debian packages
# (apt), a release build, then `cmake --install` into PREFIX (default
# ~/.local): PREFIX/bin/rtx (the static front), rtx-manager and rtx-shim, the man
# page, completions.
#   scripts/install.sh [PREFIX]
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="${1:-$HOME/.local}"
scripts/deps.sh
scripts/build.sh build-release -DCMAKE_BUILD_TYPE=Release -DRTX_TESTING=OFF -DRTX_BENCH=OFF -DRTX_FAULT_POINTS=OFF \
  > build-release.log 2>&1 || { tail -50 build-release.log; exit 1; }
cmake --install build-release --prefix "$prefix" > /dev/null
# The line comes from the installed rtx (shell::rc_line), the one source the
# e2e test of a new user's first shell (tests/e2e/new_user_test.cpp) also reads.
shell="$(basename "${SHELL:-bash}")"
case "$shell" in zsh | fish) ;; *) shell=bash ;; esac
echo "rtx installed in $prefix/bin. Add to your shell's rc file:"
echo "  $("$prefix/bin/rtx" __rc-line "$shell")"
