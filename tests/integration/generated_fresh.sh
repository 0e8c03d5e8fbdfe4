#!/usr/bin/env bash
# generated/ is the committed output of pgmc for migrations/: regenerate it
# into a scratch directory and compare byte for byte.
. "$PGMC_SOURCE_DIR/tests/support/lib.sh"
make_scratch
"$PGMC_BIN_DIR/pgmc" gen --migrations "$PGMC_SOURCE_DIR/migrations" --prefix example --out-dir "$d" >/dev/null
for f in example.h example.c; do
    cmp -s "$d/$f" "$PGMC_SOURCE_DIR/generated/$f" || {
        diff -u "$PGMC_SOURCE_DIR/generated/$f" "$d/$f" | head -n 40 >&2
        fail "generated/$f is stale: run build/bin/pgmc gen --migrations migrations --prefix example --out-dir generated"
    }
done
# Same inputs, byte-identical output, from another working directory and a
# relative path too.
(cd "$PGMC_SOURCE_DIR" && "$PGMC_BIN_DIR/pgmc" gen --migrations ./migrations/ --prefix example --out-dir "$d/2" >/dev/null)
cmp -s "$d/example.c" "$d/2/example.c" || fail "output depends on how the path was spelled"
grep -q "$PGMC_SOURCE_DIR" "$d/example.c" "$d/example.h" && fail "absolute path in generated output"
pass "generated/ is current and deterministic"
