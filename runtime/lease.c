/* lease.c - the lease lock (PGMC_LOCK_LEASE): one migrator per database and
 * history table even behind PgBouncer in transaction pooling mode, where a
 * session advisory lock is not correct. Nothing here relies on session
 * state: every statement is correct in its own (autocommit) transaction.
 *
 * The lease is the single row of "<history table>_lock":
 *
 *   CREATE TABLE IF NOT EXISTS <history>_lock (
 *     id          int PRIMARY KEY CHECK (id = 1),
 *     holder      text NOT NULL,            -- "host:pid:random", per attempt
 *     acquired_at timestamptz NOT NULL DEFAULT clock_timestamp(),
 *     expires_at  timestamptz NOT NULL)
 *
 * acquire  polls (backoff with jitter, never a blocking wait) with one
 *          INSERT ... ON CONFLICT that takes the row if it is absent or
 *          expired; the table is created on first use.
 * heartbeat a thread with its own connection renews the lease every ttl/3;
 *          if the lease is gone or its connection fails it sets `lost`.
 *          A renewal needs only that the row still names this holder: a
 *          lease that expired while nobody took it over is still ours
 *          (taking over replaces the holder under the row lock, so the two
 *          cannot both succeed).
 * fence    inside each migration transaction, as its last query before
 *          COMMIT: extends the lease only if it is still ours, else the
 *          transaction fails. Together with the row lock this UPDATE holds
 *          until COMMIT, no migration commits under a lease somebody took
 *          over; and as it comes last, that lock is held for the COMMIT
 *          only, never so long that the heartbeat cannot renew.
 * release  stops the heartbeat and deletes the row if it is still ours.
 *
 * Times come from clock_timestamp(), never now(): inside a long migration
 * transaction now() is the transaction's start. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pgmc_internal.h"

#define LEASE_DEFAULT_TTL_MS 30000L
#define HEARTBEAT_APP_NAME   "pgmc-lease-heartbeat"

struct pgmc_lease {
    char holder[160]; /* this attempt's holder id */
    char ttl[32];     /* lease_ttl_ms as a decimal string, for $2 */
    long period_ms;   /* heartbeat period: ttl / 3 */
    char renew[512];  /* the heartbeat's UPDATE (also the fence's) */
    char fence[640];  /* the fence as a pipelined query that fails unless ours */
    PGconn *hb;       /* the heartbeat's connection, owned by the thread once started */
    PGcancel *cancel; /* cancels a renewal in flight when stopping */
    pthread_t thread;
    int started; /* the thread runs and must be joined */
    pthread_mutex_t mu;
    pthread_cond_t cv;     /* signalled on stop; waits use CLOCK_MONOTONIC */
    int stop;              /* under mu */
    int busy;              /* under mu: a renewal is in flight */
    atomic_int lost;       /* set once by the heartbeat, read by fence/release */
    const char *params[2]; /* the fence query's parameters (holder, ttl) */
    char why[512];         /* under mu: what the heartbeat found */
};

/* 64 random bits from /dev/urandom, else from the clock, pid and address. */
static uint64_t random64(const void *salt)
{
    uint64_t v = 0;
    int fd = open("/dev/urandom", O_RDONLY);
    struct timespec ts;

    if (fd >= 0) {
        ssize_t got = read(fd, &v, sizeof v);
        close(fd);
        if (got == (ssize_t)sizeof v)
            return v;
    }
    clock_gettime(CLOCK_REALTIME, &ts);
    v = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ull ^ (uint64_t)ts.tv_sec << 20 ^
        (uint64_t)getpid() << 40 ^ (uint64_t)(uintptr_t)salt;
    return v;
}

/* "host:pid:16 hex digits": unique per acquire attempt. */
static void make_holder(char *buf, size_t cap, const void *salt)
{
    char host[65];

    if (gethostname(host, sizeof host) != 0)
        pgmc__copy(host, sizeof host, "unknown-host");
    host[sizeof host - 1] = '\0';
    snprintf(buf, cap, "%s:%ld:%016" PRIx64, host, (long)getpid(), random64(salt));
}

static void trim(char *s)
{
    size_t n = strlen(s);

    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
        s[--n] = '\0';
}

static const char *sqlstate(const PGresult *r)
{
    const char *s = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

    return s ? s : "";
}

/* --- heartbeat ------------------------------------------------------------ */

/* Record a loss once (first reason wins): `what`, then ": detail" if any.
 * Caller holds l->mu. */
static void mark_lost(struct pgmc_lease *l, const char *what, const char *detail)
{
    if (atomic_load(&l->lost))
        return;
    snprintf(l->why, sizeof l->why, "%s%s%s", what, detail ? ": " : "", detail ? detail : "");
    trim(l->why);
    atomic_store(&l->lost, 1);
}

/* One renewal: 1 renewed, 0 the lease is not ours any more, -1 failed
 * (message in err). */
static int renew_once(struct pgmc_lease *l, char *err, size_t cap)
{
    const char *params[2] = {l->holder, l->ttl};
    PGresult *r = PQexecParams(l->hb, l->renew, 2, NULL, params, NULL, NULL, 0);
    int rc;

    if (PQresultStatus(r) == PGRES_TUPLES_OK)
        rc = PQntuples(r) == 1;
    else {
        const char *m = r ? PQresultErrorMessage(r) : "";
        pgmc__copy(err, cap, m && m[0] ? m : PQerrorMessage(l->hb));
        rc = -1;
    }
    PQclear(r);
    return rc;
}

static void *heartbeat(void *arg)
{
    struct pgmc_lease *l = arg;
    char err[400];
    long ttl_ms = strtol(l->ttl, NULL, 10);
    int64_t last_ok = pgmc__now_ms(); /* the lease was just taken or renewed */

    pthread_mutex_lock(&l->mu);
    while (!l->stop) {
        struct timespec until;
        int64_t t;
        int rc;

        clock_gettime(CLOCK_MONOTONIC, &until);
        t = (int64_t)until.tv_nsec + (int64_t)(l->period_ms % 1000) * 1000000;
        until.tv_sec += (time_t)(l->period_ms / 1000 + t / 1000000000);
        until.tv_nsec = (long)(t % 1000000000);
        while (!l->stop && pthread_cond_timedwait(&l->cv, &l->mu, &until) != ETIMEDOUT)
            ;
        if (l->stop)
            break;
        l->busy = 1;
        pthread_mutex_unlock(&l->mu);
        err[0] = '\0';
        rc = renew_once(l, err, sizeof err);
        if (rc < 0 && PQstatus(l->hb) == CONNECTION_BAD) {
            PQreset(l->hb); /* reconnect, then try once more */
            if (PQstatus(l->hb) == CONNECTION_OK)
                rc = renew_once(l, err, sizeof err);
        }
        if (rc == 1)
            last_ok = pgmc__now_ms();
        pthread_mutex_lock(&l->mu);
        l->busy = 0;
        if (l->stop)
            break; /* a cancelled renewal is not a loss */
        /* A failed renewal is retried next period while the lease, renewed
         * last at last_ok, would still be alive then; a lease found taken
         * over or expired is lost at once. */
        if (rc < 0 && pgmc__now_ms() - last_ok + l->period_ms < ttl_ms)
            continue;
        if (rc == 0)
            mark_lost(l,
                      "the lease row no longer names this migrator: it was taken over by another "
                      "migrator after it expired, or deleted",
                      NULL);
        else if (rc < 0)
            mark_lost(l, "the lease heartbeat failed", err);
        if (rc != 1)
            break; /* nothing left to renew: the next fence fails */
    }
    pthread_mutex_unlock(&l->mu);
    PQfinish(l->hb);
    l->hb = NULL;
    return NULL;
}

/* Open the heartbeat's own connection with the parameters of c->conn
 * (PQconninfo, which includes any password). Returns PGMC_OK, or fails
 * with PGMC_ERR_CONNECT and a message with the password masked. */
static int open_heartbeat(pgmc_ctx *c, struct pgmc_lease *l)
{
    PQconninfoOption *info = PQconninfo(c->conn), *o;
    const char **kw, **val;
    const char *password = NULL;
    size_t n = 0, k = 0;
    char msg[600];

    if (!info)
        return pgmc__fail(c, PGMC_ERR_NOMEM, "out of memory");
    for (o = info; o->keyword; o++)
        n++;
    kw = calloc(n + 2, sizeof *kw);
    val = calloc(n + 2, sizeof *val);
    if (!kw || !val) {
        free(kw);
        free(val);
        PQconninfoFree(info);
        return pgmc__fail(c, PGMC_ERR_NOMEM, "out of memory");
    }
    for (o = info; o->keyword; o++) {
        if (!o->val || !strcmp(o->keyword, "application_name"))
            continue;
        if (!strcmp(o->keyword, "password"))
            password = o->val;
        kw[k] = o->keyword;
        val[k++] = o->val;
    }
    kw[k] = "application_name";
    val[k++] = HEARTBEAT_APP_NAME;
    kw[k] = NULL;
    l->hb = PQconnectdbParams(kw, val, 0);
    free(kw);
    free(val);
    if (!l->hb || PQstatus(l->hb) != CONNECTION_OK) {
        pgmc__copy(msg, sizeof msg, l->hb ? PQerrorMessage(l->hb) : "out of memory");
        trim(msg);
        pgmc__mask_secret(msg, sizeof msg, password);
        pgmc_redact(msg, sizeof msg, NULL);
        PQconninfoFree(info);
        PQfinish(l->hb);
        l->hb = NULL;
        return pgmc__fail(c, PGMC_ERR_CONNECT, "cannot open the lease heartbeat connection: %s",
                          msg);
    }
    PQconninfoFree(info);
    PQsetNoticeProcessor(l->hb, pgmc__quiet_notices, NULL);
    l->cancel = PQgetCancel(l->hb);
    return PGMC_OK;
}

/* Start the thread; it owns l->hb from here on. */
static int start_heartbeat(pgmc_ctx *c, struct pgmc_lease *l)
{
    pthread_condattr_t ca;
    int ok;

    if (pthread_condattr_init(&ca) != 0)
        return pgmc__fail(c, PGMC_ERR_NOMEM, "cannot start the lease heartbeat");
    ok =
        pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0 && pthread_cond_init(&l->cv, &ca) == 0;
    pthread_condattr_destroy(&ca);
    if (!ok)
        return pgmc__fail(c, PGMC_ERR_NOMEM, "cannot start the lease heartbeat");
    if (pthread_mutex_init(&l->mu, NULL) != 0) {
        pthread_cond_destroy(&l->cv);
        return pgmc__fail(c, PGMC_ERR_NOMEM, "cannot start the lease heartbeat");
    }
    if (pthread_create(&l->thread, NULL, heartbeat, l) != 0) {
        pthread_mutex_destroy(&l->mu);
        pthread_cond_destroy(&l->cv);
        return pgmc__fail(c, PGMC_ERR_NOMEM, "cannot start the lease heartbeat thread");
    }
    l->started = 1;
    return PGMC_OK;
}

/* Stop promptly: signal, cancel a renewal in flight, join. */
static void stop_heartbeat(struct pgmc_lease *l)
{
    int busy;

    if (!l->started)
        return;
    pthread_mutex_lock(&l->mu);
    l->stop = 1;
    busy = l->busy;
    pthread_cond_signal(&l->cv);
    pthread_mutex_unlock(&l->mu);
    if (busy && l->cancel) {
        char buf[256];
        PQcancel(l->cancel, buf, sizeof buf);
    }
    pthread_join(l->thread, NULL);
    pthread_mutex_destroy(&l->mu);
    pthread_cond_destroy(&l->cv);
    l->started = 0;
}

static void lease_free(struct pgmc_lease *l)
{
    if (!l)
        return;
    stop_heartbeat(l);
    PQfinish(l->hb); /* only set if the thread never started */
    if (l->cancel)
        PQfreeCancel(l->cancel);
    free(l);
}

/* --- acquire -------------------------------------------------------------- */

/* CREATE TABLE IF NOT EXISTS, retried when concurrent creators collide:
 * 23505 (pg_type's unique index), 42P07 (relation) or 42710 (type
 * "..." already exists), all seen with racing migrators. */
static int create_table(pgmc_ctx *c)
{
    char sql[600];
    int attempt;

    snprintf(sql, sizeof sql,
             "CREATE TABLE IF NOT EXISTS %s (\n"
             "  id int PRIMARY KEY CHECK (id = 1),\n"
             "  holder text NOT NULL,\n"
             "  acquired_at timestamptz NOT NULL DEFAULT clock_timestamp(),\n"
             "  expires_at timestamptz NOT NULL\n"
             ")",
             c->lock_table);
    for (attempt = 0;; attempt++) {
        PGresult *r = pgmc__exec(c, sql);
        const char *st = sqlstate(r);
        if (pgmc__ok(r)) {
            PQclear(r);
            pgmc__log(c, PGMC_LOG_VERBOSE, "lease table %s is ready", c->lock_table);
            return PGMC_OK;
        }
        if (attempt < 10 &&
            (!strcmp(st, "23505") || !strcmp(st, "42P07") || !strcmp(st, "42710"))) {
            PQclear(r);
            pgmc__sleep_ms(10 + 10 * attempt);
            continue;
        }
        pgmc__sql_error(c, PGMC_ERR_LOCK, r, "cannot create the lease table");
        PQclear(r);
        return c->res->code;
    }
}

/* Who holds the lease and for how much longer, for the waiting message. */
static void describe_holder(pgmc_ctx *c, char *buf, size_t cap)
{
    char sql[400];
    PGresult *r;

    snprintf(sql, sizeof sql,
             "SELECT holder, greatest(0, ceil(extract(epoch FROM expires_at - "
             "clock_timestamp()) * 1000))::bigint FROM %s WHERE id = 1",
             c->lock_table);
    r = pgmc__exec(c, sql);
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
        pgmc__fmt(buf, cap, "held by %s, expires in %s ms", PQgetvalue(r, 0, 0),
                  PQgetvalue(r, 0, 1));
    else
        pgmc__copy(buf, cap, "held by another migrator");
    PQclear(r);
}

/* One attempt: 1 we hold the lease, 0 someone else does, -1 error (set in
 * c->res), 2 the table is missing. The NOT EXISTS pre-check reads the
 * snapshot without locking, so polling a held lease takes no row lock. */
static int try_take(pgmc_ctx *c, struct pgmc_lease *l)
{
    char sql[1200];
    const char *params[2] = {l->holder, l->ttl};
    PGresult *r;
    int rc;

    snprintf(
        sql, sizeof sql,
        "INSERT INTO %s AS l (id, holder, acquired_at, expires_at)\n"
        "SELECT 1, $1, clock_timestamp(), clock_timestamp() + $2::float8 * interval '1 ms'\n"
        "WHERE NOT EXISTS (SELECT 1 FROM %s WHERE id = 1 AND expires_at >= clock_timestamp())\n"
        "ON CONFLICT (id) DO UPDATE SET holder = EXCLUDED.holder,\n"
        "  acquired_at = EXCLUDED.acquired_at, expires_at = EXCLUDED.expires_at\n"
        "  WHERE l.expires_at < clock_timestamp()\n"
        "RETURNING holder",
        c->lock_table, c->lock_table);
    r = pgmc__execp(c, sql, 2, params);
    if (PQresultStatus(r) == PGRES_TUPLES_OK) {
        rc = PQntuples(r) == 1 && !strcmp(PQgetvalue(r, 0, 0), l->holder);
    } else if (!strcmp(sqlstate(r), "42P01")) {
        rc = 2;
    } else {
        pgmc__sql_error(c, PGMC_ERR_LOCK, r, "cannot take the migration lease");
        rc = -1;
    }
    PQclear(r);
    return rc;
}

int pgmc__lease_acquire(pgmc_ctx *c)
{
    struct pgmc_lease *l;
    long ttl = c->opt.lease_ttl_ms > 0 ? c->opt.lease_ttl_ms : LEASE_DEFAULT_TTL_MS;
    int64_t start = pgmc__now_ms();
    int announced = 0, created = 0;
    pgmc_backoff b;
    char who[300];

    if (c->lease) /* already ours (e.g. redo under one lock) */
        return PGMC_OK;
    l = calloc(1, sizeof *l);
    if (!l)
        return pgmc__fail(c, PGMC_ERR_NOMEM, "out of memory");
    make_holder(l->holder, sizeof l->holder, c);
    pgmc__backoff_init(&b, 25, 2000);
    snprintf(l->ttl, sizeof l->ttl, "%ld", ttl);
    l->period_ms = ttl / 3 > 10 ? ttl / 3 : 10;
    snprintf(l->renew, sizeof l->renew,
             "UPDATE %s SET expires_at = clock_timestamp() + $2::float8 * interval '1 ms'\n"
             "WHERE id = 1 AND holder = $1 RETURNING 1",
             c->lock_table);
    /* 1 / 0 (22012) when the row is not ours: the transaction cannot commit */
    snprintf(l->fence, sizeof l->fence,
             "WITH u AS (UPDATE %s SET expires_at = clock_timestamp() + $2::float8 * "
             "interval '1 ms' WHERE id = 1 AND holder = $1 RETURNING 1)\n"
             "SELECT 1 / (SELECT count(*)::int FROM u) AS pgmc_lease_fence",
             c->lock_table);
    for (;;) {
        int got = try_take(c, l);
        if (got == 2 && !created) {
            if (create_table(c) != PGMC_OK) {
                lease_free(l);
                return c->res->code;
            }
            created = 1;
            continue;
        }
        if (got == 2) {
            lease_free(l);
            return pgmc__fail(c, PGMC_ERR_LOCK, "the lease table %s vanished", c->lock_table);
        }
        if (got < 0) {
            lease_free(l);
            return c->res->code;
        }
        if (got == 1)
            break;
        if (!announced) {
            describe_holder(c, who, sizeof who);
            pgmc__log(c, PGMC_LOG_INFO, "waiting for another migrator (lease %s, %s)",
                      c->lock_table, who);
            announced = 1;
        }
        if (c->opt.lock_wait_ms < 0 ||
            (c->opt.lock_wait_ms > 0 && pgmc__now_ms() - start >= c->opt.lock_wait_ms)) {
            describe_holder(c, who, sizeof who);
            snprintf(c->res->hint, sizeof c->res->hint,
                     "A killed migrator's lease expires by itself; if you are sure no "
                     "migrator runs, remove it: DELETE FROM %s;",
                     c->lock_table);
            lease_free(l);
            if (c->opt.lock_wait_ms < 0)
                return pgmc__fail(c, PGMC_ERR_LOCK,
                                  "another migrator holds the migration lease (table %s, %s); "
                                  "not waiting",
                                  c->lock_table, who);
            return pgmc__fail(c, PGMC_ERR_LOCK,
                              "timed out after %ld ms waiting for the migration lease "
                              "(table %s, %s)",
                              c->opt.lock_wait_ms, c->lock_table, who);
        }
        pgmc__sleep_ms(pgmc__backoff_next(&b));
    }
    /* Held: from here on release() undoes everything. */
    c->lease = l;
    c->locked = 1;
    if (announced)
        pgmc__log(c, PGMC_LOG_INFO, "got the migration lease after %" PRId64 " ms",
                  pgmc__now_ms() - start);
    pgmc__log(c, PGMC_LOG_VERBOSE, "holding the migration lease %s as %s (ttl %ld ms)",
              c->lock_table, l->holder, ttl);
    if (open_heartbeat(c, l) != PGMC_OK || start_heartbeat(c, l) != PGMC_OK) {
        int code = c->res->code;
        char msg[sizeof c->res->message];
        pgmc__copy(msg, sizeof msg, c->res->message);
        pgmc__lease_release(c);
        pgmc__copy(c->res->message, sizeof c->res->message, msg);
        c->res->code = (pgmc_code)code;
        return code;
    }
    return PGMC_OK;
}

/* --- fence and release ---------------------------------------------------- */

/* Why the fence found the lease not ours: who holds it now, if anyone. */
static int lost_lease(pgmc_ctx *c, struct pgmc_lease *l)
{
    char sql[300], who[200] = "";
    PGresult *r;

    snprintf(sql, sizeof sql, "SELECT holder FROM %s WHERE id = 1", c->lock_table);
    r = pgmc__exec(c, sql);
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
        pgmc__copy(who, sizeof who, PQgetvalue(r, 0, 0));
    PQclear(r);
    if (who[0])
        return pgmc__fail(c, PGMC_ERR_LOCK,
                          "lost the migration lease %s: another migrator (%s) took it over after "
                          "it expired (this one is %s); not committing",
                          c->lock_table, who, l->holder);
    return pgmc__fail(c, PGMC_ERR_LOCK,
                      "lost the migration lease %s: its row was deleted (this migrator is %s); "
                      "not committing",
                      c->lock_table, l->holder);
}

static int known_lost(pgmc_ctx *c, struct pgmc_lease *l)
{
    char why[sizeof l->why];

    if (!atomic_load(&l->lost))
        return 0;
    pthread_mutex_lock(&l->mu);
    pgmc__copy(why, sizeof why, l->why);
    pthread_mutex_unlock(&l->mu);
    pgmc__fail(c, PGMC_ERR_LOCK, "lost the migration lease %s (%s); not committing", c->lock_table,
               why);
    return 1;
}

int pgmc__lease_fence(pgmc_ctx *c)
{
    struct pgmc_lease *l = c->lease;
    const char *params[2];
    PGresult *r;
    int rows;

    if (!l)
        return pgmc__fail(c, PGMC_ERR_LOCK, "the migration lease is not held");
    if (known_lost(c, l))
        return c->res->code;
    params[0] = l->holder;
    params[1] = l->ttl;
    r = pgmc__execp(c, l->renew, 2, params);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        pgmc__sql_error(c, PGMC_ERR_LOCK, r, "cannot check the migration lease");
        PQclear(r);
        return c->res->code;
    }
    rows = PQntuples(r);
    PQclear(r);
    if (rows != 1) {
        /* the failed transaction cannot read; ask after it is rolled back */
        if (PQtransactionStatus(c->conn) == PQTRANS_INTRANS)
            PQclear(pgmc__exec(c, "ROLLBACK"));
        return lost_lease(c, l);
    }
    return PGMC_OK;
}

int pgmc__lease_fence_pq(pgmc_ctx *c, pgmc_pq *q, int *has)
{
    struct pgmc_lease *l = c->lease;

    *has = 0;
    if (!l)
        return pgmc__fail(c, PGMC_ERR_LOCK, "the migration lease is not held");
    if (known_lost(c, l))
        return c->res->code;
    l->params[0] = l->holder;
    l->params[1] = l->ttl;
    memset(q, 0, sizeof *q);
    q->sql = l->fence;
    q->len = (size_t)-1;
    q->n = 2;
    q->params = l->params;
    q->tag = PGMC_PQ_TAG_FENCE;
    *has = 1;
    return PGMC_OK;
}

int pgmc__lease_fence_failed(pgmc_ctx *c, const PGresult *r)
{
    const char *st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

    if (st && !strcmp(st, "22012") && c->lease)
        return lost_lease(c, c->lease);
    return pgmc__sql_error(c, PGMC_ERR_LOCK, r, "cannot check the migration lease");
}

void pgmc__lease_release(pgmc_ctx *c)
{
    struct pgmc_lease *l = c->lease;
    char sql[300];
    const char *params[1];
    PGresult *r;

    c->locked = 0;
    if (!l)
        return;
    c->lease = NULL;
    /* End a transaction left open first: if it ran the fence it holds the
     * lease row's lock, and a renewal in flight would wait for it. */
    if (c->conn && PQstatus(c->conn) == CONNECTION_OK &&
        PQtransactionStatus(c->conn) != PQTRANS_IDLE)
        PQclear(pgmc__exec(c, "ROLLBACK"));
    stop_heartbeat(l);
    if (atomic_load(&l->lost))
        pgmc__log(c, PGMC_LOG_WARN, "the migration lease %s was lost while held: %s", c->lock_table,
                  l->why);
    if (c->conn && PQstatus(c->conn) == CONNECTION_OK &&
        PQtransactionStatus(c->conn) == PQTRANS_IDLE) {
        snprintf(sql, sizeof sql, "DELETE FROM %s WHERE id = 1 AND holder = $1", c->lock_table);
        params[0] = l->holder;
        r = pgmc__execp(c, sql, 1, params);
        if (!pgmc__ok(r))
            pgmc__log(c, PGMC_LOG_WARN,
                      "could not release the migration lease %s (it expires by itself): %s",
                      c->lock_table, PQerrorMessage(c->conn));
        PQclear(r);
    } else {
        pgmc__log(c, PGMC_LOG_WARN,
                  "could not release the migration lease %s: the connection is gone (it "
                  "expires by itself)",
                  c->lock_table);
    }
    lease_free(l);
}
