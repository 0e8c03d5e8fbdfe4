#!/usr/bin/env bash
# case_compile.sh - benchmark case 4, compile cost of generated code, as one
# markdown table.
#
#   bench/case_compile.sh [--quick]      (PGMC_BUILD_DIR=build dir; CC=compiler)
#
# `pgmc gen` over 10,000 synthetic migrations, then `$CC -O2 -std=c11 -c` of
# the generated .c (everything pgmc emits: scripts, statement tables, typed
# rows), of a .c that only includes the generated header (the row structs'
# share), and of prototypes that hold only the same SQL bytes in different
# representations (bench_blobs: lines = an array per file, as before ABI 3,
# onelit, bigstr = what pgmc emits now, incbin; hex and dec, which take over
# a minute and ~3 GB each, only with PGMC_BENCH_SLOW=1). Every prototype is first linked with a checker that
# hashes all bytes, and must give the same hash. One warm-up round, then 5
# counted runs (3 with --quick), contenders alternating. Time is wall clock,
# peak memory the compiler's max RSS (/usr/bin/time). Ratio: to today's
# representation (lines).
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
RUNS=5
[ "${1:-}" = "--quick" ] && RUNS=3
RUNS=${PGMC_BENCH_RUNS:-$RUNS} # override, for a short look (below the 3 the cases call for)
CC=${CC:-cc}
BENCH_TMP=$(mktemp -d /tmp/pgmc-bench-compile.XXXXXX)
trap 'rm -rf "$BENCH_TMP"' EXIT
mig=$BENCH_TMP/mig p=$BENCH_TMP/proto gen=$BENCH_TMP/gen
"$BIN/bench_synth" "$mig" 10000 >/dev/null
"$BIN/pgmc" gen --migrations "$mig" --prefix bench --out-dir "$gen" >/dev/null 2>&1
mkdir -p "$p"
info=$("$BIN/bench_blobs" "$mig" "$p")

variants=(lines onelit bigstr incbin)
[ "${PGMC_BENCH_SLOW:-0}" = 1 ] && variants=(lines onelit bigstr hex dec incbin)
printf '#include "bench.h"\n' >"$BENCH_TMP/header_only.c"
want=""
for v in "${variants[@]}"; do
    if [ "$v" = incbin ]; then
        (cd "$p" && $CC -c -o incbin_s.o incbin.S && $CC -O2 -std=c11 -c -o incbin.o incbin.c)
        objs="$p/incbin_s.o $p/incbin.o"
    else
        $CC -O2 -std=c11 -c -o "$p/$v.o" "$p/$v.c"
        objs="$p/$v.o"
    fi
    # shellcheck disable=SC2086
    $CC -o "$p/check_$v" "$p/check.c" $objs
    got=$("$p/check_$v")
    [ -z "$want" ] && want=$got
    [ "$got" = "$want" ] || { echo "case_compile: $v holds other bytes: $got vs $want" >&2; exit 1; }
done

# compile VARIANT: prints "seconds maxrss_kb"
compile() {
    local tf=$BENCH_TMP/time.out
    case $1 in
    pgmc) /usr/bin/time -o "$tf" -f "%e %M" $CC -O2 -std=c11 -c -I "$SRC/runtime" -I "$gen" \
        -o "$BENCH_TMP/gen.o" "$gen/bench.c" ;;
    header) /usr/bin/time -o "$tf" -f "%e %M" $CC -O2 -std=c11 -c -I "$SRC/runtime" -I "$gen" \
        -o "$BENCH_TMP/header.o" "$BENCH_TMP/header_only.c" ;;
    incbin) (cd "$p" && /usr/bin/time -o "$tf" -f "%e %M" sh -c \
        "$CC -c -o incbin_s.o incbin.S && $CC -O2 -std=c11 -c -o incbin.o incbin.c") ;;
    *) /usr/bin/time -o "$tf" -f "%e %M" $CC -O2 -std=c11 -c -o "$p/$1.o" "$p/$1.c" ;;
    esac
    cat "$tf"
}

all=(pgmc header "${variants[@]}")
declare -A T M
for ((r = 0; r <= RUNS; r++)); do
    for v in "${all[@]}"; do
        read -r t m < <(compile "$v")
        [ "$r" = 0 ] && continue
        T[$v]="${T[$v]:-} $t" M[$v]="${M[$v]:-} $m"
    done
done
stats() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {
    m = (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2; print m, a[1], a[NR]}'; }
read -r base _ _ < <(echo "${T[lines]}" | stats)
size() { du -m "$1" | cut -f1; }
echo "| representation | source MB | median s | min s | max s | peak RSS MB | x lines |"
echo "|---|---|---|---|---|---|---|"
for v in "${all[@]}"; do
    case $v in
    pgmc) name="generated bench.c (all of it: scripts, statement tables, typed rows)" s=$(size "$gen/bench.c") ;;
    header) name="only #include \"bench.h\" (the row structs)" s=$(size "$gen/bench.h") ;;
    lines) name="lines: array per file, literal per SQL line (scripts before ABI 3)" s=$(size "$p/lines.c") ;;
    onelit) name="onelit: array per file, one literal on one line" s=$(size "$p/onelit.c") ;;
    bigstr) name="bigstr: one array, literal per SQL line, offsets (scripts now)" s=$(size "$p/bigstr.c") ;;
    hex) name="hex: one unsigned char array, 0xNN initialiser" s=$(size "$p/hex.c") ;;
    dec) name="dec: one unsigned char array, decimal initialiser" s=$(size "$p/dec.c") ;;
    incbin) name="incbin: .incbin in an assembler file + C offsets table" s="$(size "$p/blob.bin") (bin)" ;;
    esac
    read -r m lo hi < <(echo "${T[$v]}" | stats)
    read -r mm _ _ < <(echo "${M[$v]}" | stats)
    awk -v n="$name" -v s="$s" -v m="$m" -v lo="$lo" -v hi="$hi" -v mm="$mm" -v b="$base" \
        'BEGIN {printf "| %s | %s | %.2f | %.2f | %.2f | %.0f | %.2fx |\n", n, s, m, lo, hi, mm / 1024, m / b}'
done
echo
echo "Input: $info ($($CC --version | head -1)); $RUNS counted runs after one warm-up, alternating; every prototype verified to hold the same bytes."
