/* test_runtime_lease.c - the lease lock (PGMC_LOCK_LEASE) against a real
 * server: through pgmc_up (held leases make it wait and time out, expired
 * ones are taken over, the lease is gone afterwards on success and error
 * paths, racing migrators on a fresh database apply everything once, the
 * heartbeat keeps a lease alive past its TTL), and white-box through the
 * internal calls (the fence refuses a stolen lease, the heartbeat notices a
 * theft and survives a killed connection, release never deletes somebody
 * else's lease, is idempotent, and stops the heartbeat promptly). Each
 * scenario uses its own history table, hence its own lease table. */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <sys/wait.h>
#include <time.h>

#include "pgmc_internal.h"
#include "test_runtime_fixture.h"

#define HB_APP "pgmc-lease-heartbeat"

typedef struct fixture {
    pgmc_migration m[3];
    pgmc_schema s;
    char table[64]; /* history table */
    char lock[80];  /* its lease table */
} fixture;

/* Two migrations recording themselves in runs(tag, v); `bad` adds a third
 * that fails, `mid` (if set) is an extra statement of migration 2. */
static void build(fixture *f, const char *tag, const char *mid, int bad)
{
    char sql[1024];

    snprintf(f->table, sizeof f->table, "h_%s", tag);
    snprintf(f->lock, sizeof f->lock, "h_%s_lock", tag);
    snprintf(sql, sizeof sql,
             "CREATE TABLE IF NOT EXISTS runs (tag text, v int);\n"
             "INSERT INTO runs VALUES ('%s', 1);\n",
             tag);
    fx_mig(&f->m[0], "1", "one", fx_keep(sql), NULL, PGMC_TX_TRANSACTION);
    snprintf(sql, sizeof sql, "%s%sINSERT INTO runs VALUES ('%s', 2);\n", mid ? mid : "",
             mid ? "\n" : "", tag);
    fx_mig(&f->m[1], "2", "two", fx_keep(sql), NULL, PGMC_TX_TRANSACTION);
    fx_mig(&f->m[2], "3", "bad", "SELECT 1/0;\n", NULL, PGMC_TX_TRANSACTION);
    fx_schema(&f->s, f->m, bad ? 3 : 2);
}

static void options(pgmc_options *o, const fixture *f, long wait_ms, long ttl_ms)
{
    pgmc_options_init(o);
    o->history_table = f->table;
    o->lock_mode = PGMC_LOCK_LEASE;
    o->lock_wait_ms = wait_ms;
    o->lease_ttl_ms = ttl_ms;
}

/* fx_int / fx_exec with a printf format (for the table names). */
static long q(PGconn *c, const char *fmt, ...) PGMC_PRINTF(2, 3);
static void exec1(PGconn *c, const char *fmt, ...) PGMC_PRINTF(2, 3);

static long q(PGconn *c, const char *fmt, ...)
{
    char sql[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    return fx_int(c, sql);
}

static void exec1(PGconn *c, const char *fmt, ...)
{
    char sql[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    fx_exec(c, sql);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Heartbeat connections on the server whose pid differs from `not_pid`
 * (0: any), polled until `want` of them are seen (at most ~10 s). Returns
 * the pid of one (0 if none) and the count in *n. */
static long wait_heartbeats(PGconn *c, long want, long not_pid, long *n)
{
    char sql[300];
    long pid = 0;
    int i;

    for (i = 0; i < 200; i++) {
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM pg_stat_activity WHERE application_name = '%s' "
                 "AND pid <> %ld AND datname = current_database()",
                 HB_APP, not_pid);
        *n = fx_int(c, sql);
        if (*n == want)
            break;
        sleep_ms(50);
    }
    snprintf(sql, sizeof sql,
             "SELECT coalesce(max(pid), 0) FROM pg_stat_activity WHERE application_name = '%s' "
             "AND pid <> %ld AND datname = current_database()",
             HB_APP, not_pid);
    pid = fx_int(c, sql);
    return pid;
}

/* --- through pgmc_up ---------------------------------------------------- */

static void test_basic(PGconn *c)
{
    fixture f;
    pgmc_options o;
    pgmc_result res;
    long n;

    build(&f, "basic", NULL, 0);
    options(&o, &f, 0, 0);
    CHECK_RC(pgmc_up(c, &f.s, PGMC_ALL, &o, &res), PGMC_OK, &res);
    CHECK(res.applied == 2);
    CHECK(q(c, "SELECT count(*) FROM runs WHERE tag = 'basic'") == 2);
    CHECK(q(c, "SELECT count(*) FROM %s", f.lock) == 0);
    /* the table is as documented */
    CHECK(q(c,
            "SELECT count(*) FROM information_schema.columns WHERE table_name = '%s' AND "
            "column_name IN ('id', 'holder', 'acquired_at', 'expires_at')",
            f.lock) == 4);
    /* no advisory lock involved, and the heartbeat connection is gone */
    CHECK(fx_int(c, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
                    "(SELECT oid FROM pg_database WHERE datname = current_database())") == 0);
    wait_heartbeats(c, 0, 0, &n);
    CHECK(n == 0);
    /* nothing pending: no lease taken (and none left) */
    CHECK_RC(pgmc_up(c, &f.s, PGMC_ALL, &o, &res), PGMC_OK, &res);
    CHECK(res.applied == 0);
    CHECK(q(c, "SELECT count(*) FROM %s", f.lock) == 0);
}

static void test_held(PGconn *c)
{
    fixture f;
    pgmc_options o;
    pgmc_result res;

    build(&f, "held", NULL, 0);
    options(&o, &f, 500, 0);
    /* first use creates the lease table; then somebody else holds the lease */
    CHECK_RC(pgmc_up(c, &f.s, 1, &o, &res), PGMC_OK, &res);
    exec1(c,
          "INSERT INTO %s (id, holder, expires_at) VALUES "
          "(1, 'someone-else', now() + interval '10 minutes')",
          f.lock);
    CHECK_RC(pgmc_up(c, &f.s, PGMC_ALL, &o, &res), PGMC_ERR_LOCK, &res);
    CHECK(strstr(res.message, "timed out after 500 ms") != NULL);
    CHECK(strstr(res.message, "someone-else") != NULL);
    CHECK(strstr(res.hint, f.lock) != NULL);
    CHECK(q(c, "SELECT count(*) FROM runs WHERE tag = 'held'") == 1);
    /* the waiter did not touch the holder's lease */
    CHECK(q(c, "SELECT count(*) FROM %s WHERE holder = 'someone-else'", f.lock) == 1);
}

static void test_expired(PGconn *c)
{
    fixture f;
    pgmc_options o;
    pgmc_result res;

    build(&f, "expired", NULL, 0);
    options(&o, &f, 500, 0);
    CHECK_RC(pgmc_up(c, &f.s, 1, &o, &res), PGMC_OK, &res);
    exec1(c,
          "INSERT INTO %s (id, holder, acquired_at, expires_at) VALUES "
          "(1, 'crashed-migrator', now() - interval '2 minutes', now() - interval '1 minute')",
          f.lock);
    CHECK_RC(pgmc_up(c, &f.s, PGMC_ALL, &o, &res), PGMC_OK, &res);
    CHECK(res.applied == 1);
    CHECK(q(c, "SELECT count(*) FROM runs WHERE tag = 'expired'") == 2);
    CHECK(q(c, "SELECT count(*) FROM %s", f.lock) == 0);
}

static void test_sql_error(PGconn *c)
{
    fixture f;
    pgmc_options o;
    pgmc_result res;
    long n;

    build(&f, "sqlerr", NULL, 1);
    options(&o, &f, 500, 0);
    CHECK_RC(pgmc_up(c, &f.s, PGMC_ALL, &o, &res), PGMC_ERR_SQL, &res);
    CHECK_STR(res.sqlstate, "22012");
    CHECK(q(c, "SELECT count(*) FROM runs WHERE tag = 'sqlerr'") == 2);
    CHECK(q(c, "SELECT count(*) FROM %s", f.lock) == 0);
    wait_heartbeats(c, 0, 0, &n);
    CHECK(n == 0);
    /* and the next migrator is not blocked: it fails on the same SQL, not the lock */
    CHECK_RC(pgmc_up(c, &f.s, PGMC_ALL, &o, &res), PGMC_ERR_SQL, &res);
}

/* The migrator's connection dies mid-migration: the call fails, the lease
 * stays (nobody can delete it) until it expires, then the next one takes it. */
static void test_killed(PGconn *c)
{
    fixture f;
    pgmc_options o;
    pgmc_result res;
    PGconn *c2 = fx_connect();
    long n;

    build(&f, "killed", "SELECT pg_terminate_backend(pg_backend_pid());", 0);
    options(&o, &f, 0, 1500);
    CHECK(pgmc_up(c2, &f.s, PGMC_ALL, &o, &res) != PGMC_OK);
    CHECK(res.code == PGMC_ERR_CONNECT || res.code == PGMC_ERR_SQL);
    PQfinish(c2);
    CHECK(q(c, "SELECT count(*) FROM runs WHERE tag = 'killed'") == 1);
    CHECK(q(c, "SELECT count(*) FROM %s", f.lock) == 1);
    wait_heartbeats(c, 0, 0, &n);
    CHECK(n == 0);
    /* the next migrator waits for the expiry, then takes over; its run of
       migration 2 is the plain one this time */
    build(&f, "killed", NULL, 0);
    CHECK_RC(pgmc_up(c, &f.s, PGMC_ALL, &o, &res), PGMC_OK, &res);
    CHECK(res.applied == 1);
    CHECK(q(c, "SELECT count(*) FROM runs WHERE tag = 'killed'") == 2);
    CHECK(q(c, "SELECT count(*) FROM %s", f.lock) == 0);
}

/* A migration that outlives the TTL: the heartbeat renews the lease. */
static void test_heartbeat_renews(PGconn *c)
{
    fixture f;
    pgmc_options o;
    pgmc_result res;
    char mid[600];

    snprintf(mid, sizeof mid,
             "CREATE TABLE seen AS SELECT expires_at FROM h_renew_lock;\n"
             "SELECT pg_sleep(2);\n"
             "DO $$ BEGIN IF (SELECT expires_at FROM h_renew_lock) <= (SELECT expires_at FROM "
             "seen) OR (SELECT expires_at FROM h_renew_lock) <= clock_timestamp() THEN RAISE "
             "EXCEPTION 'the lease was not renewed'; END IF; END $$;\n"
             "DROP TABLE seen;");
    build(&f, "renew", fx_keep(mid), 0);
    options(&o, &f, 0, 1500);
    CHECK_RC(pgmc_up(c, &f.s, PGMC_ALL, &o, &res), PGMC_OK, &res);
    CHECK(q(c, "SELECT count(*) FROM runs WHERE tag = 'renew'") == 2);
    CHECK(q(c, "SELECT count(*) FROM %s", f.lock) == 0);
}

/* Migrators racing on a table that does not exist yet (neither history nor
 * lease table): all succeed, each migration runs once. */
static void test_race(void)
{
    enum { N = 8 };
    fixture f;
    pid_t pids[N];
    int i, ok = 0;
    PGconn *c;

    build(&f, "race", "SELECT pg_sleep(0.2);", 0);
    for (i = 0; i < N; i++) {
        pids[i] = fork();
        if (pids[i] == 0) {
            pgmc_options o;
            pgmc_result res;
            PGconn *cc = fx_connect();
            int rc;
            options(&o, &f, 0, 0);
            rc = pgmc_up(cc, &f.s, PGMC_ALL, &o, &res);
            if (rc != PGMC_OK)
                pgmc_print_error(stderr, &res);
            PQfinish(cc);
            _exit(rc);
        }
    }
    for (i = 0; i < N; i++) {
        int st = 0;
        if (waitpid(pids[i], &st, 0) == pids[i] && WIFEXITED(st) && WEXITSTATUS(st) == 0)
            ok++;
    }
    CHECK(ok == N);
    c = fx_connect();
    CHECK(q(c, "SELECT count(*) FROM runs WHERE tag = 'race'") == 2);
    CHECK(q(c, "SELECT count(DISTINCT v) FROM runs WHERE tag = 'race'") == 2);
    CHECK(q(c, "SELECT count(*) FROM %s WHERE success", f.table) == 2);
    CHECK(q(c, "SELECT count(*) FROM %s", f.lock) == 0);
    PQfinish(c);
}

/* A schema-qualified history table gets its lease table in that schema. */
static void test_schema_qualified(PGconn *c)
{
    fixture f;
    pgmc_options o;
    pgmc_result res;

    build(&f, "q", NULL, 0);
    fx_exec(c, "CREATE SCHEMA ops");
    options(&o, &f, 0, 0);
    o.history_table = "ops.hist";
    CHECK_RC(pgmc_up(c, &f.s, PGMC_ALL, &o, &res), PGMC_OK, &res);
    CHECK(fx_int(c, "SELECT count(*) FROM ops.hist_lock") == 0);
    CHECK(fx_int(c, "SELECT count(*) FROM ops.hist WHERE success") == 2);
}

/* --- white-box: the internal calls -------------------------------------- */

static int fence_in_tx(pgmc_ctx *ctx)
{
    int rc;

    fx_exec(ctx->conn, "BEGIN");
    rc = pgmc__lease_fence(ctx);
    fx_exec(ctx->conn, rc == PGMC_OK ? "COMMIT" : "ROLLBACK");
    return rc;
}

static void test_fence(PGconn *c)
{
    fixture f;
    pgmc_options o;
    pgmc_result res;
    pgmc_ctx ctx;
    PGconn *mc = fx_connect();
    char holder[200] = "";
    PGresult *r;

    build(&f, "fence", NULL, 0);
    options(&o, &f, 500, 60000);
    CHECK_RC(pgmc__begin(&ctx, mc, NULL, &o, &res), PGMC_OK, &res);
    CHECK_RC(pgmc__lease_acquire(&ctx), PGMC_OK, &res);
    CHECK(ctx.locked == 1 && ctx.lease != NULL);
    r = PQexec(c, "SELECT holder FROM h_fence_lock WHERE expires_at > now() + interval '50 s'");
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
        pgmc__copy(holder, sizeof holder, PQgetvalue(r, 0, 0));
    PQclear(r);
    CHECK(holder[0] != '\0');
    CHECK(strchr(holder, ':') != NULL); /* host:pid:random */

    /* the fence extends an expiring lease inside the caller's transaction */
    exec1(c, "UPDATE %s SET expires_at = clock_timestamp() + interval '5 s'", f.lock);
    CHECK_RC(fence_in_tx(&ctx), PGMC_OK, &res);
    CHECK(q(c, "SELECT count(*) FROM %s WHERE expires_at > now() + interval '50 s'", f.lock) == 1);
    /* a second migrator cannot take it meanwhile */
    {
        pgmc_result r2;
        CHECK_RC(pgmc_up(c, &f.s, PGMC_ALL, &o, &r2), PGMC_ERR_LOCK, &r2);
    }

    /* expired while nobody took it over: still ours, and the fence renews
     * it (a takeover replaces the holder under the row lock, so the two
     * cannot both succeed; issue 9: a long transaction must not lose it) */
    exec1(c, "UPDATE %s SET expires_at = clock_timestamp() - interval '1 s'", f.lock);
    CHECK_RC(fence_in_tx(&ctx), PGMC_OK, &res);
    CHECK(q(c, "SELECT count(*) FROM %s WHERE expires_at > clock_timestamp()", f.lock) == 1);

    /* stolen: the fence refuses, and release leaves the thief's lease alone */
    exec1(c, "UPDATE %s SET holder = 'thief', expires_at = clock_timestamp() + interval '1 min'",
          f.lock);
    CHECK_RC(fence_in_tx(&ctx), PGMC_ERR_LOCK, &res);
    CHECK(strstr(res.message, "lost the migration lease") != NULL);
    pgmc__lease_release(&ctx);
    CHECK(ctx.locked == 0 && ctx.lease == NULL);
    CHECK(q(c, "SELECT count(*) FROM %s WHERE holder = 'thief'", f.lock) == 1);
    pgmc__lease_release(&ctx); /* idempotent */
    CHECK(ctx.locked == 0);
    CHECK_RC(pgmc__lease_fence(&ctx), PGMC_ERR_LOCK, &res); /* not held */
    pgmc__end(&ctx, PGMC_OK);

    /* release on a connection left in a failed transaction: rolls back, deletes */
    exec1(c, "DELETE FROM %s", f.lock);
    CHECK_RC(pgmc__begin(&ctx, mc, NULL, &o, &res), PGMC_OK, &res);
    CHECK_RC(pgmc__lease_acquire(&ctx), PGMC_OK, &res);
    fx_exec(mc, "BEGIN");
    PQclear(PQexec(mc, "SELECT 1/0"));
    CHECK(PQtransactionStatus(mc) == PQTRANS_INERROR);
    pgmc__end(&ctx, PGMC_ERR_SQL); /* releases, as every API call does */
    CHECK(PQtransactionStatus(mc) == PQTRANS_IDLE);
    CHECK(q(c, "SELECT count(*) FROM %s", f.lock) == 0);
    PQfinish(mc);
}

static void test_heartbeat_loss(PGconn *c)
{
    fixture f;
    pgmc_options o;
    pgmc_result res;
    pgmc_ctx ctx;
    PGconn *mc = fx_connect();
    long n, pid, pid2;
    double t0, took;

    build(&f, "hb", NULL, 0);
    options(&o, &f, 500, 1500); /* renewal every 500 ms */
    CHECK_RC(pgmc__begin(&ctx, mc, NULL, &o, &res), PGMC_OK, &res);
    CHECK_RC(pgmc__lease_acquire(&ctx), PGMC_OK, &res);
    pid = wait_heartbeats(c, 1, 0, &n);
    CHECK(n == 1);

    /* its connection killed: the heartbeat reconnects and keeps the lease */
    exec1(c, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '%s'",
          HB_APP);
    pid2 = wait_heartbeats(c, 1, pid, &n);
    CHECK(n == 1 && pid2 != 0 && pid2 != pid);
    CHECK_RC(fence_in_tx(&ctx), PGMC_OK, &res);

    /* stolen: the heartbeat notices, flags it and closes its connection */
    exec1(c, "CREATE TEMP TABLE mine AS SELECT holder FROM %s", f.lock);
    exec1(c, "UPDATE %s SET holder = 'thief'", f.lock);
    wait_heartbeats(c, 0, 0, &n);
    CHECK(n == 0);
    /* even with the row looking like ours again, the next fence fails */
    exec1(c,
          "UPDATE %s SET holder = (SELECT holder FROM mine), expires_at = clock_timestamp() + "
          "interval '1 min'",
          f.lock);
    CHECK_RC(fence_in_tx(&ctx), PGMC_ERR_LOCK, &res);
    CHECK(strstr(res.message, "taken over") != NULL);
    pgmc__end(&ctx, PGMC_OK);
    CHECK(q(c, "SELECT count(*) FROM %s", f.lock) == 0);

    /* stopping is prompt: a 60 s TTL renews every 20 s, release must not
       wait for the next period */
    options(&o, &f, 500, 60000);
    CHECK_RC(pgmc__begin(&ctx, mc, NULL, &o, &res), PGMC_OK, &res);
    CHECK_RC(pgmc__lease_acquire(&ctx), PGMC_OK, &res);
    t0 = mono_s();
    pgmc__end(&ctx, PGMC_OK);
    took = mono_s() - t0;
    printf("release with a 20 s heartbeat period took %.3f s\n", took);
    CHECK(took < 10.0);
    CHECK(q(c, "SELECT count(*) FROM %s", f.lock) == 0);
    PQfinish(mc);
}

int main(void)
{
    PGconn *c;

    test_race(); /* first: forks while this process has no threads */
    c = fx_connect();
    test_basic(c);
    test_held(c);
    test_expired(c);
    test_sql_error(c);
    test_killed(c);
    test_heartbeat_renews(c);
    test_schema_qualified(c);
    test_fence(c);
    test_heartbeat_loss(c);
    PQfinish(c);
    return fx_done("test_runtime_lease");
}
