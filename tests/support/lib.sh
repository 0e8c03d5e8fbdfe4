# lib.sh - helpers for tests/integration/*.sh (sourced, not run).
# The harness exports PGHOST/PGPORT/PGUSER/PGDATABASE/DATABASE_URL for a fresh
# database, and PGMC_BIN_DIR, PGMC_SOURCE_DIR, PGMC_TEST_TMPDIR.
set -euo pipefail

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

# expect_contains TEXT NEEDLE WHAT
expect_contains() { grep -qF -- "$2" <<<"$1" || { echo "$1" >&2; fail "$3: expected to find '$2'"; }; }
expect_absent() { ! grep -qF -- "$2" <<<"$1" || { echo "$1" >&2; fail "$3: did not expect '$2'"; }; }

# run_status EXPECTED CMD... : run CMD, capture stdout+stderr in $out, check the exit code.
run_status() {
    local want=$1; shift
    set +e
    out=$("$@" 2>&1)
    local got=$?
    set -e
    [ "$got" = "$want" ] || { echo "$out" >&2; fail "'$*' exited $got, expected $want"; }
}

sql() { psql -X -q -t -A -v ON_ERROR_STOP=1 -c "$1"; }

# make_scratch: set $d to a scratch directory for this test, removed on exit.
make_scratch() {
    d=$(mktemp -d "${PGMC_TEST_TMPDIR:-/tmp}/it.XXXXXX")
    trap 'rm -rf "$d"' EXIT
}

# A dump of the schema with nothing that varies between equal schemas.
schema_dump() {
    pg_dump --schema-only --no-owner --no-privileges --exclude-table='pgmc_schema_history' \
        --exclude-table='pgmc_schema_history_lock' "$PGDATABASE" |
        grep -v -E '^(--|SET |SELECT pg_catalog.set_config|\\(un)?restrict )' | sed '/^$/d'
}
