#!/usr/bin/env bash
# case_gen.sh - benchmark case 3, generator throughput, as one markdown table.
#
#   bench/case_gen.sh [--quick]      (PGMC_BUILD_DIR=build dir; default build/)
#
# Two inputs: 10,000 synthetic migrations (bench_synth: 20,000 files) and a
# single ~50 MB migration of long dollar-quoted function bodies
# (bench_bigsql). Contenders, alternating within each run:
#   floor   - read the same bytes (one thread) and memchr them for ';'
#             (bench_floor floor, timed inside the process)
#   in-proc - pgmc_gen_run, timed inside the process (bench_floor gen)
#   CLI     - the whole `pgmc gen` process, timed from this script
# One warm-up round (fills the page cache), then 5 counted runs (3 with
# --quick). MB/s use the input bytes, MB = 10^6 bytes. Ratio: time / floor
# time (medians).
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
RUNS=5
[ "${1:-}" = "--quick" ] && RUNS=3
RUNS=${PGMC_BENCH_RUNS:-$RUNS} # override, for a short look (below the 3 the cases call for)
BENCH_TMP=$(mktemp -d /tmp/pgmc-bench-gen.XXXXXX)
trap 'rm -rf "$BENCH_TMP"' EXIT

many=$BENCH_TMP/many big=$BENCH_TMP/big
"$BIN/bench_synth" "$many" 10000 >/dev/null
"$BIN/bench_bigsql" "$big" 50

stats() { # prints "median min max" of the numbers given
    printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {
        m = (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2; print m, a[1], a[NR]}'
}

echo "| input | contender | median s | min s | max s | median MB/s | x floor |"
echo "|---|---|---|---|---|---|---|"
for input in many big; do
    dir=${!input}
    out=$BENCH_TMP/out-$input
    mkdir -p "$out"
    bytes=0 fl=() ip=() cl=()
    for ((r = 0; r <= RUNS; r++)); do
        read -r tf bytes _ < <("$BIN/bench_floor" floor "$dir")
        read -r tg _ _ < <("$BIN/bench_floor" gen "$dir" "$out")
        rm -f "$out/bench.c" "$out/bench.h"
        t0=$(now_us)
        "$BIN/pgmc" gen --migrations "$dir" --prefix bench --out-dir "$out" >/dev/null 2>&1
        t1=$(now_us)
        tc=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.6f", (b - a) / 1e6}')
        [ "$r" = 0 ] && continue # warm-up
        fl+=("$tf") ip+=("$tg") cl+=("$tc")
    done
    mb=$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1e6}')
    [ "$input" = many ] && label="10,000 migrations (20,000 files, $mb MB)" ||
        label="1 file, long dollar bodies ($mb MB)"
    read -r fm _ _ < <(stats "${fl[@]}")
    for c in fl ip cl; do
        case $c in
        fl) name="memchr floor (read + memchr ';')" ;;
        ip) name="pgmc_gen_run (in process)" ;;
        cl) name="\`pgmc gen\` (whole process)" ;;
        esac
        arr="$c[@]"
        read -r m lo hi < <(stats "${!arr}")
        awk -v l="$label" -v n="$name" -v m="$m" -v lo="$lo" -v hi="$hi" -v mb="$mb" -v f="$fm" \
            'BEGIN {printf "| %s | %s | %.3f | %.3f | %.3f | %.0f | %.2fx |\n", l, n, m, lo, hi, mb / m, m / f}'
        label=""
    done
done
echo
echo "$RUNS counted runs after one warm-up; contenders alternate within each run; page cache warm."
echo "x floor: median time / median floor time (read + memchr of the same bytes)."
# Where the time goes: one more run of each input with PGMC_TIMINGS (wall
# clock per stage) and one with PGMC_TIMINGS=cpu (CPU time of the process,
# steadier when the machine is shared).
for input in many big; do
    dir=${!input}
    out=$BENCH_TMP/out-$input
    for clock in 1 cpu; do
        rm -f "$out/bench.c" "$out/bench.h"
        line=$(PGMC_TIMINGS=$clock "$BIN/pgmc" gen --migrations "$dir" --prefix bench --out-dir "$out" 2>&1 |
            sed -n 's/^pgmc: timing: *\([^ ].*[^ ]\) \{1,\}\([0-9.]*\) ms.*/\1 \2/p' |
            awk '{n = $NF; $NF = ""; sub(/ $/, ""); printf "%s%s %.0f", (NR > 1 ? ", " : ""), $0, n}')
        echo "stages, $input, $([ "$clock" = cpu ] && echo "CPU ms" || echo "wall ms"): $line"
    done
done
echo "bench.c sizes: $(du -m "$BENCH_TMP/out-many/bench.c" | cut -f1) MB (10,000 migrations), $(du -m "$BENCH_TMP/out-big/bench.c" | cut -f1) MB (1 file)."
