#!/bin/sh
# hello @VERSION@: prints the greeting its install wrote into its own prefix.
#   hello [WORDS…]            print the greeting (and the words)
#   hello --watch SECONDS     re-read the greeting every 50 ms for SECONDS, as a
#                             long-running job reads its own library; exit 3 if
#                             it ever vanishes
#   hello --run CMD [ARGS…]   print the greeting, then run CMD as a child
prefix=$(cd "$(dirname "$0")/.." && pwd)
data="$prefix/share/hello/greeting.txt"
greeting=$(cat "$data") || exit 3
case "${1:-}" in
  --watch)
    end=$(( $(date +%s) + ${2:-1} ))
    while [ "$(date +%s)" -lt "$end" ]; do
      cat "$data" > /dev/null || { echo "hello: lost $data" >&2; exit 3; }
      sleep 0.05
    done
    echo "$greeting"
    ;;
  --run)
    shift
    echo "$greeting"
    "$@"
    ;;
  *)
    echo "$greeting${1:+ $*}"
    ;;
esac
