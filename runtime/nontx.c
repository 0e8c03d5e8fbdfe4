/* nontx.c - a non-transactional script, statement by statement, such that
 * no statement ever runs twice:
 *
 *  - a statement that can run in a transaction block is sent as
 *    BEGIN; statement; progress row; [lease fence;] COMMIT in one round
 *    trip: it commits together with the record that it ran, or not at all;
 *  - inside a transaction block the script opened itself, statements run
 *    as written and each progress row joins the block (before the script's
 *    COMMIT, so the COMMIT carries it);
 *  - a statement that cannot run in a block (CREATE INDEX CONCURRENTLY,
 *    VACUUM, ... or one the server refuses with 25001) is announced first:
 *    the row records the backend that runs it ("pid@start"). After an
 *    interruption the next run waits until that backend is gone, then
 *    checks the outcome: an index that exists and is valid counts as done,
 *    an INVALID one is refused with the DROP to run, a maintenance
 *    statement runs again, anything else is refused with the truth.
 *
 * The row of the run carries `progress` (statements committed) and a hash
 * chain over their texts, so a resume never trusts an edited script. */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "pgmc_internal.h"

enum { TAG_STMT = 1, TAG_PROGRESS };

/* The state of one run. */
typedef struct run {
    const pgmc_step *st;
    const pgmc_script *sc;
    char id[32];        /* the history row, as a parameter */
    uint32_t committed; /* statements whose progress is committed */
    uint64_t hash;      /* chain over statements 0..committed-1 */
    int unwrapped;      /* the last statement tried ran outside a transaction */
    int64_t t0;
    pgmc_saved_timeouts sv;
} run;

/* What the history row must say once statement i has completed: progress
 * i + 1, or, after the last statement, finished. */
static void after_query(pgmc_ctx *c, run *r, uint32_t i, pgmc_hquery *q)
{
    if (i + 1 == r->sc->n_statements) {
        pgmc__history_done_q(c, r->st->m, r->st->down, strtoll(r->id, NULL, 10),
                             pgmc__now_ms() - r->t0, q);
    } else {
        pgmc__history_progress_q(c, r->id, i + 1, pgmc__stmt_hash(r->hash, r->sc, i), q);
    }
}

static void advance(run *r, uint32_t i)
{
    r->hash = pgmc__stmt_hash(r->hash, r->sc, i);
    r->committed = i + 1;
}

/* The row of a new run (success false, progress 0), or an applied row
 * turned unfinished for a revert (history.c's `started`); before the first
 * statement, autocommit. */
static int start_marker(pgmc_ctx *c, const pgmc_step *st, int64_t *id)
{
    int rc = pgmc__history_started(c, st->m, st->down, id);

    if (rc != PGMC_OK)
        pgmc__set_migration(c, st->m);
    return rc;
}

/* --- how the run stopped ------------------------------------------------ */

/* The truth about a run that stops before statement i (0-based) completed:
 * res->note says what is committed and what to do. `marked`: the history
 * row says how far it got. `ran` (i's outcome is known to be success, but
 * recording it failed) and `canceled` change the wording. */
static void note_partial(pgmc_ctx *c, const run *r, uint32_t i, int marked, int ran)
{
    const pgmc_step *st = r->st;
    const pgmc_script *sc = r->sc;
    uint32_t done = r->committed;
    char lab[200], first[96], second[320];
    size_t len;
    int lost = PQstatus(c->conn) != CONNECTION_OK;

    c->res->partial = 1;
    if (done == 1)
        pgmc__fmt(first, sizeof first, "Statement 1 of %u completed and is committed",
                  (unsigned)sc->n_statements);
    else if (done)
        pgmc__fmt(first, sizeof first, "Statements 1-%u of %u completed and are committed",
                  (unsigned)done, (unsigned)sc->n_statements);
    else
        pgmc__fmt(first, sizeof first, "No statement of %u completed", (unsigned)sc->n_statements);
    if (ran)
        pgmc__fmt(second, sizeof second,
                  "statement %u ALSO completed and is committed, but the history table could "
                  "not record it: it still shows that statement in flight, and the next run "
                  "checks its outcome before running it again",
                  (unsigned)i + 1);
    else if (lost && r->unwrapped)
        pgmc__fmt(second, sizeof second,
                  "statement %u (which cannot run in a transaction) was sent when the "
                  "connection was lost: it may still be running on the server, and the next run "
                  "waits for it to end and checks its outcome before running it again",
                  (unsigned)i + 1);
    else if (lost)
        pgmc__fmt(second, sizeof second,
                  "statement %u was sent together with the record of its completion when the "
                  "connection was lost: both committed or neither did (`migrate status` tells "
                  "which), and the next run goes on from there",
                  (unsigned)i + 1);
    else if (c->res->code == PGMC_ERR_CANCELED)
        pgmc__fmt(second, sizeof second, "statement %u was canceled and did not complete",
                  (unsigned)i + 1);
    else
        pgmc__fmt(second, sizeof second, "statement %u did not complete", (unsigned)i + 1);
    pgmc__fmt(c->res->note, sizeof c->res->note,
              "Migration %s is NOT transactional%s%s%s. %s; %s. THE DATABASE IS PARTIALLY %s. ",
              pgmc__label(st->m, lab, sizeof lab), sc->tx_note ? " (" : "",
              sc->tx_note ? sc->tx_note : "", sc->tx_note ? ")" : "", first, second,
              st->down ? "REVERTED" : "MIGRATED");
    len = strlen(c->res->note);
    if (marked && c->res->code == PGMC_ERR_CANCELED)
        pgmc__fmt(c->res->note + len, sizeof c->res->note - len,
                  "The history table records how far it got: `migrate %s` resumes at statement "
                  "%u without re-running the completed ones.",
                  st->down ? "down" : "up", (unsigned)done + 1);
    else
        pgmc__fmt(
            c->res->note + len, sizeof c->res->note - len, "%s",
            marked
                ? (st->down
                       ? "The history table records how far it got. Fix the cause and "
                         "run `migrate down` again: it resumes at that statement. Or repair by "
                         "hand "
                         "and record the outcome with `migrate force VERSION`."
                       : "The history table records how far it got. Fix the cause (or "
                         "that statement) and run `migrate up` again: it resumes at that statement "
                         "without re-running the completed ones. Or repair by hand and "
                         "record the outcome with `migrate force VERSION`.")
                : "Recording this in the history table ALSO FAILED: check the database by "
                  "hand, then record the outcome with `migrate force VERSION`.");
    if (done < i) {
        len = strlen(c->res->note);
        pgmc__fmt(c->res->note + len, sizeof c->res->note - len,
                  " (Statements %u-%u ran inside the script's own transaction block, which was "
                  "rolled back as a whole.)",
                  (unsigned)done + 1, (unsigned)i + 1);
    }
}

/* The run stops at statement i: record the error on its row (progress
 * stays at r->committed) and write the note. Returns rc. */
static int stop(pgmc_ctx *c, run *r, uint32_t i, int rc, int ran)
{
    const pgmc_script *sc = r->sc;
    pgmc_result *res = c->res, keep;
    char err[512];
    int marked = 0;

    if (!res->version[0])
        pgmc__set_migration(c, r->st->m);
    if (PQstatus(c->conn) == CONNECTION_OK && PQtransactionStatus(c->conn) != PQTRANS_IDLE)
        pgmc__rollback(c); /* a block the script opened is lost as a whole */
    pgmc__fmt(err, sizeof err, "%s failed at statement %u of %u (%s:%u): %s%s%s",
              r->st->down ? "down" : "up", (unsigned)i + 1, (unsigned)sc->n_statements,
              sc->file ? sc->file : "?", (unsigned)sc->statements[i].line, res->sqlstate,
              res->sqlstate[0] ? " " : "", res->message);
    pgmc__session_timeouts_end(c, &r->sv);
    keep = *res;
    if (PQstatus(c->conn) == CONNECTION_OK) {
        /* the statement's failure is known: nothing is in flight any more
         * (unless it ran and only its record failed: then the next run
         * checks its outcome) */
        marked = pgmc__history_failed(c, r->id, err, pgmc__now_ms() - r->t0, ran) == PGMC_OK;
    }
    keep.queries = res->queries;
    *res = keep;
    /* an unrecorded error still leaves the row unfinished: truthful */
    note_partial(c, r, i, marked || PQstatus(c->conn) != CONNECTION_OK, ran);
    return rc;
}

/* --- resuming ----------------------------------------------------------- */

int pgmc__backend_alive(pgmc_ctx *c, const char *backend)
{
    const char *params[1] = {backend};
    PGresult *r =
        pgmc__execp(c,
                    "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid::text || '@' "
                    "|| (extract(epoch FROM backend_start) * 1000000)::bigint = $1 "
                    "AND pid <> pg_backend_pid())",
                    1, params);
    int alive = -1;

    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
        alive = PQgetvalue(r, 0, 0)[0] == 't';
    else
        pgmc__sql_error(c, PGMC_ERR_SQL, r, "cannot look for the interrupted run's backend");
    PQclear(r);
    return alive;
}

/* Never run beside the statement the interrupted run left in flight: wait
 * until its backend is gone (honouring --lock-wait and cancellation). */
static int wait_for_backend(pgmc_ctx *c, const run *r, uint32_t k)
{
    int64_t start = pgmc__now_ms();
    pgmc_backoff b;
    int announced = 0, alive;
    char pid[32];
    const char *at = strchr(r->st->backend, '@');

    pgmc__fmt(pid, sizeof pid, "%.*s", at ? (int)(at - r->st->backend) : 0, r->st->backend);
    pgmc__backoff_init(&b, 50, 1000);
    while ((alive = pgmc__backend_alive(c, r->st->backend)) == 1) {
        if (!announced) {
            pgmc__log(c, PGMC_LOG_WARN,
                      "statement %u of the interrupted run is still running on server backend "
                      "%s; waiting for it to end before going on",
                      (unsigned)k + 1, pid);
            announced = 1;
        }
        if (pgmc__canceled(c))
            return c->res->code;
        if (c->opt.lock_wait_ms < 0 ||
            (c->opt.lock_wait_ms > 0 && pgmc__now_ms() - start >= c->opt.lock_wait_ms)) {
            pgmc__fmt(c->res->hint, sizeof c->res->hint,
                      "Wait for it, or stop it with SELECT pg_cancel_backend(%s); then run the "
                      "migration again: it checks what that statement did.",
                      pid);
            return pgmc__fail(c, PGMC_ERR_LOCK,
                              "statement %u of the interrupted run of this migration is still "
                              "running on server backend %s",
                              (unsigned)k + 1, pid);
        }
        pgmc__sleep_ms(pgmc__backoff_next(&b));
    }
    if (announced && alive == 0)
        pgmc__log(c, PGMC_LOG_INFO, "server backend %s has ended", pid);
    return alive < 0 ? c->res->code : PGMC_OK;
}

/* Fill res with the statement k this refusal is about. */
static void at_statement(pgmc_ctx *c, const run *r, uint32_t k)
{
    const pgmc_statement *stmt = &r->sc->statements[k];

    pgmc__set_migration(c, r->st->m);
    pgmc__copy(c->res->file, sizeof c->res->file, r->sc->file);
    c->res->line = stmt->line;
    c->res->column = stmt->column;
    c->res->statement = k + 1;
    c->res->n_statements = r->sc->n_statements;
    c->res->down = r->st->down;
}

/* Refuse to re-run statement k over the INVALID index nsp.name its
 * interrupted run left, naming the DROP that fixes it. */
static int refuse_invalid(pgmc_ctx *c, const run *r, uint32_t k, const char *nsp, const char *name,
                          int if_not_exists)
{
    at_statement(c, r, k);
    pgmc__fmt(c->res->hint, sizeof c->res->hint,
              "Drop it (DROP INDEX CONCURRENTLY %s.%s;) and run `migrate %s` again: it resumes "
              "at this statement and builds the index anew.",
              nsp, name, r->st->down ? "down" : "up");
    return pgmc__fail(c, PGMC_ERR_DIRTY,
                      "the interrupted run of this statement left index %s.%s INVALID; "
                      "re-running it now would %s",
                      nsp, name, if_not_exists ? "keep the invalid index" : "fail");
}

/* Index `name` on `table` (quoted, for to_regclass): 1 valid, 0 absent, 2
 * invalid (schema into nsp), -1 error. */
static int index_state(pgmc_ctx *c, const char *name, const char *table, char *nsp, size_t cap)
{
    const char *params[2] = {name, table};
    PGresult *r = pgmc__execp(c,
                              "SELECT n.nspname, i.indisvalid AND i.indisready FROM pg_index i"
                              " JOIN pg_class x ON x.oid = i.indexrelid"
                              " JOIN pg_namespace n ON n.oid = x.relnamespace"
                              " WHERE x.relname = $1 AND i.indrelid = to_regclass($2)",
                              2, params);
    int st = -1;

    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        pgmc__sql_error(c, PGMC_ERR_SQL, r, "cannot look up the interrupted index");
    } else if (PQntuples(r) == 0) {
        st = 0;
    } else {
        pgmc__copy(nsp, cap, PQgetvalue(r, 0, 0));
        st = PQgetvalue(r, 0, 1)[0] == 't' ? 1 : 2;
    }
    PQclear(r);
    return st;
}

/* Statement k was in flight (r->st->backend set) when the run stopped and
 * cannot have run in a transaction. Decide: *done = 1 if it completed, 0
 * if it must run; or refuse. */
static int check_in_flight(pgmc_ctx *c, run *r, uint32_t k, int *done)
{
    const pgmc_statement *stmt = &r->sc->statements[k];
    const char *text = r->sc->sql + stmt->offset;
    pgmc_stmt_info info;
    pgmc_skind kind = pgmc__stmt_kind(text, stmt->length, &info);
    char nsp[128] = "";
    int s;

    *done = 0;
    if (kind == PGMC_SK_INDEX_CREATE && info.index[0] && info.table[0]) {
        if ((s = index_state(c, info.index, info.table, nsp, sizeof nsp)) < 0)
            return c->res->code;
        if (s == 1) {
            pgmc__log(c, PGMC_LOG_INFO,
                      "statement %u (%s:%u, CREATE INDEX CONCURRENTLY %s) of the interrupted run "
                      "completed: the index exists and is valid, so it counts as done",
                      (unsigned)k + 1, r->sc->file ? r->sc->file : "?", (unsigned)stmt->line,
                      info.index);
            *done = 1;
            return PGMC_OK;
        }
        if (s == 0)
            return PGMC_OK;
        return refuse_invalid(c, r, k, nsp, info.index, info.if_exists);
    }
    if (kind == PGMC_SK_INDEX_DROP && info.table[0]) {
        const char *params[1] = {info.table};
        PGresult *q = pgmc__execp(c, "SELECT to_regclass($1) IS NULL", 1, params);
        if (PQresultStatus(q) != PGRES_TUPLES_OK || PQntuples(q) != 1) {
            pgmc__sql_error(c, PGMC_ERR_SQL, q, "cannot look up the interrupted index");
            PQclear(q);
            return c->res->code;
        }
        *done = PQgetvalue(q, 0, 0)[0] == 't';
        PQclear(q);
        if (*done)
            pgmc__log(c, PGMC_LOG_INFO,
                      "statement %u (%s:%u, DROP INDEX CONCURRENTLY %s) of the interrupted run "
                      "completed: the index is gone, so it counts as done",
                      (unsigned)k + 1, r->sc->file ? r->sc->file : "?", (unsigned)stmt->line,
                      info.index);
        return PGMC_OK;
    }
    if (kind == PGMC_SK_REPEATABLE)
        return PGMC_OK; /* running it again does no harm */
    if (kind == PGMC_SK_PLAIN)
        kind = PGMC_SK_OUTSIDE; /* the server refused it in a block (25001) */
    at_statement(c, r, k);
    pgmc__fmt(c->res->hint, sizeof c->res->hint,
              "Check by hand whether it took effect. If it did, apply the statements after it "
              "by hand and record the migration with `migrate force %s`; if it did not, run it "
              "and the rest by hand the same way.",
              r->st->m->version[0] ? r->st->m->version : "VERSION");
    return pgmc__fail(c, PGMC_ERR_DIRTY,
                      "statement %u (a %s) was running when the previous run was interrupted, "
                      "and it cannot run in a transaction: whether it completed is unknown, and "
                      "running it again could apply it twice",
                      (unsigned)k + 1, pgmc__stmt_kind_name(kind));
}

/* Legacy rows (no backend recorded): an interrupted CREATE INDEX
 * CONCURRENTLY leaves an INVALID index that IF NOT EXISTS would keep and
 * a plain rerun would trip over. Refuse if an invalid index whose name the
 * statement mentions exists. */
static int check_invalid_index(pgmc_ctx *c, run *r, uint32_t k)
{
    const pgmc_statement *stmt = &r->sc->statements[k];
    const char *text = r->sc->sql + stmt->offset;
    PGresult *q;
    int i, rc = PGMC_OK;

    if (!pgmc__has_word(text, stmt->length, "concurrently"))
        return PGMC_OK;
    q = pgmc__exec(c, "SELECT n.nspname, c.relname FROM pg_index i"
                      " JOIN pg_class c ON c.oid = i.indexrelid"
                      " JOIN pg_namespace n ON n.oid = c.relnamespace"
                      " WHERE NOT i.indisvalid ORDER BY 1, 2");
    if (PQresultStatus(q) != PGRES_TUPLES_OK) {
        rc = pgmc__sql_error(c, PGMC_ERR_SQL, q, "cannot look for invalid indexes");
        PQclear(q);
        return rc;
    }
    for (i = 0; i < PQntuples(q); i++) {
        const char *name = PQgetvalue(q, i, 1);
        if (!pgmc__has_word(text, stmt->length, name))
            continue;
        rc = refuse_invalid(c, r, k, PQgetvalue(q, i, 0), name,
                            pgmc__has_word(text, stmt->length, "exists"));
        break;
    }
    PQclear(q);
    return rc;
}

/* Before resuming at r->committed: wait out and check the statement the
 * interrupted run left in flight; one that completed is recorded as done. */
static int resume_checks(pgmc_ctx *c, run *r)
{
    uint32_t k = r->committed;
    int done = 0, rc;
    pgmc_hquery q;

    if (k >= r->sc->n_statements)
        return PGMC_OK;
    if (!r->st->backend || !r->st->backend[0])
        return check_invalid_index(c, r, k);
    if ((rc = wait_for_backend(c, r, k)) != PGMC_OK ||
        (rc = check_in_flight(c, r, k, &done)) != PGMC_OK || !done)
        return rc;
    if (k + 1 < r->sc->n_statements) {
        pgmc__history_progress_q(c, r->id, k + 1, pgmc__stmt_hash(r->hash, r->sc, k), &q);
        if ((rc = pgmc__history_exec(c, &q)) != PGMC_OK)
            return rc;
    }
    advance(r, k); /* the last one: the caller finishes the row */
    return PGMC_OK;
}

/* --- running one statement ---------------------------------------------- */

/* BEGIN; statement i; its history row; [fence;] COMMIT - one round trip.
 * Returns PGMC_OK, a code with res filled (nothing committed), or
 * PGMC_ERR_SQL with sqlstate 25001/2D000 when the statement cannot run in
 * a transaction block (it did nothing). */
/* wrapped() one query at a time (COPY, which cannot be pipelined, or no
 * pipeline mode): the same transaction, more round trips. */
static int wrapped_serial(pgmc_ctx *c, run *r, uint32_t i, const pgmc_hquery *hq)
{
    PGresult *x = pgmc__exec(c, "BEGIN");
    int ok = PQresultStatus(x) == PGRES_COMMAND_OK, rc = PGMC_OK;

    PQclear(x);
    if (!ok)
        return pgmc__sql_error(c, PGMC_ERR_SQL, NULL, "BEGIN failed");
    x = pgmc__run_statement(c, r->sc, i);
    if (!pgmc__ok(x)) {
        pgmc__statement_failed(c, r->st, i, x);
        PQclear(x);
        pgmc__rollback(c);
        return c->res->code;
    }
    PQclear(x);
    if ((rc = pgmc__history_exec(c, hq)) != PGMC_OK || (rc = pgmc__lock_fence(c)) != PGMC_OK) {
        pgmc__rollback(c);
        return rc;
    }
    x = pgmc__exec(c, "COMMIT");
    ok = PQresultStatus(x) == PGRES_COMMAND_OK && strcmp(PQcmdStatus(x), "COMMIT") == 0;
    if (!ok)
        rc = pgmc__sql_error(c, PGMC_ERR_SQL, x, "COMMIT failed");
    PQclear(x);
    return rc;
}

static int wrapped(pgmc_ctx *c, run *r, uint32_t i)
{
    const pgmc_statement *stmt = &r->sc->statements[i];
    const char *text = r->sc->sql + stmt->offset;
    pgmc_pq qs[3];
    pgmc_hquery hq;
    size_t n = 2, failed;
    PGresult *fail_r = NULL;
    int has_fence = 0, rc = PGMC_OK, prc;

    after_query(c, r, i, &hq);
    if (pgmc__stmt_is_copy(text, stmt->length))
        return wrapped_serial(c, r, i, &hq);
    memset(qs, 0, sizeof qs);
    qs[0].sql = text;
    qs[0].len = stmt->length;
    qs[0].tag = TAG_STMT;
    pgmc__history_pq(&hq, &qs[1]);
    qs[1].tag = TAG_PROGRESS;
    if ((rc = pgmc__lock_fence_pq(c, &qs[2], &has_fence)) != PGMC_OK)
        return rc;
    n += (size_t)has_fence;
    prc = pgmc__pipeline_tx(c, qs, n, &failed, &fail_r);
    if (prc == PGMC_PIPE_UNAVAILABLE)
        return wrapped_serial(c, r, i, &hq);
    switch (prc) {
    case PGMC_PIPE_OK:
        return PGMC_OK;
    case PGMC_PIPE_FAILED:
        if (failed == PGMC_PQ_BEGIN || failed == PGMC_PQ_COMMIT) {
            if (fail_r || !c->res->message[0])
                pgmc__sql_error(c, PGMC_ERR_SQL, fail_r,
                                failed == PGMC_PQ_BEGIN ? "BEGIN failed" : "COMMIT failed");
        } else if (qs[failed].tag == TAG_STMT) {
            pgmc__statement_failed(c, r->st, i, fail_r);
        } else if (qs[failed].tag == TAG_PROGRESS) {
            pgmc__sql_error(c, PGMC_ERR_HISTORY, fail_r,
                            "cannot record the statement's progress (the statement was rolled "
                            "back with it)");
        } else {
            pgmc__lock_fence_failed(c, fail_r);
        }
        PQclear(fail_r);
        return c->res->code;
    default: /* BROKEN, LOCAL: res is set */
        return c->res->code;
    }
}

/* A statement that cannot run in a block: announce it (the backend that
 * runs it), run it, record it. *ran is set once it has succeeded. */
static int unwrapped(pgmc_ctx *c, run *r, uint32_t i, int *ran)
{
    pgmc_hquery hq;
    PGresult *x;
    int rc;

    *ran = 0;
    r->unwrapped = 1;
    if ((rc = pgmc__history_running(c, r->id)) != PGMC_OK || (rc = pgmc__lock_fence(c)) != PGMC_OK)
        return rc;
    x = pgmc__run_statement(c, r->sc, i);
    if (!pgmc__ok(x)) {
        pgmc__statement_failed(c, r->st, i, x);
        PQclear(x);
        return c->res->code;
    }
    PQclear(x);
    *ran = 1;
    after_query(c, r, i, &hq);
    return pgmc__history_exec(c, &hq);
}

/* Inside a block the script opened: the statement as written, its history
 * row joining the block; before the script's COMMIT (kind COMMIT), the row
 * (and the lease fence) go first, so that the COMMIT carries them. */
static int in_block(pgmc_ctx *c, run *r, uint32_t i, pgmc_skind kind)
{
    pgmc_hquery hq;
    PGresult *x;
    int rc;

    after_query(c, r, i, &hq);
    if (kind == PGMC_SK_COMMIT &&
        ((rc = pgmc__history_exec(c, &hq)) != PGMC_OK || (rc = pgmc__lock_fence(c)) != PGMC_OK))
        return rc;
    x = pgmc__run_statement(c, r->sc, i);
    if (!pgmc__ok(x) || (kind == PGMC_SK_COMMIT && strcmp(PQcmdStatus(x), "COMMIT") != 0)) {
        pgmc__statement_failed(c, r->st, i, x);
        if (pgmc__ok(x)) {
            pgmc__copy(c->res->message, sizeof c->res->message,
                       "the script's COMMIT did not commit (its transaction block had failed)");
            c->res->code = PGMC_ERR_SQL;
        }
        PQclear(x);
        return c->res->code;
    }
    PQclear(x);
    if (kind != PGMC_SK_COMMIT)
        return pgmc__history_exec(c, &hq);
    return PGMC_OK;
}

/* Statement i, by its kind. On success the statement and its history row
 * are committed (or joined to the script's open block). */
static int one(pgmc_ctx *c, run *r, uint32_t i, int *ran)
{
    const pgmc_statement *stmt = &r->sc->statements[i];
    pgmc_stmt_info info;
    pgmc_skind kind = pgmc__stmt_kind(r->sc->sql + stmt->offset, stmt->length, &info);
    char what[300], lab[200];
    pgmc_backoff b;
    int attempt = 0, rc;

    *ran = 0;
    r->unwrapped = 0;
    pgmc__log(c, PGMC_LOG_VERBOSE, "  statement %u/%u at %s:%u", (unsigned)i + 1,
              (unsigned)r->sc->n_statements, r->sc->file ? r->sc->file : "?", (unsigned)stmt->line);
    if (PQtransactionStatus(c->conn) != PQTRANS_IDLE || kind == PGMC_SK_BEGIN ||
        kind == PGMC_SK_TXCTL || kind == PGMC_SK_COMMIT) {
        if (PQtransactionStatus(c->conn) == PQTRANS_IDLE && kind == PGMC_SK_COMMIT)
            kind = PGMC_SK_TXCTL; /* COMMIT outside a block: a warning, nothing to carry */
        return in_block(c, r, i, kind);
    }
    pgmc__backoff_init(&b, 1000, 30000);
    pgmc__fmt(what, sizeof what, "statement %u of %s", (unsigned)i + 1,
              pgmc__label(r->st->m, lab, sizeof lab));
    for (;;) {
        if (kind == PGMC_SK_PLAIN) {
            rc = wrapped(c, r, i);
            if (rc == PGMC_ERR_SQL &&
                (!strcmp(c->res->sqlstate, "25001") || !strcmp(c->res->sqlstate, "2D000"))) {
                /* the server refused to run it in a block, before it did
                 * anything (2D000: a procedure's COMMIT, rolled back) */
                pgmc__clear_error(c->res);
                c->res->code = PGMC_OK;
                kind = PGMC_SK_OUTSIDE;
                continue;
            }
        } else {
            rc = unwrapped(c, r, i, ran);
        }
        if (rc == PGMC_OK || *ran)
            return rc;
        /* a wrapped statement was rolled back whole; a maintenance one may
         * run again; CONCURRENTLY ones are never retried here (a timed-out
         * CREATE INDEX CONCURRENTLY leaves an INVALID index) */
        if ((kind != PGMC_SK_PLAIN && kind != PGMC_SK_REPEATABLE) ||
            !pgmc__retry_after_lock_timeout(c, &b, &attempt, what))
            return rc;
        pgmc__clear_error(c->res);
    }
}

int pgmc__run_nontx(pgmc_ctx *c, const pgmc_step *st)
{
    run r;
    int64_t id = st->marker_id;
    uint32_t i, n;
    char lab[200];
    int rc = PGMC_OK, ran = 0, finished = 0;

    memset(&r, 0, sizeof r);
    r.st = st;
    r.sc = pgmc__script_of(st);
    r.t0 = pgmc__now_ms();
    n = r.sc->n_statements;
    if (!id && (rc = start_marker(c, st, &id)) != PGMC_OK)
        return rc;
    pgmc__fmt(r.id, sizeof r.id, "%" PRId64, id);
    for (i = 0; i < st->resume && i < n; i++)
        advance(&r, i);
    if (st->marker_id && (rc = resume_checks(c, &r)) != PGMC_OK)
        return rc;
    if (st->resume && r.committed >= n) {
        pgmc__log(
            c, PGMC_LOG_INFO, "finishing %s%s: all %u statements completed before; recording it",
            st->down ? "the revert of " : "", pgmc__label(st->m, lab, sizeof lab), (unsigned)n);
    } else if (st->resume) {
        c->res->resumed_at = r.committed + 1;
        pgmc__log(c, PGMC_LOG_INFO,
                  "resuming %s%s at statement %u of %u (%s:%u): statements 1-%u completed "
                  "before",
                  st->down ? "the revert of " : "", pgmc__label(st->m, lab, sizeof lab),
                  (unsigned)r.committed + 1, (unsigned)n, r.sc->file ? r.sc->file : "?",
                  r.committed < n ? (unsigned)r.sc->statements[r.committed].line : 0,
                  (unsigned)r.committed);
    }
    if ((rc = pgmc__session_timeouts_begin(c, &r.sv)) != PGMC_OK) {
        if (r.committed < n)
            return stop(c, &r, r.committed, rc, 0);
        pgmc__set_migration(c, st->m);
        return rc;
    }
    for (i = r.committed; i < n; i++) {
        if (pgmc__canceled(c))
            return stop(c, &r, i, c->res->code, 0);
        if ((rc = one(c, &r, i, &ran)) != PGMC_OK)
            return stop(c, &r, i, rc, ran);
        if (i + 1 == n && PQtransactionStatus(c->conn) != PQTRANS_IDLE) {
            /* BEGIN without COMMIT: the finished row sits in that block */
            pgmc__rollback(c);
            pgmc__set_migration(c, st->m);
            rc = pgmc__fail(c, PGMC_ERR_SQL,
                            "the script ends inside a transaction block it opened (BEGIN "
                            "without COMMIT); that block was rolled back");
            return stop(c, &r, i, rc, 0);
        }
        r.hash = pgmc__stmt_hash(r.hash, r.sc, i);
        if (PQtransactionStatus(c->conn) == PQTRANS_IDLE)
            r.committed = i + 1;
        finished = i + 1 == n; /* the last statement's history row finished the run */
    }
    pgmc__session_timeouts_end(c, &r.sv);
    if (!finished) {
        /* no statement ran here: an empty script, or one whose statements
         * all completed before (the last one found done by resume_checks) */
        pgmc_hquery q;
        pgmc__history_done_q(c, st->m, st->down, id, pgmc__now_ms() - r.t0, &q);
        rc = pgmc__history_exec(c, &q);
        if (rc != PGMC_OK) {
            pgmc__set_migration(c, st->m);
            c->res->partial = 1;
            pgmc__fmt(c->res->note, sizeof c->res->note,
                      "All statements of the non-transactional migration %s completed and are "
                      "committed, but the history table does not say so: it still shows the run "
                      "as unfinished. Record it with `migrate force VERSION`.",
                      pgmc__label(st->m, lab, sizeof lab));
        }
    }
    return rc;
}
