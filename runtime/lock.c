/* lock.c - one migrator per database and history table: a session advisory
 * lock, polled with pg_try_advisory_lock (never a blocking wait, which could
 * deadlock with CREATE INDEX CONCURRENTLY in the holder's migration). */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pgmc_internal.h"

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
    struct timespec ts;

    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) != 0)
        ;
}

/* xorshift, seeded per call: jitter only, not security. */
static uint32_t next_rand(uint32_t *s)
{
    uint32_t x = *s;

    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *s = x ? x : 0x9e3779b9u;
    return *s;
}

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
    int64_t start = now_ms();
    long delay = 25;
    int announced = 0;
    uint32_t seed;
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    seed = (uint32_t)ts.tv_nsec ^ ((uint32_t)getpid() << 16) ^ (uint32_t)(uintptr_t)c;
    snprintf(key, sizeof key, "%" PRId64, c->lock_key);
    params[0] = key;
    for (;;) {
        PGresult *r = pgmc__execp(c, "SELECT pg_try_advisory_lock($1::bigint)", 1, params);
        int got;
        long wait;
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
                          now_ms() - start);
            return PGMC_OK;
        }
        if (!announced) {
            pgmc__log(c, PGMC_LOG_INFO, "waiting for another migrator (advisory lock %s on %s)",
                      key, c->table_name);
            announced = 1;
        }
        if (c->opt.lock_wait_ms > 0 && now_ms() - start >= c->opt.lock_wait_ms)
            return pgmc__fail(c, PGMC_ERR_LOCK,
                              "timed out after %ld ms waiting for the migration lock "
                              "(advisory lock %s, history table %s)",
                              c->opt.lock_wait_ms, key, c->table_name);
        wait = delay / 2 + (long)(next_rand(&seed) % (uint32_t)(delay / 2 + 1));
        sleep_ms(wait);
        if (delay < 2000)
            delay *= 2;
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
