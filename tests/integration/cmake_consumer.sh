#!/usr/bin/env bash
# Another project pulls pgmc in with add_subdirectory() and uses
# pgmc_generate(). Adding, editing and removing a migration regenerates on the
# next build, and the resulting binary migrates a fresh database.
. "$PGMC_SOURCE_DIR/tests/support/lib.sh"
make_scratch
mkdir -p "$d/app/db"
cat >"$d/app/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.20)
project(consumer C)
add_subdirectory("$PGMC_SOURCE_DIR" pgmc)
pgmc_generate(TARGET app_schema MIGRATIONS db PREFIX app)
add_executable(app main.c)
target_link_libraries(app PRIVATE app_schema)
CMAKE
cat >"$d/app/main.c" <<'C'
#include "app.h"
#include "pgmc.h"
#include <string.h>
int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "migrate"))
        return pgmc_main(argc - 1, argv + 1, &app_schema);
    return 2;
}
C
printf 'CREATE TABLE widgets (id int PRIMARY KEY);\n' >"$d/app/db/1_widgets.up.sql"
printf 'DROP TABLE widgets;\n' >"$d/app/db/1_widgets.down.sql"

build() { cmake --build "$d/build" -j 2 >"$d/build.log" 2>&1 || { cat "$d/build.log" >&2; fail "consumer build"; }; }
cmake -S "$d/app" -B "$d/build" -DCMAKE_BUILD_TYPE=Debug >"$d/configure.log" 2>&1 ||
    { cat "$d/configure.log" >&2; fail "consumer configure"; }
build
app="$d/build/app"
run_status 0 "$app" migrate status
[ "$(grep -c '○' <<<"$out")" = 1 ] || { echo "$out"; fail "one pending migration expected"; }

# Add a migration: the next build regenerates.
sleep 1
printf 'CREATE TABLE gadgets (id int PRIMARY KEY);\n' >"$d/app/db/2_gadgets.up.sql"
printf 'DROP TABLE gadgets;\n' >"$d/app/db/2_gadgets.down.sql"
build
run_status 0 "$app" migrate status
[ "$(grep -c '○' <<<"$out")" = 2 ] || { echo "$out"; fail "added migration not picked up"; }
expect_contains "$out" "gadgets" "added migration"

# Edit one: the new SQL is what runs.
sleep 1
printf 'CREATE TABLE gadgets (id int PRIMARY KEY, label text);\n' >"$d/app/db/2_gadgets.up.sql"
build
run_status 0 "$app" migrate up
[ "$(sql "select count(*) from information_schema.columns where table_name='gadgets'")" = 2 ] ||
    fail "edited migration not picked up"

# Remove one (after taking it down): the binary no longer knows it.
run_status 0 "$app" migrate down 1
rm "$d/app/db/2_gadgets.up.sql" "$d/app/db/2_gadgets.down.sql"
build
run_status 0 "$app" migrate status
expect_absent "$out" "gadgets" "removed migration"
pass "add_subdirectory consumer regenerates on add, edit and remove"
