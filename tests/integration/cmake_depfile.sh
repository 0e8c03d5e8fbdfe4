#!/usr/bin/env bash
# A consumer project uses pgmc_generate() on a diesel folder, built with the
# Makefile generator and, when ninja is installed, with Ninja (which gets
# `pgmc gen --depfile`). Editing a migration's metadata.toml regenerates and
# changes the migration's transaction mode; adding or removing a migration
# directory regenerates; a build without changes never runs the generator,
# also not after an input was touched without a change.
. "$PGMC_SOURCE_DIR/tests/support/lib.sh"
make_scratch
app="$d/app"
mig="$app/db"
mkdir -p "$mig/2024-01-01-000000_widgets"
cat >"$app/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.20)
project(consumer C)
add_subdirectory("$PGMC_SOURCE_DIR" pgmc)
pgmc_generate(TARGET app_schema MIGRATIONS db PREFIX app)
CMAKE
printf 'CREATE TABLE widgets (id int PRIMARY KEY);\n' >"$mig/2024-01-01-000000_widgets/up.sql"
printf 'DROP TABLE widgets;\n' >"$mig/2024-01-01-000000_widgets/down.sql"
printf '# diesel settings\nrun_in_transaction = true\n' >"$mig/2024-01-01-000000_widgets/metadata.toml"

generators=("Unix Makefiles")
if command -v ninja >/dev/null 2>&1; then
    generators+=(Ninja)
else
    echo "note: ninja not installed, testing the Makefile generator only"
fi

# build DIR: build the generated library, log in $log; $ran is 1 if the
# generator ran.
build() {
    log="$1.log"
    cmake --build "$1" --target app_schema -j 2 >"$log" 2>&1 || { cat "$log" >&2; fail "consumer build ($1)"; }
    if grep -q 'pgmc: generating app.c' "$log"; then ran=1; else ran=0; fi
}
# tx_modes DIR: the transaction modes of the generated scripts, one line.
# (A script's initialiser is {file, sql, length, statements, n, tx mode, note}.)
tx_modes() {
    { grep -oE '_statements \+ [0-9]+, [0-9]+, PGMC_TX_[A-Z_]+' "$1/app_schema_pgmc/app.c" || true; } |
        sed 's/.*, //' | sort | uniq -c | tr -s ' \n' ' '
}
# unchanged DIR WHAT: a build that must not run the generator nor touch app.c.
unchanged() {
    local before
    before=$(stat -c %y "$1/app_schema_pgmc/app.c")
    build "$1"
    [ "$ran" = 0 ] || { cat "$log" >&2; fail "$2: the generator ran on a build without changes ($gen)"; }
    [ "$(stat -c %y "$1/app_schema_pgmc/app.c")" = "$before" ] || fail "$2: app.c was rewritten ($gen)"
}
# changed DIR WHAT: a build that must run the generator.
changed() {
    build "$1"
    [ "$ran" = 1 ] || { cat "$log" >&2; fail "$2: the generator did not run ($gen)"; }
}

i=0
for gen in "${generators[@]}"; do
    i=$((i + 1))
    b="$d/build$i"
    # Each generator starts from the same folder.
    rm -rf "$mig/2024-02-01-000000_gadgets"
    printf '# diesel settings\nrun_in_transaction = true\n' >"$mig/2024-01-01-000000_widgets/metadata.toml"
    cmake -S "$app" -B "$b" -G "$gen" -DCMAKE_BUILD_TYPE=Debug >"$d/configure$i.log" 2>&1 ||
        { cat "$d/configure$i.log" >&2; fail "consumer configure ($gen)"; }
    changed "$b" "first build"
    modes=$(tx_modes "$b")
    expect_contains "$modes" "PGMC_TX_TRANSACTION" "transactional before the edit ($gen)"
    expect_absent "$modes" "PGMC_TX_NONE" "transactional before the edit ($gen)"
    unchanged "$b" "second build"

    # The settings file is an input: run_in_transaction = false regenerates.
    sleep 1
    printf '# diesel settings\nrun_in_transaction = false\n' >"$mig/2024-01-01-000000_widgets/metadata.toml"
    changed "$b" "metadata.toml edited"
    modes=$(tx_modes "$b")
    expect_contains "$modes" "PGMC_TX_NONE" "no transaction after the edit ($gen)"
    expect_absent "$modes" "PGMC_TX_TRANSACTION" "no transaction after the edit ($gen)"
    unchanged "$b" "after the edit"

    # A new migration directory regenerates.
    sleep 1
    mkdir "$mig/2024-02-01-000000_gadgets"
    printf 'CREATE TABLE gadgets (id int PRIMARY KEY);\n' >"$mig/2024-02-01-000000_gadgets/up.sql"
    changed "$b" "migration added"
    grep -q gadgets "$b/app_schema_pgmc/app.c" || fail "added migration not in app.c ($gen)"
    unchanged "$b" "after the addition"

    # Removing it regenerates, and then the build is quiet again.
    sleep 1
    rm -r "$mig/2024-02-01-000000_gadgets"
    changed "$b" "migration removed"
    ! grep -q gadgets "$b/app_schema_pgmc/app.c" || fail "removed migration still in app.c ($gen)"
    unchanged "$b" "after the removal"
    unchanged "$b" "after the removal, again"

    # An input touched without a change may cost one run, never more.
    sleep 1
    touch "$mig/2024-01-01-000000_widgets/metadata.toml" "$mig/2024-01-01-000000_widgets/up.sql"
    build "$b"
    unchanged "$b" "after a touch"

    if [ "$gen" = Ninja ]; then
        dep="$b/app_schema_pgmc/app.d"
        [ -f "$dep" ] || fail "no depfile written ($gen)"
        depfile=$(cat "$dep")
        expect_contains "$depfile" "$b/app_schema_pgmc/app.h $b/app_schema_pgmc/app.c:" "depfile targets"
        expect_contains "$depfile" "$mig/2024-01-01-000000_widgets/metadata.toml" "depfile sidecar"
        expect_contains "$depfile" "$mig/2024-01-01-000000_widgets \\" "depfile directory"
        expect_absent "$depfile" "gadgets" "depfile after the removal"
    fi
    pass "pgmc_generate with $gen: regenerates on a metadata.toml edit, an addition and a removal, and only then"
done
