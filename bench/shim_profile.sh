#!/usr/bin/env bash
# Syscalls and instructions per variant in the realistic setup of
# rtx-bench-shim --realistic (the tool installed by the real rtx through an
# asdf plugin, config 6 levels up, 45 login-shell variables):
#   1. strace -f -c of each variant's whole run (the tool included)
#   2. plain strace: each variant's syscalls BEFORE it execve's the tool, by
#      name side by side, and the shim's listing itself
#   3. valgrind --tool=callgrind --dump-before=execve: instructions to execve
#
#   bench/shim_profile.sh [BIN_DIR] [--compare PATH]
#     BIN_DIR: where rtx, rtx-shim and rtx-bench-* are (default: build/bin beside bench/)
#     --compare PATH: another rtx-shim build as shim-B (a symlink named like the shim)
#   RTX_BENCH_KEEP=1 keeps the temp dir (traces, callgrind files for callgrind_annotate).
# strace and valgrind are installed with apt-get when missing.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bin=$here/../build/bin
compare=
while (($#)); do
  case $1 in
    --compare) compare=$(realpath "${2:?--compare needs a path}"); shift 2 ;;
    *) bin=$1; shift ;;
  esac
done
bin=$(cd "$bin" && pwd)
for exe in rtx rtx-shim rtx-bench-shim rtx-bench-exec-hop rtx-bench-target; do
  [[ -x $bin/$exe ]] || { echo "shim_profile: $bin/$exe is missing: build it first" >&2; exit 1; }
done
[[ -z $compare || -x $compare ]] || { echo "shim_profile: $compare (--compare) is not an executable" >&2; exit 1; }
missing=()
command -v strace >/dev/null || missing+=(strace)
command -v valgrind >/dev/null || missing+=(valgrind)
if ((${#missing[@]})); then
  echo "shim_profile: installing ${missing[*]} with apt-get" >&2
  sudo=; ((EUID == 0)) || sudo=sudo
  $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
strace=$(command -v strace)
valgrind=$(command -v valgrind)

tmp=$(mktemp -d /tmp/rtx-profile-XXXXXX)
cleanup() { [[ ${RTX_BENCH_KEEP:-} == 1 ]] && echo "kept $tmp" || rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

setup=$("$bin/rtx-bench-shim" --realistic --shim "$bin/rtx-shim" --setup-only "$tmp/real")
eval "$setup"  # RUN_ENV=(…) PIN SHIM TARGET HOP PROJECT

names=(direct hop shim shim+pin)
declare -A cmd envx
cmd[direct]=$TARGET; cmd[hop]="$HOP $TARGET"; cmd[shim]=$SHIM; cmd[shim+pin]=$SHIM
envx[shim+pin]=$PIN
if [[ -n $compare ]]; then
  mkdir -p "$tmp/real/shims-b"
  ln -s "$compare" "$tmp/real/shims-b/$(basename "$SHIM")"
  names+=(shim-B)
  cmd[shim-B]=$tmp/real/shims-b/$(basename "$SHIM")
fi

# Runs a variant's command from the project leaf with exactly its environment.
run_variant() {
  local v=$1; shift
  local -a extra=()
  [[ -n ${envx[$v]:-} ]] && extra=("${envx[$v]}")
  # shellcheck disable=SC2086  # cmd[] holds "prog [arg]" without spaces in paths
  (cd "$PROJECT" && env -i "${RUN_ENV[@]}" "${extra[@]}" "$@" ${cmd[$v]})
}

for v in "${names[@]}"; do
  f=${v//+/_}
  run_variant "$v" "$strace" -f -c -o "$tmp/$f.c" >/dev/null 2>&1
  run_variant "$v" "$strace" -f -qq -o "$tmp/$f.trace" >/dev/null 2>&1
  # The listing up to the second execve (the first is the variant itself).
  awk '/execve\(/ { n++; if (n == 2) exit } { print }' "$tmp/$f.trace" | sed 's/^[0-9]* *//' >"$tmp/$f.pre"
  if [[ $v != direct ]]; then
    run_variant "$v" "$valgrind" --tool=callgrind --dump-before=execve \
      --callgrind-out-file="$tmp/$f.callgrind" >"$tmp/$f.vg.log" 2>&1 ||
      { echo "shim_profile: callgrind of $v failed:" >&2; cat "$tmp/$f.vg.log" >&2; exit 1; }
  fi
done

# Ir before execve (the .1 part), or of the whole run for a program that never execs.
ir_of() {
  local part=$tmp/$1.callgrind.1
  [[ -s $part ]] || part=$tmp/$1.callgrind
  awk '/^(summary|totals):/ { print $2; exit }' "$part"
}
# "name count" per syscall before execve (execve itself excluded).
pre_counts() { sed -n 's/^\([a-z0-9_]*\)(.*/\1/p' "$tmp/$1.pre" | grep -v '^execve$' | sort | uniq -c | awk '{print $2, $1}'; }
# "name count" from strace -c (whole run, tool included).
c_counts() { awk '$1 ~ /^[0-9]+\.[0-9]+$/ && $NF != "total" { print $NF, $4 }' "$tmp/$1.c"; }

table() {  # $1: counting function; prints name per row, a column per variant
  local fn=$1 v
  local -A cell
  local -a rows=()
  for v in "${names[@]}"; do
    while read -r name count; do
      [[ -z ${cell[$name]+x} ]] && rows+=("$name") && cell[$name]=1
      cell[$name/$v]=$count
    done < <($fn "${v//+/_}")
  done
  printf '%-20s' syscall; for v in "${names[@]}"; do printf ' %9s' "$v"; done; echo
  local -A total
  for name in $(printf '%s\n' "${rows[@]}" | sort); do
    printf '%-20s' "$name"
    for v in "${names[@]}"; do
      printf ' %9s' "${cell[$name/$v]:--}"
      total[$v]=$(( ${total[$v]:-0} + ${cell[$name/$v]:-0} ))
    done
    echo
  done
  printf '%-20s' TOTAL; for v in "${names[@]}"; do printf ' %9s' "${total[$v]}"; done; echo
}

echo "realistic setup: $(( ${#RUN_ENV[@]} )) variables, cwd $PROJECT (config 6 levels up), shim a symlink to $bin/rtx-shim"
echo
echo "== syscalls BEFORE the execve of the tool (plain strace), by name"
table pre_counts
echo
echo "== syscalls of the whole run, tool included (strace -f -c calls column)"
table c_counts
echo
echo "== the shim's syscalls up to execve (strace, arguments shortened)"
cut -c1-150 "$tmp/shim.pre"
echo
echo "== instructions to execve (callgrind --dump-before=execve)"
declare -A ir
for v in "${names[@]}"; do
  [[ $v == direct ]] && continue
  ir[$v]=$(ir_of "${v//+/_}")
  printf '%-10s %10d   (minus hop: %+d)\n' "$v" "${ir[$v]}" "$((ir[$v] - ir[hop]))"
done
pre_n() { pre_counts "$1" | awk '{ s += $2 } END { print s + 0 }'; }
line="RESULT profile=realistic shim_ir=${ir[shim]} hop_ir=${ir[hop]} shim_pin_ir=${ir[shim+pin]}"
line+=" shim_syscalls=$(pre_n shim) hop_syscalls=$(pre_n hop) shim_pin_syscalls=$(pre_n shim_pin)"
[[ -n $compare ]] && line+=" shim_b_ir=${ir[shim-B]} shim_b_syscalls=$(pre_n shim-B)"
echo "$line"
if [[ ${RTX_BENCH_KEEP:-} == 1 ]]; then
  echo "annotate: callgrind_annotate --inclusive=yes $tmp/shim.callgrind.1"
fi
