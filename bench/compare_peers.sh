#!/usr/bin/env bash
# rtx's shim vs mise's and rbenv's, on the same trivial tool, in one
# interleaved run (issue 11 item 4; bench/README.md, "Peers").
#
#   bench/compare_peers.sh [--rounds N] [--warmup N] [--bin DIR]
#     --rounds  measured rounds, each running every variant once (default 30:
#               rbenv's shim is a bash script forking ~35 processes)
#     --bin     where rtx, rtx-shim, rtx-bench-target and rtx-bench-peers are
#               (default: build/bin beside bench/)
#
# Needs the network once: mise 2026.9.15 is fetched from the npm registry
# into the temp dir (never kept), and rbenv is installed with apt if missing.
# Everything else is in a fresh /tmp dir, removed at exit: each manager has
# its own HOME and data/config/cache/state dirs, so nothing of this machine's
# is read or written. The tool is one static binary (rtx-bench-target, exits
# 0 at once) hard-linked into each manager's install dir, so all four
# variants exec the very same file:
#   direct  the tool by its path (the baseline)
#   rtx     $RTX_DATA_DIR/shims/tiny, installed by `rtx install` from an asdf
#           plugin in a local dir (`rtx plugins link`)
#   mise    $MISE_DATA_DIR/shims/tiny (a link to the mise binary), installed
#           by `mise install` from the same plugin (`mise plugins link`),
#           MISE_OFFLINE=1 and no auto-install
#   rbenv   $RBENV_ROOT/shims/tiny (bash), the tool in
#           $RBENV_ROOT/versions/1.0.0/bin, `rbenv rehash`, `rbenv local`
# Each project dir says version 1.0.0 (.tool-versions; .ruby-version for
# rbenv), so each shim resolves an exact version.
set -euo pipefail

mise_version=2026.9.15
mise_url=https://registry.npmjs.org/@jdxcode/mise-linux-x64/-/mise-linux-x64-$mise_version.tgz

fail() {
  echo "compare_peers: $*" >&2
  exit 1
}

here=$(cd "$(dirname "$0")" && pwd)
bin=$here/../build/bin
rounds=30
warmup=3
while [ $# -gt 0 ]; do
  case "$1" in
  --rounds | --warmup | --bin)
    [ $# -ge 2 ] || fail "$1 needs a value (see the top of bench/compare_peers.sh)"
    case "$1" in --rounds) rounds=$2 ;; --warmup) warmup=$2 ;; --bin) bin=$2 ;; esac
    shift 2
    ;;
  *) fail "unknown argument $1 (see the top of bench/compare_peers.sh)" ;;
  esac
done
[ -d "$bin" ] || fail "no build dir $bin: build first, or pass --bin DIR"
bin=$(cd "$bin" && pwd)
for exe in rtx rtx-shim rtx-bench-target rtx-bench-peers; do
  [ -x "$bin/$exe" ] || fail "$bin/$exe is missing: cmake --build BUILD --target rtx-bench-peers (it builds the rest)"
done

# rbenv from Debian, installed as scripts/deps.sh installs its packages.
if ! command -v rbenv >/dev/null; then
  echo "compare_peers: installing rbenv (apt-get install rbenv)" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends rbenv; } </dev/null >/dev/null 2>&1 ||
    fail "cannot install rbenv: run 'apt-get install rbenv' (Debian package) and retry"
fi
rbenv=$(command -v rbenv)

tmp=$(mktemp -d /tmp/rtx-peers-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
base_path=/usr/local/bin:/usr/bin:/bin
cp "$bin/rtx-bench-target" "$tmp/tiny"

# The asdf plugin rtx and mise both install from: one version, whose install
# hard-links the tool (copies it if a link cannot be made).
mkdir -p "$tmp/plugin/bin"
printf '#!/bin/sh\necho 1.0.0\n' >"$tmp/plugin/bin/list-all"
# ($ASDF_INSTALL_PATH is the plugin's, expanded when it runs.)
# shellcheck disable=SC2016
printf '#!/bin/sh\nset -e\nmkdir -p "$ASDF_INSTALL_PATH/bin"\nln "%s" "$ASDF_INSTALL_PATH/bin/tiny" 2>/dev/null || cp "%s" "$ASDF_INSTALL_PATH/bin/tiny"\n' \
  "$tmp/tiny" "$tmp/tiny" >"$tmp/plugin/bin/install"
chmod +x "$tmp/plugin/bin/list-all" "$tmp/plugin/bin/install"

# Runs a setup step with exactly the given environment; on failure, one line
# and the step's output.
step() {
  local what=$1
  shift
  if ! out=$("$@" 2>&1 </dev/null); then
    echo "$out" | tail -5 >&2
    fail "setup failed: $what"
  fi
}
roots() {  # roots PEER: its HOME, project dir and data/config/cache/state dirs
  mkdir -p "$tmp/$1"/{home,proj,data,config,cache,state}
}

# rtx
roots rtx
r=$tmp/rtx
rtx_env=(HOME="$r/home" RTX_DATA_DIR="$r/data" RTX_CONFIG_DIR="$r/config" RTX_CACHE_DIR="$r/cache"
  RTX_STATE_DIR="$r/state" RTX_AUTO_INSTALL=0 PATH="$r/data/shims:$base_path")
step "rtx plugins link" env -i "${rtx_env[@]}" "$bin/rtx" plugins link tiny "$tmp/plugin"
step "rtx install tiny@1.0.0" env -i "${rtx_env[@]}" "$bin/rtx" install tiny@1.0.0
echo "tiny 1.0.0" >"$r/proj/.tool-versions"
[ -x "$r/data/shims/tiny" ] || fail "rtx made no shim at $r/data/shims/tiny"

# mise, fetched now and used from the temp dir only
curl -sfL --max-time 120 -o "$tmp/mise.tgz" "$mise_url" ||
  fail "cannot fetch mise $mise_version from $mise_url (needs the npm registry)"
tar -xzf "$tmp/mise.tgz" -C "$tmp" package/bin/mise 2>/dev/null || fail "$tmp/mise.tgz has no package/bin/mise"
mise=$tmp/package/bin/mise
roots mise
m=$tmp/mise
mise_env=(HOME="$m/home" MISE_DATA_DIR="$m/data" MISE_CONFIG_DIR="$m/config" MISE_CACHE_DIR="$m/cache"
  MISE_STATE_DIR="$m/state" MISE_OFFLINE=1 MISE_AUTO_INSTALL=0 MISE_EXEC_AUTO_INSTALL=0
  MISE_NOT_FOUND_AUTO_INSTALL=0 MISE_DISABLE_UPDATE_WARNING=1 PATH="$m/data/shims:$base_path")
got=$(env -i "${mise_env[@]}" "$mise" --version 2>&1 </dev/null) || fail "the fetched mise does not run: $got"
[[ $got == "$mise_version "* ]] || fail "the fetched mise says '$got', not $mise_version"
echo "tiny 1.0.0" >"$m/proj/.tool-versions"
step "mise plugins link" env -i "${mise_env[@]}" "$mise" plugins link tiny "$tmp/plugin"
step "mise install" env -i -C "$m/proj" "${mise_env[@]}" "$mise" install --yes
step "mise reshim" env -i -C "$m/proj" "${mise_env[@]}" "$mise" reshim
[ -x "$m/data/shims/tiny" ] || fail "mise made no shim at $m/data/shims/tiny"

# rbenv: a "version" is a directory; `rbenv rehash` writes a shim per command.
roots rbenv
b=$tmp/rbenv
mkdir -p "$b/root/versions/1.0.0/bin"
ln "$tmp/tiny" "$b/root/versions/1.0.0/bin/tiny" 2>/dev/null || cp "$tmp/tiny" "$b/root/versions/1.0.0/bin/tiny"
rbenv_env=(HOME="$b/home" RBENV_ROOT="$b/root" PATH="$b/root/shims:$base_path")
step "rbenv rehash" env -i "${rbenv_env[@]}" "$rbenv" rehash
step "rbenv local 1.0.0" env -i -C "$b/proj" "${rbenv_env[@]}" "$rbenv" local 1.0.0
[ -x "$b/root/shims/tiny" ] || fail "rbenv made no shim at $b/root/shims/tiny"

# Each manager must resolve to its own install of the tool, not to a fallback.
check_which() {  # check_which PEER EXPECTED_DIR CMD...
  local peer=$1 want=$2 got
  shift 2
  got=$("$@" 2>&1 </dev/null) || fail "$peer cannot find tiny: $got"
  [[ $got == "$want"* ]] || fail "$peer runs '$got', not its own install under $want"
}
check_which rtx "$r/data" env -i -C "$r/proj" "${rtx_env[@]}" "$bin/rtx" which tiny
check_which mise "$m/data" env -i -C "$m/proj" "${mise_env[@]}" "$mise" which tiny
check_which rbenv "$b/root/versions/1.0.0" env -i -C "$b/proj" "${rbenv_env[@]}" "$rbenv" which tiny

echo "compare_peers: $(env -i "${rtx_env[@]}" "$bin/rtx" --version 2>&1 | head -1), mise $mise_version," \
  "$("$rbenv" --version); the tool: $bin/rtx-bench-target, $(stat -c %h "$tmp/tiny") hard links to one file;" \
  "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
"$bin/rtx-bench-peers" --rounds "$rounds" --warmup "$warmup" \
  -- direct "$tmp" HOME="$tmp" PATH="$base_path" "$tmp/tiny" \
  -- rtx "$r/proj" "${rtx_env[@]}" "$r/data/shims/tiny" \
  -- mise "$m/proj" "${mise_env[@]}" "$m/data/shims/tiny" \
  -- rbenv "$b/proj" "${rbenv_env[@]}" "$b/root/shims/tiny"
