#!/usr/bin/env bash
# deps.sh - install what pgmc needs to build and test on Debian 12.
# Uses sudo when not root. Safe to run again: apt-get skips what is there.
set -euo pipefail
pkgs=(build-essential cmake re2c clang libpq-dev libecpg-dev postgresql postgresql-contrib postgresql-client pgbouncer)
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq || true
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
# Debian's postgresql package starts a cluster on port 5432; pgmc's tests and
# demo never use it (they start their own on a unix socket).
# Likewise pgbouncer's package enables a system service on port 6432; the
# tests start their own (tests/harness/pgbouncer.sh, unix socket only).
