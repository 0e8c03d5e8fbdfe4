/* test_runtime_once.c - issue 9's promise that no statement runs twice,
 * against a real server, one regression per finding:
 *  - each statement of a non-transactional script commits together with its
 *    progress row (a failing progress write takes the statement with it);
 *  - an unwrapped statement (CREATE INDEX CONCURRENTLY) that completed but
 *    could not be recorded is reported as completed, and the next run counts
 *    the valid index as done instead of failing with 42P07;
 *  - a rerun waits while the backend of the statement in flight still runs,
 *    and refuses with --lock-wait once;
 *  - two spellings of one history table take one lock;
 *  - pgmc_cancel() stops a transactional and a non-transactional migration:
 *    rolled back / recorded, lock released, nothing applied twice;
 *  - lease mode: a script's own transaction block, and a transactional
 *    migration, longer than the lease TTL commit (the heartbeat renews);
 *  - a history table made by an older pgmc is upgraded by the first run. */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdarg.h>
#include <time.h>

#include "pgmc_internal.h"
#include "test_runtime_fixture.h"

static void exec1(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);

    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
        fprintf(stderr, "%s: %s", sql, PQerrorMessage(c));
        fx_failures++;
    }
    PQclear(r);
}

static void sleep_ms(long ms)
{
    struct timespec ts;

    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000L;
    nanosleep(&ts, NULL);
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A failing progress write rolls the statement back with it; fixed, the
 * rerun applies each data change exactly once. */
static void test_commit_with_progress(PGconn *c)
{
    pgmc_migration m[2];
    pgmc_schema s;
    pgmc_options o;
    pgmc_result res;

    exec1(c, "CREATE TABLE acct (id int PRIMARY KEY, bal int NOT NULL);"
             "INSERT INTO acct SELECT g, 0 FROM generate_series(1, 1000) g;"
             "CREATE TABLE ledger (n int)");
    fx_mig(&m[0], "1", "credit",
           "CREATE INDEX CONCURRENTLY acct_bal ON acct (bal);\n"
           "UPDATE acct SET bal = bal + 10;\n"
           "INSERT INTO ledger VALUES (1);\n"
           "UPDATE acct SET bal = bal + 1 WHERE id = (SELECT 1/count(*) FROM gate);\n",
           NULL, PGMC_TX_NONE);
    fx_schema(&s, m, 1);
    pgmc_options_init(&o);
    o.history_table = "h_once";
    exec1(c, "CREATE TABLE gate (x int)");
    /* statement 4 fails (1/0): 1-3 are committed, with progress 3 */
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, &o, &res), PGMC_ERR_SQL, &res);
    CHECK(res.statement == 4);
    CHECK(strstr(res.note, "Statements 1-3 of 4 completed") != NULL);
    CHECK(fx_int(c, "SELECT progress FROM h_once WHERE version = '1'") == 3);
    CHECK(fx_int(c, "SELECT sum(bal) FROM acct") == 10000);
    CHECK(fx_int(c, "SELECT count(*) FROM ledger") == 1);
    /* the next progress write fails: statement 4 is rolled back with it */
    exec1(c, "INSERT INTO gate VALUES (1)");
    exec1(c, "CREATE FUNCTION no_progress() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
             "IF NEW.success THEN RAISE EXCEPTION 'history write refused'; END IF; "
             "RETURN NEW; END $$;"
             "CREATE TRIGGER no_progress BEFORE UPDATE ON h_once FOR EACH ROW "
             "WHEN (NEW.error IS NULL) EXECUTE FUNCTION no_progress()");
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, &o, &res), PGMC_ERR_HISTORY, &res);
    CHECK(strstr(res.message, "history write refused") != NULL);
    CHECK(strstr(res.note, "statement 4 did not complete") != NULL);
    CHECK(fx_int(c, "SELECT bal FROM acct WHERE id = 1") == 10); /* rolled back */
    exec1(c, "DROP TRIGGER no_progress ON h_once");
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, &o, &res), PGMC_OK, &res);
    CHECK(res.resumed_at == 4);
    CHECK(fx_int(c, "SELECT sum(bal) FROM acct") == 10001);
    CHECK(fx_int(c, "SELECT count(*) FROM ledger") == 1);
    CHECK(fx_int(c, "SELECT count(*) FROM h_once WHERE success AND progress IS NULL AND "
                    "backend IS NULL") == 1);
}

/* Item 7 and 8: a CREATE INDEX CONCURRENTLY completes, then recording it
 * fails: reported as completed; the rerun counts the valid index as done. */
static void test_unrecorded_index(PGconn *c)
{
    pgmc_migration m[1];
    pgmc_schema s;
    pgmc_options o;
    pgmc_result res;

    exec1(c, "CREATE TABLE t7 (a int, b int); CREATE TABLE t7log (n int)");
    fx_mig(&m[0], "1", "idx",
           "INSERT INTO t7log VALUES (1);\n"
           "CREATE INDEX CONCURRENTLY t7_a ON t7 (a);\n"
           "INSERT INTO t7log VALUES (2);\n",
           NULL, PGMC_TX_NONE);
    fx_schema(&s, m, 1);
    pgmc_options_init(&o);
    o.history_table = "h_idx";
    CHECK_RC(pgmc_force(c, &s, "none", &o, &res), PGMC_OK, &res); /* creates the table */
    /* refuse the write that records statement 2 (progress 2) */
    exec1(c, "CREATE FUNCTION refuse2() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
             "IF NEW.progress = 2 THEN RAISE EXCEPTION 'progress write refused'; END IF; "
             "RETURN NEW; END $$;"
             "CREATE TRIGGER refuse2 BEFORE UPDATE ON h_idx FOR EACH ROW "
             "WHEN (NEW.error IS NULL) EXECUTE FUNCTION refuse2()");
    CHECK_RC(pgmc_up(c, &s, 1, &o, &res), PGMC_ERR_HISTORY, &res);
    CHECK(strstr(res.note, "Statement 1 of 3 completed") != NULL);
    CHECK(strstr(res.note, "statement 2 ALSO completed and is committed") != NULL);
    CHECK(strstr(res.note, "did not complete") == NULL);
    CHECK(fx_int(c, "SELECT count(*) FROM pg_index WHERE indexrelid = 't7_a'::regclass AND "
                    "indisvalid") == 1);
    CHECK(fx_int(c, "SELECT count(*) FROM h_idx WHERE progress = 1 AND backend <> ''") == 1);
    exec1(c, "DROP TRIGGER refuse2 ON h_idx");
    /* the rerun must not fail with 42P07: the valid index counts as done */
    CHECK_RC(pgmc_up(c, &s, 1, &o, &res), PGMC_OK, &res);
    CHECK(fx_int(c, "SELECT count(*) FROM t7log") == 2);
    CHECK(fx_int(c, "SELECT count(*) FROM h_idx WHERE success") == 1);
}

/* A rerun never runs beside the statement the interrupted run left in
 * flight: with --lock-wait once it refuses naming the backend; once the
 * backend ends it goes on. */
static void test_wait_for_backend(PGconn *c)
{
    pgmc_migration m[1];
    pgmc_schema s;
    pgmc_options o;
    pgmc_result res;
    PGconn *other = fx_connect();
    char sql[512];
    double t0;

    exec1(c, "CREATE TABLE t8 (a int)");
    fx_mig(&m[0], "1", "idx8", "CREATE INDEX CONCURRENTLY t8_a ON t8 (a);\nSELECT 1;\n", NULL,
           PGMC_TX_NONE);
    fx_schema(&s, m, 1);
    pgmc_options_init(&o);
    o.history_table = "h_wait";
    CHECK_RC(pgmc_up(c, &s, 1, &o, &res), PGMC_OK, &res);
    /* make it look interrupted while `other` runs statement 1 */
    exec1(c, "DROP INDEX t8_a");
    {
        char hex[17];
        pgmc__progress_hash(&m[0].up, 0, hex);
        snprintf(sql, sizeof sql,
                 "UPDATE h_wait SET success = false, progress = 0, direction = 'up', "
                 "progress_hash = '%s', backend = (SELECT pid::text || '@' || (extract(epoch "
                 "FROM backend_start) * 1000000)::bigint FROM pg_stat_activity WHERE pid = %d)",
                 hex, PQbackendPID(other));
    }
    exec1(c, sql);
    /* status names the backend still running the statement */
    {
        pgmc_migration_status st[2];
        size_t n = 0;
        CHECK_RC(pgmc_status(c, &s, &o, st, 2, &n, &res), PGMC_OK, &res);
        CHECK(n == 1 && st[0].state == PGMC_STATE_INCOMPLETE);
        CHECK(st[0].in_flight_pid == PQbackendPID(other));
    }
    o.lock_wait_ms = PGMC_LOCK_WAIT_ONCE;
    CHECK_RC(pgmc_up(c, &s, 1, &o, &res), PGMC_ERR_LOCK, &res);
    CHECK(strstr(res.message, "still running on server backend") != NULL);
    CHECK(fx_int(c, "SELECT count(*) FROM pg_class WHERE relname = 't8_a'") == 0);
    /* its client goes away (as a killed migrator's would) while the server
     * still runs its statement for 1.5 s: the rerun waits for the backend
     * (the test server checks for gone clients every 100 ms: not here) */
    exec1(other, "SET client_connection_check_interval = 0");
    PQsendQuery(other, "SELECT pg_sleep(1.5)");
    PQflush(other);
    sleep_ms(100);
    PQfinish(other);
    o.lock_wait_ms = 0;
    t0 = now_s();
    CHECK_RC(pgmc_up(c, &s, 1, &o, &res), PGMC_OK, &res);
    CHECK(now_s() - t0 >= 1.0);
    CHECK(fx_int(c, "SELECT count(*) FROM pg_index WHERE indexrelid = 't8_a'::regclass AND "
                    "indisvalid") == 1);
}

/* Mark migration `m`'s run as interrupted in statement k (0-based) on a
 * backend that has ended. */
static void interrupted_at(PGconn *c, const char *table, const pgmc_migration *m, uint32_t k)
{
    char sql[600], hex[17];

    pgmc__progress_hash(&m->up, k, hex);
    snprintf(sql, sizeof sql,
             "INSERT INTO %s (version, name, kind, checksum, success, progress, progress_hash, "
             "direction, backend) VALUES ('%s', '%s', 'versioned', '%s', false, %u, '%s', 'up', "
             "'1@1')",
             table, m->version, m->name, m->checksum_hex, (unsigned)k, hex);
    exec1(c, sql);
}

/* The other kinds of statement left in flight: a dropped index that is gone
 * counts as done, VACUUM runs again, CREATE DATABASE is refused (whether it
 * ran is unknown) and nothing after it runs. */
static void test_in_flight_kinds(PGconn *c)
{
    pgmc_migration m[3];
    pgmc_schema s;
    pgmc_options o;
    pgmc_result res;

    exec1(c, "CREATE TABLE t11 (a int); CREATE TABLE t11log (n int)");
    fx_mig(&m[0], "1", "dropidx",
           "DROP INDEX CONCURRENTLY t11_gone;\nINSERT INTO t11log VALUES (1);\n", NULL,
           PGMC_TX_NONE);
    fx_mig(&m[1], "2", "vacuum", "VACUUM t11;\nINSERT INTO t11log VALUES (2);\n", NULL,
           PGMC_TX_NONE);
    fx_mig(&m[2], "3", "db", "CREATE DATABASE once_never_made;\nINSERT INTO t11log VALUES (3);\n",
           NULL, PGMC_TX_NONE);
    fx_schema(&s, m, 3);
    pgmc_options_init(&o);
    o.history_table = "h_kinds";
    CHECK_RC(pgmc_force(c, &s, "none", &o, &res), PGMC_OK, &res);
    interrupted_at(c, "h_kinds", &m[0], 0);
    CHECK_RC(pgmc_up(c, &s, 1, &o, &res), PGMC_OK, &res);
    CHECK(fx_int(c, "SELECT count(*) FROM t11log WHERE n = 1") == 1);
    interrupted_at(c, "h_kinds", &m[1], 0);
    CHECK_RC(pgmc_up(c, &s, 1, &o, &res), PGMC_OK, &res);
    CHECK(fx_int(c, "SELECT count(*) FROM t11log WHERE n = 2") == 1);
    interrupted_at(c, "h_kinds", &m[2], 0);
    CHECK_RC(pgmc_up(c, &s, 1, &o, &res), PGMC_ERR_DIRTY, &res);
    CHECK(strstr(res.message, "whether it completed is unknown") != NULL);
    CHECK(res.statement == 1);
    CHECK(strstr(res.hint, "migrate force 3") != NULL);
    CHECK(fx_int(c, "SELECT count(*) FROM t11log WHERE n = 3") == 0);
    CHECK(fx_int(c, "SELECT count(*) FROM pg_database WHERE datname = 'once_never_made'") == 0);
}

/* Two spellings of one history table are one lock. */
static void test_lock_identity(PGconn *c)
{
    PGconn *c2 = fx_connect();
    pgmc_options o1, o2;
    pgmc_ctx a, b;
    pgmc_result r1, r2;

    pgmc_options_init(&o1);
    pgmc_options_init(&o2);
    o1.history_table = "pgmc_schema_history";
    o2.history_table = "public.pgmc_schema_history";
    o2.lock_wait_ms = PGMC_LOCK_WAIT_ONCE;
    CHECK_RC(pgmc__begin(&a, c, NULL, &o1, &r1), PGMC_OK, &r1);
    CHECK_RC(pgmc__lock(&a), PGMC_OK, &r1);
    CHECK_STR(a.lock_name, "public.pgmc_schema_history");
    CHECK_RC(pgmc__begin(&b, c2, NULL, &o2, &r2), PGMC_OK, &r2);
    CHECK_RC(pgmc__lock(&b), PGMC_ERR_LOCK, &r2);
    CHECK(strstr(r2.message, "another migrator holds the migration lock") != NULL);
    CHECK(a.lock_key == b.lock_key);
    pgmc__end(&b, PGMC_OK);
    /* status of a pending migration while a migrator holds the lock says so */
    {
        pgmc_migration m[1];
        pgmc_schema s;
        pgmc_migration_status st[1];
        size_t n = 0;
        fx_mig(&m[0], "1", "p", "SELECT 1;\n", NULL, PGMC_TX_TRANSACTION);
        fx_schema(&s, m, 1);
        CHECK_RC(pgmc_status(c2, &s, &o2, st, 1, &n, &r2), PGMC_OK, &r2);
        CHECK(n == 1 && st[0].state == PGMC_STATE_PENDING && st[0].lock_held);
    }
    pgmc__end(&a, PGMC_OK);
    /* released: the other spelling gets it now, and holds both keys */
    CHECK_RC(pgmc__begin(&b, c2, NULL, &o2, &r2), PGMC_OK, &r2);
    CHECK_RC(pgmc__lock(&b), PGMC_OK, &r2);
    CHECK(b.locked_keys == 3);
    pgmc__end(&b, PGMC_OK);
    CHECK(fx_int(c, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
                    "(SELECT oid FROM pg_database WHERE datname = current_database())") == 0);
    /* a schema on the search path ahead of the table's own: still one lock */
    exec1(c, "CREATE SCHEMA early; SET search_path = early, public");
    CHECK_RC(pgmc__begin(&a, c, NULL, &o1, &r1), PGMC_OK, &r1);
    CHECK_RC(pgmc__lock_resolve(&a), PGMC_OK, &r1);
    pgmc__end(&a, PGMC_OK);
    exec1(c, "RESET search_path");
    PQfinish(c2);
}

static void *cancel_later(void *arg)
{
    sleep_ms(*(long *)arg);
    pgmc_cancel();
    return NULL;
}

/* pgmc_cancel from another thread: the statement in flight is canceled,
 * the transaction rolled back, the lock released, PGMC_ERR_CANCELED. */
static void test_cancel(PGconn *c)
{
    pgmc_migration m[2];
    pgmc_schema s;
    pgmc_options o;
    pgmc_result res;
    pthread_t th;
    long ms = 400;
    double t0;

    exec1(c, "CREATE TABLE t9 (n int)");
    fx_mig(&m[0], "1", "slow_tx", "INSERT INTO t9 VALUES (1);\nSELECT pg_sleep(10);\n", NULL,
           PGMC_TX_TRANSACTION);
    fx_mig(&m[1], "2", "slow_nontx",
           "INSERT INTO t9 VALUES (2);\nSELECT pg_sleep(10);\nINSERT INTO t9 VALUES (3);\n", NULL,
           PGMC_TX_NONE);
    fx_schema(&s, m, 2);
    pgmc_options_init(&o);
    o.history_table = "h_cancel";
    pthread_create(&th, NULL, cancel_later, &ms);
    t0 = now_s();
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, &o, &res), PGMC_ERR_CANCELED, &res);
    pthread_join(th, NULL);
    CHECK(now_s() - t0 < 5);
    CHECK(res.rolled_back);
    CHECK(strstr(res.note, "rolled back") != NULL);
    CHECK(fx_int(c, "SELECT count(*) FROM t9") == 0);
    CHECK(fx_int(c, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
                    "(SELECT oid FROM pg_database WHERE datname = current_database())") == 0);
    /* sticky until reset */
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, &o, &res), PGMC_ERR_CANCELED, &res);
    pgmc_cancel_reset();
    /* the non-transactional one: statement 1 committed, 2 canceled */
    fx_mig(&m[0], "1", "slow_tx", "INSERT INTO t9 VALUES (1);\n", NULL, PGMC_TX_TRANSACTION);
    pthread_create(&th, NULL, cancel_later, &ms);
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, &o, &res), PGMC_ERR_CANCELED, &res);
    pthread_join(th, NULL);
    CHECK(res.partial && res.statement == 2);
    CHECK(strstr(res.note, "statement 2 was canceled") != NULL);
    CHECK(fx_int(c, "SELECT count(*) FROM t9") == 2);
    CHECK(fx_int(c, "SELECT progress FROM h_cancel WHERE version = '2'") == 1);
    pgmc_cancel_reset();
    fx_mig(&m[1], "2", "slow_nontx",
           "INSERT INTO t9 VALUES (2);\nSELECT pg_sleep(0.01);\nINSERT INTO t9 VALUES (3);\n", NULL,
           PGMC_TX_NONE);
    /* the edited statement 2 changes no hash of 1..1: it resumes */
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, &o, &res), PGMC_OK, &res);
    CHECK(fx_int(c, "SELECT count(*) FROM t9 WHERE n = 2") == 1);
    CHECK(fx_int(c, "SELECT count(*) FROM t9") == 3);
}

/* Lease mode: a transaction block of the script's own that outlives the
 * lease TTL still commits: nothing holds the lease row while it runs. */
static void test_lease_long_block(PGconn *c)
{
    pgmc_migration m[2];
    pgmc_schema s;
    pgmc_options o;
    pgmc_result res;

    fx_mig(&m[1], "2", "long_tx", "INSERT INTO t9 VALUES (12);\nSELECT pg_sleep(2.5);\n", NULL,
           PGMC_TX_TRANSACTION);
    fx_mig(&m[0], "1", "block",
           "CREATE INDEX CONCURRENTLY t9_n ON t9 (n);\nBEGIN;\nINSERT INTO t9 VALUES (10);\n"
           "SELECT pg_sleep(2.5);\nINSERT INTO t9 VALUES (11);\nCOMMIT;\n",
           NULL, PGMC_TX_NONE);
    fx_schema(&s, m, 2);
    pgmc_options_init(&o);
    o.history_table = "h_lease_block";
    o.lock_mode = PGMC_LOCK_LEASE;
    o.lease_ttl_ms = 1000;
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, &o, &res), PGMC_OK, &res);
    CHECK(res.applied == 2);
    CHECK(fx_int(c, "SELECT count(*) FROM t9 WHERE n >= 10") == 3);
    CHECK(fx_int(c, "SELECT count(*) FROM h_lease_block WHERE success") == 2);
}

/* A history table made by an older pgmc (no backend column): read as it
 * is (status and no-op runs change nothing), upgraded by the first run. */
static void test_old_table(PGconn *c)
{
    pgmc_migration m[2];
    pgmc_schema s;
    pgmc_options o;
    pgmc_result res;

    exec1(c, "CREATE TABLE h_old (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
             " version text UNIQUE, name text NOT NULL, kind text NOT NULL, checksum text NOT "
             "NULL, applied_at timestamptz NOT NULL DEFAULT now(), execution_ms bigint NOT NULL "
             "DEFAULT 0, success boolean NOT NULL DEFAULT true, error text, installed_by text "
             "NOT NULL DEFAULT current_user, method text NOT NULL DEFAULT 'applied', progress "
             "integer, progress_hash text, direction text, repaired_from text)");
    exec1(c, "CREATE TABLE t10 (a int)");
    fx_mig(&m[0], "1", "first", "SELECT 1;\n", NULL, PGMC_TX_TRANSACTION);
    fx_mig(&m[1], "2", "second", "CREATE INDEX CONCURRENTLY t10_a ON t10 (a);\n", NULL,
           PGMC_TX_NONE);
    fx_schema(&s, m, 1);
    pgmc_options_init(&o);
    o.history_table = "h_old";
    {
        char sql[400];
        snprintf(sql, sizeof sql,
                 "INSERT INTO h_old (version, name, kind, checksum) VALUES ('1', 'first', "
                 "'versioned', '%s')",
                 m[0].checksum_hex);
        exec1(c, sql); /* applied by the older pgmc */
    }
    /* nothing pending: read only, the table keeps its shape */
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, &o, &res), PGMC_OK, &res);
    CHECK(res.applied == 0);
    CHECK(fx_int(c, "SELECT count(*) FROM information_schema.columns WHERE table_name = "
                    "'h_old' AND column_name = 'backend'") == 0);
    fx_schema(&s, m, 2);
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, &o, &res), PGMC_OK, &res);
    CHECK(fx_int(c, "SELECT count(*) FROM information_schema.columns WHERE table_name = "
                    "'h_old' AND column_name = 'backend'") == 1);
    CHECK(fx_int(c, "SELECT count(*) FROM h_old WHERE success") == 2);
}

/* COPY in a non-transactional migration is never pipelined (libpq's
 * pipeline mode has none): TO STDOUT runs, FROM STDIN is refused at its
 * statement, and the statements before it stay committed. */
static void test_copy(PGconn *c)
{
    pgmc_migration m[1];
    pgmc_schema s;
    pgmc_options o;
    pgmc_result res;

    exec1(c, "CREATE TABLE t12 (a int)");
    fx_mig(&m[0], "1", "copy",
           "INSERT INTO t12 VALUES (1);\n-- a comment first\nCOPY t12 TO STDOUT;\n"
           "COPY t12 FROM STDIN;\nINSERT INTO t12 VALUES (2);\n",
           NULL, PGMC_TX_NONE);
    fx_schema(&s, m, 1);
    pgmc_options_init(&o);
    o.history_table = "h_copy";
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, &o, &res), PGMC_ERR_SQL, &res);
    CHECK(res.statement == 3);
    CHECK(strstr(res.message, "COPY FROM STDIN is not supported") != NULL);
    CHECK(fx_int(c, "SELECT progress FROM h_copy") == 2);
    CHECK(fx_int(c, "SELECT count(*) FROM t12") == 1);
}

int main(void)
{
    PGconn *c = fx_connect();

    test_commit_with_progress(c);
    test_unrecorded_index(c);
    test_wait_for_backend(c);
    test_in_flight_kinds(c);
    test_lock_identity(c);
    test_cancel(c);
    test_lease_long_block(c);
    test_old_table(c);
    test_copy(c);
    PQfinish(c);
    return fx_done("test_runtime_once");
}
