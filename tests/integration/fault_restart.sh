#!/usr/bin/env bash
# The fault matrix's server crash (see fault_signals.sh and
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
# PGMC_FAULT_RESTART_TRIALS trials per lock mode (default 4: 8 trials, each
# lock x target once), PGMC_FAULT_SEED.
. "$PGMC_SOURCE_DIR/tests/support/lib.sh"
. "$PGMC_SOURCE_DIR/tests/support/fault_lib.sh"
seed=${PGMC_FAULT_SEED:-$$}
RANDOM=$seed
d=$(mktemp -d "${PGMC_TEST_TMPDIR:-/tmp}/it.XXXXXX")
fm_dbs=()
fm_own_state=$d/pgstate
trap 'fm_watch_close; fm_cleanup; "$PGMC_HARNESS/pg.sh" stop "$fm_own_state" >/dev/null 2>&1 || true; rm -rf "$d"' EXIT
# Trial databases run with synchronous_commit on (fm_newdb): a crash must
# not lose committed work.
"$PGMC_HARNESS/pg.sh" start "$fm_own_state" >/dev/null
# shellcheck disable=SC1091
. "$fm_own_state/env"

fm_setup fr
fm_calibrate
echo "fault restart: seed $seed, on a server of its own; an uninterrupted run takes $fm_span ms"

fm_matrix "${PGMC_FAULT_RESTART_TRIALS:-4}" restart
fm_finish "fault restart"
