#!/usr/bin/env bash
# Instructions the shim executes before it execve's the tool (callgrind), with a
# bare exec hop as the baseline. Instruction counts do not depend on the noisy
# machine, so this is the stable measure of the shim's own work.
#
#   bench/shim_callgrind.sh [BIN_DIR]       BIN_DIR: where rtx-shim and rtx-bench-* are
#                                           (default: build/bin beside bench/)
#   RTX_BENCH_KEEP=1 keeps the temp dir (with the callgrind files) for callgrind_annotate.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../build/bin}
bin=$(cd "$bin" && pwd)
for exe in rtx-shim rtx-bench-shim rtx-bench-exec-hop rtx-bench-target; do
  [[ -x $bin/$exe ]] || { echo "shim_callgrind: $bin/$exe is missing: build it first" >&2; exit 1; }
done
command -v valgrind >/dev/null || { echo "shim_callgrind: valgrind is not installed" >&2; exit 1; }

tmp=$(mktemp -d /tmp/rtx-callgrind-XXXXXX)
if [[ ${RTX_BENCH_KEEP:-} == 1 ]]; then
  echo "keeping $tmp"
else
  trap 'rm -rf "$tmp"' EXIT
fi

# The same fake store as rtx-bench-shim: 20 READY versions, config 8 levels up.
setup=$("$bin/rtx-bench-shim" --shim "$bin/rtx-shim" --setup-only "$tmp/store")
eval "$setup"  # exports RTX_*_DIR and HOME; sets SHIM TARGET HOP PROJECT

# A small fixed environment: glibc's start-up (tunables) scans every variable,
# so the caller's environment would change the counts.
run_env=(env -i PATH=/usr/bin:/bin HOME="$HOME" RTX_DATA_DIR="$RTX_DATA_DIR" RTX_CONFIG_DIR="$RTX_CONFIG_DIR"
         RTX_CACHE_DIR="$RTX_CACHE_DIR" RTX_STATE_DIR="$RTX_STATE_DIR")

# Prints the Ir of the part dumped before execve (or of the whole run, for a
# program that never execs). RUN_ENV=inherit keeps the caller's environment.
instructions() {
  local name=$1; shift
  local out=$tmp/$name.callgrind
  local -a envcmd=("${run_env[@]}")
  [[ ${RUN_ENV:-} == inherit ]] && envcmd=(env)
  (cd "$PROJECT" && "${envcmd[@]}" valgrind --tool=callgrind --dump-before=execve \
      --callgrind-out-file="$out" "$@" >"$tmp/$name.log" 2>&1) ||
    { echo "shim_callgrind: $name failed:" >&2; cat "$tmp/$name.log" >&2; exit 1; }
  local part=$out.1
  [[ -s $part ]] || part=$out
  awk '/^(summary|totals):/ { print $2; exit }' "$part"
}

shim_ir=$(instructions shim "$SHIM")
hop_ir=$(instructions hop "$HOP" "$TARGET")
target_ir=$(instructions target "$TARGET")
shim_inherit_ir=$(RUN_ENV=inherit instructions shim-inherit "$SHIM")
hop_inherit_ir=$(RUN_ENV=inherit instructions hop-inherit "$HOP" "$TARGET")
nvars=$(env | wc -l)

echo "fake store: 20 versions, config 8 levels up, shim is a $SHIM_LINK to $bin/rtx-shim"
printf 'shim instructions to execve: %d (target <= 200000)%s\n' "$shim_ir" \
  "$( ((shim_ir <= 200000)) && echo '' || echo ': OVER target')"
printf 'exec hop instructions to execve: %d (baseline: static glibc start-up)\n' "$hop_ir"
printf 'shim own work (shim - hop): %d\n' "$((shim_ir - hop_ir))"
printf 'trivial target, whole run: %d\n' "$target_ir"
printf 'with your environment (%d variables): shim %d, hop %d\n' "$nvars" "$shim_inherit_ir" "$hop_inherit_ir"
echo "RESULT shim_ir=$shim_ir hop_ir=$hop_ir shim_minus_hop_ir=$((shim_ir - hop_ir)) target_ir=$target_ir" \
  "shim_inherit_env_ir=$shim_inherit_ir hop_inherit_env_ir=$hop_inherit_ir env_vars=$nvars"
if [[ ${RTX_BENCH_KEEP:-} == 1 ]]; then
  echo "annotate: callgrind_annotate --inclusive=yes $tmp/shim.callgrind.1"
fi
