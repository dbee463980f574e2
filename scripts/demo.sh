#!/usr/bin/env bash
# The main job, live: installs what is missing, builds, then in a throwaway
# rtx world links the sample asdf plugin, installs two versions side by side,
# and runs the tool through its shim from two projects that ask for different
# versions; then shows the lease and pin a running tool holds.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
scripts/deps.sh
scripts/build.sh build > build.log 2>&1 || { tail -50 build.log; exit 1; }

world=$(mktemp -d /tmp/rtx-demo-XXXXXX)
trap 'rm -rf "$world"' EXIT
export RTX_DATA_DIR="$world/data" RTX_CONFIG_DIR="$world/config" RTX_CACHE_DIR="$world/cache"
export RTX_STATE_DIR="$world/state" HOME="$world/home"
export PATH="$RTX_DATA_DIR/shims:$repo/build/bin:$PATH"
mkdir -p "$HOME"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }

step "link the sample asdf plugin (examples/asdf-hello) and install two versions side by side"
show rtx plugins link hello "$repo/examples/asdf-hello"
show rtx ls-remote hello
show rtx install hello@1 hello@2.0.0
show rtx ls

step "two projects ask for different versions"
mkdir -p "$world/legacy-app" "$world/new-app/src"
echo "hello 1" > "$world/legacy-app/.tool-versions"
printf '[tools]\nhello = "2"\n' > "$world/new-app/rtx.toml"
(cd "$world/legacy-app" && show hello)
(cd "$world/new-app/src" && show hello "(from a subdirectory)")
(cd "$world/new-app" && show rtx current && show rtx which hello)

step "a running job holds its build's lease; its children inherit the pin"
cd "$world/legacy-app"
hello --run sh -c 'echo "  pin: RTX_PIN_HELLO=$(printf %s "$RTX_PIN_HELLO" | tr "\t" " ")"; ls -l /proc/$$/fd | grep lease | sed "s/^.* \([0-9]*\) -> /  fd \1 -> /"'

step "uninstall 2.0.0 while nothing uses it: removed at once"
show rtx uninstall hello@2.0.0
(cd "$world/new-app" && { hello || echo "(exit $?: not installed, as it should be)"; })

step "done: everything above ran for real in $world (removed now)"
