#!/usr/bin/env bash
# The service binary carries its schema: copied alone into an empty directory
# and run from another working directory, it migrates a fresh database.
. "$PGMC_SOURCE_DIR/tests/support/lib.sh"
make_scratch
mkdir "$d/bin" "$d/elsewhere"
cp "$PGMC_BIN_DIR/example-service" "$d/bin/"
[ "$(ls "$d/bin")" = "example-service" ] || fail "copy"
cd "$d/elsewhere"
run_status 0 "$d/bin/example-service" migrate up
n=$(sql 'select count(*) from pgmc_schema_history')
[ "$n" -ge 15 ] || fail "only $n migrations applied"
[ -z "$(ls -A "$d/elsewhere")" ] || fail "the binary wrote files into its working directory"
pass "standalone binary applied $n migrations"
