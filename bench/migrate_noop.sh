#!/usr/bin/env bash
# migrate_noop.sh - cost of `example-service migrate up` on a current schema,
# against the floor: `psql -X -c 'select 1'` (process start, connect, one
# query, exit).
#
#   bench/migrate_noop.sh [RUNS]     (default 200 each; PGMC_BUILD_DIR=build dir)
#
# Starts a scratch server (tests/harness/pg.sh), migrates a fresh database
# once, then times RUNS no-op runs of each command, interleaved in 10 rounds
# so drift hits both alike. Also counts the statements the no-op sends (with
# log_statement=all) against the target of 1 round trip. Target: ratio <= 1.2.
. "$(dirname "$0")/lib.sh"
RUNS=${1:-200}
ROUNDS=10
PER=$(( (RUNS + ROUNDS - 1) / ROUNDS ))
start_pg
fresh_db bench_noop
export PGDATABASE=bench_noop
export DATABASE_URL="postgresql:///bench_noop?host=$PGHOST&port=$PGPORT&user=$PGUSER"
SVC=$BIN/example-service
"$SVC" migrate up -q

# Round trips of one no-op: statements the server logs for it.
psql -X -q -c "ALTER DATABASE bench_noop SET log_statement = 'all'"
before=$(wc -l <"$PG_LOG")
"$SVC" migrate up -q
sleep 0.2
stmts=$(tail -n +"$((before + 1))" "$PG_LOG" | grep -cE 'LOG: +(statement|execute [^:]*): ' || true)
psql -X -q -c "ALTER DATABASE bench_noop RESET log_statement"

svc_us=0 psql_us=0
for ((r = 0; r < ROUNDS; r++)); do
    t0=$(now_us)
    for ((i = 0; i < PER; i++)); do "$SVC" migrate up -q >/dev/null; done
    t1=$(now_us)
    for ((i = 0; i < PER; i++)); do "$PSQL" -X -q -c 'select 1' >/dev/null; done
    t2=$(now_us)
    svc_us=$((svc_us + t1 - t0))
    psql_us=$((psql_us + t2 - t1))
done
n=$((PER * ROUNDS))
awk -v s="$svc_us" -v p="$psql_us" -v n="$n" -v q="$stmts" 'BEGIN {
    printf "runs: %d each, interleaved\n", n
    printf "example-service migrate up (no-op): %.2f ms/run, %d statement(s) sent (target 1)\n", s / n / 1000, q
    printf "psql -X -c \"select 1\":             %.2f ms/run\n", p / n / 1000
    printf "ratio: %.3f  (target <= 1.2)\n", s / p
}'
