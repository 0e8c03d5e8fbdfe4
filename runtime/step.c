/* step.c - what both runners of a step share (run.c for transactional
 * scripts, nontx.c for the others): labels, running and reporting one
 * statement (its error mapped to file:line:col), the per-migration
 * lock_timeout / statement_timeout, and the bounded retries after a
 * lock_timeout (SQLSTATE 55P03). Below run.c and nontx.c, above session. */
#define _POSIX_C_SOURCE 200809L

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

int pgmc__have_timeouts(const pgmc_ctx *c)
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

int pgmc__set_configured_timeouts(pgmc_ctx *c, int local)
{
    char lt[32], st[32];

    if (!pgmc__have_timeouts(c))
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
    if (!pgmc__have_timeouts(c))
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
    return pgmc__set_configured_timeouts(c, 0);
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
