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

# Hostile folders (issue 9): refused before reading, located, nothing written.
cp "$d/out/svc.c" "$d/good.c"
cp "$d/out/svc.h" "$d/good.h"
snap() { ls -l --time-style=+%s.%N -i "$d/out"; }
before=$(snap)
unchanged() { # WHAT: the output folder is exactly as it was
    [ "$(snap)" = "$before" ] || fail "$1: output folder changed: $(snap)"
    cmp -s "$d/out/svc.c" "$d/good.c" && cmp -s "$d/out/svc.h" "$d/good.h" || fail "$1: output changed"
}
mkfifo "$d/m/3_c.up.sql"
run_status 1 timeout 20 "$pgmc" gen --migrations "$d/m" --prefix svc --out-dir "$d/out"
expect_contains "$out" "$d/m/3_c.up.sql:1:1: error: not a regular file but a FIFO" "FIFO"
unchanged "FIFO"
rm "$d/m/3_c.up.sql"
ln -s /dev/zero "$d/m/3_c.up.sql"
run_status 1 timeout 20 "$pgmc" gen --migrations "$d/m" --prefix svc --out-dir "$d/out"
expect_contains "$out" "$d/m/3_c.up.sql:1:1: error: not a regular file but a character device" \
    "symlink to /dev/zero"
unchanged "symlink to /dev/zero"
rm "$d/m/3_c.up.sql"
truncate -s 1073741825 "$d/m/3_c.up.sql"
run_status 1 "$pgmc" gen --migrations "$d/m" --prefix svc --out-dir "$d/out"
expect_contains "$out" "$d/m/3_c.up.sql:1:1: error: file too large: more than 1 GiB" "size cap"
unchanged "size cap"
printf 'SELECT 1;\nSELECT \047caf\303\047;\n' >"$d/m/3_c.up.sql"
run_status 1 "$pgmc" gen --migrations "$d/m" --prefix svc --out-dir "$d/out"
expect_contains "$out" "$d/m/3_c.up.sql:2:12: error: invalid UTF-8 (byte 0xc3)" "invalid UTF-8"
unchanged "invalid UTF-8"
rm "$d/m/3_c.up.sql"
printf 'SELECT 1;\n' >"$d/m/3_c"$'\n'"x.up.sql"
printf 'SELECT 1;\n' >"$d/m/4_d"$'\e[2J'".up.sql"
run_status 1 "$pgmc" gen --migrations "$d/m" --prefix svc --out-dir "$d/out"
expect_contains "$out" "$d/m/3_c\\nx.up.sql:1:1: error: the file name holds a control character" \
    "newline in a file name, escaped"
expect_contains "$out" "$d/m/4_d\\x1b[2J.up.sql:1:1: error: the file name holds a control" \
    "ESC in a file name, escaped"
[ "$(printf '%s' "$out" | tr -d '\n' | tr -dc '\033' | wc -c)" = 0 ] || fail "raw ESC in messages"
unchanged "control characters in file names"
rm "$d/m/3_c"$'\n'"x.up.sql" "$d/m/4_d"$'\e[2J'".up.sql"
printf 'SELECT 2;\n' >"$d/m/3_c.UP.SQL"
run_status 0 "$pgmc" gen --migrations "$d/m" --prefix svc --out-dir "$d/out"
expect_contains "$out" "$d/m/3_c.UP.SQL: warning: differs from a migration file name only by case, ignored: did you mean 3_c.up.sql?" \
    "case-only name"
unchanged "case-only name (ignored, so the same output)"
rm "$d/m/3_c.UP.SQL"
printf 'SELECT 3;\n' >"$d/m/3_c.up.sql" # both outputs would change
rm "$d/out/svc.c"
mkdir "$d/out/svc.c"
before=$(snap)
run_status 1 "$pgmc" gen --migrations "$d/m" --prefix svc --out-dir "$d/out"
expect_contains "$out" "$d/out/svc.c:1:1: error: cannot replace: Is a directory" "svc.c unwritable"
[ "$(snap)" = "$before" ] || fail "svc.c unwritable: svc.h or temp files changed: $(snap)"
cmp -s "$d/out/svc.h" "$d/good.h" || fail "svc.c unwritable: svc.h was replaced"
for p in pgmc PGMC pgmc_x string stdio _x int; do
    run_status 2 "$pgmc" gen --migrations "$d/m" --prefix "$p" --out-dir "$d/p"
    expect_contains "$out" "pgmc: error: --prefix '$p' " "prefix $p refused"
    [ ! -e "$d/p" ] || fail "prefix $p: output written"
done
pass "hostile folders are refused before reading, located, and write nothing"
