#!/bin/sh
# hello @VERSION@: prints its version, read from a file inside its own prefix.
prefix=$(cd "$(dirname "$0")/.." && pwd)
greeting=$(cat "$prefix/share/hello/greeting.txt") || exit 3
echo "$greeting${1:+ $*}"
