/* run.c - executing planned steps: a transactional script with its history
 * row in one transaction (pipelined: one round trip); every pending
 * migration in one transaction (--single-transaction); the helpers the
 * non-transactional runner (nontx.c) shares: running and reporting one
 * statement, the history rows a finished step writes, the per-migration
 * lock_timeout / statement_timeout and the bounded retries after a
 * lock_timeout (SQLSTATE 55P03). */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "pgmc_internal.h"

void pgmc__set_migration(pgmc_ctx *c, const pgmc_migration *m)
{
    pgmc__copy(c->res->version, sizeof c->res->version, m->version);
    pgmc__copy(c->res->name, sizeof c->res->name, m->name);
}

const char *pgmc__label(const pgmc_migration *m, char *buf, size_t cap)
{
    if (m->kind == PGMC_REPEATABLE)
        pgmc__fmt(buf, cap, "repeatable %s", m->name);
    else
        pgmc__fmt(buf, cap, "%s %s", m->version, m->name);
    return buf;
}

const pgmc_script *pgmc__script_of(const pgmc_step *st)
{
    return st->down ? &st->m->down : &st->m->up;
}

void pgmc__clear_error(pgmc_result *res)
{
    res->message[0] = res->sqlstate[0] = res->detail[0] = res->hint[0] = '\0';
    res->context[0] = res->note[0] = res->file[0] = '\0';
    res->line = res->column = res->error_line = res->error_column = 0;
    res->statement = res->n_statements = 0;
    res->rolled_back = res->partial = res->down = 0;
}

static int is_lock_timeout(const pgmc_ctx *c)
{
    return c->res->code == PGMC_ERR_SQL && strcmp(c->res->sqlstate, "55P03") == 0;
}

int pgmc__retry_after_lock_timeout(pgmc_ctx *c, pgmc_backoff *b, int *attempt, const char *what)
{
    long wait;

    if (!is_lock_timeout(c) || *attempt >= c->opt.lock_retries || pgmc_cancel_requested())
        return 0;
    ++*attempt;
    wait = pgmc__backoff_next(b);
    pgmc__log(c, PGMC_LOG_WARN, "%s hit lock_timeout (%s); retry %d of %d in %ld ms", what,
              c->res->message, *attempt, c->opt.lock_retries, wait);
    c->res->retries++;
    pgmc__sleep_ms(wait);
    return !pgmc_cancel_requested();
}

/* --- timeouts ------------------------------------------------------------- */

static int have_timeouts(const pgmc_ctx *c)
{
    return c->opt.lock_timeout_ms > 0 || c->opt.statement_timeout_ms > 0;
}

/* Set lock_timeout / statement_timeout (the ones configured), for the
 * current transaction (local) or the session. One query. */
static int set_timeouts(pgmc_ctx *c, int local, const char *lock_v, const char *stmt_v)
{
    const char *params[2];
    PGresult *r;
    int rc = PGMC_OK;

    params[0] = lock_v;
    params[1] = stmt_v;
    r = pgmc__execp(c,
                    local ? "SELECT set_config('lock_timeout', coalesce($1, "
                            "current_setting('lock_timeout')), true), set_config("
                            "'statement_timeout', coalesce($2, "
                            "current_setting('statement_timeout')), true)"
                          : "SELECT set_config('lock_timeout', coalesce($1, "
                            "current_setting('lock_timeout')), false), set_config("
                            "'statement_timeout', coalesce($2, "
                            "current_setting('statement_timeout')), false)",
                    2, params);
    if (!pgmc__ok(r))
        rc = pgmc__sql_error(c, PGMC_ERR_SQL, r, "cannot set the migration timeouts");
    PQclear(r);
    return rc;
}

static int set_configured_timeouts(pgmc_ctx *c, int local)
{
    char lt[32], st[32];

    if (!have_timeouts(c))
        return PGMC_OK;
    pgmc__fmt(lt, sizeof lt, "%ldms", c->opt.lock_timeout_ms);
    pgmc__fmt(st, sizeof st, "%ldms", c->opt.statement_timeout_ms);
    return set_timeouts(c, local, c->opt.lock_timeout_ms > 0 ? lt : NULL,
                        c->opt.statement_timeout_ms > 0 ? st : NULL);
}

int pgmc__session_timeouts_begin(pgmc_ctx *c, pgmc_saved_timeouts *sv)
{
    PGresult *r;

    memset(sv, 0, sizeof *sv);
    if (!have_timeouts(c))
        return PGMC_OK;
    if (c->opt.lock_mode == PGMC_LOCK_LEASE) {
        /* Behind a transaction-pooling PgBouncer a session setting lands on
         * whichever server connection serves it, maybe not the statement's,
         * and stays there for other clients. */
        pgmc__log(c, PGMC_LOG_WARN,
                  "lease mode: lock_timeout/statement_timeout are not applied to "
                  "non-transactional migrations (a session setting would leak to other clients "
                  "of the pooler); set them on the migration role instead");
        return PGMC_OK;
    }
    r = pgmc__exec(c, "SELECT current_setting('lock_timeout'), "
                      "current_setting('statement_timeout')");
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
        int rc = pgmc__sql_error(c, PGMC_ERR_SQL, r, "cannot read the session timeouts");
        PQclear(r);
        return rc;
    }
    pgmc__copy(sv->lock_v, sizeof sv->lock_v, PQgetvalue(r, 0, 0));
    pgmc__copy(sv->stmt_v, sizeof sv->stmt_v, PQgetvalue(r, 0, 1));
    PQclear(r);
    sv->saved = 1;
    return set_configured_timeouts(c, 0);
}

void pgmc__session_timeouts_end(pgmc_ctx *c, pgmc_saved_timeouts *sv)
{
    pgmc_result keep;

    if (!sv->saved || PQstatus(c->conn) != CONNECTION_OK)
        return;
    keep = *c->res; /* restoring must not overwrite the error being reported */
    if (PQtransactionStatus(c->conn) == PQTRANS_IDLE &&
        set_timeouts(c, 0, sv->lock_v, sv->stmt_v) != PGMC_OK)
        pgmc__log(c, PGMC_LOG_WARN, "could not restore the session's timeouts: %s",
                  c->res->message);
    keep.queries = c->res->queries;
    *c->res = keep;
}

/* --- statements --------------------------------------------------------- */

/* Map the server's 1-based character position within the statement to a
 * line and column of the source file. */
static void map_position(pgmc_result *res, const pgmc_script *sc, const pgmc_statement *st,
                         const char *pos)
{
    long want = pos ? strtol(pos, NULL, 10) : 0;
    const char *p = sc->sql + st->offset, *end = p + st->length;
    uint32_t line = st->line, col = st->column;
    long ch = 0;

    if (want <= 0)
        return;
    for (; p < end; p++) {
        if (((unsigned char)*p & 0xC0) == 0x80)
            continue;
        if (++ch == want)
            break;
        if (*p == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    if (ch == want) {
        res->error_line = line;
        res->error_column = col;
    }
}

/* Run statement i of a script; returns the final PGresult (caller clears;
 * NULL when out of memory or the connection is gone). */
PGresult *pgmc__run_statement(pgmc_ctx *c, const pgmc_script *sc, uint32_t i)
{
    const pgmc_statement *st = &sc->statements[i];
    const char *text = sc->sql + st->offset;
    char *copy = NULL;
    PGresult *r, *next;

    pgmc__log(c, PGMC_LOG_VERBOSE, "  statement %u/%u at %s:%u", (unsigned)i + 1,
              (unsigned)sc->n_statements, sc->file ? sc->file : "?", (unsigned)st->line);
    if (text[st->length] != '\0') {
        copy = malloc((size_t)st->length + 1);
        if (!copy)
            return NULL;
        memcpy(copy, text, st->length);
        copy[st->length] = '\0';
        text = copy;
    }
    r = pgmc__exec(c, text);
    free(copy);
    if (PQresultStatus(r) == PGRES_COPY_IN) {
        PQclear(r);
        PQputCopyEnd(c->conn, "COPY FROM STDIN is not supported in pgmc migrations");
        r = PQgetResult(c->conn);
        while ((next = PQgetResult(c->conn)) != NULL)
            PQclear(next);
    } else if (PQresultStatus(r) == PGRES_COPY_OUT) {
        char *buf;
        PQclear(r);
        while (PQgetCopyData(c->conn, &buf, 0) > 0)
            PQfreemem(buf);
        r = PQgetResult(c->conn);
        while ((next = PQgetResult(c->conn)) != NULL)
            PQclear(next);
    }
    return r;
}

void pgmc__statement_failed(pgmc_ctx *c, const pgmc_step *stp, uint32_t i, const PGresult *r)
{
    pgmc_result *res = c->res;
    const pgmc_script *sc = pgmc__script_of(stp);
    const pgmc_statement *st = &sc->statements[i];

    pgmc__sql_error(c, PGMC_ERR_SQL, r, NULL);
    if (pgmc__cancel_error(r)) {
        /* our own PQcancel: say so, not just "canceling statement" */
        char msg[sizeof res->message];
        pgmc__fmt(msg, sizeof msg, "canceled by request (a signal or pgmc_cancel): %s",
                  res->message);
        pgmc__copy(res->message, sizeof res->message, msg);
        res->code = PGMC_ERR_CANCELED;
    }
    pgmc__set_migration(c, stp->m);
    pgmc__copy(res->file, sizeof res->file, sc->file);
    res->line = st->line;
    res->column = st->column;
    res->statement = i + 1;
    res->n_statements = sc->n_statements;
    res->down = stp->down;
    map_position(res, sc, st, r ? PQresultErrorField(r, PG_DIAG_STATEMENT_POSITION) : NULL);
}

/* Run statement i; on failure fill res (statement_failed) and return it. */
static int statement(pgmc_ctx *c, const pgmc_step *stp, uint32_t i)
{
    PGresult *r = pgmc__run_statement(c, pgmc__script_of(stp), i);
    int rc = PGMC_OK;

    if (!pgmc__ok(r)) {
        pgmc__statement_failed(c, stp, i, r);
        rc = c->res->code;
    }
    PQclear(r);
    return rc;
}

static int simple(pgmc_ctx *c, const char *sql, pgmc_code code, const char *what)
{
    PGresult *r = pgmc__exec(c, sql);
    int rc = PGMC_OK;

    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        rc = pgmc__sql_error(c, code, r, what);
    PQclear(r);
    return rc;
}

void pgmc__rollback(pgmc_ctx *c)
{
    if (PQstatus(c->conn) == CONNECTION_OK && PQtransactionStatus(c->conn) != PQTRANS_IDLE)
        PQclear(pgmc__exec(c, "ROLLBACK"));
}

/* --- history rows ------------------------------------------------------- */

/* The history table's name goes into the SQL text (quoted by table_setup);
 * every value goes in as a parameter. */
#define HISTORY_SQL(buf, literal) pgmc__fmt(buf, sizeof buf, literal, c->table)

int pgmc__exec_history(pgmc_ctx *c, const char *sql, int n, const char *const *params)
{
    PGresult *r;
    int rc = PGMC_OK;

    r = pgmc__execp(c, sql, n, params);
    if (!pgmc__ok(r))
        rc = pgmc__sql_error(c, PGMC_ERR_HISTORY, r, "cannot write the history table");
    PQclear(r);
    return rc;
}

/* The finished step's history change: insert the row (up), finish the
 * unfinished row (up, marker), or delete the row (down). A new row's
 * execution_ms is measured by the server, from the start of its
 * transaction, so it needs no round trip to know. */
void pgmc__finish_query(pgmc_ctx *c, const pgmc_step *st, int64_t ms, pgmc_hquery *q)
{
    const pgmc_migration *m = st->m;
    int rep = m->kind == PGMC_REPEATABLE;

    memset(q, 0, sizeof *q);
    pgmc__fmt(q->id, sizeof q->id, "%" PRId64, st->marker_id);
    pgmc__fmt(q->ms, sizeof q->ms, "%" PRId64, ms);
    if (st->down && st->marker_id) {
        q->params[q->n++] = q->id;
        HISTORY_SQL(q->sql, "DELETE FROM %s WHERE id = $1::bigint");
    } else if (st->down) {
        q->params[q->n++] = rep ? m->name : m->version;
        if (rep)
            HISTORY_SQL(q->sql, "DELETE FROM %s WHERE version IS NULL AND name = $1");
        else
            HISTORY_SQL(q->sql, "DELETE FROM %s WHERE version = $1");
    } else if (st->marker_id) {
        q->params[q->n++] = q->id;
        q->params[q->n++] = m->checksum_hex;
        q->params[q->n++] = q->ms;
        HISTORY_SQL(q->sql, "UPDATE %s SET success = true, error = NULL, progress = NULL,"
                            " progress_hash = NULL, direction = NULL, backend = NULL,"
                            " checksum = $2,"
                            " applied_at = now(), execution_ms = execution_ms + $3::bigint"
                            " WHERE id = $1::bigint");
    } else {
        q->params[q->n++] = rep ? NULL : m->version;
        q->params[q->n++] = m->name;
        q->params[q->n++] = rep ? "repeatable" : "versioned";
        q->params[q->n++] = m->checksum_hex;
        HISTORY_SQL(q->sql,
                    "INSERT INTO %s (version, name, kind, checksum, execution_ms) VALUES ($1, $2,"
                    " $3, $4, (extract(epoch FROM clock_timestamp() - now()) * 1000)::bigint)");
    }
}

static int finish_history(pgmc_ctx *c, const pgmc_step *st, int64_t ms)
{
    pgmc_hquery q;

    pgmc__finish_query(c, st, ms, &q);
    return pgmc__exec_history(c, q.sql, q.n, q.params);
}

/* --- transactional ------------------------------------------------------ */

enum { TAG_TIMEOUTS = 1, TAG_STATEMENT, TAG_HISTORY };

static const char *const local_timeouts_sql =
    "SELECT set_config('lock_timeout', coalesce($1, current_setting('lock_timeout')), true), "
    "set_config('statement_timeout', coalesce($2, current_setting('statement_timeout')), true)";

static int can_pipeline(const pgmc_step *steps, size_t n)
{
    size_t k;
    uint32_t i;

    for (k = 0; k < n; k++) {
        const pgmc_script *sc = pgmc__script_of(&steps[k]);
        if (steps[k].marker_id)
            return 0;
        for (i = 0; i < sc->n_statements; i++)
            if (pgmc__stmt_is_copy(sc->sql + sc->statements[i].offset, sc->statements[i].length))
                return 0;
    }
    return 1;
}

/* The failed query of a pipelined migration transaction, into res. */
static void pipeline_failed(pgmc_ctx *c, const pgmc_step *steps, const pgmc_pq *qs, size_t failed,
                            const PGresult *r)
{
    if (failed == PGMC_PQ_BEGIN) {
        pgmc__sql_error(c, PGMC_ERR_SQL, r, "BEGIN failed");
    } else if (failed == PGMC_PQ_COMMIT) {
        if (r)
            pgmc__sql_error(c, PGMC_ERR_SQL, r, "COMMIT failed");
    } else if (qs[failed].tag == TAG_STATEMENT) {
        pgmc__statement_failed(c, &steps[qs[failed].step], qs[failed].stmt, r);
    } else if (qs[failed].tag == TAG_HISTORY) {
        pgmc__sql_error(c, PGMC_ERR_HISTORY, r, "cannot record the migration in history");
        pgmc__set_migration(c, steps[qs[failed].step].m);
    } else if (qs[failed].tag == PGMC_PQ_TAG_FENCE) {
        pgmc__lease_fence_failed(c, r);
    } else {
        pgmc__sql_error(c, PGMC_ERR_SQL, r, "cannot set the migration timeouts");
    }
}

/* The whole transaction - BEGIN, timeouts, every statement, the history
 * rows, the lease fence and COMMIT - in one round trip. Returns -1 if
 * pipeline mode could not be entered (nothing was sent), else a pgmc code
 * as tx_once. */
static int tx_pipelined(pgmc_ctx *c, const pgmc_step *steps, size_t n)
{
    size_t total = 2, k, q = 0, failed;
    pgmc_pq *qs;
    pgmc_hquery *hq;
    PGresult *fail_r = NULL;
    char lt[32], stt[32];
    const char *tparams[2];
    int has_fence = 0, rc = PGMC_OK;
    uint32_t i;

    for (k = 0; k < n; k++)
        total += 1 + pgmc__script_of(&steps[k])->n_statements;
    qs = calloc(total, sizeof *qs);
    hq = calloc(n, sizeof *hq);
    if (!qs || !hq) {
        free(qs);
        free(hq);
        return pgmc__fail(c, PGMC_ERR_NOMEM, "out of memory");
    }
    if (have_timeouts(c)) {
        pgmc__fmt(lt, sizeof lt, "%ldms", c->opt.lock_timeout_ms);
        pgmc__fmt(stt, sizeof stt, "%ldms", c->opt.statement_timeout_ms);
        tparams[0] = c->opt.lock_timeout_ms > 0 ? lt : NULL;
        tparams[1] = c->opt.statement_timeout_ms > 0 ? stt : NULL;
        qs[q].sql = local_timeouts_sql;
        qs[q].len = (size_t)-1;
        qs[q].n = 2;
        qs[q].params = tparams;
        qs[q++].tag = TAG_TIMEOUTS;
    }
    for (k = 0; k < n; k++) {
        const pgmc_script *sc = pgmc__script_of(&steps[k]);
        for (i = 0; i < sc->n_statements; i++) {
            const pgmc_statement *st = &sc->statements[i];
            pgmc__log(c, PGMC_LOG_VERBOSE, "  statement %u/%u at %s:%u (pipelined)",
                      (unsigned)i + 1, (unsigned)sc->n_statements, sc->file ? sc->file : "?",
                      (unsigned)st->line);
            qs[q].sql = sc->sql + st->offset;
            qs[q].len = st->length;
            qs[q].tag = TAG_STATEMENT;
            qs[q].step = k;
            qs[q++].stmt = i;
        }
        pgmc__finish_query(c, &steps[k], 0, &hq[k]);
        qs[q].sql = hq[k].sql;
        qs[q].len = (size_t)-1;
        qs[q].n = hq[k].n;
        qs[q].params = hq[k].params;
        qs[q].tag = TAG_HISTORY;
        qs[q++].step = k;
    }
    if ((rc = pgmc__lock_fence_pq(c, &qs[q], &has_fence)) != PGMC_OK) {
        free(qs);
        free(hq);
        return rc;
    }
    q += (size_t)has_fence;
    switch (pgmc__pipeline_tx(c, qs, q, &failed, &fail_r)) {
    case PGMC_PIPE_UNAVAILABLE:
        rc = -1;
        break;
    case PGMC_PIPE_OK:
        rc = PGMC_OK;
        break;
    case PGMC_PIPE_LOCAL:
        rc = c->res->code;
        break;
    case PGMC_PIPE_BROKEN:
        if (!c->res->version[0])
            pgmc__set_migration(c, steps[0].m);
        pgmc__copy(c->res->note, sizeof c->res->note,
                   "The connection was lost while the transaction was sent or committed: it may "
                   "or may not have committed. Run `migrate status` to see which.");
        rc = c->res->code;
        break;
    default:
        pipeline_failed(c, steps, qs, failed, fail_r);
        rc = c->res->code;
    }
    PQclear(fail_r);
    free(qs);
    free(hq);
    return rc;
}

static void note_rolled_back(pgmc_ctx *c, size_t n_migrations)
{
    char what[64];

    c->res->rolled_back = 1;
    if (n_migrations > 1)
        pgmc__fmt(what, sizeof what, "the transaction of all %zu migrations", n_migrations);
    else
        pgmc__fmt(what, sizeof what, "the transaction");
    if (c->res->current_version[0])
        pgmc__fmt(c->res->note, sizeof c->res->note,
                  "%s was rolled back; the database is still at version %s.", what,
                  c->res->current_version);
    else
        pgmc__fmt(c->res->note, sizeof c->res->note,
                  "%s was rolled back; the database still has no migrations applied.", what);
    if (c->res->note[0] >= 'a' && c->res->note[0] <= 'z')
        c->res->note[0] = (char)(c->res->note[0] - 'a' + 'A');
}

/* BEGIN; timeouts; the steps' statements and history rows; fence; COMMIT.
 * One attempt. On failure everything is rolled back. */
static int tx_once(pgmc_ctx *c, const pgmc_step *steps, size_t n)
{
    size_t k;
    uint32_t i;
    int rc;

    if (pgmc__canceled(c))
        goto fail;
    if (can_pipeline(steps, n) && (rc = tx_pipelined(c, steps, n)) >= 0) {
        if (rc == PGMC_OK)
            return PGMC_OK;
        goto fail;
    }
    if ((rc = simple(c, "BEGIN", PGMC_ERR_SQL, "BEGIN failed")) != PGMC_OK ||
        (rc = set_configured_timeouts(c, 1)) != PGMC_OK)
        goto fail;
    for (k = 0; k < n; k++) {
        const pgmc_script *sc = pgmc__script_of(&steps[k]);
        int64_t ts = pgmc__now_ms();
        for (i = 0; i < sc->n_statements; i++)
            if (pgmc__canceled(c) || (rc = statement(c, &steps[k], i)) != PGMC_OK)
                goto fail;
        if ((rc = finish_history(c, &steps[k], pgmc__now_ms() - ts)) != PGMC_OK)
            goto fail;
    }
    if (pgmc__canceled(c) || (rc = pgmc__lock_fence(c)) != PGMC_OK)
        goto fail;
    {
        PGresult *r = pgmc__exec(c, "COMMIT");
        /* COMMIT of a failed transaction reports success as ROLLBACK */
        if (PQresultStatus(r) != PGRES_COMMAND_OK || strcmp(PQcmdStatus(r), "COMMIT") != 0) {
            rc = pgmc__sql_error(c, PGMC_ERR_SQL, r, "COMMIT failed");
            if (!c->res->message[0] || PQresultStatus(r) == PGRES_COMMAND_OK)
                pgmc__copy(c->res->message, sizeof c->res->message,
                           "COMMIT did not commit (the transaction was rolled back)");
            PQclear(r);
            goto fail;
        }
        PQclear(r);
    }
    return PGMC_OK;
fail:
    if (n == 1 && !c->res->version[0])
        pgmc__set_migration(c, steps[0].m);
    if (PQstatus(c->conn) != CONNECTION_OK) {
        /* Without the server's answer to COMMIT nobody knows: never claim a
         * rollback here. */
        if (!c->res->note[0])
            pgmc__copy(c->res->note, sizeof c->res->note,
                       "The connection was lost during the migration's transaction. The server "
                       "rolls back a transaction whose COMMIT it did not get; if the loss came "
                       "during COMMIT, it may have committed. Run `migrate status` to see "
                       "which.");
        return c->res->code;
    }
    pgmc__rollback(c);
    note_rolled_back(c, n);
    return c->res->code;
}

static int run_tx(pgmc_ctx *c, const pgmc_step *steps, size_t n, const char *what)
{
    pgmc_backoff b;
    int attempt = 0, rc;

    pgmc__backoff_init(&b, 1000, 30000);
    for (;;) {
        if ((rc = tx_once(c, steps, n)) == PGMC_OK)
            return PGMC_OK;
        if (!pgmc__retry_after_lock_timeout(c, &b, &attempt, what))
            return rc;
        pgmc__clear_error(c->res);
    }
}

/* --- entry points ------------------------------------------------------- */

int pgmc__run_step(pgmc_ctx *c, const pgmc_step *st)
{
    const pgmc_script *sc = pgmc__script_of(st);
    int64_t t0 = pgmc__now_ms();
    char lab[200];
    int rc;

    pgmc__log(c, PGMC_LOG_VERBOSE, "%s %s (%s, %u statements)", st->down ? "reverting" : "applying",
              pgmc__label(st->m, lab, sizeof lab),
              sc->tx_mode == PGMC_TX_NONE ? "no transaction" : "transaction",
              (unsigned)sc->n_statements);
    /* a table of an older pgmc: the run rows need the backend column */
    if ((sc->tx_mode == PGMC_TX_NONE || st->marker_id) && c->history_old &&
        (rc = pgmc__history_upgrade(c)) != PGMC_OK) {
        pgmc__set_migration(c, st->m);
        return rc;
    }
    if (sc->tx_mode == PGMC_TX_NONE)
        rc = pgmc__run_nontx(c, st);
    else
        rc = run_tx(c, st, 1, pgmc__label(st->m, lab, sizeof lab));
    if (rc == PGMC_OK) {
        c->res->applied++;
        pgmc__log(c, PGMC_LOG_INFO, "%s %s (%" PRId64 " ms)", st->down ? "reverted" : "applied",
                  pgmc__label(st->m, lab, sizeof lab), pgmc__now_ms() - t0);
    }
    return rc;
}

int pgmc__run_group(pgmc_ctx *c, const pgmc_plan *p)
{
    int64_t t0 = pgmc__now_ms();
    size_t k;
    char lab[200];
    int rc;

    for (k = 0; k < p->n; k++) {
        const pgmc_step *st = &p->steps[k];
        const pgmc_script *sc = pgmc__script_of(st);
        if (sc->tx_mode == PGMC_TX_NONE || st->marker_id) {
            pgmc__set_migration(c, st->m);
            pgmc__copy(c->res->file, sizeof c->res->file, sc->file);
            pgmc__fmt(c->res->hint, sizeof c->res->hint,
                      "Run `migrate up` without --single-transaction, or apply up to the "
                      "migration before it in one transaction with `migrate goto VERSION "
                      "--single-transaction`.");
            return pgmc__fail(c, PGMC_ERR_REFUSED,
                              "--single-transaction: migration %s cannot run in a transaction "
                              "(%s); nothing was applied",
                              pgmc__label(st->m, lab, sizeof lab),
                              st->marker_id ? "it is resuming an unfinished run"
                              : sc->tx_note ? sc->tx_note
                                            : "non-transactional");
        }
    }
    if (p->n == 0)
        return PGMC_OK;
    pgmc__log(c, PGMC_LOG_VERBOSE, "applying %zu migrations in one transaction", p->n);
    rc = run_tx(c, p->steps, p->n, "the single transaction");
    if (rc == PGMC_OK) {
        for (k = 0; k < p->n; k++)
            pgmc__log(c, PGMC_LOG_INFO, "applied %s", pgmc__label(p->steps[k].m, lab, sizeof lab));
        c->res->applied += (uint32_t)p->n;
        pgmc__log(c, PGMC_LOG_INFO, "committed %zu migrations in one transaction (%" PRId64 " ms)",
                  p->n, pgmc__now_ms() - t0);
    }
    return rc;
}
