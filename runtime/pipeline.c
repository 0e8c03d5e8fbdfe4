/* pipeline.c - one transaction in one round trip: BEGIN, the caller's
 * queries and COMMIT sent at once in libpq's pipeline mode, then every
 * answer read. Used for whole transactional migrations (run.c) and for each
 * statement of a non-transactional one with its progress row (nontx.c).
 *
 * Failure in the middle makes the server skip the rest up to the sync
 * point, COMMIT included, so a pipeline either commits everything or
 * nothing; only a connection lost after COMMIT went out leaves the outcome
 * unknown, and that is reported as such (PGMC_PIPE_BROKEN). */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "pgmc_internal.h"

#ifdef LIBPQ_HAS_PIPELINING
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
static void unwind(PGconn *conn, int synced)
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

static int send_one(PGconn *conn, const pgmc_pq *q, char **buf, size_t *cap)
{
    const char *sql = q->sql;

    if (q->len != (size_t)-1) {
        if (q->len + 1 > *cap) {
            char *nb = realloc(*buf, q->len + 1);
            if (!nb)
                return 0;
            *buf = nb;
            *cap = q->len + 1;
        }
        memcpy(*buf, q->sql, q->len);
        (*buf)[q->len] = '\0';
        sql = *buf;
    }
    return PQsendQueryParams(conn, sql, q->n, NULL, q->params, NULL, NULL, 0);
}

int pgmc__pipeline_tx(pgmc_ctx *c, const pgmc_pq *qs, size_t n, size_t *failed, PGresult **fail_r)
{
    PGconn *conn = c->conn;
    size_t sent = 0, k, cap = 0, total = n + 2;
    char *buf = NULL, commit_status[32] = "";
    int broken = 0, local = 0;
    pgmc_pq begin = {"BEGIN", (size_t)-1, 0, NULL, 0, 0, 0};
    pgmc_pq commit = {"COMMIT", (size_t)-1, 0, NULL, 0, 0, 0};

    *failed = (size_t)-1;
    *fail_r = NULL;
    if (!PQenterPipelineMode(conn))
        return PGMC_PIPE_UNAVAILABLE;
    PQsetnonblocking(conn, 1);
    for (k = 0; k < total; k++) {
        const pgmc_pq *q = k == 0 ? &begin : k == total - 1 ? &commit : &qs[k - 1];
        if (!send_one(conn, q, &buf, &cap)) {
            broken = 1;
            local = PQstatus(conn) == CONNECTION_OK;
            break;
        }
        sent++;
    }
    free(buf);
    if (local) {
        /* out of memory after some queries went out: they must still be
         * synced and drained before the connection can be used; nothing
         * committed (COMMIT was not sent) */
        PQsetnonblocking(conn, 0);
        unwind(conn, 0);
        pgmc__rollback(c);
        pgmc__fail(c, PGMC_ERR_NOMEM, "out of memory queueing a pipelined transaction");
        return PGMC_PIPE_LOCAL;
    }
    if (!broken && (!PQpipelineSync(conn) || flush_all(conn) != 0))
        broken = 1;
    PQsetnonblocking(conn, 0);
    c->res->queries++;
    /* Every query gives its result (or PIPELINE_ABORTED after a failure),
     * then NULL; the sync point ends the pipeline. */
    for (k = 0; k < sent && !broken; k++) {
        PGresult *r = PQgetResult(conn), *extra;
        if (!r) {
            broken = 1;
            break;
        }
        if (PQresultStatus(r) == PGRES_FATAL_ERROR && *failed == (size_t)-1) {
            *failed = k == 0 ? PGMC_PQ_BEGIN : k == total - 1 ? PGMC_PQ_COMMIT : k - 1;
            *fail_r = r;
        } else {
            if (k == total - 1)
                pgmc__copy(commit_status, sizeof commit_status, PQcmdStatus(r));
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
        unwind(conn, 1);
        PQclear(*fail_r);
        *fail_r = NULL;
        *failed = (size_t)-1;
        pgmc__sql_error(c, PGMC_ERR_CONNECT, NULL, "the connection was lost");
        return PGMC_PIPE_BROKEN;
    }
    if (*failed != (size_t)-1) {
        /* the server skipped everything after the failure, COMMIT too; the
         * transaction block is left aborted until this ROLLBACK */
        if (PQtransactionStatus(conn) != PQTRANS_IDLE)
            PQclear(pgmc__exec(c, "ROLLBACK"));
        return PGMC_PIPE_FAILED;
    }
    if (strcmp(commit_status, "COMMIT") != 0) {
        pgmc__fail(c, PGMC_ERR_SQL, "COMMIT did not commit (the transaction was rolled back)");
        *failed = PGMC_PQ_COMMIT;
        return PGMC_PIPE_FAILED;
    }
    return PGMC_PIPE_OK;
}
#else
int pgmc__pipeline_tx(pgmc_ctx *c, const pgmc_pq *qs, size_t n, size_t *failed, PGresult **fail_r)
{
    (void)c;
    (void)qs;
    (void)n;
    *failed = (size_t)-1;
    *fail_r = NULL;
    return PGMC_PIPE_UNAVAILABLE;
}
#endif
