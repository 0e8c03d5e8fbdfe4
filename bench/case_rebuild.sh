#!/usr/bin/env bash
# case_rebuild.sh - benchmark case 6, the edit-build loop, as one markdown
# table.
#
#   bench/case_rebuild.sh [--quick]      (PGMC_BUILD_DIR=build dir; N=1000)
#
# A CMake consumer project (as tests/integration/cmake_consumer.sh sets one
# up: add_subdirectory of this tree, pgmc_generate, an executable linking
# the schema) with N synthetic migrations (bench_synth). After a first
# build: `cmake --build` with no change, and `cmake --build` after adding
# one migration (its .up.sql and .down.sql): the whole rebuild, i.e. the
# re-configure that pgmc_generate's CONFIGURE_DEPENDS glob triggers on a
# new file, `pgmc gen`, compiling the generated .c and linking. One warm-up
# round, then 5 counted runs (3 with --quick), each adding the next
# migration. Time is wall clock.
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
RUNS=5
[ "${1:-}" = "--quick" ] && RUNS=3
RUNS=${PGMC_BENCH_RUNS:-$RUNS}
N=${PGMC_BENCH_REBUILD_N:-1000}
BENCH_TMP=$(mktemp -d /tmp/pgmc-bench-rebuild.XXXXXX)
trap 'rm -rf "$BENCH_TMP"' EXIT
app=$BENCH_TMP/app build=$BENCH_TMP/build more=$BENCH_TMP/more
mkdir -p "$app"
# N migrations in the project, the next RUNS + 1 aside for adding.
"$BIN/bench_synth" "$more" $((N + RUNS + 1)) >/dev/null
mkdir -p "$app/db"
for f in "$more"/*; do
    v=$(basename "$f" | sed 's/_.*//')
    [ $((10#$v)) -le "$N" ] && mv "$f" "$app/db/"
done
cat >"$app/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.20)
project(consumer C)
add_subdirectory("$SRC" pgmc)
pgmc_generate(TARGET app_schema MIGRATIONS db PREFIX app)
add_executable(app main.c)
target_link_libraries(app PRIVATE app_schema)
CMAKE
cat >"$app/main.c" <<'C'
#include "app.h"
#include "pgmc.h"
int main(int argc, char **argv)
{
    return pgmc_main(argc, argv, &app_schema);
}
C
# Ninja when installed: pgmc_generate hands it `pgmc gen --depfile`, so an
# added file needs no re-configure; with Unix Makefiles it does (the glob).
GENERATOR=${PGMC_BENCH_GENERATOR:-$(command -v ninja >/dev/null && echo Ninja || echo "Unix Makefiles")}
cmake -S "$app" -B "$build" -G "$GENERATOR" -DCMAKE_BUILD_TYPE=${PGMC_BENCH_BUILD_TYPE:-RelWithDebInfo} \
    >"$BENCH_TMP/configure.log" 2>&1 || { cat "$BENCH_TMP/configure.log" >&2; exit 1; }
cmake --build "$build" -j 2 >"$BENCH_TMP/build.log" 2>&1 || { cat "$BENCH_TMP/build.log" >&2; exit 1; }

# timed_build: prints the seconds one `cmake --build` took.
timed_build() {
    local t0 t1
    t0=$(now_us)
    cmake --build "$build" -j 2 >"$BENCH_TMP/build.log" 2>&1 || { cat "$BENCH_TMP/build.log" >&2; exit 1; }
    t1=$(now_us)
    awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f\n", (b - a) / 1e6}'
}

next=$((N + 1))
declare -a NOCHANGE ADD
for ((r = 0; r <= RUNS; r++)); do
    t=$(timed_build)
    [ "$r" = 0 ] || NOCHANGE+=("$t")
    sleep 1 # a new mtime, whatever the file system's resolution
    mv "$more"/"$(printf '%05d' "$next")"_* "$app/db/"
    next=$((next + 1))
    t=$(timed_build)
    [ "$r" = 0 ] || ADD+=("$t")
done
# The last build must hold the last migration added.
grep -q "create_[a-z]*_$((next - 1))\.up\.sql" "$build/app_schema_pgmc/app.c" ||
    { echo "case_rebuild: the last migration added is not in the generated code" >&2; exit 1; }

stats() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {
    m = (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2; printf "%.3f %.3f %.3f\n", m, a[1], a[NR]}'; }
read -r nm nlo nhi < <(echo "${NOCHANGE[*]}" | stats)
read -r am alo ahi < <(echo "${ADD[*]}" | stats)
gen_c=$build/app_schema_pgmc/app.c
echo "| cmake --build ($GENERATOR), $N migrations | median s | min s | max s |"
echo "|---|---|---|---|"
echo "| no change | $nm | $nlo | $nhi |"
if [ "$GENERATOR" = Ninja ]; then what="pgmc gen + compile + link"; else what="re-configure + pgmc gen + compile + link"; fi
echo "| one migration added ($what) | $am | $alo | $ahi |"
echo
echo "$RUNS counted runs after one warm-up; $(cc --version | head -1); generated app.c: $(du -k "$gen_c" | cut -f1) KB. With Unix Makefiles pgmc_generate globs the folder with CONFIGURE_DEPENDS, so adding a file re-runs CMake's configure step, which is part of the time; with Ninja the depfile of \`pgmc gen\` does that job. Set PGMC_BENCH_GENERATOR to choose."
