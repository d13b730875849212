#!/usr/bin/env bash
# Installs the Debian packages Patchbay needs to build, run and test, when they are missing.
# Usage: scripts/install-deps.sh [--browser]
set -euo pipefail

packages=(pkg-config libpq-dev libssl-dev libcurl4-openssl-dev postgresql postgresql-contrib wrk redis-server)
if [ "${1:-}" = "--browser" ]; then
  packages+=(chromium fonts-dejavu-core)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
