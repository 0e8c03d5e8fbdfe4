#!/usr/bin/env bash
# pg.sh - start or stop a throwaway PostgreSQL server for the tests.
#
#   pg.sh start STATE_DIR   initdb into a fresh temporary directory, start the
#                           server on a unix socket only, write STATE_DIR/env
#   pg.sh stop STATE_DIR    stop the server and delete its directory
#
# STATE_DIR/env holds shell exports (PGHOST, PGPORT, PGUSER, PGDATABASE) that
# with_db.sh reads. The server listens on no TCP port. initdb refuses to run
# as root, so under root the server runs as the unprivileged `postgres` user
# (created by Debian's postgresql package) via runuser; as a normal user it
# runs as that user. Set PGMC_PG_BIN to use other server binaries.
#
# For benchmarks: PGMC_PG_DATA_PARENT=DIR puts the data directory in a fresh
# directory under DIR (e.g. /dev/shm for tmpfs, or a folder on disk; the
# socket stays under /tmp), and PGMC_PG_DURABLE=1 runs with fsync,
# synchronous_commit and full_page_writes on (the server defaults).
set -euo pipefail

cmd=${1:?usage: pg.sh start|stop STATE_DIR}
state=${2:?usage: pg.sh start|stop STATE_DIR}

find_bin() {
    if [ -n "${PGMC_PG_BIN:-}" ]; then echo "$PGMC_PG_BIN"; return; fi
    for v in 17 16 15 14 13; do
        if [ -x "/usr/lib/postgresql/$v/bin/initdb" ]; then echo "/usr/lib/postgresql/$v/bin"; return; fi
    done
    local p; p=$(command -v initdb || true)
    if [ -n "$p" ]; then dirname "$p"; return; fi
    echo "pg.sh: no PostgreSQL server binaries found (apt-get install postgresql)" >&2
    exit 1
}

as_server() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

stop() {
    [ -f "$state/root" ] || return 0
    local root; root=$(cat "$state/root")
    local bin; bin=$(find_bin)
    local data="$root/data"
    [ ! -f "$state/data" ] || data=$(cat "$state/data")
    if [ -d "$data" ]; then
        as_server "$bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    [ "$data" = "$root/data" ] || rm -rf "$data"
    rm -rf "$root"
    rm -f "$state/root" "$state/env" "$state/data"
}

case "$cmd" in
start)
    mkdir -p "$state"
    stop # a server left over from an interrupted run
    bin=$(find_bin)
    # A short path under /tmp: unix socket paths are limited to ~107 bytes.
    root=$(mktemp -d /tmp/pgmc-test.XXXXXX)
    echo "$root" >"$state/root"
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || { echo "pg.sh: running as root needs a 'postgres' user" >&2; exit 1; }
        chown postgres: "$root"
    fi
    chmod 755 "$root"
    data="$root/data"
    if [ -n "${PGMC_PG_DATA_PARENT:-}" ]; then
        mkdir -p "$PGMC_PG_DATA_PARENT"
        data=$(mktemp -d "$PGMC_PG_DATA_PARENT/pgmc-data.XXXXXX")
        echo "$data" >"$state/data"
        [ "$(id -u)" != 0 ] || chown postgres: "$data"
        chmod 700 "$data"
    fi
    sync_opts="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    [ "${PGMC_PG_DURABLE:-0}" = 0 ] || sync_opts="-c fsync=on -c synchronous_commit=on -c full_page_writes=on"
    as_server "$bin/initdb" -D "$data" -U pgmc --auth=trust -E UTF8 --locale=C.UTF-8 \
        --no-sync >"$root/initdb.log" 2>&1 || { cat "$root/initdb.log" >&2; exit 1; }
    # Quick and throwaway: no fsync (unless PGMC_PG_DURABLE), small
    # footprint, unix socket only.
    as_server "$bin/pg_ctl" -D "$data" -l "$root/server.log" -w -t 60 \
        -o "-c listen_addresses='' -c unix_socket_directories='$root' $sync_opts \
            -c max_connections=100 \
            -c shared_buffers=64MB -c client_connection_check_interval=100ms" \
        start >/dev/null || { cat "$root/server.log" >&2; exit 1; }
    cat >"$state/env" <<ENV
export PGHOST='$root'
export PGPORT=5432
export PGUSER=pgmc
export PGDATABASE=postgres
export PGMC_PG_BIN='$bin'
ENV
    echo "pg.sh: PostgreSQL running, socket in $root"
    ;;
stop)
    stop
    echo "pg.sh: stopped"
    ;;
*)
    echo "usage: pg.sh start|stop STATE_DIR" >&2
    exit 2
    ;;
esac
