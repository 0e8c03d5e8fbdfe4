#!/usr/bin/env bash
# The generator's catalog (DDL replay) against PostgreSQL itself: for
# migrations/ and each real-world corpus, apply the migrations to a fresh
# database, then let `pgmc verify` compare `pgmc schema --flat`'s facts with
# the live pg_catalog. The target is no difference at all. A difference that
# remains is listed, with its reason, in catalog_live.expected/<name>.diff
# (one `pgmc verify` warning per line, without "warning: "; '#' lines are
# the reasons): the test fails on any difference not listed there, and on
# any listed one that no longer occurs, so the list only ever shrinks by
# fixing the catalog.
. "$PGMC_SOURCE_DIR/tests/support/lib.sh"
corp="$PGMC_CORPORA_DIR"
bin="$PGMC_BUILD_DIR/bin"
expect_dir="$PGMC_SOURCE_DIR/tests/integration/catalog_live.expected"
base_db=$PGDATABASE
make_scratch

fresh_db() {
    psql -X -q -d postgres -c "SET client_min_messages=warning" -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" -c "CREATE DATABASE \"$1\"" >/dev/null
    export PGDATABASE=$1
    export DATABASE_URL="postgresql:///$1?host=$PGHOST&port=$PGPORT&user=$PGUSER"
}

# compare NAME DIR [CMD...]: run CMD (default: `pgmc verify --migrations
# DIR`) against the current database and check its differences against the
# allow-list of NAME.
compare() {
    local name=$1 dir=$2 allow="$expect_dir/$1.diff" rc
    shift 2
    local pre=()
    [ -z "${PRELUDE:-}" ] || pre=(--prelude "$PRELUDE")
    [ $# -gt 0 ] || set -- "$bin/pgmc" verify --migrations "$dir" "${pre[@]}"
    "$bin/pgmc" schema --migrations "$dir" "${pre[@]}" --flat >"$d/$name.flat" ||
        fail "$name: pgmc schema --flat failed"
    LC_ALL=C sort -c "$d/$name.flat" || fail "$name: pgmc schema --flat is not sorted bytewise"
    set +e
    "$@" >"$d/$name.out" 2>"$d/$name.err"
    rc=$?
    set -e
    # Replay errors or a failed query are not differences.
    if grep -q -e '^pgmc: error' -e '^error: cannot' "$d/$name.err"; then
        cat "$d/$name.err" >&2
        fail "$name: $* could not compare"
    fi
    sed -n 's/^warning: //p' "$d/$name.err" | LC_ALL=C sort >"$d/$name.got"
    grep -v -e '^#' -e '^$' "$allow" | LC_ALL=C sort >"$d/$name.allowed" || true
    LC_ALL=C comm -23 "$d/$name.got" "$d/$name.allowed" >"$d/$name.new"
    LC_ALL=C comm -13 "$d/$name.got" "$d/$name.allowed" >"$d/$name.gone"
    if [ -s "$d/$name.new" ] || [ -s "$d/$name.gone" ]; then
        { echo "$name: differences not in $allow:"; cat "$d/$name.new"
          echo "$name: listed in $allow but no longer found:"; cat "$d/$name.gone"; } >&2
        fail "$name: the catalog and the database disagree (see above)"
    fi
    if [ -s "$d/$name.got" ]; then
        [ "$rc" = 1 ] || fail "$name: $* found differences but exited $rc"
    else
        [ "$rc" = 0 ] || { cat "$d/$name.err" >&2; fail "$name: $* exited $rc"; }
    fi
    pass "$name: $(wc -l <"$d/$name.flat") facts, $(wc -l <"$d/$name.got") known differences ($1 ${2:-})"
}

# migrations/, through the example service.
fresh_db "${base_db}_example"
run_status 0 "$bin/example-service" migrate up -q
compare example "$PGMC_SOURCE_DIR/migrations"
# The same through the service's own `migrate verify` (the catalog compiled
# into the binary), then a drift check: a column added by hand is named.
compare example "$PGMC_SOURCE_DIR/migrations" "$bin/example-service" migrate verify
sql "ALTER TABLE users ADD COLUMN drift int"
run_status 1 "$bin/example-service" migrate verify
expect_contains "$out" "warning: not in migrations: column public.users" "drift reported"
expect_contains "$out" " drift - integer" "drift column named"
expect_contains "$out" "not in migrations" "drift counted"
[ "$(grep -c '^warning: ' <<<"$out")" = "$(($(wc -l <"$d/example.got") + 1))" ] ||
    fail "drift: expected exactly one difference more than the known ones"
pass "example: migrate verify names the drift column and exits 1"

# The corpora, applied as tests/integration/corpora.sh applies them.
fresh_db "${base_db}_harbor"
psql -X -q -v ON_ERROR_STOP=1 -f "$corp/harbor/PRELUDE.schema_migrations.sql.txt"
run_status 0 "$bin/harbor-migrate" up -q
# harbor ALTERs golang-migrate's own schema_migrations table: the same prelude
PRELUDE="$corp/harbor/PRELUDE.schema_migrations.sql.txt" compare harbor "$corp/harbor"

fresh_db "${base_db}_atuin"
run_status 0 "$bin/atuin-migrate" up -q
compare atuin "$corp/atuin"

# upchieve needs its roles prelude, and the column its seed stream adds
# before migration 281 (see corpora.sh).
fresh_db "${base_db}_upchieve"
psql -X -q -v ON_ERROR_STOP=1 -f "$corp/upchieve/PRELUDE.roles.sql.txt"
run_status 1 "$bin/upchieve-migrate" up -q
sql "ALTER TABLE upchieve.users_surveys ADD COLUMN progress_report_id uuid"
run_status 0 "$bin/upchieve-migrate" up -q
compare upchieve "$corp/upchieve"
