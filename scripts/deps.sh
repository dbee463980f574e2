#!/usr/bin/env bash
# Installs the Debian 12 packages rtx builds with, only those missing.
set -euo pipefail
packages=(
  build-essential cmake git curl xz-utils openssl ca-certificates
  libboost1.81-dev libboost-filesystem1.81-dev libcurl4-openssl-dev libarchive-dev
  libsimdjson-dev libtomlplusplus-dev libcli11-dev libfmt-dev libssl-dev
  libgtest-dev libbenchmark-dev valgrind spin
  libboost-json1.81-dev clang-14 libclang-rt-14-dev
  zsh fish tmux man-db
  python3
  gpgv gnupg
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" < /dev/null
