#!/usr/bin/env bash
# Real projects' migration folders (tests/corpora, byte for byte as published)
# compiled by pgmc_generate into tests/*-migrate binaries, then applied to
# fresh databases. Expected figures come from tests/corpora/README.md, which
# measured each folder with psql.
. "$PGMC_SOURCE_DIR/tests/support/lib.sh"
corp="$PGMC_CORPORA_DIR"
bin="$PGMC_BUILD_DIR/bin"
base_db=$PGDATABASE

fresh_db() {
    psql -X -q -d postgres -c "SET client_min_messages=warning" -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" -c "CREATE DATABASE \"$1\"" >/dev/null
    export PGDATABASE=$1
    export DATABASE_URL="postgresql:///$1?host=$PGHOST&port=$PGPORT&user=$PGUSER"
}
count_tables() {
    sql "select count(*) from information_schema.tables where table_type='BASE TABLE'
         and table_schema not in ('pg_catalog','information_schema') and table_name not in ('pgmc_schema_history', '${EXCLUDE:-}')"
}
count_columns() {
    sql "select count(*) from information_schema.columns c join information_schema.tables t
           using (table_catalog, table_schema, table_name)
         where t.table_type='BASE TABLE' and t.table_schema not in ('pg_catalog','information_schema')
           and t.table_name not in ('pgmc_schema_history', '${EXCLUDE:-}')"
}
count_enums() { sql "select count(distinct enumtypid) from pg_enum"; }
applied() { sql "select count(*) from pgmc_schema_history"; }

# harbor: golang-migrate, zero-padded with gaps; 0030 ALTERs golang-migrate's
# own bookkeeping table, so the prelude creates it first.
fresh_db "${base_db}_harbor"
psql -X -q -v ON_ERROR_STOP=1 -f "$corp/harbor/PRELUDE.schema_migrations.sql.txt"
run_status 0 "$bin/harbor-migrate" up
# The README's figures count the project's tables, not the prelude's.
EXCLUDE=schema_migrations
[ "$(applied)" = 39 ] || fail "harbor: $(applied)/39 applied"
[ "$(count_tables)" = 48 ] || fail "harbor: $(count_tables) tables, expected 48"
[ "$(count_columns)" = 390 ] || fail "harbor: $(count_columns) columns, expected 390"
pass "harbor: 39/39 applied, 48 tables, 390 columns"
EXCLUDE=

# atuin: sqlx timestamps, plpgsql trigger function.
fresh_db "${base_db}_atuin"
run_status 0 "$bin/atuin-migrate" up
[ "$(applied)" = 20 ] || fail "atuin: $(applied)/20 applied"
[ "$(count_tables)" = 7 ] || fail "atuin: $(count_tables) tables, expected 7"
[ "$(count_columns)" = 46 ] || fail "atuin: $(count_columns) columns, expected 46"
[ "$(count_enums)" = 1 ] || fail "atuin: $(count_enums) enums, expected 1"
pass "atuin: 20/20 applied, 7 tables, 46 columns, 1 enum"

# upchieve: dbmate; needs the roles prelude. Migration 281 of 282 needs a
# column that only the project's separate seed stream adds, so `up` stops
# there: the failure must carry its SQLSTATE and source location, and leave
# the database at 280 (281 only adds comments, 282 a view, so the README's
# table and column figures hold already). Adding the column, as the seed
# stream would, lets `up` finish.
fresh_db "${base_db}_upchieve"
psql -X -q -v ON_ERROR_STOP=1 -f "$corp/upchieve/PRELUDE.roles.sql.txt"
run_status 1 "$bin/upchieve-migrate" up
expect_contains "$out" "20260622211455_add-comments.sql:1972:1" "upchieve failing statement located"
expect_contains "$out" "42703" "upchieve SQLSTATE (undefined column)"
expect_contains "$out" "rolled back" "upchieve says what state the database is in"
[ "$(applied)" = 280 ] || fail "upchieve: $(applied)/280 applied"
[ "$(count_tables)" = 152 ] || fail "upchieve: $(count_tables) tables, expected 152"
[ "$(count_columns)" = 932 ] || fail "upchieve: $(count_columns) columns, expected 932"
[ "$(count_enums)" = 8 ] || fail "upchieve: $(count_enums) enums, expected 8"
pass "upchieve: 280 applied, 152 tables, 932 columns, 8 enums; 281st failed with a located error"
sql "ALTER TABLE upchieve.users_surveys ADD COLUMN progress_report_id uuid"
run_status 0 "$bin/upchieve-migrate" up
[ "$(applied)" = 282 ] || fail "upchieve: $(applied)/282 applied after the seed column"
pass "upchieve: 282/282 applied once the seed stream's column exists"

# Its down sections: the README counts 96 reverting from 281 applied; with
# 281 and 282 applied here, 98 revert before the project's own syntax error.
run_status 1 "$bin/upchieve-migrate" down --all
expect_contains "$out" "20240910010753" "upchieve down failure named"
expect_contains "$out" "42601" "upchieve down SQLSTATE (syntax error)"
[ "$(applied)" = $((282 - 98)) ] || fail "upchieve down: $(applied) left, expected $((282 - 98))"
pass "upchieve: 98 downs applied, the next failed with a located syntax error"
