/* run.c - executing planned steps: a transactional script with its history
 * row in one transaction; a non-transactional one statement by statement
 * with its progress recorded after each, so that it can resume; every
 * pending migration in one transaction (--single-transaction). Also the
 * per-migration lock_timeout / statement_timeout and the bounded retries
 * after a lock_timeout (SQLSTATE 55P03). */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pgmc_internal.h"

static void set_migration(pgmc_ctx *c, const pgmc_migration *m)
{
    pgmc__copy(c->res->version, sizeof c->res->version, m->version);
    pgmc__copy(c->res->name, sizeof c->res->name, m->name);
}

static const char *label(const pgmc_migration *m, char *buf, size_t cap)
{
    if (m->kind == PGMC_REPEATABLE)
        pgmc__fmt(buf, cap, "repeatable %s", m->name);
    else
        pgmc__fmt(buf, cap, "%s %s", m->version, m->name);
    return buf;
}

static const pgmc_script *script_of(const pgmc_step *st)
{
    return st->down ? &st->m->down : &st->m->up;
}

/* Forget the error fields of a failed attempt that is being retried. */
static void clear_error(pgmc_result *res)
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

/* After a lock_timeout: sleep and return 1 if another attempt is allowed. */
static int retry_after_lock_timeout(pgmc_ctx *c, pgmc_backoff *b, int *attempt, const char *what)
{
    long wait;

    if (!is_lock_timeout(c) || *attempt >= c->opt.lock_retries)
        return 0;
    ++*attempt;
    wait = pgmc__backoff_next(b);
    pgmc__log(c, PGMC_LOG_WARN, "%s hit lock_timeout (%s); retry %d of %d in %ld ms", what,
              c->res->message, *attempt, c->opt.lock_retries, wait);
    c->res->retries++;
    pgmc__sleep_ms(wait);
    return 1;
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

/* Session-level timeouts around a non-transactional script: remember the
 * session's values, set ours, and put the old ones back afterwards. */
typedef struct saved_timeouts {
    int saved;
    char lock_v[64], stmt_v[64];
} saved_timeouts;

static int session_timeouts_begin(pgmc_ctx *c, saved_timeouts *sv)
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

static void session_timeouts_end(pgmc_ctx *c, saved_timeouts *sv)
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
static PGresult *run_statement(pgmc_ctx *c, const pgmc_script *sc, uint32_t i)
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

static void statement_failed(pgmc_ctx *c, const pgmc_step *stp, uint32_t i, const PGresult *r)
{
    pgmc_result *res = c->res;
    const pgmc_script *sc = script_of(stp);
    const pgmc_statement *st = &sc->statements[i];

    pgmc__sql_error(c, PGMC_ERR_SQL, r, NULL);
    set_migration(c, stp->m);
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
    PGresult *r = run_statement(c, script_of(stp), i);
    int rc = PGMC_OK;

    if (!pgmc__ok(r)) {
        statement_failed(c, stp, i, r);
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

static void rollback(pgmc_ctx *c)
{
    if (PQstatus(c->conn) == CONNECTION_OK && PQtransactionStatus(c->conn) != PQTRANS_IDLE)
        PQclear(pgmc__exec(c, "ROLLBACK"));
}

/* --- history rows ------------------------------------------------------- */

/* The history table's name goes into the SQL text (quoted by table_setup);
 * every value goes in as a parameter. */
#define HISTORY_SQL(buf, literal) pgmc__fmt(buf, sizeof buf, literal, c->table)

static int exec_history(pgmc_ctx *c, const char *sql, int n, const char *const *params)
{
    PGresult *r;
    int rc = PGMC_OK;

    r = pgmc__execp(c, sql, n, params);
    if (!pgmc__ok(r))
        rc = pgmc__sql_error(c, PGMC_ERR_HISTORY, r, "cannot write the history table");
    PQclear(r);
    return rc;
}

/* A history statement with its parameters, built before it is sent (the
 * pipelined path sends it without waiting). */
typedef struct hquery {
    char sql[512];
    const char *params[5];
    int n;
    char id[32], ms[32];
} hquery;

/* The finished step's history change: insert the row (up), finish the
 * unfinished row (up, marker), or delete the row (down). A new row's
 * execution_ms is measured by the server, from the start of its
 * transaction, so it needs no round trip to know. */
static void finish_query(pgmc_ctx *c, const pgmc_step *st, int64_t ms, hquery *q)
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
                            " progress_hash = NULL, direction = NULL, checksum = $2,"
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
    hquery q;

    finish_query(c, st, ms, &q);
    return exec_history(c, q.sql, q.n, q.params);
}

/* Non-transactional run: the unfinished row, before the first statement.
 * up: a new row (success false, progress 0); down: the applied row turned
 * unfinished. Sets *id. Autocommit. */
static int start_marker(pgmc_ctx *c, const pgmc_step *st, int64_t *id)
{
    const pgmc_migration *m = st->m;
    int rep = m->kind == PGMC_REPEATABLE;
    char sql[768], zero[17];
    const char *params[5];
    PGresult *r;

    pgmc__progress_hash(script_of(st), 0, zero);
    if (st->down) {
        pgmc__fmt(sql, sizeof sql,
                  rep ? "UPDATE %s SET success = false, progress = 0, progress_hash = $2,"
                        " direction = 'down', error = NULL WHERE id ="
                        " (SELECT max(id) FROM %s WHERE version IS NULL AND name = $1)"
                        " RETURNING id"
                      : "UPDATE %s SET success = false, progress = 0, progress_hash = $2,"
                        " direction = 'down', error = NULL WHERE version = $1 RETURNING id",
                  c->table, c->table);
        params[0] = rep ? m->name : m->version;
        params[1] = zero;
        r = pgmc__execp(c, sql, 2, params);
    } else {
        pgmc__fmt(sql, sizeof sql,
                  "INSERT INTO %s (version, name, kind, checksum, success, progress,"
                  " progress_hash, direction) VALUES ($1, $2, $3, $4, false, 0, $5, 'up')"
                  " RETURNING id",
                  c->table);
        params[0] = rep ? NULL : m->version;
        params[1] = m->name;
        params[2] = rep ? "repeatable" : "versioned";
        params[3] = m->checksum_hex;
        params[4] = zero;
        r = pgmc__execp(c, sql, 5, params);
    }
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
        int rc = PQresultStatus(r) == PGRES_TUPLES_OK
                     ? pgmc__fail(c, PGMC_ERR_HISTORY, "the history row of %s vanished",
                                  m->version[0] ? m->version : m->name)
                     : pgmc__sql_error(c, PGMC_ERR_HISTORY, r,
                                       "cannot record the start of the migration");
        PQclear(r);
        set_migration(c, m);
        return rc;
    }
    *id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return PGMC_OK;
}

#ifdef LIBPQ_HAS_PIPELINING
/* --- pipelined transactional -------------------------------------------- */

/* A statement whose first word is COPY cannot be pipelined. */
static int starts_with_copy(const pgmc_script *sc, uint32_t i)
{
    const char *p = sc->sql + sc->statements[i].offset;
    const char *end = p + sc->statements[i].length;

    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return end - p >= 4 && strncasecmp(p, "copy", 4) == 0 &&
           (end - p == 4 ||
            !((p[4] >= 'a' && p[4] <= 'z') || (p[4] >= 'A' && p[4] <= 'Z') || p[4] == '_'));
}

static int can_pipeline(const pgmc_step *steps, size_t n)
{
    size_t k;
    uint32_t i;

    for (k = 0; k < n; k++) {
        const pgmc_script *sc = script_of(&steps[k]);
        if (steps[k].marker_id)
            return 0;
        for (i = 0; i < sc->n_statements; i++)
            if (starts_with_copy(sc, i))
                return 0;
    }
    return 1;
}

/* What each query of the pipeline is, to map a failure back to its source. */
enum { Q_BEGIN, Q_TIMEOUTS, Q_STATEMENT, Q_HISTORY, Q_COMMIT };
typedef struct pq_item {
    int kind;
    size_t step;
    uint32_t stmt;
} pq_item;

/* Send everything queued, reading whatever the server answers meanwhile,
 * so that neither side can block on a full socket buffer. */
static int flush_all(PGconn *conn)
{
    int f;

    while ((f = PQflush(conn)) == 1) {
        struct pollfd pfd;
        pfd.fd = PQsocket(conn);
        pfd.events = POLLIN | POLLOUT;
        pfd.revents = 0;
        if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
            return -1;
        if ((pfd.revents & POLLIN) && !PQconsumeInput(conn))
            return -1;
    }
    return f;
}

/* Leave pipeline mode whatever state it is in: send the sync point unless
 * `synced`, drain every pending result up to it, exit. Does nothing on a
 * broken connection (the caller reports that). */
static void pipeline_unwind(PGconn *conn, int synced)
{
    int nulls = 0;

    if (PQpipelineStatus(conn) == PQ_PIPELINE_OFF || PQstatus(conn) != CONNECTION_OK)
        return;
    if (!synced && (!PQpipelineSync(conn) || PQflush(conn) != 0))
        return;
    while (nulls < 1000 && PQstatus(conn) == CONNECTION_OK) {
        PGresult *r = PQgetResult(conn);
        ExecStatusType st;
        if (!r) {
            nulls++;
            continue;
        }
        nulls = 0;
        st = PQresultStatus(r);
        PQclear(r);
        if (st == PGRES_PIPELINE_SYNC)
            break;
    }
    PQexitPipelineMode(conn);
}

/* The whole transaction - BEGIN, timeouts, every statement, the history
 * rows and (unless the lease must be checked first) COMMIT - sent at once
 * in pipeline mode: one round trip. Returns -1 if pipeline mode could not
 * be entered (nothing was sent), else a pgmc code as tx_once. */
static int tx_pipelined(pgmc_ctx *c, const pgmc_step *steps, size_t n)
{
    PGconn *conn = c->conn;
    int commit_inside = c->opt.lock_mode != PGMC_LOCK_LEASE;
    size_t total = 2 + 1 + n, sent = 0, k, q, cap = 0, failed = (size_t)-1;
    pq_item *items;
    PGresult *fail_r = NULL;
    char *buf = NULL, lt[32], stt[32], last_status[32] = "";
    int rc = PGMC_OK, broken = 0;
    uint32_t i;

    for (k = 0; k < n; k++)
        total += script_of(&steps[k])->n_statements;
    items = malloc(total * sizeof *items);
    if (!items)
        return pgmc__fail(c, PGMC_ERR_NOMEM, "out of memory");
    if (!PQenterPipelineMode(conn)) {
        free(items);
        return -1;
    }
    PQsetnonblocking(conn, 1);
#define SEND(kind_, step_, stmt_, sql_, np_, params_)                                              \
    do {                                                                                           \
        if (!PQsendQueryParams(conn, sql_, np_, NULL, params_, NULL, NULL, 0)) {                   \
            broken = 1;                                                                            \
            goto sent_all;                                                                         \
        }                                                                                          \
        items[sent].kind = kind_;                                                                  \
        items[sent].step = step_;                                                                  \
        items[sent].stmt = stmt_;                                                                  \
        sent++;                                                                                    \
    } while (0)
    SEND(Q_BEGIN, 0, 0, "BEGIN", 0, NULL);
    if (have_timeouts(c)) {
        const char *params[2];
        pgmc__fmt(lt, sizeof lt, "%ldms", c->opt.lock_timeout_ms);
        pgmc__fmt(stt, sizeof stt, "%ldms", c->opt.statement_timeout_ms);
        params[0] = c->opt.lock_timeout_ms > 0 ? lt : NULL;
        params[1] = c->opt.statement_timeout_ms > 0 ? stt : NULL;
        SEND(Q_TIMEOUTS, 0, 0,
             "SELECT set_config('lock_timeout', coalesce($1, current_setting('lock_timeout')), "
             "true), set_config('statement_timeout', coalesce($2, "
             "current_setting('statement_timeout')), true)",
             2, params);
    }
    for (k = 0; k < n; k++) {
        const pgmc_script *sc = script_of(&steps[k]);
        hquery hq;
        for (i = 0; i < sc->n_statements; i++) {
            const pgmc_statement *st = &sc->statements[i];
            if ((size_t)st->length + 1 > cap) {
                char *nb = realloc(buf, (size_t)st->length + 1);
                if (!nb) {
                    rc = pgmc__fail(c, PGMC_ERR_NOMEM, "out of memory");
                    broken = 1;
                    goto sent_all;
                }
                buf = nb;
                cap = (size_t)st->length + 1;
            }
            memcpy(buf, sc->sql + st->offset, st->length);
            buf[st->length] = '\0';
            pgmc__log(c, PGMC_LOG_VERBOSE, "  statement %u/%u at %s:%u (pipelined)",
                      (unsigned)i + 1, (unsigned)sc->n_statements, sc->file ? sc->file : "?",
                      (unsigned)st->line);
            SEND(Q_STATEMENT, k, i, buf, 0, NULL);
        }
        finish_query(c, &steps[k], 0, &hq);
        SEND(Q_HISTORY, k, 0, hq.sql, hq.n, hq.params);
    }
    if (commit_inside)
        SEND(Q_COMMIT, 0, 0, "COMMIT", 0, NULL);
#undef SEND
sent_all:
    if (broken && PQstatus(conn) == CONNECTION_OK) {
        /* a local failure (out of memory) after some queries went out: they
         * must still be synced and drained before the connection can be used */
        PQsetnonblocking(conn, 0);
        pipeline_unwind(conn, 0);
        free(items);
        free(buf);
        if (rc == PGMC_OK)
            rc = pgmc__fail(c, PGMC_ERR_NOMEM, "cannot queue the pipelined transaction");
        return rc;
    }
    if (!broken && (!PQpipelineSync(conn) || flush_all(conn) != 0))
        broken = 1;
    PQsetnonblocking(conn, 0);
    c->res->queries++;
    /* Every query gives its result (or PIPELINE_ABORTED after a failure),
     * then NULL; the sync point ends the pipeline. */
    for (q = 0; q < sent && !broken; q++) {
        PGresult *r = PQgetResult(conn), *extra;
        ExecStatusType st = PQresultStatus(r);
        if (!r) {
            broken = 1;
            break;
        }
        if (st == PGRES_FATAL_ERROR && failed == (size_t)-1) {
            failed = q;
            fail_r = r;
        } else {
            if (items[q].kind == Q_COMMIT)
                pgmc__copy(last_status, sizeof last_status, PQcmdStatus(r));
            PQclear(r);
        }
        while ((extra = PQgetResult(conn)) != NULL)
            PQclear(extra);
    }
    if (!broken) {
        PGresult *r = PQgetResult(conn);
        if (PQresultStatus(r) != PGRES_PIPELINE_SYNC)
            broken = 1;
        PQclear(r);
    }
    if (broken || !PQexitPipelineMode(conn)) {
        pipeline_unwind(conn, 1);
        PQclear(fail_r);
        free(items);
        free(buf);
        if (rc != PGMC_OK)
            return rc;
        pgmc__sql_error(c, PGMC_ERR_CONNECT, NULL, "the pipelined transaction failed");
        if (!c->res->version[0])
            pgmc__copy(c->res->version, sizeof c->res->version, steps[0].m->version);
        pgmc__fmt(c->res->note, sizeof c->res->note,
                  commit_inside ? "The connection failed while the transaction was sent or "
                                  "committed: it may or may not have committed. Run `migrate "
                                  "status` to see which."
                                : "The connection failed before COMMIT: the server rolls the "
                                  "transaction back.");
        return c->res->code;
    }
    if (failed != (size_t)-1) {
        const pq_item *it = &items[failed];
        switch (it->kind) {
        case Q_STATEMENT:
            statement_failed(c, &steps[it->step], it->stmt, fail_r);
            break;
        case Q_HISTORY:
            pgmc__sql_error(c, PGMC_ERR_HISTORY, fail_r, "cannot record the migration in history");
            pgmc__copy(c->res->version, sizeof c->res->version, steps[it->step].m->version);
            pgmc__copy(c->res->name, sizeof c->res->name, steps[it->step].m->name);
            break;
        default:
            pgmc__sql_error(c, PGMC_ERR_SQL, fail_r,
                            it->kind == Q_BEGIN      ? "BEGIN failed"
                            : it->kind == Q_TIMEOUTS ? "cannot set the migration timeouts"
                                                     : "COMMIT failed");
        }
        rc = c->res->code;
    } else if (commit_inside && strcmp(last_status, "COMMIT") != 0) {
        rc = pgmc__fail(c, PGMC_ERR_SQL, "COMMIT did not commit (the transaction was rolled back)");
    }
    PQclear(fail_r);
    free(items);
    free(buf);
    if (rc != PGMC_OK)
        return rc;
    if (!commit_inside) {
        if ((rc = pgmc__lock_fence(c)) != PGMC_OK)
            return rc;
        return simple(c, "COMMIT", PGMC_ERR_SQL, "COMMIT failed");
    }
    return PGMC_OK;
}
#endif

/* --- transactional ------------------------------------------------------ */

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

#ifdef LIBPQ_HAS_PIPELINING
    if (can_pipeline(steps, n) && (rc = tx_pipelined(c, steps, n)) >= 0) {
        if (rc == PGMC_OK)
            return PGMC_OK;
        goto fail;
    }
#endif
    if ((rc = simple(c, "BEGIN", PGMC_ERR_SQL, "BEGIN failed")) != PGMC_OK ||
        (rc = set_configured_timeouts(c, 1)) != PGMC_OK)
        goto fail;
    for (k = 0; k < n; k++) {
        const pgmc_script *sc = script_of(&steps[k]);
        int64_t ts = pgmc__now_ms();
        for (i = 0; i < sc->n_statements; i++)
            if ((rc = statement(c, &steps[k], i)) != PGMC_OK)
                goto fail;
        if ((rc = finish_history(c, &steps[k], pgmc__now_ms() - ts)) != PGMC_OK)
            goto fail;
    }
    if ((rc = pgmc__lock_fence(c)) != PGMC_OK)
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
        set_migration(c, steps[0].m);
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
    rollback(c);
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
        if (!retry_after_lock_timeout(c, &b, &attempt, what))
            return rc;
        clear_error(c->res);
    }
}

/* --- non-transactional -------------------------------------------------- */

static void note_partial(pgmc_ctx *c, const pgmc_step *st, uint32_t done, int marked)
{
    const pgmc_script *sc = script_of(st);
    char lab[200], first[64];

    c->res->partial = 1;
    if (done == 1)
        pgmc__fmt(first, sizeof first, "Statement 1 of %u completed and is committed",
                  (unsigned)sc->n_statements);
    else if (done)
        pgmc__fmt(first, sizeof first, "Statements 1-%u of %u completed and are committed",
                  (unsigned)done, (unsigned)sc->n_statements);
    else
        pgmc__fmt(first, sizeof first, "No statement of %u completed", (unsigned)sc->n_statements);
    pgmc__fmt(c->res->note, sizeof c->res->note,
              "Migration %s is NOT transactional%s%s%s. %s; statement %u did not complete. THE "
              "DATABASE IS PARTIALLY %s. %s",
              label(st->m, lab, sizeof lab), sc->tx_note ? " (" : "",
              sc->tx_note ? sc->tx_note : "", sc->tx_note ? ")" : "", first, (unsigned)done + 1,
              st->down ? "REVERTED" : "MIGRATED",
              marked ? (st->down ? "The history table records how far it got. Fix the cause and "
                                   "run `migrate down` again: it resumes at that statement. Or "
                                   "repair by hand and record the outcome with `migrate force "
                                   "VERSION`."
                                 : "The history table records how far it got. Fix the cause (or "
                                   "that statement) and run `migrate up` again: it resumes at "
                                   "that statement without re-running the completed ones. Or "
                                   "repair by hand and record the outcome with `migrate force "
                                   "VERSION`.")
                     : "Recording this in the history table ALSO FAILED: check the database by "
                       "hand, then record the outcome with `migrate force VERSION`.");
}

/* 1 if `word` occurs in s[0..n) case-insensitively as a whole identifier. */
static int has_word(const char *s, size_t n, const char *word)
{
    size_t w = strlen(word), i;

    for (i = 0; w && i + w <= n; i++) {
        int before = i == 0 || !(s[i - 1] == '_' || (s[i - 1] >= '0' && s[i - 1] <= '9') ||
                                 ((s[i - 1] | 0x20) >= 'a' && (s[i - 1] | 0x20) <= 'z'));
        int after = i + w == n || !(s[i + w] == '_' || (s[i + w] >= '0' && s[i + w] <= '9') ||
                                    ((s[i + w] | 0x20) >= 'a' && (s[i + w] | 0x20) <= 'z'));
        if (before && after && strncasecmp(s + i, word, w) == 0)
            return 1;
    }
    return 0;
}

/* One statement of a non-transactional script, retried after lock_timeout
 * unless a retry could do harm: inside a transaction block the script opened
 * itself (rolling back to retry would silently drop the block's earlier
 * statements), or a CONCURRENTLY statement (a timed-out CREATE INDEX
 * CONCURRENTLY leaves an INVALID index that a retry would trip over or, with
 * IF NOT EXISTS, keep). Those fail; the next run's resume handles them. */
static int nt_statement(pgmc_ctx *c, const pgmc_step *st, uint32_t i)
{
    const pgmc_statement *stmt = &script_of(st)->statements[i];
    const char *text = script_of(st)->sql + stmt->offset;
    int retryable = !has_word(text, stmt->length, "concurrently");
    pgmc_backoff b;
    int attempt = 0, rc;
    char what[300], lab[200];

    pgmc__backoff_init(&b, 1000, 30000);
    pgmc__fmt(what, sizeof what, "statement %u of %s", (unsigned)i + 1,
              label(st->m, lab, sizeof lab));
    for (;;) {
        int in_block = PQtransactionStatus(c->conn) != PQTRANS_IDLE;
        if ((rc = statement(c, st, i)) == PGMC_OK)
            return PGMC_OK;
        if (PQtransactionStatus(c->conn) != PQTRANS_IDLE)
            rollback(c); /* the script itself opened one: it is lost as a whole */
        if (in_block || !retryable || !retry_after_lock_timeout(c, &b, &attempt, what))
            return rc;
        clear_error(c->res);
        if ((rc = pgmc__lock_fence(c)) != PGMC_OK)
            return rc;
    }
}

/* Resuming at statement k, the statement the interrupted run was inside:
 * a CREATE INDEX CONCURRENTLY killed half way leaves an INVALID index, which
 * `IF NOT EXISTS` would silently accept and a plain rerun would trip over.
 * Refuse, naming the index and the fix, if one whose name the statement
 * mentions is invalid. */
static int check_interrupted_index(pgmc_ctx *c, const pgmc_step *st)
{
    const pgmc_script *sc = script_of(st);
    const pgmc_statement *stmt;
    const char *text;
    PGresult *r;
    int i, rc = PGMC_OK;

    if (st->resume >= sc->n_statements)
        return PGMC_OK;
    stmt = &sc->statements[st->resume];
    text = sc->sql + stmt->offset;
    if (!has_word(text, stmt->length, "concurrently"))
        return PGMC_OK;
    r = pgmc__exec(c, "SELECT n.nspname, c.relname FROM pg_index i"
                      " JOIN pg_class c ON c.oid = i.indexrelid"
                      " JOIN pg_namespace n ON n.oid = c.relnamespace"
                      " WHERE NOT i.indisvalid ORDER BY 1, 2");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        rc = pgmc__sql_error(c, PGMC_ERR_SQL, r, "cannot look for invalid indexes");
        PQclear(r);
        return rc;
    }
    for (i = 0; i < PQntuples(r); i++) {
        const char *name = PQgetvalue(r, i, 1);
        if (!has_word(text, stmt->length, name))
            continue;
        set_migration(c, st->m);
        pgmc__copy(c->res->file, sizeof c->res->file, sc->file);
        c->res->line = stmt->line;
        c->res->column = stmt->column;
        c->res->statement = st->resume + 1;
        c->res->n_statements = sc->n_statements;
        c->res->down = st->down;
        pgmc__fmt(c->res->hint, sizeof c->res->hint,
                  "Drop it (DROP INDEX CONCURRENTLY %s.%s;) and run `migrate %s` again: it "
                  "resumes at this statement and builds the index anew.",
                  PQgetvalue(r, i, 0), name, st->down ? "down" : "up");
        rc = pgmc__fail(c, PGMC_ERR_DIRTY,
                        "the interrupted run of this statement left index %s.%s INVALID; "
                        "re-running it now would %s",
                        PQgetvalue(r, i, 0), name,
                        has_word(text, stmt->length, "exists") ? "keep the invalid index" : "fail");
        break;
    }
    PQclear(r);
    return rc;
}

/* A non-transactional run stops at statement i (0-based): record the error
 * on its row (progress stays at `committed`, the statements whose progress
 * was committed) and say in res->note what state the database is in. */
static int nontx_failed(pgmc_ctx *c, const pgmc_step *st, saved_timeouts *sv, const char *idbuf,
                        uint32_t i, uint32_t committed, int64_t t0, int rc)
{
    const pgmc_script *sc = script_of(st);
    pgmc_result *res = c->res;
    char err[512], msbuf[32], sql[512];
    const char *params[3];
    pgmc_result keep;
    int marked = 0;

    if (!res->version[0])
        set_migration(c, st->m);
    pgmc__fmt(err, sizeof err, "%s failed at statement %u of %u (%s:%u): %s%s%s",
              st->down ? "down" : "up", (unsigned)i + 1, (unsigned)sc->n_statements,
              sc->file ? sc->file : "?", (unsigned)sc->statements[i].line, res->sqlstate,
              res->sqlstate[0] ? " " : "", res->message);
    session_timeouts_end(c, sv);
    keep = *res;
    if (PQstatus(c->conn) == CONNECTION_OK) {
        pgmc__fmt(msbuf, sizeof msbuf, "%" PRId64, pgmc__now_ms() - t0);
        params[0] = idbuf;
        params[1] = err;
        params[2] = msbuf;
        HISTORY_SQL(sql, "UPDATE %s SET error = $2, execution_ms ="
                         " execution_ms + $3::bigint WHERE id = $1::bigint");
        marked = exec_history(c, sql, 3, params) == PGMC_OK;
    }
    keep.queries = res->queries;
    *res = keep;
    /* an unrecorded error still leaves the row unfinished: truthful */
    note_partial(c, st, committed, marked || PQstatus(c->conn) != CONNECTION_OK);
    if (committed < i) {
        size_t len = strlen(res->note);
        pgmc__fmt(res->note + len, sizeof res->note - len,
                  " (Statements %u-%u ran inside the script's own transaction block, which was "
                  "rolled back as a whole.)",
                  (unsigned)committed + 1, (unsigned)i + 1);
    }
    return rc;
}

static int run_nontx(pgmc_ctx *c, const pgmc_step *st)
{
    const pgmc_script *sc = script_of(st);
    pgmc_result *res = c->res;
    saved_timeouts sv;
    int64_t id = st->marker_id, t0 = pgmc__now_ms();
    uint64_t h = 0;
    uint32_t i, committed = st->resume;
    char idbuf[32], hex[17], msbuf[32], lab[200], sql[512];
    const char *params[4];
    int rc;

    if (!id && (rc = start_marker(c, st, &id)) != PGMC_OK)
        return rc;
    for (i = 0; i < st->resume; i++)
        h = pgmc__stmt_hash(h, sc, i);
    if (st->marker_id && (rc = check_interrupted_index(c, st)) != PGMC_OK)
        return rc;
    if (st->resume) {
        res->resumed_at = st->resume + 1;
        pgmc__log(c, PGMC_LOG_INFO,
                  "resuming %s%s at statement %u of %u (%s:%u): statements 1-%u completed "
                  "before",
                  st->down ? "the revert of " : "", label(st->m, lab, sizeof lab),
                  (unsigned)st->resume + 1, (unsigned)sc->n_statements, sc->file ? sc->file : "?",
                  st->resume < sc->n_statements ? (unsigned)sc->statements[st->resume].line : 0,
                  (unsigned)st->resume);
    }
    pgmc__fmt(idbuf, sizeof idbuf, "%" PRId64, id);
    if ((rc = session_timeouts_begin(c, &sv)) != PGMC_OK) {
        if (st->resume < sc->n_statements)
            return nontx_failed(c, st, &sv, idbuf, st->resume, committed, t0, rc);
        set_migration(c, st->m);
        return rc;
    }
    for (i = st->resume; i < sc->n_statements; i++) {
        if ((rc = pgmc__lock_fence(c)) != PGMC_OK || (rc = nt_statement(c, st, i)) != PGMC_OK)
            return nontx_failed(c, st, &sv, idbuf, i, committed, t0, rc);
        if (i + 1 == sc->n_statements && PQtransactionStatus(c->conn) != PQTRANS_IDLE) {
            /* BEGIN without COMMIT: do not let the history row join it */
            rollback(c);
            set_migration(c, st->m);
            rc = pgmc__fail(c, PGMC_ERR_SQL,
                            "the script ends inside a transaction block it opened (BEGIN "
                            "without COMMIT); that block was rolled back");
            return nontx_failed(c, st, &sv, idbuf, i, committed, t0, rc);
        }
        /* After the last statement the run's row is finished at once (below):
         * there is no "all done but not finished" state to be killed in. */
        if (i + 1 == sc->n_statements)
            break;
        /* Inside a block the script opened, this update joins the block:
         * committed with it, or rolled back with it. */
        h = pgmc__stmt_hash(h, sc, i);
        pgmc__fmt(hex, sizeof hex, "%016llx", (unsigned long long)h);
        pgmc__fmt(msbuf, sizeof msbuf, "%u", (unsigned)i + 1);
        params[0] = idbuf;
        params[1] = msbuf;
        params[2] = hex;
        HISTORY_SQL(sql, "UPDATE %s SET progress = $2::int, progress_hash = $3"
                         " WHERE id = $1::bigint");
        if ((rc = exec_history(c, sql, 3, params)) != PGMC_OK) {
            if (PQtransactionStatus(c->conn) != PQTRANS_IDLE)
                rollback(c);
            set_migration(c, st->m);
            session_timeouts_end(c, &sv);
            note_partial(c, st, committed, 0);
            return rc;
        }
        if (PQtransactionStatus(c->conn) == PQTRANS_IDLE)
            committed = i + 1;
    }
    session_timeouts_end(c, &sv);
    {
        pgmc_step done = *st;
        done.marker_id = id;
        rc = finish_history(c, &done, pgmc__now_ms() - t0);
    }
    if (rc != PGMC_OK) {
        set_migration(c, st->m);
        res->partial = 1;
        pgmc__fmt(res->note, sizeof res->note,
                  "All statements of the non-transactional migration %s completed and are "
                  "committed, but the history table does not say so: it still shows the run as "
                  "unfinished. Record it with `migrate force VERSION`.",
                  label(st->m, lab, sizeof lab));
    }
    return rc;
}

/* --- entry points ------------------------------------------------------- */

int pgmc__run_step(pgmc_ctx *c, const pgmc_step *st)
{
    const pgmc_script *sc = script_of(st);
    int64_t t0 = pgmc__now_ms();
    char lab[200];
    int rc;

    pgmc__log(c, PGMC_LOG_VERBOSE, "%s %s (%s, %u statements)", st->down ? "reverting" : "applying",
              label(st->m, lab, sizeof lab),
              sc->tx_mode == PGMC_TX_NONE ? "no transaction" : "transaction",
              (unsigned)sc->n_statements);
    if (sc->tx_mode == PGMC_TX_NONE)
        rc = run_nontx(c, st);
    else
        rc = run_tx(c, st, 1, label(st->m, lab, sizeof lab));
    if (rc == PGMC_OK) {
        c->res->applied++;
        pgmc__log(c, PGMC_LOG_INFO, "%s %s (%" PRId64 " ms)", st->down ? "reverted" : "applied",
                  label(st->m, lab, sizeof lab), pgmc__now_ms() - t0);
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
        const pgmc_script *sc = script_of(st);
        if (sc->tx_mode == PGMC_TX_NONE || st->marker_id) {
            set_migration(c, st->m);
            pgmc__copy(c->res->file, sizeof c->res->file, sc->file);
            pgmc__fmt(c->res->hint, sizeof c->res->hint,
                      "Run `migrate up` without --single-transaction, or apply up to the "
                      "migration before it in one transaction with `migrate goto VERSION "
                      "--single-transaction`.");
            return pgmc__fail(c, PGMC_ERR_REFUSED,
                              "--single-transaction: migration %s cannot run in a transaction "
                              "(%s); nothing was applied",
                              label(st->m, lab, sizeof lab),
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
            pgmc__log(c, PGMC_LOG_INFO, "applied %s", label(p->steps[k].m, lab, sizeof lab));
        c->res->applied += (uint32_t)p->n;
        pgmc__log(c, PGMC_LOG_INFO, "committed %zu migrations in one transaction (%" PRId64 " ms)",
                  p->n, pgmc__now_ms() - t0);
    }
    return rc;
}
