#!/usr/bin/env bash
# Two spellings of one history table at once (issue 9, item 2): on a fresh
# copy of the fault fixture's template, `fault-migrate up --table
# pgmc_schema_history` and `up --table public.pgmc_schema_history` start
# together (the second after a random 0-1.5 s, so that it arrives while the
# first is inside the transactional or the non-transactional data-changing
# migration), in advisory or lease mode by turns. They name one table, so
# they must exclude each other: both exit 0, every data change is applied
# exactly once, the history has one success row per migration, status tells
# the truth, and the schema equals a clean apply.
#
# PGMC_FAULT_SPELLING_ROUNDS (default 4), PGMC_FAULT_SEED.
. "$PGMC_SOURCE_DIR/tests/support/lib.sh"
. "$PGMC_SOURCE_DIR/tests/support/fault_lib.sh"
rounds=${PGMC_FAULT_SPELLING_ROUNDS:-4}
seed=${PGMC_FAULT_SEED:-$$}
RANDOM=$seed
d=$(mktemp -d "${PGMC_TEST_TMPDIR:-/tmp}/it.XXXXXX")
fm_dbs=()
trap 'fm_cleanup; rm -rf "$d"' EXIT
fm_setup "$PGDATABASE"

for ((r = 1; r <= rounds; r++)); do
    lock=$([ $((r % 2)) = 1 ] && echo advisory || echo lease)
    read -r -a largs <<<"$(fm_lock_args "$lock")"
    fm_newdb "${fm_prefix}_t"
    delay=$((1500 * RANDOM / 32768))
    viol=()
    timeout -k 5 120 "$fm_bin" up -q "${largs[@]}" --table pgmc_schema_history >"$d/a.out" 2>&1 &
    pa=$!
    fm_sleep_ms "$delay"
    set +e
    timeout -k 5 120 "$fm_bin" up -q "${largs[@]}" --table public.pgmc_schema_history >"$d/b.out" 2>&1
    rb=$?
    wait "$pa"
    ra=$?
    set -e
    [ "$ra" = 0 ] || viol+=("OTHER: up --table pgmc_schema_history exited $ra: $(tr '\n' ' ' <"$d/a.out" | cut -c1-300)")
    [ "$rb" = 0 ] || viol+=("OTHER: up --table public.pgmc_schema_history exited $rb: $(tr '\n' ' ' <"$d/b.out" | cut -c1-300)")
    fm_quiet 60 || viol+=("OTHER: backends still run 60 s after both exited")
    obs=$(fm_observe 2>&1) || true
    doubles=$(fm_doubles "$obs")
    st=$(fm_status) || st=""
    lies=$(fm_truth "$obs" "$st")
    rows=$(sql "SELECT count(*) FILTER (WHERE success AND progress IS NULL) || '/' || count(*) FROM pgmc_schema_history")
    [ "$rows" = 4/4 ] || viol+=("FINAL: the history has $rows clean success rows/rows, expected 4/4")
    if [ "$ra" = 0 ] && [ "$rb" = 0 ]; then
        [ "$obs" = "bal=11 l2=1 l3=1 l4=1 txm=1 aftm=1 i1=valid i2=valid" ] || [ -n "$doubles" ] ||
            viol+=("FINAL: the database holds $obs")
        schema_dump | diff "$d/ref.dump" - >"$d/schema.diff" ||
            viol+=("SCHEMA: differs from a clean apply: $(head -c 300 "$d/schema.diff" | tr '\n' ' ')")
    fi
    nd=0 nl=0
    [ -z "$doubles" ] || { nd=1; viol+=("$(sort -u <<<"$doubles" | tr '\n' ';')"); }
    [ -z "$lies" ] || { nl=1; viol+=("$(sort -u <<<"$lies" | tr '\n' ';')"); }
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' spelling "$lock" "both" 0 \
        "$([ ${#viol[@]} = 0 ] && echo ok || echo FAIL)" "$nd" "$nl" \
        "$(IFS='|'; echo "${viol[*]:-}")" - >>"$fm_results"
    echo "round $r: $lock, second migrator after $delay ms: exits $ra and $rb; $obs; ${#viol[@]} problem(s)"
    for v in "${viol[@]}"; do echo "    $v"; done
done

fm_finish "fault spellings"
