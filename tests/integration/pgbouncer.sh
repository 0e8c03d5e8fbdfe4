#!/usr/bin/env bash
# pgbouncer.sh - the lease lock behind PgBouncer in transaction pooling mode:
# several rounds of 8 `example-service migrate up --lock-mode lease`
# processes, released at the same moment, all through one PgBouncer whose
# small pool (4 server connections) forces their statements to share
# backends. Every round, on a fresh database: all exit 0, each migration of
# the example schema (including its CREATE INDEX CONCURRENTLY one) ran
# exactly once, the lease table is empty, and the schema equals one built by
# a single direct `migrate up`.
#
# Skips (exit 77) when pgbouncer is not installed, unless $CI is set, where
# that is a failure: scripts/deps.sh installs it.
# shellcheck source=../support/lib.sh
. "$PGMC_SOURCE_DIR/tests/support/lib.sh"

svc="$PGMC_BIN_DIR/example-service"
procs=8
rounds=3

if [ ! -x /usr/sbin/pgbouncer ] && ! command -v pgbouncer >/dev/null 2>&1; then
    if [ -n "${CI:-}" ]; then
        fail "pgbouncer is not installed (run scripts/deps.sh)"
    fi
    echo "SKIP: pgbouncer is not installed; scripts/deps.sh installs it" >&2
    exit 77
fi

make_scratch
bstate="$d/bouncer"
mkdir -p "$bstate"
cp "$PGMC_PG_STATE/env" "$bstate/env"
base=$PGDATABASE
cleanup() {
    "$PGMC_HARNESS/pgbouncer.sh" stop "$bstate" >/dev/null 2>&1 || true
    for r in $(seq 1 "$rounds"); do
        psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"${base}_r$r\" WITH (FORCE)" \
            >/dev/null 2>&1 || true
    done
    rm -rf "$d"
}
trap cleanup EXIT

PGMC_PGBOUNCER_POOL_SIZE=4 "$PGMC_HARNESS/pgbouncer.sh" start "$bstate" >/dev/null
# shellcheck disable=SC1091
. "$bstate/pgbouncer.env"
bouncer() { psql -X -q -t -A -F'|' -h "$PGMC_PGBOUNCER_HOST" -p "$PGMC_PGBOUNCER_PORT" -d pgbouncer -c "$1"; }

# The reference: one plain direct migrate up (advisory lock, no PgBouncer).
run_status 0 "$svc" migrate up
ref=$(schema_dump)
n_mig=$(sql "SELECT count(*) FROM pgmc_schema_history WHERE success")
n_files=$(find "$PGMC_SOURCE_DIR/migrations" -name '*.up.sql' | wc -l)
[ "$n_mig" -gt 0 ] && [ "$n_mig" = "$n_files" ] ||
    fail "reference: $n_mig migrations applied, $n_files up scripts in migrations/"
grep -lq -i 'CONCURRENTLY' "$PGMC_SOURCE_DIR"/migrations/*.up.sql ||
    fail "the example schema has no CREATE INDEX CONCURRENTLY migration any more"

waited=0
for r in $(seq 1 "$rounds"); do
    db="${base}_r$r"
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" -c "CREATE DATABASE \"$db\"" >/dev/null
    url="postgresql:///$db?host=$PGMC_PGBOUNCER_HOST&port=$PGMC_PGBOUNCER_PORT&user=$PGUSER"
    go="$d/go.$r"
    pids=()
    for p in $(seq 1 "$procs"); do
        (
            until [ -e "$go" ]; do sleep 0.01; done
            exec "$svc" migrate up --lock-mode lease --lease-ttl 10s --database-url "$url"
        ) >"$d/r$r.p$p.log" 2>&1 &
        pids+=($!)
    done
    sleep 0.3 # let them all reach the start line
    touch "$go"
    for i in "${!pids[@]}"; do
        if ! wait "${pids[$i]}"; then
            cat "$d/r$r.p$((i + 1)).log" >&2
            fail "round $r: migrator $((i + 1)) failed"
        fi
    done

    export PGDATABASE="$db"
    # Each migration applied once, by exactly one of the processes.
    applied=$(cat "$d"/r"$r".p*.log | grep -E '^applied ' | awk '{print $2}' | sort)
    [ "$(wc -l <<<"$applied")" = "$n_mig" ] || { cat "$d"/r"$r".p*.log >&2; fail "round $r: $(wc -l <<<"$applied") 'applied' lines, want $n_mig"; }
    [ -z "$(uniq -d <<<"$applied")" ] || fail "round $r: migrations applied twice: $(uniq -d <<<"$applied" | tr '\n' ' ')"
    got=$(sql "SELECT count(*), count(DISTINCT version), bool_and(success) FROM pgmc_schema_history")
    [ "$got" = "$n_mig|$n_mig|t" ] || fail "round $r: history is '$got', want '$n_mig|$n_mig|t'"
    [ "$(sql "SELECT count(*) FROM pgmc_schema_history_lock")" = 0 ] || fail "round $r: the lease table is not empty"
    [ "$(schema_dump)" = "$ref" ] || {
        diff <(echo "$ref") <(schema_dump) >&2 || true
        fail "round $r: the schema differs from the reference"
    }
    waited=$((waited + $(cat "$d"/r"$r".p*.log | grep -c 'waiting for another migrator' || true)))
    export PGDATABASE="$base"
    pass "round $r: $procs migrators through PgBouncer, $n_mig migrations applied once"
done

# It really was PgBouncer, in transaction pooling mode, with traffic for the rounds.
pools=$(bouncer "SHOW POOLS")
expect_contains "$pools" "${base}_r1|$PGUSER|" "SHOW POOLS"
grep -F "${base}_r1|$PGUSER|" <<<"$pools" | grep -q '|transaction$' || fail "the pool is not in transaction mode: $pools"
xacts=$(bouncer "SHOW STATS" | awk -F'|' -v db="${base}_r1" '$1 == db {print $2}')
[ -n "$xacts" ] && [ "$xacts" -gt "$n_mig" ] || fail "PgBouncer saw $xacts transactions for ${base}_r1"
pass "PgBouncer carried $xacts transactions for ${base}_r1; $waited migrators waited for the lease in all"
