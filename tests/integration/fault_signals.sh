#!/usr/bin/env bash
# The fault matrix of issue 9, signals (tests/support/fault_lib.sh does the
# work; fault_kills.sh, fault_restart.sh and fault_spellings.sh are the other
# parts): `fault-migrate up` on tests/fixtures/fault (data-changing
# migrations, transactional and not) sent SIGINT or SIGTERM, in advisory and
# lease mode (--lease-ttl 1s), while a transactional migration's UPDATE runs
# (tx), while the non-transactional one's UPDATE runs (data), while a CREATE
# INDEX CONCURRENTLY runs (cic), or at a random instant (any). Beyond the
# checks of every trial (status truthful, each data change applied exactly
# once after the reruns, the schema of a clean apply), the signal spec:
# exit 130/143, the statement in flight cancelled (nothing left running on
# the server), a transactional migration rolled back, the lock released,
# and a word on where the database stands; in a third of the trials the
# signal comes twice, and the second must end the migrator at once.
#
# PGMC_FAULT_TRIALS trials per fault x lock cell (default 3: 12 trials),
# PGMC_FAULT_SEED. Every trial runs; the test fails at the end, after a
# summary table, if any broke a promise.
. "$PGMC_SOURCE_DIR/tests/support/lib.sh"
. "$PGMC_SOURCE_DIR/tests/support/fault_lib.sh"
seed=${PGMC_FAULT_SEED:-$$}
RANDOM=$seed
d=$(mktemp -d "${PGMC_TEST_TMPDIR:-/tmp}/it.XXXXXX")
fm_dbs=()
trap 'fm_watch_close; fm_cleanup; rm -rf "$d"' EXIT
fm_setup "$PGDATABASE"
fm_calibrate
echo "fault signals: seed $seed; an uninterrupted run takes $fm_span ms"
fm_matrix "${PGMC_FAULT_TRIALS:-3}" sigint sigterm
fm_finish "fault signals"
