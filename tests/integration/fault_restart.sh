#!/usr/bin/env bash
# The fault matrix's server crash (see fault_matrix.sh and
# tests/support/fault_lib.sh): `fault-migrate up` interrupted by
# `pg_ctl restart -m immediate` of a PostgreSQL that this test starts for
# itself (tests/harness/pg.sh start), so the shared test server is not
# disturbed. Advisory and lease mode, while a transactional migration's
# UPDATE runs, the non-transactional one's UPDATE, a CREATE INDEX
# CONCURRENTLY, or at a random instant; the rerun is `up --wait=30s`, at once
# while the server restarts (eager) or once it is back, after checking that
# status tells the truth. Then: every data change exactly once, status
# truthful, schema equal to a clean apply.
#
# PGMC_FAULT_RESTART_TRIALS (default 8: each lock x target once, in a random
# order), PGMC_FAULT_SEED.
. "$PGMC_SOURCE_DIR/tests/support/lib.sh"
. "$PGMC_SOURCE_DIR/tests/support/fault_lib.sh"
trials=${PGMC_FAULT_RESTART_TRIALS:-8}
seed=${PGMC_FAULT_SEED:-$$}
RANDOM=$seed
d=$(mktemp -d "${PGMC_TEST_TMPDIR:-/tmp}/it.XXXXXX")
fm_dbs=()
fm_own_state=$d/pgstate
trap 'fm_cleanup; "$PGMC_HARNESS/pg.sh" stop "$fm_own_state" >/dev/null 2>&1 || true; rm -rf "$d"' EXIT
# Durable (synchronous_commit on): a crash must not lose committed work.
PGMC_PG_DURABLE=1 "$PGMC_HARNESS/pg.sh" start "$fm_own_state" >/dev/null
# shellcheck disable=SC1091
. "$fm_own_state/env"

fm_setup fr
fm_calibrate
echo "fault restart: seed $seed, $trials trials on a server of its own; an uninterrupted run takes $fm_span ms"

combos=()
for l in advisory lease; do
    for g in tx data cic any; do combos+=("$l $g"); done
done
order=()
for ((t = 1; t <= trials; t++)); do
    if [ ${#order[@]} = 0 ]; then # a fresh shuffle of every combination
        order=("${combos[@]}")
        for ((i = ${#order[@]} - 1; i > 0; i--)); do
            j=$((RANDOM % (i + 1)))
            tmp=${order[i]} order[i]=${order[j]} order[j]=$tmp
        done
    fi
    set -- ${order[0]}
    order=("${order[@]:1}")
    eager=0
    [ $((RANDOM % 3)) != 0 ] || eager=1
    fm_trial "$t" restart "$1" "$2" "$eager"
done

fm_finish "fault restart"
