#!/usr/bin/env bash
# The repairing and adopting verbs through the real CLI of the example
# service: validate, repair (without and with --yes), force, baseline, adopt
# and fresh, checking exit codes 0/1/2 and the history table after each;
# and a duplicated history row ('003' beside '3') seen by validate, status
# and down.
. "$PGMC_SOURCE_DIR/tests/support/lib.sh"
svc="$PGMC_BIN_DIR/example-service"
n=$(ls "$PGMC_SOURCE_DIR"/migrations/*.up.sql | wc -l)
last=$(ls "$PGMC_SOURCE_DIR"/migrations/*.up.sql | tail -n 1 | xargs basename | sed -E 's/^0*([0-9]+)_.*/\1/')
rows() { sql "select count(*) from pgmc_schema_history where ${1:-true}"; }

# validate: an empty database is valid; so is a migrated one
run_status 0 "$svc" migrate validate
expect_contains "$out" "0 migrations valid ($n pending)" "validate on an empty database"
run_status 0 "$svc" migrate up -q
run_status 0 "$svc" migrate validate
expect_contains "$out" "$n migrations valid (0 pending)" "validate after up"
pass "validate: clean"

# a recorded checksum that differs from the build: validate fails with 1
sql "update pgmc_schema_history set checksum = '0bad' where version = '3'" >/dev/null
run_status 1 "$svc" migrate validate
expect_contains "$out" "MODIFIED: migration 3" "validate modified"
expect_contains "$out" "recorded checksum 0bad" "validate prints the recorded checksum"
expect_contains "$out" "error: validation failed: 1 modified" "validate summary"

# repair without --yes shows the problems and changes nothing
run_status 1 "$svc" migrate repair
expect_contains "$out" "rerun with --yes" "repair without --yes"
[ "$(rows "version = '3' and checksum = '0bad'")" = 1 ] || fail "repair without --yes changed the history"
run_status 0 "$svc" migrate repair --yes
expect_contains "$out" "1 migration repaired" "repair --yes"
[ "$(rows "version = '3' and repaired_from = '0bad' and checksum <> '0bad'")" = 1 ] || fail "repair did not fix the checksum"
run_status 0 "$svc" migrate validate
run_status 0 "$svc" migrate repair
pass "repair: nothing without --yes, fixed with it"

# force: backward, forward, bad version (usage error)
run_status 0 "$svc" migrate force $((last - 2))
[ "$(rows)" = "$((n - 2))" ] || fail "force backward left $(rows) rows"
run_status 0 "$svc" migrate force "$last"
[ "$(rows "method = 'force'")" = 2 ] || fail "force forward did not record 2 rows"
run_status 2 "$svc" migrate force 999999
run_status 2 "$svc" migrate force
[ "$(rows)" = "$n" ] || fail "a refused force changed the history"
pass "force"

# baseline refuses a non-empty history
run_status 1 "$svc" migrate baseline 5
expect_contains "$out" "refusing to baseline" "baseline refusal"

# fresh: confirmation required and checked
run_status 2 "$svc" migrate fresh
run_status 1 "$svc" migrate fresh --confirm not_this_db
expect_contains "$out" "refusing to drop everything" "fresh with the wrong name"
sql "create table stray (id int)" >/dev/null
run_status 0 "$svc" migrate fresh --confirm "$PGDATABASE"
expect_contains "$out" "dropping schema public" "fresh says what it drops"
[ "$(sql "select count(*) from pg_class where relname = 'stray'")" = 0 ] || fail "fresh kept a stray table"
[ "$(rows "method = 'applied'")" = "$n" ] || fail "fresh did not re-apply $n migrations"
# in lease mode too: the lease table is dropped with its schema, and the
# lease is checked before that, inside the same transaction
sql "create table stray (x int)" >/dev/null
run_status 0 "$svc" migrate up --lock-mode lease
run_status 0 "$svc" migrate fresh --confirm "$PGDATABASE" --lock-mode lease
expect_absent "$out" "could not release" "fresh (lease) warns about the lease it dropped with its table"
[ "$(sql "select count(*) from pg_class where relname = 'stray'")" = 0 ] || fail "fresh (lease) kept a stray table"
[ "$(rows "method = 'applied'")" = "$n" ] || fail "fresh (lease) did not re-apply $n migrations"
[ "$(sql "select count(*) from pgmc_schema_history_lock")" = 0 ] || fail "fresh (lease) left its lease behind"
pass "fresh"

# a hand-inserted '003' beside '3': validate, status and down all see it
sql "insert into pgmc_schema_history (version, name, kind, checksum) select '003', name, kind, checksum from pgmc_schema_history where version = '3'" >/dev/null
dup=$(sql "select id from pgmc_schema_history where version = '003'")
run_status 1 "$svc" migrate validate
expect_contains "$out" "DUPLICATE VERSION" "validate finds '003' beside '3'"
expect_contains "$out" "DELETE FROM \"pgmc_schema_history\" WHERE id IN ($dup);" "validate gives the way out"
expect_absent "$out" "migrations valid" "validate counts '003' as a migration"
run_status 0 "$svc" migrate status
expect_contains "$out" "INVALID HISTORY: DUPLICATE VERSION" "status shows the duplicate"
run_status 1 "$svc" migrate down
expect_contains "$out" "inconsistent, so nothing was run" "down refuses a duplicated history"
[ "$(rows)" = "$((n + 1))" ] || fail "down changed a duplicated history"
sql "DELETE FROM \"pgmc_schema_history\" WHERE id IN ($dup)" >/dev/null
run_status 0 "$svc" migrate validate
expect_contains "$out" "$n migrations valid (0 pending)" "validate after the way out"
pass "history as data"

# baseline on an empty history: the schema exists, nothing runs
sql "drop table pgmc_schema_history" >/dev/null
run_status 0 "$svc" migrate baseline "$last"
[ "$(rows "method = 'baseline'")" = "$n" ] || fail "baseline did not record $n rows"
run_status 0 "$svc" migrate up
expect_contains "$out" "nothing to do" "up after baseline"
pass "baseline"

# adopt a golang-migrate history (the table exactly as golang-migrate makes it)
sql "drop table pgmc_schema_history" >/dev/null
sql "create table if not exists \"public\".\"schema_migrations\" (version bigint not null primary key, dirty boolean not null)" >/dev/null
sql "insert into schema_migrations values ($last, true)" >/dev/null
run_status 1 "$svc" migrate adopt
expect_contains "$out" "dirty" "adopt refuses a dirty golang-migrate history"
sql "update schema_migrations set dirty = false" >/dev/null
run_status 0 "$svc" migrate adopt --from golang-migrate
[ "$(rows "method = 'adopt golang-migrate'")" = "$n" ] || fail "adopt did not record $n rows"
run_status 0 "$svc" migrate up
expect_contains "$out" "nothing to do" "up after adopt"
run_status 1 "$svc" migrate adopt
run_status 2 "$svc" migrate adopt --from flyway
run_status 2 "$svc" migrate up --from goose
pass "adopt"
