#!/usr/bin/env bash
# case_decode.sh - benchmark case 5, typed row decode, as one markdown table.
#
#   bench/case_decode.sh [--quick]      (PGMC_BUILD_DIR=build dir)
#
# Starts a throwaway PostgreSQL, creates `items` from bench/decode_migrations
# (8 columns: bigint, integer, double, boolean, text, nullable text,
# timestamptz, uuid) and fills it with 1,000,000 rows, then fetches them all
# into structs with each contender (bench_decode MODE, bench_decode_ecpg):
# pgmc_stream_rows into the generated struct; libpq text (whole result, and
# single-row mode); hand-written binary single-row libpq; ECPG (cursor,
# FETCH FORWARD 1000 into host arrays). Each run is a fresh process; time is
# measured inside it from sending the query to the last row, peak memory is
# its max RSS (getrusage). One warm-up round, then 5 counted runs (3 with
# --quick), contenders alternating. Every contender must produce the same
# checksum over all decoded values. Ratio: to hand-written binary
# single-row libpq (the target: pgmc <= 1.05x, <= 16 MB peak RSS).
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
RUNS=5
[ "${1:-}" = "--quick" ] && RUNS=3
RUNS=${PGMC_BENCH_RUNS:-$RUNS} # override, for a short look (below the 3 the cases call for)
ROWS=${PGMC_BENCH_ROWS:-1000000}
start_pg
export PGTZ=UTC PGDATABASE=bench_decode
fresh_db bench_decode
"$PSQL" -X -q -v ON_ERROR_STOP=1 -f "$SRC/bench/decode_migrations/0001_items.up.sql"
"$PSQL" -X -q -v ON_ERROR_STOP=1 -c "
INSERT INTO items
SELECT i, i % 1000, i * 0.25, i % 3 = 0, 'name-' || i,
       CASE WHEN i % 5 = 0 THEN NULL ELSE repeat('x', i % 40) END,
       timestamptz '2024-01-01 00:00:00+00' + make_interval(secs => i * 1.000037),
       md5(i::text)::uuid
FROM generate_series(1, $ROWS) AS i" -c "VACUUM ANALYZE items"

modes=(pgmc bin-single text-single text)
[ -x "$BIN/bench_decode_ecpg" ] && modes+=(ecpg)
run() {
    if [ "$1" = ecpg ]; then "$BIN/bench_decode_ecpg" bench_decode; else "$BIN/bench_decode" "$1"; fi
}
declare -A T M S
for ((r = 0; r <= RUNS; r++)); do
    for m in "${modes[@]}"; do
        read -r _ rows t rss sum < <(run "$m")
        [ "$rows" = "$ROWS" ] || { echo "case_decode: $m decoded $rows rows, want $ROWS" >&2; exit 1; }
        S[$m]=$sum
        [ "$r" = 0 ] && continue
        T[$m]="${T[$m]:-} $t" M[$m]="${M[$m]:-} $rss"
    done
done
for m in "${modes[@]}"; do
    [ "${S[$m]}" = "${S[pgmc]}" ] || { echo "case_decode: $m checksum ${S[$m]} != pgmc ${S[pgmc]}" >&2; exit 1; }
done
stats() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {
    m = (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2; print m, a[1], a[NR]}'; }
read -r base _ _ < <(echo "${T[bin-single]}" | stats)
echo "| contender | median s | min s | max s | rows/s (median) | peak RSS MB (max) | x binary single-row |"
echo "|---|---|---|---|---|---|---|"
for m in "${modes[@]}"; do
    case $m in
    pgmc) name="pgmc: generated struct, pgmc_stream_rows (binary, single-row)" ;;
    bin-single) name="libpq by hand: binary, single-row mode" ;;
    text-single) name="libpq by hand: text, single-row mode, strtoll/strtod" ;;
    text) name="libpq by hand: text, whole result (PQexec), strtoll/strtod" ;;
    ecpg) name="ECPG: cursor, FETCH FORWARD 1000 into host arrays" ;;
    esac
    read -r md lo hi < <(echo "${T[$m]}" | stats)
    read -r _ _ rhi < <(echo "${M[$m]}" | stats)
    awk -v n="$name" -v m="$md" -v lo="$lo" -v hi="$hi" -v r="$rhi" -v b="$base" -v rows="$ROWS" \
        'BEGIN {printf "| %s | %.3f | %.3f | %.3f | %.0f | %.1f | %.2fx |\n", n, m, lo, hi, rows / m, r / 1024, m / b}'
done
echo
echo "$ROWS rows, 8 columns; $RUNS counted runs after one warm-up, contenders alternating, one process per run; all contenders gave checksum ${S[pgmc]}."
