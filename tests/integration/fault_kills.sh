#!/usr/bin/env bash
# The fault matrix of issue 9, kills (tests/support/fault_lib.sh does the
# work; see fault_signals.sh for the matrix): `fault-migrate up` on
# tests/fixtures/fault killed with SIGKILL, or its connection cut (it
# connects through tests/support/tcp_proxy on 127.0.0.1, which is killed
# with SIGKILL), in advisory and lease mode (--lease-ttl 1s), during a
# transactional UPDATE, a non-transactional UPDATE, a CREATE INDEX
# CONCURRENTLY or at a random instant. What the killed migrator sent runs on
# in the server (client_connection_check_interval = 0, PostgreSQL's default);
# in a third of the trials the rerun starts at once, beside it, and must
# wait for it. Each trial: status truthful once the server is quiet, every
# data change applied exactly once after the reruns, a refusal only with
# its documented fix, the schema of a clean apply.
#
# PGMC_FAULT_TRIALS trials per fault x lock cell (default 3: 12 trials),
# PGMC_FAULT_SEED.
. "$PGMC_SOURCE_DIR/tests/support/lib.sh"
. "$PGMC_SOURCE_DIR/tests/support/fault_lib.sh"
seed=${PGMC_FAULT_SEED:-$$}
RANDOM=$seed
d=$(mktemp -d "${PGMC_TEST_TMPDIR:-/tmp}/it.XXXXXX")
fm_dbs=()
trap 'fm_watch_close; fm_cleanup; rm -rf "$d"' EXIT
fm_setup "$PGDATABASE"
fm_calibrate
echo "fault kills: seed $seed; an uninterrupted run takes $fm_span ms"
fm_matrix "${PGMC_FAULT_TRIALS:-3}" sigkill tcpcut
fm_finish "fault kills"
