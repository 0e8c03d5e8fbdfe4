#!/usr/bin/env bash
# For every migration of the example service: up to it, dump the schema,
# down one, up one, dump again: the two dumps must be identical.
. "$PGMC_SOURCE_DIR/tests/support/lib.sh"
svc="$PGMC_BIN_DIR/example-service"
make_scratch
n=$(ls "$PGMC_SOURCE_DIR"/migrations/*.up.sql | wc -l)
for i in $(seq 1 "$n"); do
    "$svc" migrate up 1 >/dev/null
    schema_dump >"$d/a.sql"
    "$svc" migrate down 1 >/dev/null
    "$svc" migrate up 1 >/dev/null
    schema_dump >"$d/b.sql"
    diff -u "$d/a.sql" "$d/b.sql" || fail "migration $i: up -> down -> up changed the schema"
    [ -s "$d/a.sql" ] || fail "empty dump at $i"
done
pass "$n migrations round-trip to an identical pg_dump --schema-only"
