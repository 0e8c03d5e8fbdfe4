#!/usr/bin/env bash
# run.sh - pgmc against peer migration tools; prints one markdown table per
# case (the numbers BENCHMARKS.md records).
#
#   bench/run.sh [--quick]        (PGMC_BUILD_DIR=build dir, default build/)
#
# Case 1, apply: N generated migrations (bench/gen_peers.sh) applied to a
#   fresh database each run, by psql (floors: `psql -1` of all files, and
#   BEGIN/COMMIT around each migration), pgmc (default: one transaction per
#   migration; --single-transaction), dbmate (--no-dump-schema, and default),
#   sql-migrate and node-pg-migrate. Once on a cluster on tmpfs (/dev/shm,
#   fsync off: tool overhead shows), once on disk (under the build dir,
#   fsync on).
# Case 2, no-op startup check: all N migrations applied; a whole process run
#   of each tool's `up`, against `psql -X -c 'select 1'`. Also the round
#   trips of pgmc_up() in process (pgmc_result.queries), and the statements
#   and connections the server logs for one run of each tool.
# Cases 3-6 are bench/case_gen.sh, case_compile.sh, case_decode.sh and
#   case_rebuild.sh, run here when present and executable (with --quick
#   passed through).
#
# Each case starts its own throwaway server (tests/harness/pg.sh), runs a
# warm-up, then RUNS counted runs (5; 3 with --quick), contenders alternating
# (and rotating their order every round) so drift hits all alike. Rows give
# median, min and max and the ratio of the medians to the floor.
#
# Peers are installed when missing: npm packages dbmate, node-pg-migrate and
# pg into $BUILD/bench-peers (dbmate runs as the Go binary that its npm
# package @dbmate/linux-x64 carries), the Debian package sql-migrate with
# apt-get (sudo when not root).
. "$(dirname "$0")/lib.sh"

QUICK=0
for a in "$@"; do
    case "$a" in
    --quick) QUICK=1 ;;
    -h | --help)
        sed -n '2,/^$/p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "usage: bench/run.sh [--quick]" >&2
        exit 2
        ;;
    esac
done
if [ "$QUICK" = 1 ]; then
    SIZES=${BENCH_SIZES:-"50 200"} RUNS=${BENCH_RUNS:-3} NOOP_N=${BENCH_NOOP_N:-200} NOOP_RUNS=${BENCH_NOOP_RUNS:-5}
else
    SIZES=${BENCH_SIZES:-"200 1000"} RUNS=${BENCH_RUNS:-5} NOOP_N=${BENCH_NOOP_N:-1000} NOOP_RUNS=${BENCH_NOOP_RUNS:-20}
fi
[ -f "$BUILD/lib/libpgmc_runtime.a" ] || { echo "no $BUILD/lib/libpgmc_runtime.a: build first" >&2; exit 1; }

# ---- peers ---------------------------------------------------------------
PEERS=$BUILD/bench-peers
install_peers() {
    if [ ! -x "$PEERS/node_modules/@dbmate/linux-x64/bin/dbmate" ] ||
        [ ! -f "$PEERS/node_modules/node-pg-migrate/package.json" ] ||
        [ ! -f "$PEERS/node_modules/pg/package.json" ]; then
        command -v npm >/dev/null || { echo "run.sh: npm is needed for dbmate and node-pg-migrate (apt-get install npm)" >&2; exit 1; }
        echo "installing dbmate, node-pg-migrate, pg into $PEERS" >&2
        mkdir -p "$PEERS"
        npm install --prefix "$PEERS" --no-audit --no-fund --loglevel=error dbmate node-pg-migrate pg >&2
    fi
    if ! command -v sql-migrate >/dev/null; then
        local sudo=""
        [ "$(id -u)" = 0 ] || sudo=sudo
        echo "installing sql-migrate (apt-get)" >&2
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends sql-migrate >&2 ||
            { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends sql-migrate >&2; }
    fi
}
install_peers
DBMATE=$PEERS/node_modules/@dbmate/linux-x64/bin/dbmate
NPM_BIN=$PEERS/node_modules/.bin
SQLMIGRATE=$(command -v sql-migrate)

# ---- inputs: migrations in every format, pgmc migrators ------------------
WORK=$(mktemp -d /tmp/pgmc-bench-run.XXXXXX)
PG_STATE=""
cleanup() {
    [ -z "$PG_STATE" ] || stop_server
    rm -rf "$WORK"
}
trap cleanup EXIT

prepare() { # prepare N: $WORK/mN with every format, migrator, noop_queries
    local n=$1 d=$WORK/m$1
    "$SRC/bench/gen_peers.sh" "$d" "$n"
    "$BIN/pgmc" gen --migrations "$d/pgmc" --prefix corpus --out-dir "$d/gen" >/dev/null
    local cflags=(-O2 -I "$d/gen" -I "$SRC/runtime" -I /usr/include/postgresql)
    ${CC:-cc} "${cflags[@]}" -c -o "$d/corpus.o" "$d/gen/corpus.c"
    ${CC:-cc} "${cflags[@]}" -o "$d/migrator" "$SRC/tests/support/corpus_main.c" "$d/corpus.o" \
        "$BUILD/lib/libpgmc_runtime.a" -lpq -lpthread
    ${CC:-cc} "${cflags[@]}" -o "$d/noop_queries" "$SRC/bench/noop_queries.c" "$d/corpus.o" \
        "$BUILD/lib/libpgmc_runtime.a" -lpq -lpthread
}
echo "generating migrations and building pgmc migrators ($SIZES; no-op $NOOP_N)" >&2
for n in $(printf '%s\n' $SIZES "$NOOP_N" | sort -nu); do prepare "$n"; done

# ---- servers -------------------------------------------------------------
# start_server tmpfs|disk: a fresh cluster with its data on /dev/shm (fsync
# off) or under $BUILD/bench-data (fsync on).
start_server() {
    PG_STATE=$WORK/pgstate
    if [ "$1" = tmpfs ]; then
        PGMC_PG_DATA_PARENT=/dev/shm PGMC_PG_DURABLE=0 "$SRC/tests/harness/pg.sh" start "$PG_STATE" >/dev/null
    else
        PGMC_PG_DATA_PARENT=$BUILD/bench-data PGMC_PG_DURABLE=1 "$SRC/tests/harness/pg.sh" start "$PG_STATE" >/dev/null
    fi
    # shellcheck disable=SC1091
    . "$PG_STATE/env"
    PG_VERSION=$("$PGMC_PG_BIN/postgres" --version | sed 's/.*) //')
    PG_LOG=$(cat "$PG_STATE/root")/server.log
    PSQL=$PGMC_PG_BIN/psql
    [ -x "$PSQL" ] || PSQL=psql
    # dbmate's schema dump runs pg_dump: the server's own, not Debian's wrapper
    export PATH=$PGMC_PG_BIN:$PATH
}
stop_server() {
    "$SRC/tests/harness/pg.sh" stop "$PG_STATE" >/dev/null 2>&1 || true
    PG_STATE=""
}
url() { echo "postgresql:///$1?host=$PGHOST&port=$PGPORT&user=$PGUSER"; }

# ---- running a contender -------------------------------------------------
# run_tool KEY N DB: run contender KEY on the N-migration set against DB,
# output to $WORK/out (shown if it fails).
run_tool() {
    local key=$1 d=$WORK/m$2 db=$3
    case "$key" in
    psql1) "$PSQL" -X -q -v ON_ERROR_STOP=1 -1 -d "$db" -f "$d/psql_single.sql" ;;
    psqlE) "$PSQL" -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$d/psql_each.sql" ;;
    psqlS) "$PSQL" -X -q -d "$db" -c 'select 1' ;;
    pgmc) DATABASE_URL=$(url "$db") "$d/migrator" migrate up -q ;;
    pgmc1) DATABASE_URL=$(url "$db") "$d/migrator" migrate up -q --single-transaction ;;
    dbmateN) "$DBMATE" --url "postgres://$PGUSER@/$db?socket=$PGHOST&sslmode=disable" \
        -d "$d/dbmate/db/migrations" --no-dump-schema up ;;
    dbmate) "$DBMATE" --url "postgres://$PGUSER@/$db?socket=$PGHOST&sslmode=disable" \
        -d "$d/dbmate/db/migrations" -s "$WORK/dbmate-schema-$db.sql" up ;;
    sqlm) "$SQLMIGRATE" up -config="$d/dbconfig-$db.yml" -env=bench ;;
    npm) DATABASE_URL="postgres://$PGUSER@/$db?host=$PGHOST" "$NPM_BIN/node-pg-migrate" up \
        -m "$d/node-pg-migrate" --no-verbose ;;
    *) echo "unknown contender $key" >&2; return 1 ;;
    esac >"$WORK/out" 2>&1 || { echo "run.sh: $key failed on $db:" >&2; cat "$WORK/out" >&2; exit 1; }
}
declare -A LABEL=(
    [psql1]='psql -1, all files concatenated (floor)'
    [psqlE]='psql, BEGIN/COMMIT around each migration (floor)'
    [psqlS]="psql -X -c 'select 1' (floor)"
    [pgmc]='pgmc migrator (one transaction per migration)'
    [pgmc1]='pgmc migrator --single-transaction'
    [dbmateN]='dbmate --no-dump-schema'
    [dbmate]='dbmate (default: dumps schema.sql with pg_dump)'
    [sqlm]='sql-migrate'
    [npm]='node-pg-migrate (default: one transaction for all)'
)
declare -A NOOP_LABEL=(
    [pgmc]='pgmc migrator (`migrate up`)'
    [npm]='node-pg-migrate'
)
sqlm_config() { # sqlm_config N DB: the dbconfig.yml sql-migrate reads
    cat >"$WORK/m$1/dbconfig-$2.yml" <<EOF
bench:
  dialect: postgres
  datasource: host=$PGHOST port=$PGPORT user=$PGUSER dbname=$2 sslmode=disable
  dir: $WORK/m$1/sql-migrate
  table: gorp_migrations
EOF
}
# fresh DB (lib.sh's fresh_db uses whatever psql is first in PATH).
fresh() {
    "$PSQL" -X -q -d postgres -c "SET client_min_messages = warning" \
        -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" -c "CREATE DATABASE \"$1\"" >/dev/null
}
tables() { "$PSQL" -X -At -d "$1" -c "select count(*) from pg_tables where schemaname = 'public' and tablename ~ '^t_[0-9]+\$'"; }

declare -A T # T[key]: space-separated microseconds of the counted runs
stats() {    # stats KEY: "median min max" in microseconds
    printf '%s\n' ${T[$1]} | sort -n | awk '{a[NR]=$1} END {
        m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
        printf "%d %d %d\n", m, a[1], a[NR] }'
}
# table UNIT FLOOR1 [FLOOR2] -- KEYS...: one markdown table (UNIT s or ms)
table() {
    local unit=$1 f1=$2 f2=""
    shift 2
    if [ "$1" != -- ]; then f2=$1; shift; fi
    shift
    local div=1000000
    [ "$unit" = ms ] && div=1000
    local m1 m2 k
    m1=$(stats "$f1" | cut -d' ' -f1)
    [ -z "$f2" ] || m2=$(stats "$f2" | cut -d' ' -f1)
    if [ -n "$f2" ]; then
        echo "| tool | median ($unit) | min | max | vs \`psql -1\` | vs psql BEGIN/COMMIT each |"
        echo "|---|---:|---:|---:|---:|---:|"
    else
        echo "| tool | median ($unit) | min | max | vs floor |"
        echo "|---|---:|---:|---:|---:|"
    fi
    for k in "$@"; do
        # shellcheck disable=SC2046
        set -- $(stats "$k")
        awk -v l="${LABEL[$k]}" -v m="$1" -v lo="$2" -v hi="$3" -v d="$div" -v f1="$m1" -v f2="${m2:-}" \
            -v u="$unit" 'BEGIN {
            fmt = (u == "s") ? "%.3f" : "%.1f"
            printf "| %s | " fmt " | " fmt " | " fmt " | %.2fx |", l, m / d, lo / d, hi / d, m / f1
            if (f2 != "") printf " %.2fx |", m / f2
            printf "\n" }'
    done
}

# rounds KEYS...: a warm-up and $R counted runs of each KEY, via the function
# named in $ONE (ONE KEY COUNTED?), order rotated every round.
rounds() {
    local keys=("$@") nk=$# r i
    for k in "${keys[@]}"; do T[$k]=""; done
    for ((r = 0; r <= R; r++)); do
        for ((i = 0; i < nk; i++)); do
            "$ONE" "${keys[$(((i + r) % nk))]}" "$r"
        done
    done
}

# ---- case 1: apply -------------------------------------------------------
APPLY_KEYS=(psql1 psqlE pgmc pgmc1 dbmateN dbmate sqlm npm)
apply_one() { # apply_one KEY ROUND
    local key=$1 db=bench_$1 t0 t1 got
    fresh "$db"
    [ "$key" != sqlm ] || sqlm_config "$N" "$db"
    t0=$(now_us)
    run_tool "$key" "$N" "$db"
    t1=$(now_us)
    got=$(tables "$db")
    [ "$got" = "$((N - N / 10))" ] || { echo "run.sh: $key left $got tables, expected $((N - N / 10))" >&2; exit 1; }
    [ "$2" = 0 ] || T[$key]+="$((t1 - t0)) "
}
case_apply() {
    local store desc
    echo "## 1. apply"
    echo
    for store in tmpfs disk; do
        start_server "$store"
        if [ "$store" = tmpfs ]; then desc="data on tmpfs (/dev/shm), fsync off"; else desc="data on disk ($BUILD/bench-data), fsync on"; fi
        for N in $SIZES; do
            echo "case 1: apply $N, $store" >&2
            R=$RUNS ONE=apply_one rounds "${APPLY_KEYS[@]}"
            echo "### $N migrations, $desc, PostgreSQL $PG_VERSION"
            echo
            echo "Fresh database per run; warm-up + $RUNS runs each, alternating."
            echo
            table s psql1 psqlE -- "${APPLY_KEYS[@]}"
            echo
        done
        stop_server
    done
}

# ---- case 2: no-op startup check ----------------------------------------
NOOP_KEYS=(psqlS pgmc dbmateN dbmate sqlm npm)
noop_db() { # the database a no-op contender runs against
    case "$1" in psqlS | pgmc) echo bench_noop_pgmc ;; dbmateN | dbmate) echo bench_noop_dbmate ;; *) echo "bench_noop_$1" ;; esac
}
noop_one() { # noop_one KEY ROUND
    local t0 t1
    t0=$(now_us)
    run_tool "$1" "$NOOP_N" "$(noop_db "$1")"
    t1=$(now_us)
    [ "$2" = 0 ] || T[$1]+="$((t1 - t0)) "
}
# log_counts KEY: "statements connections" the server logged for one run
log_counts() {
    local before
    before=$(wc -l <"$PG_LOG")
    run_tool "$1" "$NOOP_N" "$(noop_db "$1")"
    sleep 0.3
    tail -n +"$((before + 1))" "$PG_LOG" | awk '
        /LOG: +(statement|execute [^:]*): / { s++ }
        /LOG: +connection authorized/ { c++ }
        END { printf "%d %d\n", s, c }'
}
case_noop() {
    local k q
    echo "case 2: no-op, $NOOP_N applied" >&2
    start_server disk
    for k in pgmc dbmateN sqlm npm; do
        fresh "$(noop_db "$k")"
        [ "$k" != sqlm ] || sqlm_config "$NOOP_N" "$(noop_db "$k")"
        run_tool "$k" "$NOOP_N" "$(noop_db "$k")"
        [ "$(tables "$(noop_db "$k")")" = "$((NOOP_N - NOOP_N / 10))" ] || { echo "run.sh: $k did not apply $NOOP_N" >&2; exit 1; }
    done
    q=$(DATABASE_URL=$(url bench_noop_pgmc) "$WORK/m$NOOP_N/noop_queries")
    R=$NOOP_RUNS ONE=noop_one rounds "${NOOP_KEYS[@]}"
    "$PSQL" -X -q -c "ALTER SYSTEM SET log_statement = 'all'" -c "ALTER SYSTEM SET log_connections = on" \
        -c "SELECT pg_reload_conf()" >/dev/null
    declare -A LOGC
    for k in "${NOOP_KEYS[@]}"; do LOGC[$k]=$(log_counts "$k"); done
    "$PSQL" -X -q -c "ALTER SYSTEM RESET ALL" -c "SELECT pg_reload_conf()" >/dev/null
    stop_server
    echo "## 2. no-op startup check"
    echo
    echo "$NOOP_N migrations applied; a whole process run of \`up\` (nothing to do), data on disk, fsync on, PostgreSQL $PG_VERSION."
    echo "Warm-up + $NOOP_RUNS runs each, alternating."
    echo
    for k in pgmc npm; do LABEL[$k]=${NOOP_LABEL[$k]}; done
    table ms psqlS -- "${NOOP_KEYS[@]}"
    echo
    q=${q#queries=}
    echo "In process, pgmc_up() on the current schema made ${q%% *} round trip(s) (pgmc_result.queries; target 1)."
    echo
    echo "What the server logs for one run (log_statement = all, log_connections = on):"
    echo
    echo "| tool | statements | connections |"
    echo "|---|---:|---:|"
    for k in "${NOOP_KEYS[@]}"; do
        # shellcheck disable=SC2086
        set -- ${LOGC[$k]}
        echo "| ${LABEL[$k]} | $1 | $2 |"
    done
    echo
}

# ---- main ----------------------------------------------------------------
echo "# pgmc vs peers: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $("$BIN/pgmc" --version 2>/dev/null | head -1 || echo pgmc)$([ "$QUICK" = 1 ] && echo ', --quick')"
echo
case_apply
case_noop
for c in case_gen case_compile case_decode case_rebuild; do
    s=$SRC/bench/$c.sh
    if [ -x "$s" ]; then
        if [ "$QUICK" = 1 ]; then "$s" --quick; else "$s"; fi
        echo
    fi
done
