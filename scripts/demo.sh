#!/usr/bin/env bash
# The main job, live: installs what is missing, builds, then runs the demo
# scenario (scripts/demo_run.sh) with the rtx just built.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh build > build.log 2>&1 || { tail -50 build.log; exit 1; }
PATH="$PWD/build/bin:$PATH" exec scripts/demo_run.sh "$PWD/examples/asdf-hello"
