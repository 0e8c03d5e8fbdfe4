#!/usr/bin/env bash
# The pgmc CLI on bad input: file:line:col errors, non-zero exit, nothing
# written, and previous output left untouched.
. "$PGMC_SOURCE_DIR/tests/support/lib.sh"
pgmc="$PGMC_BIN_DIR/pgmc"
make_scratch
mkdir -p "$d/m" "$d/out"
printf 'CREATE TABLE a (id int);\n' >"$d/m/1_a.up.sql"
printf 'DROP TABLE a;\n' >"$d/m/1_a.down.sql"
run_status 0 "$pgmc" gen --migrations "$d/m" --prefix svc --out-dir "$d/out"
cp "$d/out/svc.c" "$d/good.c"
touch -d '2000-01-01 00:00:00 UTC' "$d/out/svc.c" "$d/out/svc.h"
before=$(stat -c %Y "$d/out/svc.c")
run_status 0 "$pgmc" gen --migrations "$d/m" --prefix svc --out-dir "$d/out"
[ "$(stat -c %Y "$d/out/svc.c")" = "$before" ] || fail "unchanged output was rewritten (mtime changed)"

printf 'SELECT 1;\nINSERT INTO a VALUES (1), ($x$ unterminated;\n' >"$d/m/2_b.up.sql"
run_status 1 "$pgmc" gen --migrations "$d/m" --prefix svc --out-dir "$d/out"
expect_contains "$out" "2_b.up.sql:2:28: error:" "unterminated dollar quote location"
cmp -s "$d/out/svc.c" "$d/good.c" || fail "failed run changed the output"
[ -z "$(ls "$d/out" | grep -v -E '^svc\.(c|h)$')" ] || fail "failed run left temp files: $(ls "$d/out")"

printf "SELECT 'abc;\n" >"$d/m/2_b.up.sql"
run_status 1 "$pgmc" gen --migrations "$d/m" --prefix svc --out-dir "$d/out"
expect_contains "$out" "2_b.up.sql:1:8: error:" "unterminated string"

printf 'SELECT 1;\n\\i other.sql\n' >"$d/m/2_b.up.sql"
run_status 1 "$pgmc" gen --migrations "$d/m" --prefix svc --out-dir "$d/out"
expect_contains "$out" "2_b.up.sql:2:1: error:" "psql meta-command"

printf 'SELECT 1;\n' >"$d/m/2_b.up.sql"
printf 'SELECT 2;\n' >"$d/m/02_c.up.sql"
run_status 1 "$pgmc" gen --migrations "$d/m" --prefix svc --out-dir "$d/out"
expect_contains "$out" "2_b.up.sql" "duplicate version names first file"
expect_contains "$out" "02_c.up.sql" "duplicate version names second file"
rm "$d/m/02_c.up.sql"

run_status 0 "$pgmc" gen --migrations "$d/m" --prefix svc --out-dir "$d/out"
run_status 2 "$pgmc" gen --migrations "$d/m" --prefix 'bad-prefix' --out-dir "$d/out"
run_status 1 "$pgmc" gen --migrations "$d/nonexistent" --prefix svc --out-dir "$d/out"
pass "generator errors are located, non-zero, and write nothing"
