#!/usr/bin/env bash
# The example service end to end: status -> up -> status -> down --all -> up,
# checking the history table and the ✓/○ marks at each step.
. "$PGMC_SOURCE_DIR/tests/support/lib.sh"
svc="$PGMC_BIN_DIR/example-service"
n=$(ls "$PGMC_SOURCE_DIR"/migrations/*.up.sql | wc -l)
[ "$n" -ge 15 ] || fail "expected at least 15 migrations, found $n"

run_status 0 "$svc" migrate status
[ "$(grep -c '○' <<<"$out")" = "$n" ] || { echo "$out"; fail "fresh status should show $n pending"; }
expect_absent "$out" "✓" "fresh status"

run_status 0 "$svc" migrate up
[ "$(sql 'select count(*) from pgmc_schema_history')" = "$n" ] || fail "history should have $n rows"
run_status 0 "$svc" migrate status
[ "$(grep -c '✓' <<<"$out")" = "$n" ] || { echo "$out"; fail "status after up should show $n applied"; }
pass "up applied $n migrations"

# A second up is a no-op.
run_status 0 "$svc" migrate up
[ "$(sql 'select count(*) from pgmc_schema_history')" = "$n" ] || fail "no-op up changed history"

run_status 0 "$svc" migrate version
last=$(ls "$PGMC_SOURCE_DIR"/migrations/*.up.sql | tail -n 1 | xargs basename | sed -E 's/^0*([0-9]+)_.*/\1/')
expect_contains "$out" "$last" "version"

run_status 0 "$svc" migrate down 2
[ "$(sql 'select count(*) from pgmc_schema_history')" = "$((n - 2))" ] || fail "down 2"
run_status 0 "$svc" migrate status
[ "$(grep -c '○' <<<"$out")" = "2" ] || { echo "$out"; fail "status after down 2"; }

run_status 0 "$svc" migrate status --json
expect_contains "$out" '"state"' "status --json"
if command -v python3 >/dev/null; then
    python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d) > 0' <<<"$out" || fail "status --json is not JSON"
fi

run_status 0 "$svc" migrate down --all
[ "$(sql 'select count(*) from pgmc_schema_history')" = "0" ] || fail "down --all left history rows"
left=$(sql "select count(*) from pg_class c join pg_namespace n on n.oid=c.relnamespace
            where n.nspname not in ('pg_catalog','information_schema','pg_toast')
              and c.relname <> 'pgmc_schema_history' and c.relname not like 'pgmc_schema_history%'")
[ "$left" = "0" ] || fail "down --all left $left relations behind"
pass "down --all emptied the schema"

run_status 0 "$svc" migrate up
[ "$(sql 'select count(*) from pgmc_schema_history')" = "$n" ] || fail "re-up"
run_status 0 "$svc" run
pass "run after re-up"

# run reads users and configs rows into the generated structs (binary
# format) and writes the login count back from the struct: a second run
# sees the first one's write.
expect_contains "$out" "user 1: alice@example.com (Alice), created " "run: user row"
expect_contains "$out" "login #1" "run: login count"
expect_contains "$out" 'config demo/feature_flags: {"beta": false, "dark_mode": true}, version 1' "run: config row"
run_status 0 "$svc" run
expect_contains "$out" "login #2" "second run: login count written through the struct"
expect_contains "$out" "version 2, 2 revision(s)" "second run: config version"
[ "$(sql 'select login_count from users where id = 1')" = "2" ] || fail "login_count not written"
pass "run decodes rows into the generated structs and writes through them"
