#!/usr/bin/env bash
# symbols.sh - the generator library and the runtime share no symbol.
# Every global symbol libpgmcgen defines starts with "pgmcg_" (the
# generator's own prefix), and no symbol is defined by both libraries, so a
# binary that links both (bin/pgmc, the tests) never gets one half's
# function where it called the other's; and libpgmcgen uses no libpq
# function. Usage: symbols.sh GEN.a RUNTIME.a
set -euo pipefail
gen=$1 rt=$2
defined() { nm -g --defined-only "$1" | awk 'NF == 3 { print $3 }' | sort -u; }
g=$(defined "$gen")
r=$(defined "$rt")
fail=0
[ -n "$g" ] || { echo "FAIL: no symbols read from $gen"; exit 1; }
[ -n "$r" ] || { echo "FAIL: no symbols read from $rt"; exit 1; }
bad=$(grep -v '^pgmcg_' <<<"$g" || true)
if [ -n "$bad" ]; then
    echo "FAIL: libpgmcgen defines symbols without the pgmcg_ prefix:"
    sed 's/^/  /' <<<"$bad"
    fail=1
fi
both=$(comm -12 <(echo "$g") <(echo "$r"))
if [ -n "$both" ]; then
    echo "FAIL: defined by both libraries:"
    sed 's/^/  /' <<<"$both"
    fail=1
fi
pq=$(nm -u "$gen" | awk '{ print $2 }' | grep '^PQ' | sort -u || true)
if [ -n "$pq" ]; then
    echo "FAIL: libpgmcgen uses libpq (it must stay libpq-free):"
    sed 's/^/  /' <<<"$pq"
    fail=1
fi
[ $fail = 0 ] && echo "ok: $(wc -l <<<"$g") generator symbols, all pgmcg_*; $(wc -l <<<"$r") runtime symbols; none shared"
exit $fail
