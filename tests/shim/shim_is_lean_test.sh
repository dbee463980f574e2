#!/usr/bin/env bash
# The shim's non-negotiables (DESIGN.md §5), checked on the built binary:
# statically linked; no iostreams, no locale, no Boost, no curl, no NSS lookups.
set -euo pipefail
shim="$1"
fail=0
if ! readelf -d "$shim" 2>/dev/null | grep -q "There is no dynamic section"; then
  if readelf -l "$shim" | grep -q INTERP; then echo "FAIL: $shim is dynamically linked"; fail=1; fi
fi
symbols=$(nm -C "$shim")
for pattern in 'std::basic_istream' 'std::basic_ostream' 'std::locale::' 'std::ios_base' 'boost::' 'curl_' 'getpwuid' 'getpwnam' '_nss_'; do
  if grep -q -- "$pattern" <<<"$symbols"; then echo "FAIL: $shim contains $pattern"; fail=1; fi
done
[ $fail -eq 0 ] && echo "1 passed, 0 failed" || { echo "0 passed, 1 failed"; exit 1; }
