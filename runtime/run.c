/* run.c - executing planned steps: a transactional script with its history
 * row in one transaction (pipelined: one round trip); every pending
 * migration in one transaction (--single-transaction); a non-transactional
 * one is handed to nontx.c. What both runners share (one statement, its
 * error, timeouts, retries) is step.c's. */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "pgmc_internal.h"

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

/* The finished step's history row (history.c's `done`), sent now. */
static int finish_history(pgmc_ctx *c, const pgmc_step *st, int64_t ms)
{
    pgmc_hquery q;

    pgmc__history_done_q(c, st->m, st->down, st->marker_id, ms, &q);
    return pgmc__history_exec(c, &q);
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
        pgmc__lock_fence_failed(c, r);
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
    if (pgmc__have_timeouts(c)) {
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
        pgmc__history_done_q(c, steps[k].m, steps[k].down, steps[k].marker_id, 0, &hq[k]);
        pgmc__history_pq(&hq[k], &qs[q]);
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
        (rc = pgmc__set_configured_timeouts(c, 1)) != PGMC_OK)
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
