#!/usr/bin/env bash
# Replicas migrating together: PGMC_CONCURRENT_PROCS (default 16) processes of
# `example-service migrate up` released at the same instant by a fifo
# barrier, on a fresh database, for PGMC_CONCURRENT_ROUNDS (default 6) rounds,
# then once more on a database that is already current. Every round: all
# exit 0 within the timeout guard (a blocking lock waiter would deadlock the
# CREATE INDEX CONCURRENTLY of migration 20, and `timeout` turns that into a
# failure), each migration is applied by exactly one process, the history has
# one success row per migration and no failed row, and the schema equals the
# one a single sequential `up` builds. On the current database nobody waits
# for the lock (check, lock, check again) and nothing is applied.
. "$PGMC_SOURCE_DIR/tests/support/lib.sh"
svc="$PGMC_BIN_DIR/example-service"
procs=${PGMC_CONCURRENT_PROCS:-16}
rounds=${PGMC_CONCURRENT_ROUNDS:-6}
guard=${PGMC_CONCURRENT_TIMEOUT:-120}
base_db=$PGDATABASE
n=$(ls "$PGMC_SOURCE_DIR"/migrations/*.up.sql | wc -l)
[ "$n" -ge 15 ] || fail "expected at least 15 migrations, found $n"
grep -lq CONCURRENTLY "$PGMC_SOURCE_DIR"/migrations/*.up.sql ||
    fail "the example schema has no CREATE INDEX CONCURRENTLY migration: the deadlock check would be void"

d=$(mktemp -d "${PGMC_TEST_TMPDIR:-/tmp}/it.XXXXXX")
dbs=()
cleanup() {
    local db
    for db in "${dbs[@]}"; do
        psql -X -q -d postgres -c "SET client_min_messages=warning" \
            -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
    done
    rm -rf "$d"
}
trap cleanup EXIT

# point_db NAME: point PG*/DATABASE_URL at database NAME.
point_db() {
    export PGDATABASE=$1
    export DATABASE_URL="postgresql:///$1?host=$PGHOST&port=$PGPORT&user=$PGUSER"
}
# use_db NAME: (re)create database NAME (dropped on exit) and point at it.
use_db() {
    psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "SET client_min_messages=warning" \
        -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" -c "CREATE DATABASE \"$1\"" >/dev/null
    dbs+=("$1")
    point_db "$1"
}

ready_count() {
    local f=("$1"/ready.*)
    if [ -e "${f[0]}" ]; then echo "${#f[@]}"; else echo 0; fi
}

# stampede DIR: start $procs migrators that all block reading one fifo, wait
# until every one of them has it open, then close the only writer: they all
# see end-of-file at once. Leaves DIR/out.I (stdout+stderr) and DIR/rc.I.
stampede() {
    local dir=$1 i k
    mkdir -p "$dir"
    mkfifo "$dir/go"
    exec 3<>"$dir/go" # a writer (read-write open does not block on a fifo)
    for ((i = 0; i < procs; i++)); do
        (
            exec 3>&- # only the parent may hold the fifo's write end
            {
                : >"$dir/ready.$i"
                read -r _ || true
            } <"$dir/go"
            set +e
            timeout -k 5 "$guard" "$svc" migrate up -v >"$dir/out.$i" 2>&1
            echo $? >"$dir/rc.$i"
        ) &
    done
    for ((k = 0; k < 3000; k++)); do # all readers in place (at most 30 s)
        [ "$(ready_count "$dir")" = "$procs" ] && break
        sleep 0.01
    done
    [ "$(ready_count "$dir")" = "$procs" ] || fail "barrier: not all $procs processes started"
    exec 3>&- # go
    wait
}

# check_exits DIR: every process exited 0; a timeout (124/137) means a
# migrator hung, most likely a lock deadlock.
check_exits() {
    local dir=$1 i rc
    for ((i = 0; i < procs; i++)); do
        rc=$(cat "$dir/rc.$i")
        if [ "$rc" != 0 ]; then
            cat "$dir/out.$i" >&2
            [ "$rc" = 124 ] || [ "$rc" = 137 ] &&
                fail "$dir: process $i hung for ${guard}s (deadlock?) and was killed"
            fail "$dir: process $i exited $rc"
        fi
    done
}

# check_history: one success row per migration, no failed row, and status
# --json agrees.
check_history() {
    local what=$1 row applied
    row=$(sql "select count(*) filter (where success) || ' ' || count(*) filter (where not success)
                      || ' ' || count(distinct version) from pgmc_schema_history")
    [ "$row" = "$n 0 $n" ] || fail "$what: history has (success, failed, distinct) = ($row), expected ($n 0 $n)"
    run_status 0 "$svc" migrate status --json
    applied=$(grep -c '"state": "applied"' <<<"$out" || true)
    [ "$applied" = "$n" ] || { echo "$out" >&2; fail "$what: status --json shows $applied applied, expected $n"; }
}

# The reference: one sequential up.
use_db "${base_db}_ref"
run_status 0 "$svc" migrate up
check_history "reference"
schema_dump >"$d/ref.sql"
[ -s "$d/ref.sql" ] || fail "empty reference dump"

waited_total=0
for ((r = 1; r <= rounds; r++)); do
    use_db "${base_db}_r$r"
    stampede "$d/round$r"
    check_exits "$d/round$r"
    # Each migration applied by exactly one of the processes.
    cat "$d/round$r"/out.* | grep -E '^applied [0-9]+ ' | awk '{print $2}' | sort >"$d/applied.$r" || true
    [ "$(wc -l <"$d/applied.$r")" = "$n" ] ||
        fail "round $r: $(wc -l <"$d/applied.$r") 'applied' lines in all outputs, expected $n"
    [ "$(sort -u "$d/applied.$r" | wc -l)" = "$n" ] ||
        fail "round $r: a migration was applied twice: $(uniq -d "$d/applied.$r" | tr '\n' ' ')"
    check_history "round $r"
    schema_dump >"$d/round$r.sql"
    diff -u "$d/ref.sql" "$d/round$r.sql" >&2 || fail "round $r: schema differs from the sequential reference"
    appliers=$(grep -lE '^applied [0-9]+ ' "$d/round$r"/out.* | wc -l)
    waited=$(grep -l 'waiting for another migrator' "$d/round$r"/out.* | wc -l || true)
    waited_total=$((waited_total + waited))
    pass "round $r: $procs processes exit 0, $n migrations applied once ($appliers process(es) applied, $waited waited for the lock), schema equals the reference"
done

# Already current: nobody queues for the lock, nothing changes.
point_db "${base_db}_ref"
before=$(sql "select string_agg(version || '@' || applied_at, ',' order by id) from pgmc_schema_history")
stampede "$d/current"
check_exits "$d/current"
if grep -l 'waiting for another migrator' "$d/current"/out.* >&2; then
    fail "on a current database a migrator waited for the lock"
fi
if grep -hE '^applied [0-9]+ ' "$d/current"/out.* >&2; then
    fail "on a current database a migrator applied something"
fi
after=$(sql "select string_agg(version || '@' || applied_at, ',' order by id) from pgmc_schema_history")
[ "$before" = "$after" ] || fail "history changed on a current database"
check_history "current"
schema_dump | diff -u "$d/ref.sql" - >&2 || fail "schema changed on a current database"
pass "current database: $procs processes exit 0, none waited for the lock, history unchanged"
echo "concurrent_up: $rounds rounds x $procs processes on fresh databases ($waited_total lock waits), 1 round on a current one"
