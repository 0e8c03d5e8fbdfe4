#!/usr/bin/env bash
# Crash safety: `crash-migrate up` (tests/fixtures/crash: transactional
# migrations with pg_sleep between their statements, and non-transactional
# CONCURRENTLY ones) is killed with SIGKILL at a random instant, on a fresh
# database per trial, PGMC_CRASH_TRIALS times (default 25). After each kill:
#  (a) `status --json` must tell the truth about the database: an applied
#      migration has all its objects, a pending one none (transactional
#      atomicity), an incomplete non-transactional one the objects of
#      statements 1..statements_done and none after the statement in flight,
#      with the right statement count and stopped_at file:line;
#  (b) a rerun of `up` either exits 0 with everything applied (all objects
#      present, one success row per migration, no progress left), or exits 1
#      naming the exact statement (file:line) that it could not re-run, with
#      status showing that migration failed or incomplete.
# Kill instants are stratified over the length of one uninterrupted run
# (trial i of N dies in [(i-1)/N, i/N) of it), so kills land inside both
# kinds of migration; the statement each kill interrupted is sampled from
# pg_stat_activity just before the kill, and a summary counts the outcomes.
# Then a changed build (crash-migrate-edited, statement 2 of migration 3
# edited) must refuse to resume a run of migration 3 stopped after that
# statement, and the original build must resume it.
# PGMC_CRASH_SEED makes the kill instants reproducible. See tests/stress/README.md.
. "$PGMC_SOURCE_DIR/tests/support/lib.sh"
bin="$PGMC_BIN_DIR/crash-migrate"
fixture="$PGMC_SOURCE_DIR/tests/fixtures/crash"
trials=${PGMC_CRASH_TRIALS:-25}
seed=${PGMC_CRASH_SEED:-$$}
RANDOM=$seed
base_db=$PGDATABASE
[ -x "$bin" ] || fail "$bin is missing (build the crash-migrate target)"

d=$(mktemp -d "${PGMC_TEST_TMPDIR:-/tmp}/it.XXXXXX")
current_db=
cleanup() {
    [ -z "$current_db" ] || psql -X -q -d postgres -c "SET client_min_messages=warning" \
        -c "DROP DATABASE IF EXISTS \"$current_db\" WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$d"
}
trap cleanup EXIT

use_db() {
    [ -z "$current_db" ] || psql -X -q -d postgres -c "SET client_min_messages=warning" \
        -c "DROP DATABASE IF EXISTS \"$current_db\" WITH (FORCE)" >/dev/null
    psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "SET client_min_messages=warning" \
        -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" -c "CREATE DATABASE \"$1\"" >/dev/null
    current_db=$1
    export PGDATABASE=$1
    export DATABASE_URL="postgresql:///$1?host=$PGHOST&port=$PGPORT&user=$PGUSER"
}

# --- What each fixture statement leaves behind -------------------------------
# statements.tsv: version file tx stmt line kind obj arg idempotent, one row
# per statement (the fixture has one statement per line, `--` comments only
# on their own lines). kind: rel (a relation obj exists), idx (index obj),
# col (column arg of table obj), rows (table obj has exactly arg rows), none.
for f in "$fixture"/*.up.sql; do
    b=$(basename "$f")
    v=$(sed -E 's/^0*([0-9]+)_.*/\1/' <<<"$b")
    tx=tx
    grep -q CONCURRENTLY "$f" && tx=notx
    awk -v v="$v" -v file="$b" -v tx="$tx" '
        function name_after(k,   i, w) {   # first non-keyword word from field k on
            for (i = k; i <= NF; i++)
                if ($i !~ /^(UNIQUE|INDEX|CONCURRENTLY|IF|NOT|EXISTS|TABLE|VIEW|SEQUENCE|OR|REPLACE|COLUMN)$/) {
                    w = $i
                    sub(/[;(].*$/, "", w)
                    return w
                }
            return ""
        }
        /^[ \t]*(--|$)/ { next }
        {
            n++; kind = ""; obj = ""; arg = ""
            idem = ($0 ~ /IF NOT EXISTS|OR REPLACE|^SELECT pg_sleep/) ? 1 : 0
            if ($1 == "CREATE") { obj = name_after(2); kind = ($0 ~ /^CREATE (UNIQUE )?INDEX /) ? "idx" : "rel" }
            else if ($1 == "ALTER" && $4 == "ADD" && $5 == "COLUMN") { kind = "col"; obj = $3; arg = name_after(6) }
            else if ($1 == "INSERT" && $2 == "INTO") {
                p = index($0, "generate_series(1, ")
                if (p) { kind = "rows"; obj = $3; arg = substr($0, p + 19) + 0 }
            }
            else if ($0 ~ /^SELECT pg_sleep/) { kind = "none" }
            if (kind == "" || (kind != "none" && obj !~ /^v[0-9]+_[a-z0-9_]+$/)) {
                printf "%s:%d: crash.sh cannot tell what this statement creates\n", file, FNR > "/dev/stderr"
                exit 1
            }
            print v "\t" file "\t" tx "\t" n "\t" FNR "\t" kind "\t" obj "\t" arg "\t" idem
        }' "$f" >>"$d/statements.tsv"
done
n_mig=$(cut -f1 "$d/statements.tsv" | sort -u | wc -l)
n_notx=$(awk -F'\t' '$3 == "notx"' "$d/statements.tsv" | cut -f1 | sort -u | wc -l)
[ "$n_mig" -ge 10 ] && [ "$n_notx" -ge 2 ] && [ "$n_notx" -lt "$n_mig" ] ||
    fail "the crash fixture should mix >= 10 migrations, some non-transactional ($n_mig, $n_notx)"

# The checker (psql; :js is status --json, :mode 'kill' or 'final', st the
# table above).
cat >"$d/check.sql" <<'SQL'
CREATE FUNCTION pg_temp.nrows(t text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
    IF to_regclass(t) IS NULL THEN RETURN -1; END IF;
    EXECUTE format('SELECT count(*) FROM %I', t) INTO n;
    RETURN n;
END $$;
CREATE TEMP TABLE js AS
SELECT (j->>'version')::int AS version, j->>'state' AS state,
       (j->>'statements_done')::int AS done, (j->>'statements')::int AS nst,
       (j->>'resumable')::boolean AS resumable, j->>'stopped_at' AS stopped_at,
       (j->>'stopped_line')::int AS stopped_line
FROM json_array_elements(:'js'::json) j;
CREATE TEMP TABLE ev AS
SELECT st.*, CASE kind
         WHEN 'rel' THEN to_regclass(obj) IS NOT NULL
         WHEN 'idx' THEN to_regclass(obj) IS NOT NULL
         WHEN 'col' THEN EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = to_regclass(obj)
                                 AND a.attname = arg AND NOT a.attisdropped)
         WHEN 'rows' THEN pg_temp.nrows(obj) = arg::bigint
       END AS present,
       coalesce((SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass(obj)), true) AS valid
FROM st WHERE kind <> 'none';
-- Objects against states.
SELECT 'VIOLATION migration ' || ev.version || ' (' || ev.tx || ') is ' || coalesce(js.state, 'not listed')
       || coalesce(' with statements_done=' || js.done, '') || ' but statement ' || ev.stmt
       || ' (' || ev.file || ':' || ev.line || ', ' || ev.kind || ' ' || ev.obj || ') is '
       || CASE WHEN ev.present THEN 'present' ELSE 'absent' END
FROM ev LEFT JOIN js USING (version)
WHERE CASE
        WHEN js.state = 'applied' THEN NOT ev.present
        WHEN js.state = 'pending' THEN ev.present
        WHEN js.state IN ('incomplete', 'failed') THEN
             (ev.stmt <= js.done AND NOT ev.present) OR (ev.stmt > js.done + 1 AND ev.present)
        ELSE true
      END
ORDER BY ev.version, ev.stmt;
-- The bookkeeping of a stopped run.
SELECT 'VIOLATION migration ' || js.version || ' is ' || js.state || ': ' || problem
FROM js JOIN (SELECT version, min(file) AS file, min(tx) AS tx, max(stmt) AS n FROM st GROUP BY version) m
     USING (version)
CROSS JOIN LATERAL (VALUES
    (CASE WHEN m.tx = 'tx' THEN 'a transactional migration cannot be stopped part way' END),
    (CASE WHEN js.nst IS DISTINCT FROM m.n THEN 'statements=' || coalesce(js.nst::text, 'null') || ', the file has ' || m.n END),
    (CASE WHEN js.done IS NULL OR js.done < 0 OR js.done >= m.n THEN 'statements_done=' || coalesce(js.done::text, 'null') END),
    (CASE WHEN js.state = 'incomplete' AND js.resumable IS NOT TRUE THEN 'not resumable, yet the build did not change' END),
    (CASE WHEN js.stopped_line IS DISTINCT FROM (SELECT line FROM st WHERE st.version = js.version AND st.stmt = js.done + 1)
               OR js.stopped_at IS NULL OR js.stopped_at NOT LIKE '%' || m.file
          THEN 'stopped_at ' || coalesce(js.stopped_at, 'null') || ':' || coalesce(js.stopped_line::text, 'null')
               || ', expected ' || m.file || ':' || coalesce((SELECT line FROM st WHERE st.version = js.version AND st.stmt = js.done + 1)::text, '?') END)
) p(problem)
WHERE js.state IN ('incomplete', 'failed') AND problem IS NOT NULL;
-- The history row of a stopped run: success=false, progress=statements_done, a hash.
SELECT count(*) > 0 AS has_open FROM js WHERE state IN ('incomplete', 'failed') \gset
\if :has_open
SELECT 'VIOLATION history row of ' || h.version || ': success=' || h.success || ' direction='
       || coalesce(h.direction, 'null') || ' progress=' || coalesce(h.progress::text, 'null')
       || ' progress_hash=' || coalesce(h.progress_hash, 'null') || ', expected success=false direction=up progress='
       || js.done || ' and a hash'
FROM pgmc_schema_history h JOIN js ON h.version = js.version::text
WHERE js.state IN ('incomplete', 'failed')
  AND NOT (NOT h.success AND h.direction IS NOT DISTINCT FROM 'up' AND h.progress IS NOT DISTINCT FROM js.done
           AND coalesce(h.progress_hash, '') <> '');
\endif
SELECT 'VIOLATION status lists ' || (SELECT count(*) FROM js) || ' entries, the fixture has '
       || (SELECT count(DISTINCT version) FROM st)
WHERE (SELECT count(*) FROM js) <> (SELECT count(DISTINCT version) FROM st);
SELECT 'VIOLATION unexpected state ' || state || ' of ' || version FROM js
WHERE state NOT IN ('applied', 'pending', 'incomplete', 'failed');
SELECT 'VIOLATION ' || a.version || ' is applied after ' || b.version || ' which is ' || b.state
FROM js a JOIN js b ON b.version < a.version WHERE a.state = 'applied' AND b.state <> 'applied';
SELECT 'VIOLATION more than one stopped migration' FROM js
WHERE state IN ('incomplete', 'failed') HAVING count(*) > 1;
-- After a successful rerun: everything applied, history clean.
SELECT 'VIOLATION final: ' || version || ' is ' || state FROM js
WHERE :'mode' = 'final' AND state <> 'applied';
SELECT :'mode' = 'final' AS is_final \gset
\if :is_final
SELECT 'VIOLATION final: history has ' || count(*) FILTER (WHERE success AND progress IS NULL)
       || ' clean success rows of ' || count(*) || ', expected ' || (SELECT count(DISTINCT version) FROM st)
FROM pgmc_schema_history
HAVING count(*) FILTER (WHERE success AND progress IS NULL) <> (SELECT count(DISTINCT version) FROM st)
    OR count(*) <> (SELECT count(DISTINCT version) FROM st);
\endif
-- Facts for the caller.
SELECT 'INVALID ' || version || ' ' || obj FROM ev WHERE kind = 'idx' AND present AND NOT valid;
SELECT 'APPLIED ' || count(*) FILTER (WHERE state = 'applied') FROM js;
SELECT 'OPEN ' || version || ' ' || state || ' ' || coalesce(done, -1) || ' '
       || coalesce(stopped_line, 0) || ' ' || (SELECT min(file) FROM st WHERE st.version = js.version)
FROM js WHERE state IN ('incomplete', 'failed');
SQL

# check_state MODE: compare `status --json` with the database. Prints nothing
# and returns 0 when truthful; sets st_applied (count), st_open ("version
# state done stopped_line file" of the failed/incomplete migration, or "").
# MODE final additionally requires everything applied and a clean history.
check_state() {
    local mode=$1 js res
    set +e
    js=$("$bin" status --json 2>"$d/status.err")
    local rc=$?
    set -e
    [ "$rc" = 0 ] || { cat "$d/status.err" >&2; fail "status --json exited $rc"; }
    res=$({
        printf 'SET client_min_messages = warning;\n'
        printf 'CREATE TEMP TABLE st (version int, file text, tx text, stmt int, line int,'
        printf ' kind text, obj text, arg text, idem int);\nCOPY st FROM STDIN;\n'
        cat "$d/statements.tsv"
        printf '\\.\n'
        cat "$d/check.sql"
    } | psql -X -q -t -A -v ON_ERROR_STOP=1 -v js="$js" -v mode="$mode") || fail "the state checker failed (psql)"
    if grep -q '^VIOLATION' <<<"$res"; then
        grep '^VIOLATION' <<<"$res" >&2
        echo "status --json was:" >&2
        echo "$js" >&2
        return 1
    fi
    st_applied=$(sed -n 's/^APPLIED //p' <<<"$res")
    st_open=$(sed -n 's/^OPEN //p' <<<"$res")
    st_invalid=$(sed -n 's/^INVALID //p' <<<"$res" | tr '\n' ' ')
    return 0
}

# Migration of a statement seen in pg_stat_activity: the highest vNNNN in it
# (a migration only refers to its own and older objects).
migration_of() {
    grep -oE 'v[0-9]{4}_' <<<"$1" | sed -E 's/^v0*([0-9]+)_/\1/' | sort -n | tail -n 1 || true
}
tx_of() { awk -F'\t' -v v="$1" '$1 == v { print $3; exit }' "$d/statements.tsv"; }

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# --- Calibration: one uninterrupted run; also proves the checker sees objects.
use_db "${base_db}_crash_ref"
check_state kill || fail "fresh database: status disagrees with the (empty) database"
[ "$st_applied" = 0 ] || fail "fresh database: $st_applied applied"
t0=$(now_ms)
run_status 0 "$bin" up -q
span=$(($(now_ms) - t0))
check_state final || fail "uninterrupted run: status disagrees with the database"
[ -z "$st_invalid" ] || fail "uninterrupted run left invalid indexes: $st_invalid"
pass "uninterrupted run: $n_mig migrations ($n_notx non-transactional) in $span ms; every object checked"
# The first run of a test is the slowest (cold caches, history creation):
# spread the kills over 90% of it, so that few land after the end.
span=$((span * 9 / 10))
[ "$span" -ge 300 ] || span=300

# --- Trials ------------------------------------------------------------------
in_tx=0 in_notx=0 in_other=0 finished=0 seen_incomplete=0 resumed=0 refused=0 clean=0 invalid_kept=0
for ((t = 1; t <= trials; t++)); do
    use_db "${base_db}_crash"
    delay=$(((span * (t - 1) + span * RANDOM / 32768) / trials))
    "$bin" up -q >"$d/killed.out" 2>&1 &
    pid=$!
    sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
    sample=$(psql -X -t -A -c "SELECT state || ': ' || query FROM pg_stat_activity
                               WHERE datname = current_database() AND pid <> pg_backend_pid()
                                 AND backend_type = 'client backend'" 2>/dev/null || true)
    kill -9 "$pid" 2>/dev/null || true
    set +e
    wait "$pid" 2>/dev/null
    krc=$?
    set -e
    # Wait until the killed migrator's backend is gone (it may finish its
    # current statement first), so that what we check is final.
    for ((k = 0; k < 600; k++)); do
        [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
                  AND pid <> pg_backend_pid() AND backend_type = 'client backend'")" = 0 ] && break
        sleep 0.05
    done
    [ "$k" -lt 600 ] || fail "trial $t: the killed migrator's backend is still there after 30 s"

    where="between migrations or in bookkeeping"
    mv=$(migration_of "$sample")
    if [ "$krc" = 0 ]; then
        finished=$((finished + 1))
        where="(finished before the kill)"
    elif [ -n "$mv" ] && [ "$(tx_of "$mv")" = tx ]; then
        in_tx=$((in_tx + 1))
        where="inside transactional migration $mv"
    elif [ -n "$mv" ]; then
        in_notx=$((in_notx + 1))
        where="inside non-transactional migration $mv"
    else
        in_other=$((in_other + 1))
    fi

    check_state kill || { echo "pg_stat_activity before the kill: $sample" >&2; fail "trial $t (kill at ${delay} ms, $where): status is not truthful"; }
    open=$st_open kapplied=$st_applied
    set -- $open # version state done stopped_line file
    ov=${1:-} ostate=${2:-} odone=${3:-} oline=${4:-} ofile=${5:-}
    if [ -n "$open" ]; then
        seen_incomplete=$((seen_incomplete + 1))
        [ "$ostate" = incomplete ] ||
            fail "trial $t: after a kill migration $ov is '$ostate', expected incomplete (nothing errored)"
        # The human status: a ✗ INCOMPLETE line naming the statement.
        run_status 0 "$bin" status
        line=$(grep -E "^✗ +$ov " <<<"$out" || true)
        { grep -qF INCOMPLETE <<<"$line" && grep -qF "$ofile:$oline" <<<"$line"; } ||
            { echo "$out" >&2; fail "trial $t: status should show $ov as ✗ INCOMPLETE at $ofile:$oline"; }
    fi

    set +e
    timeout -k 5 60 "$bin" up >"$d/rerun.out" 2>&1
    rrc=$?
    set -e
    case $rrc in
    0)
        check_state final || { cat "$d/rerun.out" >&2; fail "trial $t (kill at ${delay} ms, $where): rerun exited 0 but the database is not fully migrated"; }
        if [ -n "$open" ]; then
            # It said it resumed, at the statement status named (after 0
            # completed statements it simply starts the migration over), or
            # that the statement in flight had completed (a valid index).
            [ "$odone" = 0 ] || { grep -qiE 'resum|counts as done' "$d/rerun.out" && grep -qF "$ofile:$oline" "$d/rerun.out"; } ||
                { cat "$d/rerun.out" >&2; fail "trial $t: rerun did not report resuming $ov at $ofile:$oline"; }
            resumed=$((resumed + 1))
        else
            clean=$((clean + 1))
        fi
        # A killed CREATE INDEX CONCURRENTLY IF NOT EXISTS leaves an INVALID
        # index; the resume must refuse rather than keep it.
        [ -z "$st_invalid" ] ||
            { cat "$d/rerun.out" >&2; fail "trial $t: rerun exited 0 but left INVALID index(es): $st_invalid"; }
        outcome="rerun applied the rest${open:+ (resumed $ov after statement $odone)}"
        ;;
    1)
        [ -n "$open" ] || { cat "$d/rerun.out" >&2; fail "trial $t: rerun exited 1 with no migration stopped part way"; }
        errline=$(grep -m 1 '^error:' "$d/rerun.out" || true)
        grep -qF -- "$ofile:$oline:" <<<"$errline" ||
            { cat "$d/rerun.out" >&2; fail "trial $t: rerun exited 1, but its error is not at $ofile:$oline, the statement the run stopped at"; }
        idem=$(awk -F'\t' -v v="$ov" -v l="$oline" '$1 == v && $5 == l { print $9 }' "$d/statements.tsv")
        invalid_ix=$(sed -n 's/.*left index \([^ ]*\) INVALID.*/\1/p' "$d/rerun.out" | head -1)
        if [ -n "$invalid_ix" ]; then
            # The interrupted CREATE INDEX CONCURRENTLY left an INVALID index:
            # refused with the fix; do what it says and the resume completes.
            grep -qF "DROP INDEX CONCURRENTLY $invalid_ix" "$d/rerun.out" ||
                { cat "$d/rerun.out" >&2; fail "trial $t: refusal over INVALID $invalid_ix gives no fix"; }
            check_state kill || { cat "$d/rerun.out" >&2; fail "trial $t: after the refusal status is not truthful"; }
            sql "DROP INDEX CONCURRENTLY $invalid_ix" >/dev/null
            run_status 0 timeout -k 5 60 "$bin" up
            check_state final || { echo "$out" >&2; fail "trial $t: after dropping $invalid_ix the resume did not complete"; }
            invalid_kept=$((invalid_kept + 1))
            outcome="rerun refused over INVALID index $invalid_ix at $ofile:$oline; dropped it, resume completed"
        else
            [ "$idem" = 0 ] || { cat "$d/rerun.out" >&2; fail "trial $t: rerun refused at $ofile:$oline, an idempotent statement"; }
            check_state kill || { cat "$d/rerun.out" >&2; fail "trial $t: after the refusal status is not truthful"; }
            set -- $st_open
            [ "${1:-}" = "$ov" ] && { [ "${2:-}" = failed ] || [ "${2:-}" = incomplete ]; } ||
                fail "trial $t: after refusing at $ofile:$oline status shows '${st_open}', expected $ov failed or incomplete"
            refused=$((refused + 1))
            outcome="rerun refused at $ofile:$oline (status: $ov ${2})"
        fi
        ;;
    *)
        cat "$d/rerun.out" >&2
        fail "trial $t: rerun exited $rrc (124/137: it hung for 60 s)"
        ;;
    esac
    echo "trial $t: kill at ${delay} ms $where; status truthful ($kapplied applied${open:+, $ov incomplete after $odone statements}); $outcome"
done

# --- A changed build must not resume ------------------------------------------
# crash-migrate-edited has statement 2 of migration 3 changed. Stop
# crash-migrate inside migration 3 once statement 2 has completed (watching
# its progress in the history, so no timing is assumed; retried if the run
# got past migration 3 first): the edited build must call the run not
# resumable and refuse to resume it without touching anything, naming where
# it stopped; the original build then resumes it.
edited="$PGMC_BIN_DIR/crash-migrate-edited"
[ -x "$edited" ] || fail "$edited is missing (build the crash-migrate-edited target)"
got=
for ((attempt = 1; attempt <= 5 && !got; attempt++)); do
    use_db "${base_db}_crash"
    "$bin" up -q >"$d/killed.out" 2>&1 &
    pid=$!
    for ((k = 0; k < 1000; k++)); do
        p=$(psql -X -t -A -c "SELECT progress FROM pgmc_schema_history WHERE version = '3' AND NOT success" 2>/dev/null || true)
        [ -n "$p" ] && [ "$p" -ge 2 ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.005
    done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    for ((k = 0; k < 600; k++)); do
        [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
                  AND pid <> pg_backend_pid() AND backend_type = 'client backend'")" = 0 ] && break
        sleep 0.05
    done
    check_state kill || fail "changed build: status after the kill is not truthful"
    set -- $st_open
    [ "${1:-}" = 3 ] && [ "${3:-0}" -ge 2 ] && got=1
done
[ -n "$got" ] || fail "changed build: could not stop migration 3 after its statement 2 in 5 attempts"
odone=$3 oline=$4 ofile=$5
before=$(sql "SELECT progress || ' ' || progress_hash FROM pgmc_schema_history WHERE version = '3'")
run_status 0 "$edited" status --json
expect_contains "$(grep '"version": "3"' <<<"$out")" '"resumable": false' "changed build: status of the incomplete migration 3"
run_status 1 "$edited" up
expect_contains "$out" "$ofile:$oline" "changed build: the refusal names where the run stopped"
[ "$(sql "SELECT progress || ' ' || progress_hash FROM pgmc_schema_history WHERE version = '3'")" = "$before" ] ||
    fail "changed build: the refusal changed the history row of migration 3"
check_state kill || fail "changed build: status after the refusal is not truthful"
set +e
out=$("$bin" up 2>&1)
rrc=$?
set -e
invalid_ix=$(sed -n 's/.*left index \([^ ]*\) INVALID.*/\1/p' <<<"$out" | head -1)
if [ "$rrc" = 1 ] && [ -n "$invalid_ix" ]; then
    # killed inside the CREATE INDEX CONCURRENTLY: drop what it left, as told
    sql "DROP INDEX CONCURRENTLY $invalid_ix" >/dev/null
    run_status 0 "$bin" up
else
    [ "$rrc" = 0 ] || { echo "$out" >&2; fail "changed build: the original build's up exited $rrc"; }
fi
expect_contains "$out" "$ofile:$oline" "changed build: the original build resumes where the run stopped"
check_state final || fail "changed build: the original build's resume did not finish the job"
pass "changed build: an incomplete run (statements 1-$odone) is not resumable by an edited build, which refuses at $ofile:$oline; the original build resumes it"

echo "crash summary: $trials trials (seed $seed, run length $span ms): kills inside transactional" \
    "migrations $in_tx, inside non-transactional $in_notx, elsewhere $in_other, after the end $finished;" \
    "incomplete after the kill $seen_incomplete; reruns: clean $clean, resumed $resumed, refused $refused;" \
    "INVALID indexes refused, dropped and rebuilt $invalid_kept"
if [ "$trials" -ge 10 ]; then
    [ "$in_tx" -gt 0 ] && [ "$in_notx" -gt 0 ] ||
        fail "kills did not land inside both kinds of migration (tx $in_tx, non-tx $in_notx): the test lost its point"
fi
pass "crash: $trials kills, status truthful after each, every rerun finished or refused at the exact statement"
