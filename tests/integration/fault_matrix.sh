#!/usr/bin/env bash
# The fault matrix of issue 9 (tests/support/fault_lib.sh does the work):
# `fault-migrate up` (tests/fixtures/fault: data-changing transactional and
# non-transactional migrations) interrupted by SIGTERM, SIGINT, SIGKILL or a
# TCP cut (the migrator connects through tests/support/tcp_proxy, which is
# killed), in advisory and lease mode (--lease-ttl 1s), while a
# transactional migration's UPDATE runs (tx), while the UPDATE of the
# non-transactional one runs (data), while a CREATE INDEX CONCURRENTLY runs
# (cic), or at a uniformly random instant of the run (any). Each trial
# checks that status told the truth, reruns `up`, and checks that every data
# change landed exactly once and the schema equals a clean apply.
#
# PGMC_FAULT_TRIALS (default 24: each fault x lock cell 3 times, with
# 3 of the 4 targets, drawn at random) and PGMC_FAULT_SEED (offsets, order, eager reruns).
# Every trial runs; the test fails at the end if any broke a promise, after
# a summary table. The server crash (pg_ctl restart -m immediate) is
# fault_restart.sh, on a server of its own; two spellings of the history
# table at once are fault_spellings.sh.
. "$PGMC_SOURCE_DIR/tests/support/lib.sh"
. "$PGMC_SOURCE_DIR/tests/support/fault_lib.sh"
trials=${PGMC_FAULT_TRIALS:-24}
seed=${PGMC_FAULT_SEED:-$$}
RANDOM=$seed
d=$(mktemp -d "${PGMC_TEST_TMPDIR:-/tmp}/it.XXXXXX")
fm_dbs=()
trap 'fm_cleanup; rm -rf "$d"' EXIT

fm_setup "$PGDATABASE"
fm_calibrate
echo "fault matrix: seed $seed, $trials trials; an uninterrupted run takes $fm_span ms"

# The order: every fault x lock cell in turn (shuffled), each with the next
# of its own random permutation of the targets, so that the first N trials
# spread evenly over the cells (N = 24: each cell gets 3 of the 4 targets).
cells=()
for f in sigterm sigint sigkill tcpcut; do
    for l in advisory lease; do cells+=("$f $l"); done
done
shuffle() { # shuffle NAME: shuffle the array NAME in place (with $RANDOM)
    local -n a=$1
    local i j tmp
    for ((i = ${#a[@]} - 1; i > 0; i--)); do
        j=$((RANDOM % (i + 1)))
        tmp=${a[i]} a[i]=${a[j]} a[j]=$tmp
    done
}
shuffle cells
declare -A perm
for c in "${cells[@]}"; do
    tg=(tx data cic any)
    shuffle tg
    perm[$c]="${tg[*]}"
done
for ((t = 1; t <= trials; t++)); do
    c=${cells[$(((t - 1) % ${#cells[@]}))]}
    read -r -a tg <<<"${perm[$c]}"
    set -- $c "${tg[$(((t - 1) / ${#cells[@]} % 4))]}"
    eager=0
    { [ "$1" = sigkill ] || [ "$1" = tcpcut ]; } && [ $((RANDOM % 3)) = 0 ] && eager=1
    fm_trial "$t" "$1" "$2" "$3" "$eager"
done

fm_finish "fault matrix"
