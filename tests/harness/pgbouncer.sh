#!/usr/bin/env bash
# pgbouncer.sh - start or stop a throwaway PgBouncer in TRANSACTION pooling
# mode in front of the test server that pg.sh started.
#
#   pgbouncer.sh start STATE_DIR   read STATE_DIR/env (pg.sh), start PgBouncer,
#                                  write STATE_DIR/pgbouncer.env
#   pgbouncer.sh stop STATE_DIR    stop it and delete its directory (idempotent)
#
# PgBouncer listens on a unix socket only (listen_addr empty), in its own
# temporary directory under /tmp, so it never collides with the system
# service Debian's pgbouncer package installs on port 6432 (which this
# script neither uses nor touches). auth_type = trust: the server trusts
# its unix socket too. Every database name maps to the test server
# (`* = host=... port=...`). Under root it runs as the unprivileged
# `postgres` user via runuser, like pg.sh's server. Environment knobs:
#   PGMC_PGBOUNCER_BIN        the binary (default: /usr/sbin/pgbouncer, else PATH)
#   PGMC_PGBOUNCER_POOL_SIZE  default_pool_size (default 20): server
#                             connections per database and user
#
# STATE_DIR/pgbouncer.env exports PGMC_PGBOUNCER_HOST (the socket directory)
# and PGMC_PGBOUNCER_PORT (the number in the socket's name).
set -euo pipefail

cmd=${1:?usage: pgbouncer.sh start|stop STATE_DIR}
state=${2:?usage: pgbouncer.sh start|stop STATE_DIR}
port=6432

find_bin() {
    if [ -n "${PGMC_PGBOUNCER_BIN:-}" ]; then echo "$PGMC_PGBOUNCER_BIN"; return; fi
    if [ -x /usr/sbin/pgbouncer ]; then echo /usr/sbin/pgbouncer; return; fi
    command -v pgbouncer || { echo "pgbouncer.sh: pgbouncer not found (scripts/deps.sh installs it)" >&2; exit 1; }
}

as_bouncer() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

stop() {
    [ -f "$state/pgbouncer.root" ] || return 0
    local root pid i
    root=$(cat "$state/pgbouncer.root")
    if [ -f "$root/pgbouncer.pid" ]; then
        pid=$(cat "$root/pgbouncer.pid")
        # Only our own instance, by the pid it wrote.
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            for i in $(seq 1 100); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.05
            done
            kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    case "$root" in /tmp/pgmc-bouncer.*) rm -rf "$root" ;; esac
    rm -f "$state/pgbouncer.root" "$state/pgbouncer.env"
}

case "$cmd" in
start)
    if [ ! -f "$state/env" ]; then
        echo "pgbouncer.sh: no server: $state/env is missing (start it with pg.sh)" >&2
        exit 1
    fi
    # shellcheck disable=SC1091
    . "$state/env"
    stop # an instance left over from an interrupted run
    bin=$(find_bin)
    root=$(mktemp -d /tmp/pgmc-bouncer.XXXXXX)
    echo "$root" >"$state/pgbouncer.root"
    # trust still wants the user listed in auth_file.
    printf '"%s" ""\n' "$PGUSER" >"$root/userlist.txt"
    cat >"$root/pgbouncer.ini" <<INI
[databases]
* = host=$PGHOST port=$PGPORT

[pgbouncer]
pool_mode = transaction
listen_addr =
listen_port = $port
unix_socket_dir = $root
auth_type = trust
auth_file = $root/userlist.txt
admin_users = $PGUSER
stats_users = $PGUSER
default_pool_size = ${PGMC_PGBOUNCER_POOL_SIZE:-20}
max_client_conn = 200
ignore_startup_parameters = extra_float_digits,options
pidfile = $root/pgbouncer.pid
logfile = $root/pgbouncer.log
INI
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || { echo "pgbouncer.sh: running as root needs a 'postgres' user" >&2; exit 1; }
        chown -R postgres: "$root"
    fi
    chmod 755 "$root"
    as_bouncer "$bin" -d "$root/pgbouncer.ini" >"$root/start.log" 2>&1 ||
        { cat "$root/start.log" "$root/pgbouncer.log" >&2 2>/dev/null; stop; exit 1; }
    ok=0
    for _ in $(seq 1 200); do
        if psql -X -q -t -A -h "$root" -p "$port" -U "$PGUSER" -d postgres -c 'SELECT 1' >/dev/null 2>&1; then
            ok=1
            break
        fi
        sleep 0.05
    done
    if [ "$ok" != 1 ]; then
        echo "pgbouncer.sh: PgBouncer does not accept connections on $root" >&2
        cat "$root/pgbouncer.log" >&2 2>/dev/null || true
        stop
        exit 1
    fi
    cat >"$state/pgbouncer.env" <<ENV
export PGMC_PGBOUNCER_HOST='$root'
export PGMC_PGBOUNCER_PORT=$port
ENV
    echo "pgbouncer.sh: PgBouncer (transaction pooling) running, socket in $root"
    ;;
stop)
    stop
    echo "pgbouncer.sh: stopped"
    ;;
*)
    echo "usage: pgbouncer.sh start|stop STATE_DIR" >&2
    exit 2
    ;;
esac
