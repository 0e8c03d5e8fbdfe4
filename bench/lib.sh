# lib.sh - shared helpers for the shell benchmarks (sourced, not run).
#
# Sets SRC (the source tree) and BUILD (the build tree: $PGMC_BUILD_DIR, else
# $SRC/build), starts a scratch PostgreSQL with tests/harness/pg.sh (stopped
# again on exit), and offers now_us and fresh_db.
set -euo pipefail
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${PGMC_BUILD_DIR:-$SRC/build}
BIN=$BUILD/bin
[ -x "$BIN/pgmc" ] || { echo "no $BIN/pgmc: build first, or set PGMC_BUILD_DIR" >&2; exit 1; }

# Microseconds since the epoch, from bash itself (no fork).
now_us() {
    local t=${EPOCHREALTIME/./}
    echo "$t"
}

start_pg() {
    PG_STATE=$(mktemp -d /tmp/pgmc-bench-state.XXXXXX)
    "$SRC/tests/harness/pg.sh" start "$PG_STATE" >/dev/null
    trap 'stop_pg' EXIT
    # shellcheck disable=SC1091
    . "$PG_STATE/env"
    PG_LOG=$(cat "$PG_STATE/root")/server.log
    # The real psql binary: Debian's /usr/bin/psql is a Perl wrapper that
    # would add ~35 ms to every baseline run.
    PSQL=$PGMC_PG_BIN/psql
    [ -x "$PSQL" ] || PSQL=psql
}

stop_pg() {
    "$SRC/tests/harness/pg.sh" stop "$PG_STATE" >/dev/null 2>&1 || true
    rm -rf "$PG_STATE"
    [ -z "${BENCH_TMP:-}" ] || rm -rf "$BENCH_TMP"
}

# fresh_db NAME: drop and create database NAME.
fresh_db() {
    psql -X -q -d postgres -c "SET client_min_messages = warning" \
        -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" -c "CREATE DATABASE \"$1\"" >/dev/null
}

# median of the numbers on stdin
median() {
    sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'
}
