/* lock.c - one migrator per database and history table: a session advisory
 * lock, polled with pg_try_advisory_lock (never a blocking wait, which could
 * deadlock with CREATE INDEX CONCURRENTLY in the holder's migration).
 *
 * The key comes from the table the server resolves the name to (schema and
 * name after search_path), so "t" and "public.t" are one lock. The key of
 * the name as spelled, which older pgmc versions used, is taken as well, so
 * that they are excluded during a rolling deploy. */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <string.h>

#include "pgmc_internal.h"

/* FNV-1a over a namespace and the table name: the advisory lock key. */
int64_t pgmc__lock_key(const char *name)
{
    const char *ns = "pgmc-migration-lock:";
    uint64_t h = 14695981039346656037ULL;
    const char *p;

    for (p = ns; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    for (p = name; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    return (int64_t)(h & 0x7fffffffffffffffULL);
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

int pgmc__lock_fence_pq(pgmc_ctx *c, pgmc_pq *q, int *has)
{
    *has = 0;
    if (c->opt.lock_mode == PGMC_LOCK_LEASE)
        return pgmc__lease_fence_pq(c, q, has);
    return PGMC_OK;
}

int pgmc__lock_fence_failed(pgmc_ctx *c, const PGresult *r)
{
    return pgmc__lease_fence_failed(c, r);
}

/* The history table as the server resolves it: its schema if it exists,
 * else the schema it would be created in; sets c->lock_name and lock_key.
 * One query, the first time. */
int pgmc__lock_resolve(pgmc_ctx *c)
{
    const char *dot = strchr(c->table_name, '.');
    char schema[80] = "";
    const char *params[2];
    PGresult *r;

    /* what pgmc before issue 9 locked: the name as spelled */
    c->lock_key_legacy = pgmc__lock_key(c->opt.history_table);
    if (c->lock_name[0])
        return PGMC_OK;
    if (dot)
        pgmc__fmt(schema, sizeof schema, "%.*s", (int)(dot - c->table_name), c->table_name);
    params[0] = c->table;
    params[1] = dot ? schema : NULL;
    r = pgmc__execp(c,
                    "SELECT coalesce((SELECT n.nspname FROM pg_class x JOIN pg_namespace n ON "
                    "n.oid = x.relnamespace WHERE x.oid = to_regclass($1)), $2, current_schema())",
                    2, params);
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
        pgmc__sql_error(c, PGMC_ERR_LOCK, r, "cannot resolve the history table for the lock");
        PQclear(r);
        return c->res->code;
    }
    if (PQgetisnull(r, 0, 0)) {
        PQclear(r);
        return pgmc__fail(c, PGMC_ERR_LOCK,
                          "history table %s: no schema to find or create it in (search_path "
                          "names no existing schema); qualify it, e.g. --table public.%s",
                          c->table_name, dot ? dot + 1 : c->table_name);
    }
    pgmc__fmt(c->lock_name, sizeof c->lock_name, "%s.%s", PQgetvalue(r, 0, 0),
              dot ? dot + 1 : c->table_name);
    PQclear(r);
    c->lock_key = pgmc__lock_key(c->lock_name);
    return PGMC_OK;
}

/* One try at the keys not held yet (bits of c->locked_keys), in one query:
 * 0 done (the bits say what is held now), -1 error (res set). */
static int try_keys(pgmc_ctx *c)
{
    char k1[32], k2[32];
    const char *params[2];
    PGresult *r;

    snprintf(k1, sizeof k1, "%" PRId64, c->lock_key);
    snprintf(k2, sizeof k2, "%" PRId64, c->lock_key_legacy);
    /* A key is never tried while held: advisory locks stack. Each query
     * gets exactly the parameters it names: the server counts a statement's
     * parameters from the highest $n it uses, and refuses any other count. */
    if (c->locked_keys & 1) {
        params[0] = k2;
        r = pgmc__execp(c, "SELECT true, pg_try_advisory_lock($1::bigint)", 1, params);
    } else if (c->locked_keys & 2) {
        params[0] = k1;
        r = pgmc__execp(c, "SELECT pg_try_advisory_lock($1::bigint), true", 1, params);
    } else {
        params[0] = k1;
        params[1] = k2;
        r = pgmc__execp(c,
                        "SELECT pg_try_advisory_lock($1::bigint), pg_try_advisory_lock($2::bigint)",
                        2, params);
    }
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
        pgmc__sql_error(c, PGMC_ERR_LOCK, r, "cannot take the migration lock");
        PQclear(r);
        return -1;
    }
    c->locked_keys = (PQgetvalue(r, 0, 0)[0] == 't') | (PQgetvalue(r, 0, 1)[0] == 't') << 1;
    PQclear(r);
    return 0;
}

static int advisory_lock(pgmc_ctx *c)
{
    int64_t start = pgmc__now_ms();
    int announced = 0;
    pgmc_backoff b;
    char key[32];

    if (pgmc__lock_resolve(c) != PGMC_OK)
        return c->res->code;
    pgmc__backoff_init(&b, 25, 2000);
    snprintf(key, sizeof key, "%" PRId64, c->lock_key);
    c->locked_keys = 0;
    for (;;) {
        /* both keys; one got is kept while the other is polled (try-locks
         * only, so holding one while waiting cannot deadlock) */
        if (try_keys(c) < 0)
            break;
        if (c->locked_keys == 3) {
            c->locked = 1;
            if (announced)
                pgmc__log(c, PGMC_LOG_INFO, "got the migration lock after %" PRId64 " ms",
                          pgmc__now_ms() - start);
            return PGMC_OK;
        }
        if (!announced) {
            pgmc__log(c, PGMC_LOG_INFO, "waiting for another migrator (advisory lock %s on %s)",
                      key, c->lock_name);
            announced = 1;
        }
        if (pgmc__canceled(c))
            break;
        if (c->opt.lock_wait_ms < 0 ||
            (c->opt.lock_wait_ms > 0 && pgmc__now_ms() - start >= c->opt.lock_wait_ms)) {
            if (c->opt.lock_wait_ms < 0)
                pgmc__fail(c, PGMC_ERR_LOCK,
                           "another migrator holds the migration lock (advisory lock %s, history "
                           "table %s); not waiting",
                           key, c->lock_name);
            else
                pgmc__fail(c, PGMC_ERR_LOCK,
                           "timed out after %ld ms waiting for the migration lock (advisory lock "
                           "%s, history table %s)",
                           c->opt.lock_wait_ms, key, c->lock_name);
            break;
        }
        pgmc__sleep_ms(pgmc__backoff_next(&b));
    }
    /* failed: give back what was got */
    {
        pgmc_result keep = *c->res;
        c->locked = 1;
        advisory_unlock(c);
        keep.queries = c->res->queries;
        *c->res = keep;
    }
    return c->res->code;
}

static void advisory_unlock(pgmc_ctx *c)
{
    int keys = c->locked_keys;

    c->locked = 0;
    c->locked_keys = 0;
    if (PQstatus(c->conn) != CONNECTION_OK)
        return; /* the server released it with the session */
    if (PQtransactionStatus(c->conn) != PQTRANS_IDLE)
        PQclear(pgmc__exec(c, "ROLLBACK"));
    if (keys) {
        char k1[32], k2[32];
        const char *params[2] = {k1, k2};
        PGresult *r;
        snprintf(k1, sizeof k1, "%" PRId64, c->lock_key);
        snprintf(k2, sizeof k2, "%" PRId64, c->lock_key_legacy);
        if (keys == 2)
            params[0] = k2;
        r = pgmc__execp(c,
                        keys == 3 ? "SELECT pg_advisory_unlock($1::bigint), "
                                    "pg_advisory_unlock($2::bigint)"
                                  : "SELECT pg_advisory_unlock($1::bigint)",
                        keys == 3 ? 2 : 1, params);
        if (PQresultStatus(r) != PGRES_TUPLES_OK)
            pgmc__log(c, PGMC_LOG_WARN, "could not release the migration lock: %s",
                      PQerrorMessage(c->conn));
        PQclear(r);
    }
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
        char hi2[24], lo2[24];
        const char *p4[4];
        if (pgmc__lock_resolve(c) != PGMC_OK)
            return -1;
        snprintf(hi, sizeof hi, "%" PRIu64, ((uint64_t)c->lock_key >> 32) & 0xffffffffu);
        snprintf(lo, sizeof lo, "%" PRIu64, (uint64_t)c->lock_key & 0xffffffffu);
        snprintf(hi2, sizeof hi2, "%" PRIu64, ((uint64_t)c->lock_key_legacy >> 32) & 0xffffffffu);
        snprintf(lo2, sizeof lo2, "%" PRIu64, (uint64_t)c->lock_key_legacy & 0xffffffffu);
        p4[0] = hi;
        p4[1] = lo;
        p4[2] = hi2;
        p4[3] = lo2;
        r = pgmc__execp(c,
                        "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND "
                        "granted AND objsubid = 1 AND ((classid = $1::oid AND objid = $2::oid) OR "
                        "(classid = $3::oid AND objid = $4::oid)) AND "
                        "database = (SELECT oid FROM pg_database WHERE datname = "
                        "current_database()))",
                        4, p4);
    }
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
        held = PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    return held;
}
