#!/usr/bin/env bash
# apply_1000.sh - applying N small migrations (default 1,000) with a pgmc
# binary vs psql applying the same files one transaction per migration.
#
#   bench/apply_1000.sh [N] [RUNS]   (defaults 1000, 5; PGMC_BUILD_DIR=build dir)
#
# Writes N migrations (bench_synth ... small: a table, an index, a row each),
# compiles them with build/bin/pgmc and cc into a migrator, and times, on a
# fresh database each run, `migrator migrate up` against the psql baseline:
# one psql process reading all up files, each wrapped in BEGIN; ... COMMIT;.
# Runs alternate between the two; the ratio is of the medians (best too).
# Target: ratio <= 1.05.
. "$(dirname "$0")/lib.sh"
N=${1:-1000}
RUNS=${2:-5}
BENCH_TMP=$(mktemp -d /tmp/pgmc-bench-apply.XXXXXX)
start_pg
mig=$BENCH_TMP/migrations
"$BIN/bench_synth" "$mig" "$N" small >/dev/null
"$BIN/pgmc" gen --migrations "$mig" --prefix corpus --out-dir "$BENCH_TMP/gen" >/dev/null
${CC:-cc} -O2 -I "$BENCH_TMP/gen" -I "$SRC/runtime" -I /usr/include/postgresql \
    -o "$BENCH_TMP/migrator" "$SRC/tests/support/corpus_main.c" "$BENCH_TMP/gen/corpus.c" \
    "$BUILD/lib/libpgmc_runtime.a" -lpq
all=$BENCH_TMP/all.sql
for f in "$mig"/*.up.sql; do
    printf 'BEGIN;\n'
    cat "$f"
    printf '\nCOMMIT;\n'
done >"$all"

pgmc_t=() psql_t=()
for ((r = 0; r < RUNS; r++)); do
    fresh_db bench_apply_a
    t0=$(now_us)
    DATABASE_URL="postgresql:///bench_apply_a?host=$PGHOST&port=$PGPORT&user=$PGUSER" \
        "$BENCH_TMP/migrator" migrate up -q
    t1=$(now_us)
    fresh_db bench_apply_b
    t2=$(now_us)
    "$PSQL" -X -q -v ON_ERROR_STOP=1 -d bench_apply_b -f "$all" >/dev/null
    t3=$(now_us)
    pgmc_t+=($((t1 - t0)))
    psql_t+=($((t3 - t2)))
done
pm=$(printf '%s\n' "${pgmc_t[@]}" | median)
qm=$(printf '%s\n' "${psql_t[@]}" | median)
pb=$(printf '%s\n' "${pgmc_t[@]}" | sort -n | head -1)
qb=$(printf '%s\n' "${psql_t[@]}" | sort -n | head -1)
applied=$(psql -X -At -d bench_apply_a -c 'select count(*) from pgmc_schema_history')
awk -v pm="$pm" -v qm="$qm" -v pb="$pb" -v qb="$qb" -v n="$N" -v r="$RUNS" -v a="$applied" 'BEGIN {
    printf "%d migrations (%d recorded in history), %d runs each, fresh database per run\n", n, a, r
    printf "pgmc migrate up:           median %.3f s, best %.3f s\n", pm / 1e6, pb / 1e6
    printf "psql, BEGIN/COMMIT each:   median %.3f s, best %.3f s\n", qm / 1e6, qb / 1e6
    printf "ratio (median): %.3f   ratio (best): %.3f  (target <= 1.05)\n", pm / qm, pb / qb
}'
