/* test_runtime_lock.c - one migrator at a time: racing processes both
 * succeed and each migration runs once; a waiter times out with
 * PGMC_ERR_LOCK; the lock is released on the error path. */
#define _POSIX_C_SOURCE 200809L

#include <sys/wait.h>
#include <time.h>

#include "test_runtime_fixture.h"

int64_t pgmc__lock_key(const char *name); /* runtime/lock.c */

static pgmc_migration migs[3];
static pgmc_schema schema;

static void build(void)
{
    fx_mig(&migs[0], "1", "slow",
           "CREATE TABLE runs (migration int);\n"
           "INSERT INTO runs VALUES (1);\n"
           "SELECT pg_sleep(1);\n",
           NULL, PGMC_TX_TRANSACTION);
    fx_mig(&migs[1], "2", "concurrently",
           "INSERT INTO runs VALUES (2);\n"
           "CREATE INDEX CONCURRENTLY runs_m ON runs (migration);\n",
           NULL, PGMC_TX_NONE);
    fx_mig(&migs[2], "3", "more", "INSERT INTO runs VALUES (3);\n", NULL, PGMC_TX_TRANSACTION);
    fx_schema(&schema, migs, 3);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Child: connect, migrate, exit with the pgmc code. */
static pid_t spawn(long delay_ms, long lock_timeout_ms, int n)
{
    pid_t pid = fork();

    if (pid == 0) {
        pgmc_options o;
        pgmc_result res;
        PGconn *c;
        int rc;
        sleep_ms(delay_ms);
        c = fx_connect();
        pgmc_options_init(&o);
        o.lock_wait_ms = lock_timeout_ms;
        rc = pgmc_up(c, &schema, n, &o, &res);
        if (rc != PGMC_OK && rc != PGMC_ERR_LOCK)
            pgmc_print_error(stderr, &res);
        PQfinish(c);
        _exit(rc);
    }
    return pid;
}

static int wait_code(pid_t pid)
{
    int status = 0;

    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

int main(void)
{
    PGconn *c;
    pid_t a, b;
    pgmc_result res;

    build();
    c = fx_connect();

    /* a waiter with a short timeout gives up while "slow" holds the lock */
    a = spawn(0, 0, 1);
    b = spawn(400, 200, 1);
    CHECK(wait_code(b) == PGMC_ERR_LOCK);
    CHECK(wait_code(a) == PGMC_OK);
    CHECK(fx_int(c, "SELECT count(*) FROM runs") == 1);

    /* two racing migrators: both succeed, every migration ran exactly once */
    a = spawn(0, 0, PGMC_ALL);
    b = spawn(0, 0, PGMC_ALL);
    CHECK(wait_code(a) == PGMC_OK);
    CHECK(wait_code(b) == PGMC_OK);
    CHECK(fx_int(c, "SELECT count(*) FROM runs") == 3);
    CHECK(fx_int(c, "SELECT count(DISTINCT migration) FROM runs") == 3);
    CHECK(fx_int(c, "SELECT count(*) FROM pgmc_schema_history WHERE success") == 3);

    /* nobody holds the lock afterwards */
    CHECK(fx_int(c, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
                    "(SELECT oid FROM pg_database WHERE datname = current_database())") == 0);

    /* released on the error path too: fail on one connection, keep it open,
       and a second connection can still take the lock */
    {
        pgmc_migration m[4];
        pgmc_schema s;
        pgmc_options o;
        PGconn *c2 = fx_connect();
        memcpy(m, migs, sizeof migs);
        fx_mig(&m[3], "4", "bad", "SELECT 1/0;\n", NULL, PGMC_TX_TRANSACTION);
        fx_schema(&s, m, 4);
        CHECK_RC(pgmc_up(c, &s, PGMC_ALL, NULL, &res), PGMC_ERR_SQL, &res);
        CHECK_STR(res.sqlstate, "22012");
        CHECK(fx_int(c, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
                        "(SELECT oid FROM pg_database WHERE datname = current_database())") == 0);
        pgmc_options_init(&o);
        o.lock_wait_ms = 500;
        CHECK_RC(pgmc_up(c2, &s, PGMC_ALL, &o, &res), PGMC_ERR_SQL, &res);
        PQfinish(c2);
    }
    /* Another session holds one of the two keys (the resolved name's, or
       the spelled name's of an older pgmc): the waiter keeps the other,
       polls, and times out with PGMC_ERR_LOCK, and gives back what it got.
       Regression: polling only the missing key sent 2 parameters for a
       query naming 1, and the server refused it (08P01). */
    {
        static const char *const names[2] = {"public.lock_probe_history", "lock_probe_history"};
        int k;
        for (k = 0; k < 2; k++) {
            PGconn *holder = fx_connect();
            pgmc_options o;
            char sql[160];
            snprintf(sql, sizeof sql, "SELECT pg_advisory_lock(%lld)",
                     (long long)pgmc__lock_key(names[k]));
            fx_exec(holder, sql);
            pgmc_options_init(&o);
            o.lock_wait_ms = 300;
            o.history_table = "lock_probe_history"; /* new: all pending */
            CHECK_RC(pgmc_up(c, &schema, PGMC_ALL, &o, &res), PGMC_ERR_LOCK, &res);
            CHECK(strstr(res.message, "timed out") != NULL);
            CHECK(res.sqlstate[0] == 0);
            /* only the holder's lock remains */
            CHECK(fx_int(c, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND "
                            "pid = pg_backend_pid()") == 0);
            PQfinish(holder);
        }
    }
    PQfinish(c);
    return fx_done("test_runtime_lock");
}
