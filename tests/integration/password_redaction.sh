#!/usr/bin/env bash
# A password in the connection string never appears in any output.
. "$PGMC_SOURCE_DIR/tests/support/lib.sh"
svc="$PGMC_BIN_DIR/example-service"
pw='Zq9-s3cr3t-PW'
for url in "postgresql://someone:$pw@127.0.0.1:1/nodb" \
           "postgresql://someone:${pw}@/nodb?host=/nonexistent" \
           "host=127.0.0.1 port=1 user=someone password=$pw dbname=nodb" \
           "postgresql://someone:Zq9%2Ds3cr3t%2DPW@127.0.0.1:1/nodb"; do
    for verb in up status version "down 1"; do
        # shellcheck disable=SC2086
        run_status 1 "$svc" migrate $verb --database-url "$url"
        expect_absent "$out" "$pw" "migrate $verb with $url"
        expect_absent "$out" "Zq9%2D" "migrate $verb with $url"
    done
    run_status 1 env DATABASE_URL="$url" "$svc" migrate status
    expect_absent "$out" "$pw" "DATABASE_URL=$url"
done
# With a reachable server and a password it does not need, nothing leaks either.
good="postgresql://$PGUSER:$pw@/$PGDATABASE?host=$PGHOST&port=$PGPORT"
run_status 0 "$svc" migrate up --database-url "$good" -v
expect_absent "$out" "$pw" "successful up"
pass "no password in any output"
