#!/usr/bin/env bash
# The demo scenario, with whatever rtx is first on PATH (scripts/demo.sh runs
# it with build/bin; the install test with an installed prefix):
#   scripts/demo_run.sh PLUGIN_DIR      (the sample asdf plugin, examples/asdf-hello)
# In a throwaway rtx world it links the sample plugin, installs two versions
# side by side, runs the tool through its shim from two projects that ask for
# different versions, shows the lease and pin a running tool holds, then keeps
# a cron loop, a long job and a build script running through upgrades, a
# rollback and gc with zero failed calls.
set -euo pipefail
plugin="$(cd "$1" && pwd)"
command -v rtx > /dev/null || { echo "demo_run.sh: no rtx on PATH" >&2; exit 1; }

world=$(mktemp -d /tmp/rtx-demo-XXXXXX)
cleanup() {
  touch "$world/stop" 2>/dev/null || true
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$world"
}
trap cleanup EXIT
export RTX_DATA_DIR="$world/data" RTX_CONFIG_DIR="$world/config" RTX_CACHE_DIR="$world/cache"
export RTX_STATE_DIR="$world/state" HOME="$world/home"
export PATH="$RTX_DATA_DIR/shims:$PATH"
mkdir -p "$HOME"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }

step "link the sample asdf plugin (examples/asdf-hello) and install two versions side by side"
show rtx plugins link hello "$plugin"
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

# ---------------------------------------------------------------------------
step "zero downtime: a cron loop, a long job and a build script keep running through upgrade, rollback, upgrade, gc"
app="$world/legacy-app"
mkdir -p "$RTX_CONFIG_DIR"
printf '[settings]\nkeep_previous = 0\n' > "$RTX_CONFIG_DIR/config.toml"
cd "$app"
# cron: a fresh (unpinned) invocation every 10 ms
( while [ ! -e "$world/stop" ]; do out=$(hello) || out="FAIL $?"; echo "$out" >> "$world/cron.log"; sleep 0.01; done ) &
cron=$!
# long job: started through the shim, reads its own prefix every 50 ms
hello --run sh -c 'while [ ! -e "$0/stop" ]; do cat "$HELLO_HOME/share/hello/greeting.txt" > /dev/null || exit 3; sleep 0.05; done' "$world" > /dev/null &
job=$!
# build script: started through the shim, calls the tool every 100 ms, checks its version
hello --run sh -c 'first=$(hello); while [ ! -e "$0/stop" ]; do now=$(hello) || { echo FAIL >> "$0/script.log"; continue; }; [ "$now" = "$first" ] && echo ok >> "$0/script.log" || echo "CHANGED $now" >> "$0/script.log"; sleep 0.1; done' "$world" > /dev/null &
script=$!
sleep 0.5
seen() { printf '  cron now gets: %s\n' "$(tail -n 1 "$world/cron.log" | cut -d" " -f1-2)"; }
seen

export HELLO_VERSIONS="1.0.0 1.1.0 1.2.0 2.0.0"
step "rtx upgrade: 1.2.0 installs slowly (its prefix is half-built for 2 s) beside 1.1.0's users"
HELLO_INSTALL_SECONDS=2 show rtx upgrade
seen
show rtx ps
step "rtx rollback: 1.1.0 is retired but still held by running processes, so it can come back"
show rtx rollback hello
seen
export HELLO_VERSIONS="1.0.0 1.1.0 1.2.0 1.3.0 2.0.0"
step "a newer version appears: rtx upgrade takes 1.3.0 (1.2.0 stays held back)"
show rtx upgrade
seen
show rtx gc
show rtx ps

step "everyone stops; the retired 1.1.0 goes within a second of its last user's exit"
touch "$world/stop"
wait "$cron" "$job" "$script"
t0=$(date +%s%N)
old=$(ls -d "$RTX_DATA_DIR"/store/hello/1.1.0-* 2>/dev/null | grep -vE '\.(state|lease|meta)$' | head -n 1 || true)
while [ -n "$old" ] && [ -e "$old" ] && [ $(( ($(date +%s%N) - t0) / 1000000 )) -lt 5000 ]; do sleep 0.01; done
printf '  1.1.0 build removed %s ms after its last user exited\n' $(( ($(date +%s%N) - t0) / 1000000 ))
printf '  cron invocations: %s, failed: %s; versions in order: %s\n' \
  "$(wc -l < "$world/cron.log")" "$(grep -c '^FAIL' "$world/cron.log" || true)" \
  "$(cut -d' ' -f2 "$world/cron.log" | uniq | tr '\n' ' ')"
printf '  build script checks: %s, all on its first version: %s\n' "$(wc -l < "$world/script.log")" \
  "$(grep -qv '^ok$' "$world/script.log" && echo no || echo yes)"
show rtx ls

step "done: everything above ran for real in $world (removed now)"
