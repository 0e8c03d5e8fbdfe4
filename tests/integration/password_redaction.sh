#!/usr/bin/env bash
# A password in the connection string never appears in any output.
. "$PGMC_SOURCE_DIR/tests/support/lib.sh"
svc="$PGMC_BIN_DIR/example-service"
pw='Zq9-s3cr3t-PW'
for url in "postgresql://someone:$pw@127.0.0.1:1/nodb" \
           "postgresql://someone:${pw}@/nodb?host=/nonexistent" \
           "host=127.0.0.1 port=1 user=someone password=$pw dbname=nodb" \
           "postgresql://someone:Zq9%2Ds3cr3t%2DPW@127.0.0.1:1/nodb" \
           "postgresql://someone:Zq9/s3cr3t-PW@127.0.0.1:1/nodb" \
           "postgresql://someone:Zq9@s3cr3t-PW@127.0.0.1:1/nodb"; do
    for verb in up status version "down 1" "goto 1" redo validate "force 1" "repair --yes" \
                "baseline 1" adopt "fresh --confirm nodb" "up --wait=300ms" \
                "up --lock-mode lease"; do
        # shellcheck disable=SC2086
        run_status 1 "$svc" migrate $verb --database-url "$url"
        expect_absent "$out" "$pw" "migrate $verb with $url"
        expect_absent "$out" "Zq9%2D" "migrate $verb with $url"
        expect_absent "$out" "s3cr3t" "migrate $verb with $url"
    done
    run_status 1 env DATABASE_URL="$url" "$svc" migrate status
    expect_absent "$out" "$pw" "DATABASE_URL=$url"
done
# With a reachable server and a password it does not need, nothing leaks either.
good="postgresql://$PGUSER:$pw@/$PGDATABASE?host=$PGHOST&port=$PGPORT"
run_status 0 "$svc" migrate up --database-url "$good" -v
expect_absent "$out" "$pw" "successful up"
# Every error path with a live connection; the lease heartbeat opens a second
# connection from the first one's parameters (password included).
run_status 0 "$svc" migrate redo --database-url "$good" --lock-mode lease -v
expect_absent "$out" "$pw" "redo in lease mode"
for args in "goto 99999999" "fresh --confirm wrong" "adopt" "baseline 1" "force 99999999" \
            "repair" "validate"; do
    # shellcheck disable=SC2086
    set +e
    out=$("$svc" migrate $args --database-url "$good" -v 2>&1)
    set -e
    expect_absent "$out" "$pw" "migrate $args"
done
pass "no password in any output"
