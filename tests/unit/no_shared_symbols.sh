#!/bin/sh
# No global symbol may be defined in both libpgmcgen and libpgmc (which one
# a binary got would depend on link order), and libpgmcgen stays libpq-free.
# Usage: no_shared_symbols.sh LIBPGMCGEN LIBPGMC
set -eu
gen=$1
rt=$2
defs() { nm -g --defined-only "$1" | awk 'NF == 3 { print $3 }' | sort -u; }
both=$(defs "$gen" >"${TMPDIR:-/tmp}/nss.$$.g"; defs "$rt" | comm -12 "${TMPDIR:-/tmp}/nss.$$.g" -)
rm -f "${TMPDIR:-/tmp}/nss.$$.g"
if [ -n "$both" ]; then
    echo "defined in both libraries:" $both >&2
    exit 1
fi
if nm -u "$gen" | awk '{ print $2 }' | grep -q '^PQ'; then
    echo "libpgmcgen uses libpq:" $(nm -u "$gen" | awk '{ print $2 }' | grep '^PQ' | sort -u) >&2
    exit 1
fi
echo "no shared symbols"
