/* lock.c - one migrator per database and history table: a session advisory
 * lock, polled with pg_try_advisory_lock (never a blocking wait, which could
 * deadlock with CREATE INDEX CONCURRENTLY in the holder's migration). */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <string.h>

#include "pgmc_internal.h"

static int advisory_lock(pgmc_ctx *c);
static void advisory_unlock(pgmc_ctx *c);

int pgmc__lock(pgmc_ctx *c)
{
    if (c->opt.lock_mode == PGMC_LOCK_LEASE)
        return pgmc__lease_acquire(c);
    return advisory_lock(c);
}

void pgmc__unlock(pgmc_ctx *c)
{
    if (c->opt.lock_mode == PGMC_LOCK_LEASE)
        pgmc__lease_release(c);
    else
        advisory_unlock(c);
}

int pgmc__lock_fence(pgmc_ctx *c)
{
    if (c->opt.lock_mode == PGMC_LOCK_LEASE)
        return pgmc__lease_fence(c);
    return PGMC_OK;
}

static int advisory_lock(pgmc_ctx *c)
{
    char key[32];
    const char *params[1];
    int64_t start = pgmc__now_ms();
    int announced = 0;
    pgmc_backoff b;

    pgmc__backoff_init(&b, 25, 2000);
    snprintf(key, sizeof key, "%" PRId64, c->lock_key);
    params[0] = key;
    for (;;) {
        PGresult *r = pgmc__execp(c, "SELECT pg_try_advisory_lock($1::bigint)", 1, params);
        int got;
        if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
            pgmc__sql_error(c, PGMC_ERR_LOCK, r, "cannot take the migration lock");
            PQclear(r);
            return c->res->code;
        }
        got = PQgetvalue(r, 0, 0)[0] == 't';
        PQclear(r);
        if (got) {
            c->locked = 1;
            if (announced)
                pgmc__log(c, PGMC_LOG_INFO, "got the migration lock after %" PRId64 " ms",
                          pgmc__now_ms() - start);
            return PGMC_OK;
        }
        if (!announced) {
            pgmc__log(c, PGMC_LOG_INFO, "waiting for another migrator (advisory lock %s on %s)",
                      key, c->table_name);
            announced = 1;
        }
        if (c->opt.lock_wait_ms < 0 ||
            (c->opt.lock_wait_ms > 0 && pgmc__now_ms() - start >= c->opt.lock_wait_ms))
            return c->opt.lock_wait_ms < 0
                       ? pgmc__fail(c, PGMC_ERR_LOCK,
                                    "another migrator holds the migration lock (advisory "
                                    "lock %s, history table %s); not waiting",
                                    key, c->table_name)
                       : pgmc__fail(c, PGMC_ERR_LOCK,
                                    "timed out after %ld ms waiting for the migration lock "
                                    "(advisory lock %s, history table %s)",
                                    c->opt.lock_wait_ms, key, c->table_name);
        pgmc__sleep_ms(pgmc__backoff_next(&b));
    }
}

static void advisory_unlock(pgmc_ctx *c)
{
    char key[32];
    const char *params[1];
    PGresult *r;

    c->locked = 0;
    if (PQstatus(c->conn) != CONNECTION_OK)
        return; /* the server released it with the session */
    if (PQtransactionStatus(c->conn) != PQTRANS_IDLE)
        PQclear(pgmc__exec(c, "ROLLBACK"));
    snprintf(key, sizeof key, "%" PRId64, c->lock_key);
    params[0] = key;
    r = pgmc__execp(c, "SELECT pg_advisory_unlock($1::bigint)", 1, params);
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        pgmc__log(c, PGMC_LOG_WARN, "could not release the migration lock: %s",
                  PQerrorMessage(c->conn));
    PQclear(r);
}

int pgmc__lock_held(pgmc_ctx *c)
{
    char hi[24], lo[24], sql[400];
    const char *params[2];
    PGresult *r;
    int held = -1;

    if (c->opt.lock_mode == PGMC_LOCK_LEASE) {
        params[0] = c->lock_table;
        r = pgmc__execp(c, "SELECT to_regclass($1) IS NOT NULL", 1, params);
        if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1 ||
            PQgetvalue(r, 0, 0)[0] != 't') {
            held = PQresultStatus(r) == PGRES_TUPLES_OK ? 0 : -1;
            PQclear(r);
            return held;
        }
        PQclear(r);
        snprintf(sql, sizeof sql, "SELECT EXISTS (SELECT 1 FROM %s WHERE expires_at > now())",
                 c->lock_table);
        r = pgmc__exec(c, sql);
    } else {
        /* a bigint advisory key shows as classid (high 32 bits), objid (low) */
        snprintf(hi, sizeof hi, "%" PRIu64, ((uint64_t)c->lock_key >> 32) & 0xffffffffu);
        snprintf(lo, sizeof lo, "%" PRIu64, (uint64_t)c->lock_key & 0xffffffffu);
        params[0] = hi;
        params[1] = lo;
        r = pgmc__execp(c,
                        "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND "
                        "granted AND objsubid = 1 AND classid = $1::oid AND objid = $2::oid AND "
                        "database = (SELECT oid FROM pg_database WHERE datname = "
                        "current_database()))",
                        2, params);
    }
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
        held = PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    return held;
}
