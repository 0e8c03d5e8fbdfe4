# shellcheck shell=bash
# fault_lib.sh - the fault matrix of issue 9, shared by tests/integration/
# fault_signals.sh (SIGINT, SIGTERM), fault_kills.sh (SIGKILL, a TCP cut),
# fault_restart.sh (a server crash, on a server of its own),
# fault_spellings.sh (two spellings of the history table at once) and
# scripts/stress. Sourced after lib.sh; not run.
#
# One trial (fm_trial N FAULT LOCK TARGET EAGER; fm_matrix spreads them over
# the cells): a fresh database (a copy of a template holding migration 1 of
# tests/fixtures/fault), `fault-migrate up` started (in lease mode with
# --lease-ttl 1s), the fault fired while TARGET runs (found by polling
# pg_stat_activity, then a random offset into it; "any": a random instant
# of the run), then:
#  - signals (sigint, sigterm): exit 130/143, nothing left running on the
#    server, the lock released, a transactional migration rolled back, a
#    word on where the database stands; or, when the signal comes twice, an
#    exit at once;
#  - unless the trial is "eager" (a third of the kill/cut/restart trials,
#    whose rerun starts at once, beside whatever the killed migrator left
#    running on the server), once the server is quiet `status --json` must
#    tell the truth about what the database holds (fm_truth);
#  - `up` is rerun until it exits 0, or refuses: a refusal must name the
#    statement, status must still be truthful, and the one documented fix
#    (the DROP INDEX CONCURRENTLY it names) must make the next `up` succeed;
#  - finally every data change is there exactly once, status says applied,
#    and `pg_dump -s` equals a clean apply's.
# The fixture makes a double application visible: balances gain 1 (migration
# 2, transactional), 10 (migration 3, non-transactional, statement 2) and
# the ledger gains one row per migration, with no unique constraint; any
# digit or count of 2 is a statement applied twice.
#
# Trial databases run with client_connection_check_interval = 0, PostgreSQL's
# default: a server statement whose client died runs on to its end (an
# orphan), as in production. Each trial appends one row to $fm_results
# (fault lock target eager outcome double lie violations), and fm_summary
# prints the table by fault kind and lock mode.

fm_bin="$PGMC_BIN_DIR/fault-migrate"
fm_proxy_bin="$PGMC_BIN_DIR/tcp_proxy"
fm_fixture="$PGMC_SOURCE_DIR/tests/fixtures/fault"
[ -x "$fm_bin" ] || fail "$fm_bin is missing (build the fault-migrate target)"
[ -x "$fm_proxy_bin" ] || fail "$fm_proxy_bin is missing (build the tcp_proxy target)"

# What a run of each migration leaves; see tests/fixtures/fault.
FM_FILE3=0003_notx_credit.up.sql
fm_line_of() { # fm_line_of FILE N: the line of statement N (one statement a line)
    awk '!/^[ \t]*(--|$)/ { n++; if (n == '"$2"') { print FNR; exit } }' "$fm_fixture/$1"
}

fm_now_ms() { local us=${EPOCHREALTIME/./}; echo $((us / 1000)); }
fm_sleep_ms() { sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"; }

# fm_point DB: point psql (PGDATABASE) and the migrator (DATABASE_URL) at DB.
fm_point() {
    export PGDATABASE=$1
    export DATABASE_URL="postgresql:///$1?host=$PGHOST&port=$PGPORT&user=$PGUSER"
}

fm_drop() {
    psql -X -q -d postgres -c "SET client_min_messages=warning" \
        -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null 2>&1 || true
}

# fm_setup PREFIX: the template (migration 1 applied) and the reference
# schema of a clean, uninterrupted apply (in $d/ref.dump).
fm_setup() {
    fm_prefix=$1
    fm_results=$d/results.tsv
    : >"$fm_results"
    fm_drop "${fm_prefix}_ref"
    psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE \"${fm_prefix}_ref\"" >/dev/null
    fm_point "${fm_prefix}_ref"
    run_status 0 "$fm_bin" up -q
    schema_dump >"$d/ref.dump"
    [ "$(fm_observe)" = "bal=11 l2=1 l3=1 l4=1 txm=1 aftm=1 i1=valid i2=valid" ] ||
        fail "a clean apply of the fault fixture left: $(fm_observe)"
    fm_drop "${fm_prefix}_ref"
    fm_drop "${fm_prefix}_tpl"
    psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE \"${fm_prefix}_tpl\"" >/dev/null
    fm_point "${fm_prefix}_tpl"
    run_status 0 "$fm_bin" up 1 -q
    fm_dbs+=("${fm_prefix}_tpl")
}

# fm_newdb NAME: a copy of the template; orphans run on (see above). On a
# server that the test crashes, the copy is FILE_COPY: PostgreSQL 15's
# default WAL_LOG copy keeps the template's sequence pages with their
# unlogged prefetch (log_cnt), so after a crash an identity column hands out
# ids again that were used since the copy (found here: pgmc_schema_history
# ids colliding after pg_ctl restart -m immediate).
fm_newdb() {
    local strategy=""
    [ -z "${fm_own_state:-}" ] || strategy="STRATEGY FILE_COPY"
    fm_drop "$1"
    psql -X -q -v ON_ERROR_STOP=1 -d postgres \
        -c "CREATE DATABASE \"$1\" TEMPLATE \"${fm_prefix}_tpl\" $strategy" \
        -c "ALTER DATABASE \"$1\" SET client_connection_check_interval = 0" >/dev/null
    # pg.sh runs with synchronous_commit off: a crash would lose commits the
    # migrator was told of. fsync may stay off: only processes crash here.
    [ -z "${fm_own_state:-}" ] ||
        psql -X -q -d postgres -c "ALTER DATABASE \"$1\" SET synchronous_commit = on" >/dev/null
    fm_dbs+=("$1")
    fm_point "$1"
}

fm_cleanup() {
    local p db
    # only our own background jobs still running (never a recycled pid)
    for p in $(jobs -p); do kill -9 "$p" 2>/dev/null || true; done
    for db in "${fm_dbs[@]}"; do fm_drop "$db"; done
}

# fm_observe: what the database holds, one line:
# bal=<the balance, or min,max when they differ> l2= l3= l4=<ledger rows per migration>
# txm= aftm=<marker tables 0/1> i1= i2=<absent|valid|invalid>
fm_observe() {
    psql -X -q -t -A -v ON_ERROR_STOP=1 -c "
        SELECT 'bal=' || (SELECT CASE WHEN min(bal) = max(bal) THEN min(bal)::text ELSE min(bal) || ',' || max(bal) END FROM acct)
            || ' l2=' || (SELECT count(*) FROM ledger WHERE mig = '0002')
            || ' l3=' || (SELECT count(*) FROM ledger WHERE mig = '0003')
            || ' l4=' || (SELECT count(*) FROM ledger WHERE mig = '0004')
            || ' txm=' || (to_regclass('tx_marker') IS NOT NULL)::int
            || ' aftm=' || (to_regclass('after_marker') IS NOT NULL)::int
            || ' i1=' || coalesce((SELECT CASE WHEN indisvalid THEN 'valid' ELSE 'invalid' END
                                   FROM pg_index WHERE indexrelid = to_regclass('doc_h_idx')), 'absent')
            || ' i2=' || coalesce((SELECT CASE WHEN indisvalid THEN 'valid' ELSE 'invalid' END
                                   FROM pg_index WHERE indexrelid = to_regclass('acct_id_bal_idx')), 'absent')"
}

# fm_status: `status --json` as lines "version state done" (done -1 when
# the state has none); sets fm_status_raw.
fm_status() {
    local rc
    set +e
    fm_status_raw=$("$fm_bin" status --json 2>"$d/status.err")
    rc=$?
    set -e
    [ "$rc" = 0 ] || { echo "status --json exited $rc: $(cat "$d/status.err")"; return 1; }
    psql -X -q -t -A -F ' ' -v ON_ERROR_STOP=1 -v js="$fm_status_raw" 2>&1 <<'SQL' ||
SELECT j->>'version', j->>'state', coalesce(j->>'statements_done', '-1')
FROM json_array_elements(:'js'::json) j ORDER BY (j->>'version')::int;
SQL
        { echo "status --json is not JSON: $fm_status_raw"; return 1; }
}

# fm_truth OBS STATUS_LINES: compare; prints one line per lie, nothing when
# status told the truth. Each effect (statement) is 0 (absent), 1 (present,
# once) or 2+ (applied more than once: a double, reported by fm_doubles).
fm_truth() {
    local obs=$1 st=$2 bal i1 i2 l2 l3 l4 txm aftm ones tens s v state ndone e
    [[ "$obs" == bal=[0-9]* ]] || { echo "LIE?: cannot compare, the database could not be read: $obs"; return 0; }
    eval "$(tr ' ' '\n' <<<"$obs" | sed -n 's/^\([a-z0-9]*\)=\(.*\)$/\1="\2"/p')"
    if [[ "$bal" == *,* ]]; then
        echo "LIE? balances are not uniform ($bal): an UPDATE applied to part of the table"
        return 0
    fi
    ones=$((bal % 10)) tens=$((bal / 10 % 10))
    # effects per migration and statement (index: present 1 when valid)
    local -A eff kind
    eff[2.1]=$ones eff[2.2]=$l2 eff[2.3]=$txm
    eff[3.1]=$([ "$i1" = absent ] && echo 0 || echo 1) eff[3.2]=$tens eff[3.3]=$l3
    eff[3.4]=$([ "$i2" = absent ] && echo 0 || echo 1)
    eff[4.1]=$l4 eff[4.2]=$aftm
    kind[3.1]=cic kind[3.4]=cic
    local -A n=([2]=3 [3]=4 [4]=2)
    local seen=0
    while read -r v state ndone; do
        [ -n "$v" ] || continue
        seen=$((seen + 1))
        case $v in
        1) [ "$state" = applied ] || echo "LIE: migration 1 (in the template) is $state" ;;
        2 | 3 | 4)
            for ((s = 1; s <= ${n[$v]}; s++)); do
                e=${eff[$v.$s]}
                case $state in
                applied)
                    [ "$e" -ge 1 ] || echo "LIE: migration $v is applied but statement $s left nothing"
                    if [ "${kind[$v.$s]:-}" = cic ]; then
                        local ix=$([ "$s" = 1 ] && echo "$i1" || echo "$i2")
                        [ "$ix" = valid ] || echo "LIE: migration $v is applied but the index of statement $s is $ix"
                    fi
                    ;;
                pending)
                    [ "$e" = 0 ] || echo "LIE: migration $v is pending but statement $s is applied"
                    ;;
                incomplete | failed)
                    if [ "$v" != 3 ]; then
                        echo "LIE: transactional migration $v is $state (it commits whole or not at all)"
                        break
                    fi
                    if [ "$s" -le "$ndone" ]; then
                        [ "$e" -ge 1 ] || echo "LIE: migration 3 is $state after $ndone statements but statement $s left nothing"
                    elif [ "$s" = $((ndone + 1)) ] && [ "${kind[$v.$s]:-}" = cic ]; then
                        : # the ambiguous one: an interrupted CREATE INDEX CONCURRENTLY
                    elif [ "$e" != 0 ]; then
                        echo "LIE: migration 3 is $state after $ndone statements but statement $s is applied"
                    fi
                    ;;
                *) echo "LIE: migration $v has state '$state'" ;;
                esac
            done
            ;;
        *) echo "LIE: status lists version '$v'" ;;
        esac
    done <<<"$st"
    [ "$seen" = 4 ] || echo "LIE: status lists $seen migrations, the build has 4"
}

# fm_doubles OBS: prints what was applied more than once.
fm_doubles() {
    local obs=$1 bal l2 l3 l4 i1 i2 txm aftm b
    [[ "$obs" == bal=[0-9]* ]] || return 0
    eval "$(tr ' ' '\n' <<<"$obs" | sed -n 's/^\([a-z0-9]*\)=\(.*\)$/\1="\2"/p')"
    for b in ${bal//,/ }; do
        [ "$((b % 10))" -le 1 ] || echo "DOUBLE: migration 2's UPDATE applied $((b % 10)) times (balance $b)"
        [ "$((b / 10 % 10))" -le 1 ] || echo "DOUBLE: migration 3's UPDATE applied $((b / 10 % 10)) times (balance $b)"
    done
    [ "$l2" -le 1 ] || echo "DOUBLE: migration 2's INSERT applied $l2 times"
    [ "$l3" -le 1 ] || echo "DOUBLE: migration 3's INSERT applied $l3 times"
    [ "$l4" -le 1 ] || echo "DOUBLE: migration 4's INSERT applied $l4 times"
}

# Client backends in the current database other than ours: "pid state query".
fm_backends() {
    psql -X -t -A -F ' ' -c "SELECT pid, state, left(regexp_replace(query, '\s+', ' ', 'g'), 70)
        FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
          AND backend_type = 'client backend'" 2>/dev/null || true
}
# fm_quiet SECONDS: wait until no other backend is in the database.
fm_quiet() {
    local k
    for ((k = 0; k < $1 * 20; k++)); do
        [ -z "$(fm_backends)" ] && return 0
        sleep 0.05
    done
    return 1
}

# The statement a target waits for (a regex on pg_stat_activity.query).
fm_target_re() {
    case $1 in
    tx) echo 'UPDATE acct SET bal = bal \+ 1($|[^0-9])' ;;
    data) echo 'UPDATE acct SET bal = bal \+ 10 ' ;;
    cic) echo 'CREATE INDEX CONCURRENTLY doc_h_idx ' ;;
    cic2) echo 'CREATE INDEX CONCURRENTLY acct_id_bal_idx ' ;;
    esac
}
# Random offset into the target (ms): about the statement's length.
fm_target_span() {
    case $1 in
    tx) echo 100 ;;
    data) echo 1100 ;;
    cic) echo 200 ;;
    cic2) echo 0 ;; # the last statement of a run: fire at once
    any) echo "$fm_span" ;;
    esac
}

fm_start_proxy() {
    rm -f "$d/proxy.port"
    "$fm_proxy_bin" "$PGHOST/.s.PGSQL.$PGPORT" "$d/proxy.port" 2>>"$d/proxy.err" &
    fm_proxy_pid=$!
    local k
    for ((k = 0; k < 100; k++)); do
        [ -s "$d/proxy.port" ] && break
        sleep 0.02
    done
    [ -s "$d/proxy.port" ] || fail "tcp_proxy did not start: $(cat "$d/proxy.err")"
    fm_proxy_url="postgresql://$PGUSER@127.0.0.1:$(cat "$d/proxy.port")/$PGDATABASE"
}

# fm_restart_server: pg_ctl restart -m immediate of the server in
# $fm_own_state (started by pg.sh for this test alone).
fm_restart_server() {
    local root data
    root=$(cat "$fm_own_state/root")
    data=$root/data
    [ ! -f "$fm_own_state/data" ] || data=$(cat "$fm_own_state/data")
    runas=()
    [ "$(id -u)" != 0 ] || runas=(runuser -u postgres --)
    "${runas[@]}" "$PGMC_PG_BIN/pg_ctl" -D "$data" -l "$root/server.log" -m immediate -w -t 60 \
        restart >/dev/null 2>&1
}

# The watcher: one psql session kept open (a coprocess), so that polling
# pg_stat_activity costs a round trip, not a psql start (tens of ms on a
# loaded machine, long enough to miss a statement). Each query is its own
# transaction: no snapshot held, nothing for CONCURRENTLY to wait for.
fm_watch_open() {
    coproc FMW { psql -X -q -t -A -F ' ' 2>&1; }
}
# fm_watch SQL: its result lines (nothing once the session is gone).
fm_watch() {
    local line
    [ -n "${FMW_PID:-}" ] || return 0
    printf '%s;\n\\echo __fm_end__\n' "$1" 1>&"${FMW[1]}" 2>/dev/null || return 0
    while IFS= read -r line <&"${FMW[0]}"; do
        [ "$line" != __fm_end__ ] || break
        echo "$line"
    done
    return 0
}
fm_watch_close() {
    [ -n "${FMW_PID:-}" ] || return 0
    local p=$FMW_PID
    printf '\\q\n' 1>&"${FMW[1]}" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
}

# fm_calibrate: the length of one uninterrupted run from the template (ms),
# for target "any".
fm_calibrate() {
    fm_newdb "${fm_prefix}_t"
    local t0
    t0=$(fm_now_ms)
    run_status 0 "$fm_bin" up -q
    fm_span=$(($(fm_now_ms) - t0))
    # How long migration 2 (its UPDATE, mostly) takes here: a signal in its
    # first half cannot have come after its COMMIT.
    fm_tx_ms=$(sql "SELECT execution_ms FROM pgmc_schema_history WHERE version = '2'")
}

fm_lock_args() {
    case $1 in
    advisory) echo "--lock-mode advisory" ;;
    lease) echo "--lock-mode lease --lease-ttl 1s" ;;
    esac
}

# fm_trial N FAULT LOCK TARGET EAGER: one trial; appends to $fm_results and
# prints one line. Never exits: a broken promise is recorded, not fatal.
fm_trial() {
    local t=$1 fault=$2 lock=$3 target=$4 eager=$5
    local -a largs
    read -r -a largs <<<"$(fm_lock_args "$lock")"
    local t_start
    t_start=$(fm_now_ms)
    local viol=() doubles="" lies="" re url pid k seen=0 off sample rc t_fault exit_ms out obs st
    fm_newdb "${fm_prefix}_t"
    url=$DATABASE_URL
    if [ "$fault" = tcpcut ]; then
        fm_start_proxy
        url=$fm_proxy_url
    fi
    # A background job of a non-interactive shell starts with SIGINT ignored:
    # env --default-signal gives the migrator the default dispositions back.
    DATABASE_URL=$url PGAPPNAME=fm_victim env --default-signal=INT,TERM "$fm_bin" up -q "${largs[@]}" \
        >"$d/victim.out" 2>&1 &
    pid=$!
    fm_watch_open
    # Wait for the target, then a random offset into it.
    if [ "$target" = any ]; then
        fm_sleep_ms $((fm_span * RANDOM / 32768))
    else
        local tre=$target
        [ "$target" != cic ] || [ $((RANDOM % 3)) != 0 ] || tre=cic2 # either index
        re=$(fm_target_re "$tre")
        for ((k = 0; k < 6000; k++)); do
            [ "$(fm_watch "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
                    AND pid <> pg_backend_pid() AND state = 'active' AND query ~ '$re'")" = 0 ] || { seen=1; break; }
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.005
        done
        [ -z "${PGMC_FAULT_DEBUG:-}" ] || echo "debug: target $tre seen=$seen after $k polls" >&2
        off=$(fm_target_span "$tre")
        [ "$seen" = 0 ] || [ "$off" = 0 ] || fm_sleep_ms $((off * RANDOM / 32768))
    fi
    # What runs, and for how long (ms) already: "ms query".
    sample=$(fm_watch "SELECT (extract(epoch FROM clock_timestamp() - query_start) * 1000)::int,
            left(regexp_replace(query, '\s+', ' ', 'g'), 70) FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'
          AND backend_type = 'client backend' ORDER BY query_start DESC LIMIT 1")
    case $fault in
    sigint) kill -INT "$pid" 2>/dev/null || true ;;
    sigterm) kill -TERM "$pid" 2>/dev/null || true ;;
    sigkill) kill -KILL "$pid" 2>/dev/null || true ;;
    tcpcut) kill -KILL "$fm_proxy_pid" 2>/dev/null || true ;;
    restart) fm_restart_server & fm_restart_pid=$! ;;
    esac
    t_fault=$(fm_now_ms)
    local double=0 t2=0
    if { [ "$fault" = sigint ] || [ "$fault" = sigterm ]; } && [ $((RANDOM % 3)) = 0 ]; then
        fm_sleep_ms $((30 * RANDOM / 32768))
        if kill -s "${fault^^}" "$pid" 2>/dev/null; then
            double=1
            t2=$(fm_now_ms)
        fi
    fi
    # What runs just after the fault (the sample before it may be stale by
    # the time the fault lands, on a loaded machine).
    local after=""
    [ "$fault" = restart ] || after=$(fm_watch "SELECT left(regexp_replace(query, '\s+', ' ', 'g'), 45)
        FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
          AND state = 'active' AND backend_type = 'client backend' LIMIT 1")
    fm_watch_close
    # A third of the signal trials send the signal again 0-30 ms later: the
    # second one must end the migrator at once (within 2 s here), and the
    # trial's other promises still hold (the lock may be left to its end:
    # the session's, or the lease's expiry).
    if [ "$double" = 1 ]; then
        for ((k = 0; k < 40; k++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.05
        done
        ! kill -0 "$pid" 2>/dev/null ||
            viol+=("SIGNAL: still running $(($(fm_now_ms) - t2)) ms after a second $fault")
    fi
    # The migrator must exit (signals: promptly, by the spec), and SIGKILL
    # after that.
    for ((k = 0; k < 300; k++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    if kill -0 "$pid" 2>/dev/null; then
        viol+=("SIGNAL: the migrator still runs 15 s after $fault")
        kill -KILL "$pid" 2>/dev/null || true
    fi
    set +e
    wait "$pid" 2>/dev/null
    rc=$?
    set -e
    exit_ms=$(($(fm_now_ms) - t_fault))
    [ "$fault" != tcpcut ] || wait "$fm_proxy_pid" 2>/dev/null || true
    [ "$fault" != restart ] || [ "$eager" = 1 ] || { wait "$fm_restart_pid" || fail "pg_ctl restart failed"; }
    out=$(tr '\n' ' ' <"$d/victim.out" | cut -c1-300)

    local where=${sample#* } since=${sample%% *}
    [ -n "$sample" ] || where="between statements" since=0
    [ "$rc" != 0 ] || where="after the end (the run finished first)"
    if [ "$fault" = sigint ] || [ "$fault" = sigterm ]; then
        local want=$([ "$fault" = sigint ] && echo 130 || echo 143)
        if [ "$rc" != 0 ] && [ "$double" = 1 ]; then
            [ "$rc" = "$want" ] || viol+=("SIGNAL: exit $rc after a second $fault, expected $want")
        elif [ "$rc" != 0 ]; then
            [ "$rc" = "$want" ] || viol+=("SIGNAL: exit $rc after $fault, expected $want")
            if [ ! -s "$d/victim.out" ]; then
                # pgmc's handler always writes "interrupted: ..." (even with
                # -q): silence means the signal came after pgmc_main had
                # finished and put the default action back, on the way out
                # of a run that completed. Then everything must be applied.
                where="after the end (pgmc_main had returned)"
                [ "$(fm_status 2>/dev/null || true)" = $'1 applied -1\n2 applied -1\n3 applied -1\n4 applied -1' ] ||
                    viol+=("SIGNAL: the migrator died silently of $fault before the run completed")
            else
                grep -qiE 'version|statement' "$d/victim.out" ||
                    viol+=("SIGNAL: nothing said where the database stands: '$out'")
            fi
            # The lock released: the lease row deleted at once (not left to
            # expire); the advisory lock gone with the session. PQcancel:
            # nothing of the migrator may run on after it exited.
            if [ "$lock" = lease ] && [ -n "$(sql "SELECT to_regclass('pgmc_schema_history_lock')")" ] &&
                [ "$(sql "SELECT count(*) FROM pgmc_schema_history_lock WHERE expires_at > clock_timestamp()")" != 0 ]; then
                viol+=("SIGNAL: the lease was not released after $fault")
            fi
            fm_quiet 3 || viol+=("SIGNAL: 3 s after the migrator exited, still on the server: $(fm_backends | tr '\n' ';')")
            [ "$lock" != advisory ] || [ "$(sql "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'
                AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")" = 0 ] ||
                viol+=("SIGNAL: an advisory lock is still held 3 s after $fault")
            # Caught in the first half of migration 2's UPDATE (timed by
            # fm_calibrate), the signal must roll migration 2 back.
            if [[ "$where" =~ bal\ \+\ 1$ ]] && [ "$since" -lt $((fm_tx_ms / 2)) ]; then
                fm_quiet 60 || true
                [ "$(sql "SELECT count(*) FROM ledger WHERE mig = '0002'")" = 0 ] ||
                    viol+=("SIGNAL: migration 2 committed after $fault ${since} ms into its UPDATE; it must be rolled back")
            fi
        fi
    fi

    if [ "$eager" = 0 ]; then
        fm_quiet 60 || viol+=("OTHER: the killed migrator's backends still run after 60 s")
        obs=$(fm_observe 2>&1) || true
        st=$(fm_status) || st=""
        lies=$(fm_truth "$obs" "$st")
        doubles=$(fm_doubles "$obs")
    fi

    # Rerun until done, or refused.
    local attempt rrc rout outcome="" fix
    for ((attempt = 1; attempt <= 4; attempt++)); do
        set +e
        PGAPPNAME=fm_rerun timeout -k 5 120 "$fm_bin" up "${largs[@]}" --wait=30s >"$d/rerun.out" 2>&1
        rrc=$?
        set -e
        rout=$(cat "$d/rerun.out")
        if [ "$rrc" = 0 ]; then
            outcome+="rerun ok"
            grep -q '^resuming' <<<"$rout" && outcome+=" (resumed)"
            break
        fi
        [ "$fault" != restart ] || wait "$fm_restart_pid" 2>/dev/null || true
        fm_quiet 60 || true
        obs=$(fm_observe 2>&1) || true
        doubles+=$(fm_doubles "$obs")
        if [ "$rrc" != 1 ]; then
            viol+=("OTHER: rerun exited $rrc: $(tr '\n' ' ' <<<"$rout" | cut -c1-300)")
            outcome+="rerun exit $rrc"
            break
        fi
        # A refusal: truthful, naming the statement, with a fix that works.
        st=$(fm_status) || st=""
        lies+=$(fm_truth "$obs" "$st")
        # The one documented refusal: an INVALID index, with the DROP to run,
        # at the file:line of the CREATE INDEX CONCURRENTLY that left it.
        fix=$(grep -oE 'DROP INDEX CONCURRENTLY [a-z_.]+' <<<"$rout" | head -n 1 || true)
        local at=""
        case $fix in
        *doc_h_idx) at=$FM_FILE3:$(fm_line_of "$FM_FILE3" 1) ;;
        *acct_id_bal_idx) at=$FM_FILE3:$(fm_line_of "$FM_FILE3" 4) ;;
        esac
        if [ -n "$at" ] && ! grep -qF "$at" <<<"$rout"; then
            viol+=("REFUSAL: the refusal over an INVALID index does not name its statement ($at)")
        fi
        if [ -n "$at" ]; then
            if ! sql "$fix" >/dev/null 2>"$d/fix.err"; then
                viol+=("REFUSAL: the fix it named failed: $fix: $(cat "$d/fix.err")")
                outcome+="refused, the fix failed"
                break
            fi
            outcome+="refused, fixed ($fix); "
            continue
        fi
        viol+=("REFUSAL: rerun refused without a documented fix: $(grep -m 1 -E '^error' <<<"$rout" || head -n 1 <<<"$rout") $(grep -m 1 -E 'ERROR' <<<"$rout" || true)")
        outcome+="refused"
        break
    done
    [ "$attempt" -le 4 ] || viol+=("REFUSAL: still refused after 3 fixes")
    if [ "$rrc" = 0 ]; then
        fm_quiet 60 || true
        obs=$(fm_observe 2>&1) || true
        doubles+=$(fm_doubles "$obs")
        st=$(fm_status) || st=""
        lies+=$(fm_truth "$obs" "$st")
        [ "$st" = $'1 applied -1\n2 applied -1\n3 applied -1\n4 applied -1' ] ||
            viol+=("FINAL: status after a successful rerun: $(tr '\n' ';' <<<"$st")")
        [ "$obs" = "bal=11 l2=1 l3=1 l4=1 txm=1 aftm=1 i1=valid i2=valid" ] || [ -n "$doubles" ] ||
            viol+=("FINAL: the database holds $obs")
        if ! schema_dump | diff "$d/ref.dump" - >"$d/schema.diff"; then
            viol+=("SCHEMA: differs from a clean apply: $(head -c 300 "$d/schema.diff" | tr '\n' ' ')")
        fi
    fi
    [ "$fault" != restart ] || wait "$fm_restart_pid" 2>/dev/null || true

    local ndouble=0 nlie=0 v
    [ -z "$doubles" ] || { ndouble=1; viol+=("$(sort -u <<<"$doubles" | tr '\n' ';')"); }
    [ -z "$lies" ] || { nlie=1; viol+=("$(sort -u <<<"$lies" | tr '\n' ';')"); }
    # Where the fault landed, from the sample just before it: in the
    # transactional UPDATE, in a data-changing statement of the
    # non-transactional migration, in a CREATE INDEX CONCURRENTLY, elsewhere
    # (bookkeeping, between statements), or after the end.
    local landed=other
    case $where in
    *"bal = bal + 1") landed=tx ;;
    *"bal = bal + 10 "* | *"'0003'"*) landed=data ;;
    *"CREATE INDEX CONCURRENTLY"*) landed=cic ;;
    esac
    [ "$rc" != 0 ] || landed=end
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$fault" "$lock" "$target" "$eager" \
        "$([ ${#viol[@]} = 0 ] && echo ok || echo FAIL)" "$ndouble" "$nlie" \
        "$(IFS='|'; echo "${viol[*]:-}")" "$landed" >>"$fm_results"
    local tag=""
    [ "$eager" = 0 ] || tag=" (eager rerun)"
    [ "$double" = 0 ] || tag=" (second signal)"
    echo "trial $t: $fault/$lock/$target$tag: fault at [$where${sample:+, ${since} ms in}${after:+; just after: $after}], victim exit $rc after ${exit_ms} ms; $outcome; ${#viol[@]} problem(s) [$(($(fm_now_ms) - t_start)) ms]"
    for v in "${viol[@]}"; do echo "    $v"; done
    if [ ${#viol[@]} != 0 ]; then
        echo "    the interrupted run said:"
        sed -n '1,12s/^/      | /p' "$d/victim.out"
        echo "    the last rerun said:"
        sed -n '1,12s/^/      | /p' "$d/rerun.out"
    fi
}

# fm_summary FILE: the table by fault kind and lock mode.
fm_summary() {
    awk -F'\t' '
        { k = $1 "\t" $2; n[k]++; bad[k] += ($5 != "ok"); dbl[k] += $6; lie[k] += $7
          if ($8 ~ /SIGNAL/) sig[k]++; if ($8 ~ /REFUSAL/) ref[k]++; if ($8 ~ /SCHEMA|FINAL|OTHER/) oth[k]++
          land[k, $9]++; eag[k] += $4
          T++; B += ($5 != "ok"); D += $6; L += $7 }
        END {
            printf "%-8s %-9s %6s %6s %7s %5s %6s %8s %5s | %4s %4s %4s %5s %4s %5s\n", "fault", "lock", "trials",
                "failed", "doubles", "lies", "signal", "refusals", "other", "tx", "data", "cic", "other", "end", "eager"
            for (k in n) { split(k, a, "\t")
                printf "%-8s %-9s %6d %6d %7d %5d %6d %8d %5d | %4d %4d %4d %5d %4d %5d\n", a[1], a[2], n[k], bad[k],
                    dbl[k], lie[k], sig[k], ref[k], oth[k], land[k, "tx"], land[k, "data"], land[k, "cic"],
                    land[k, "other"], land[k, "end"], eag[k] }
            printf "total: %d trials, %d failed, %d with a double-applied statement, %d with a status lie\n", T, B, D, L
        }' "$1" | { read -r head; echo "$head"; sort; }
    echo "(failed: trials that broke any promise; doubles, lies, signal, refusals, other: trials with"
    echo " such a problem; then where the faults landed: in the transactional UPDATE, in a data-changing"
    echo " statement of the non-transactional migration, in a CREATE INDEX CONCURRENTLY, elsewhere, after"
    echo " the end; and how many reruns started at once, beside the orphan)"
}

# fm_finish WHAT: the summary; fail if any trial broke a promise. With
# PGMC_FAULT_RESULTS set (scripts/stress), the rows are appended there too.
fm_finish() {
    local what=$1 bad n
    [ -z "${PGMC_FAULT_RESULTS:-}" ] || cat "$fm_results" >>"$PGMC_FAULT_RESULTS"
    n=$(wc -l <"$fm_results")
    echo "$what summary (seed $seed):"
    fm_summary "$fm_results"
    bad=$(awk -F'\t' '$5 != "ok"' "$fm_results" | wc -l)
    [ "$bad" = 0 ] || fail "$what: $bad of $n trials broke a promise (see above; PGMC_FAULT_SEED=$seed replays the choices)"
    pass "$what: $n trials, no statement applied twice, status truthful, every rerun finished"
}

# fm_matrix PER_CELL FAULT...: PER_CELL trials for each fault x lock mode
# cell. The order: the cells in turn (shuffled), each taking the next target
# of its own random permutation of tx, data, cic and any, so that every cell
# meets 3 of the 4 targets in 3 trials and all 4 in 4. A third of the
# sigkill, tcpcut and restart trials are eager (see the top).
fm_matrix() {
    local per=$1 f l c t i j tmp eager
    shift
    local -a cells=() tg
    local -A perm
    for f in "$@"; do
        for l in advisory lease; do cells+=("$f $l"); done
    done
    for ((i = ${#cells[@]} - 1; i > 0; i--)); do
        j=$((RANDOM % (i + 1)))
        tmp=${cells[i]} cells[i]=${cells[j]} cells[j]=$tmp
    done
    for c in "${cells[@]}"; do
        tg=(tx data cic any)
        for ((i = 3; i > 0; i--)); do
            j=$((RANDOM % (i + 1)))
            tmp=${tg[i]} tg[i]=${tg[j]} tg[j]=$tmp
        done
        perm[$c]="${tg[*]}"
    done
    for ((t = 0; t < per * ${#cells[@]}; t++)); do
        c=${cells[$((t % ${#cells[@]}))]}
        read -r -a tg <<<"${perm[$c]}"
        read -r f l <<<"$c"
        eager=0
        case $f in sigkill | tcpcut | restart) [ $((RANDOM % 3)) != 0 ] || eager=1 ;; esac
        fm_trial $((t + 1)) "$f" "$l" "${tg[$((t / ${#cells[@]} % 4))]}" "$eager"
    done
}
