/* test_runtime_verbs.c - goto, redo, --single-transaction, out-of-order,
 * lock_timeout retries, statement_timeout, resuming a failed revert, and
 * connection retries, against a real server. */
#define _POSIX_C_SOURCE 200809L

#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "test_runtime_fixture.h"

static pgmc_migration migs[4];
static pgmc_schema schema;

static long count(PGconn *c, const char *sql)
{
    return fx_int(c, sql);
}

static int has_table(PGconn *c, const char *name)
{
    char sql[200];

    snprintf(sql, sizeof sql, "SELECT count(*) FROM pg_class WHERE relname = '%s'", name);
    return count(c, sql) == 1;
}

static void setup(void)
{
    fx_mig(&migs[0], "1", "one", "CREATE TABLE one (id int);\n", "DROP TABLE one;\n",
           PGMC_TX_TRANSACTION);
    fx_mig(&migs[1], "2", "two", "CREATE TABLE two (id int);\n", "DROP TABLE two;\n",
           PGMC_TX_TRANSACTION);
    fx_mig(&migs[2], "3", "three", "CREATE TABLE three (id int);\nINSERT INTO three VALUES (3);\n",
           "DROP TABLE three;\n", PGMC_TX_TRANSACTION);
    fx_schema(&schema, migs, 3);
}

static void reset(PGconn *c)
{
    fx_exec(c, "DROP TABLE IF EXISTS one, two, three, four, pgmc_schema_history, locked_t, nt_a, "
               "nt_b CASCADE");
}

static void test_goto(PGconn *c)
{
    pgmc_result res;

    reset(c);
    CHECK_RC(pgmc_goto(c, &schema, "2", NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 2);
    CHECK_STR(res.current_version, "2");
    CHECK(has_table(c, "two") && !has_table(c, "three"));
    CHECK_RC(pgmc_goto(c, &schema, "2", NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 0 && res.queries == 1);
    CHECK_RC(pgmc_goto(c, &schema, "3", NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 1 && has_table(c, "three"));
    CHECK_RC(pgmc_goto(c, &schema, "1", NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 2);
    CHECK_STR(res.current_version, "1");
    CHECK(has_table(c, "one") && !has_table(c, "two") && !has_table(c, "three"));
    CHECK_RC(pgmc_goto(c, &schema, "none", NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 1 && !has_table(c, "one"));
    CHECK_STR(res.current_version, "");
    CHECK_RC(pgmc_goto(c, &schema, "7", NULL, &res), PGMC_ERR_USAGE, &res);
    CHECK(strstr(res.message, "not a migration of this build") != NULL);
    CHECK_RC(pgmc_goto(c, &schema, "03", NULL, &res), PGMC_OK, &res); /* numeric: 03 == 3 */
    CHECK_STR(res.current_version, "3");
}

static void test_redo(PGconn *c)
{
    pgmc_result res;
    long id_before, id_after;

    reset(c);
    CHECK_RC(pgmc_redo(c, &schema, NULL, &res), PGMC_ERR_USAGE, &res);
    CHECK_RC(pgmc_up(c, &schema, PGMC_ALL, NULL, &res), PGMC_OK, &res);
    fx_exec(c, "INSERT INTO three VALUES (99)");
    id_before = count(c, "SELECT id FROM pgmc_schema_history WHERE version = '3'");
    CHECK_RC(pgmc_redo(c, &schema, NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 2);
    CHECK_STR(res.current_version, "3");
    id_after = count(c, "SELECT id FROM pgmc_schema_history WHERE version = '3'");
    CHECK(id_after > id_before);
    CHECK(count(c, "SELECT count(*) FROM three") == 1); /* re-created: 99 is gone */
    CHECK(count(c, "SELECT count(*) FROM pgmc_schema_history") == 3);
}

static void test_single_transaction(PGconn *c)
{
    pgmc_migration m[4];
    pgmc_schema s;
    pgmc_options o;
    pgmc_result res;

    reset(c);
    pgmc_options_init(&o);
    o.single_transaction = 1;
    memcpy(m, migs, 3 * sizeof *m);
    fx_mig(&m[3], "4", "four_bad", "CREATE TABLE four (id int);\nSELECT 1/0;\n", NULL,
           PGMC_TX_TRANSACTION);
    fx_schema(&s, m, 4);
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, &o, &res), PGMC_ERR_SQL, &res);
    CHECK_STR(res.sqlstate, "22012");
    CHECK_STR(res.version, "4");
    CHECK(res.rolled_back && res.line == 2);
    CHECK(strstr(res.note, "all 4 migrations was rolled back") != NULL);
    CHECK(!has_table(c, "one") && !has_table(c, "four"));
    CHECK(count(c, "SELECT count(*) FROM pgmc_schema_history") == 0);

    /* a non-transactional migration pending: refused, nothing applied */
    fx_mig(&m[3], "4", "four_cic",
           "CREATE TABLE four (id int);\nCREATE INDEX CONCURRENTLY ON four (id);\n", NULL,
           PGMC_TX_NONE);
    fx_schema(&s, m, 4);
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, &o, &res), PGMC_ERR_REFUSED, &res);
    CHECK(strstr(res.message, "4 four_cic cannot run in a transaction") != NULL);
    CHECK(!has_table(c, "one"));

    /* the three good ones: one BEGIN ... COMMIT */
    CHECK_RC(pgmc_up(c, &schema, PGMC_ALL, &o, &res), PGMC_OK, &res);
    CHECK(res.applied == 3);
    CHECK_STR(res.current_version, "3");
    /* read + lock (resolve the table, try both keys) + read + one pipelined round
     * trip (BEGIN, 4 statements, 3 inserts, COMMIT) + unlock; the history table
     * exists since the first attempt */
    CHECK(res.queries == 1 + 2 + 1 + 1 + 1);
    CHECK(count(c, "SELECT count(DISTINCT applied_at) FROM pgmc_schema_history") == 1);
}

static void test_out_of_order(PGconn *c)
{
    pgmc_migration m[2];
    pgmc_schema s;
    pgmc_options o;
    pgmc_result res;

    reset(c);
    m[0] = migs[0];
    m[1] = migs[2];
    fx_schema(&s, m, 2);
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, NULL, &res), PGMC_OK, &res); /* 1 and 3 */
    CHECK_RC(pgmc_up(c, &schema, PGMC_ALL, NULL, &res), PGMC_ERR_ORDER, &res);
    CHECK(strstr(res.hint, "--allow-out-of-order") != NULL);
    CHECK(!has_table(c, "two"));
    pgmc_options_init(&o);
    o.allow_out_of_order = 1;
    CHECK_RC(pgmc_up(c, &schema, PGMC_ALL, &o, &res), PGMC_OK, &res);
    CHECK(res.applied == 1 && has_table(c, "two"));
    CHECK_STR(res.current_version, "3");
}

/* A child holds an ACCESS EXCLUSIVE lock on locked_t for `hold` seconds. */
static pid_t hold_lock(double hold)
{
    pid_t pid = fork();

    if (pid == 0) {
        PGconn *k = fx_connect();
        char sql[200];
        snprintf(sql, sizeof sql, "SELECT pg_sleep(%.2f)", hold);
        fx_exec(k, "BEGIN");
        fx_exec(k, "LOCK TABLE locked_t IN ACCESS EXCLUSIVE MODE");
        fx_exec(k, sql);
        fx_exec(k, "COMMIT");
        PQfinish(k);
        _exit(0);
    }
    return pid;
}

/* Wait until `want` sessions hold the ACCESS EXCLUSIVE lock on locked_t. */
static void wait_for_lock(PGconn *c, long want)
{
    int i;

    for (i = 0; i < 500; i++) {
        if (count(c, "SELECT count(*) FROM pg_locks l JOIN pg_class r ON r.oid = l.relation "
                     "WHERE r.relname = 'locked_t' AND l.mode = 'AccessExclusiveLock' AND "
                     "l.granted") == want)
            return;
        nanosleep(&(struct timespec){0, 10000000}, NULL);
    }
    fprintf(stderr, "the lock holder never took its lock\n");
}

static void test_lock_timeout(PGconn *c)
{
    pgmc_migration m[1];
    pgmc_schema s;
    pgmc_options o;
    pgmc_result res;
    pid_t pid;
    int status;

    reset(c);
    fx_exec(c, "CREATE TABLE locked_t (id int)");
    fx_mig(&m[0], "1", "alter_locked", "ALTER TABLE locked_t ADD COLUMN x int;\n", NULL,
           PGMC_TX_TRANSACTION);
    fx_schema(&s, m, 1);
    pgmc_options_init(&o);
    o.lock_timeout_ms = 100;

    /* held for longer than one retry waits: fails with 55P03 after it */
    o.lock_retries = 1;
    pid = hold_lock(4.0);
    wait_for_lock(c, 1);
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, &o, &res), PGMC_ERR_SQL, &res);
    CHECK_STR(res.sqlstate, "55P03");
    CHECK(res.retries == 1 && res.rolled_back);
    CHECK(count(c, "SELECT count(*) FROM pgmc_schema_history") == 0);
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    /* only this database's: other tests run pg_sleep in theirs */
    fx_exec(c, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE "
               "'SELECT pg_sleep%' AND pid <> pg_backend_pid() AND datname = current_database()");

    /* held briefly: a retry gets through */
    wait_for_lock(c, 0);
    o.lock_retries = 3;
    pid = hold_lock(0.8);
    wait_for_lock(c, 1);
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, &o, &res), PGMC_OK, &res);
    CHECK(res.retries >= 1 && res.applied == 1);
    CHECK(res.message[0] == '\0' && res.sqlstate[0] == '\0');
    waitpid(pid, &status, 0);
    /* SET LOCAL: the session's own setting is untouched */
    CHECK(count(c, "SELECT CASE WHEN current_setting('lock_timeout') = '0' THEN 1 ELSE 0 END") ==
          1);
}

static void test_statement_timeout(PGconn *c)
{
    pgmc_migration m[2];
    pgmc_schema s;
    pgmc_options o;
    pgmc_result res;

    reset(c);
    fx_mig(&m[0], "1", "slow", "SELECT pg_sleep(3);\n", NULL, PGMC_TX_TRANSACTION);
    fx_schema(&s, m, 1);
    pgmc_options_init(&o);
    o.statement_timeout_ms = 100;
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, &o, &res), PGMC_ERR_SQL, &res);
    CHECK_STR(res.sqlstate, "57014");
    CHECK(res.retries == 0);

    /* non-transactional: set for the session around it, then restored */
    fx_exec(c, "SET statement_timeout = '45s'");
    fx_mig(&m[0], "1", "nt_slow",
           "CREATE TABLE nt_a (id int);\nCREATE INDEX CONCURRENTLY ON nt_a (id);\nSELECT "
           "pg_sleep(3);\n",
           NULL, PGMC_TX_NONE);
    fx_schema(&s, m, 1);
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, &o, &res), PGMC_ERR_SQL, &res);
    CHECK_STR(res.sqlstate, "57014");
    CHECK(res.statement == 3 && res.partial);
    CHECK(count(c, "SELECT CASE WHEN current_setting('statement_timeout') = '45s' THEN 1 ELSE 0 "
                   "END") == 1);
    fx_exec(c, "RESET statement_timeout");
}

static void test_down_resume(PGconn *c)
{
    pgmc_migration m[1];
    pgmc_schema s;
    pgmc_result res;
    pgmc_migration_status st[4];
    size_t n;

    reset(c);
    fx_mig(&m[0], "1", "nt",
           "CREATE TABLE nt_a (id int);\nCREATE TABLE nt_b (id int);\nCREATE INDEX CONCURRENTLY "
           "nt_b_id ON nt_b (id);\n",
           "DROP INDEX CONCURRENTLY nt_b_id;\nDROP TABLE nt_b;\nDROP TABLE no_such_table;\n",
           PGMC_TX_NONE);
    fx_schema(&s, m, 1);
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, NULL, &res), PGMC_OK, &res);
    CHECK_RC(pgmc_down(c, &s, 1, NULL, &res), PGMC_ERR_SQL, &res);
    CHECK(res.down && res.partial && res.statement == 3);
    CHECK(strstr(res.note, "PARTIALLY REVERTED") != NULL);
    CHECK_RC(pgmc_status(c, &s, NULL, st, 4, &n, &res), PGMC_OK, &res);
    CHECK(n == 1 && st[0].state == PGMC_STATE_FAILED && st[0].down && st[0].statements_done == 2);
    CHECK(st[0].resumable && st[0].stopped_line == 3);
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, NULL, &res), PGMC_ERR_DIRTY, &res);
    CHECK(strstr(res.hint, "migrate down") != NULL);
    /* the fixed down script resumes at statement 3 */
    fx_mig(&m[0], "1", "nt",
           "CREATE TABLE nt_a (id int);\nCREATE TABLE nt_b (id int);\nCREATE INDEX CONCURRENTLY "
           "nt_b_id ON nt_b (id);\n",
           "DROP INDEX CONCURRENTLY nt_b_id;\nDROP TABLE nt_b;\nDROP TABLE nt_a;\n", PGMC_TX_NONE);
    fx_schema(&s, m, 1);
    CHECK_RC(pgmc_down(c, &s, 1, NULL, &res), PGMC_OK, &res);
    CHECK(res.resumed_at == 3 && res.applied == 1);
    CHECK(!has_table(c, "nt_a") && !has_table(c, "nt_b"));
    CHECK(count(c, "SELECT count(*) FROM pgmc_schema_history") == 0);
}

/* A run in progress and a killed one both show INCOMPLETE; lock_held tells
 * them apart. */
static void test_incomplete(PGconn *c)
{
    pgmc_migration m[1];
    pgmc_schema s;
    pgmc_result res;
    pgmc_migration_status st[2];
    size_t n = 0;
    pid_t pid;
    int status, i, seen_running = 0;

    reset(c);
    fx_mig(&m[0], "1", "slow_nt",
           "CREATE TABLE nt_a (id int);\nCREATE INDEX CONCURRENTLY nt_a_id ON nt_a (id);\n"
           "SELECT pg_sleep(1.5);\nCREATE TABLE nt_b (id int);\n",
           NULL, PGMC_TX_NONE);
    fx_schema(&s, m, 1);
    pid = fork();
    if (pid == 0) {
        PGconn *k = fx_connect();
        pgmc_result r2;
        int rc = pgmc_up(k, &s, PGMC_ALL, NULL, &r2);
        PQfinish(k);
        _exit(rc == PGMC_OK ? 0 : 1);
    }
    for (i = 0; i < 300 && !seen_running; i++) {
        nanosleep(&(struct timespec){0, 10000000}, NULL);
        if (pgmc_status(c, &s, NULL, st, 2, &n, &res) == PGMC_OK && n == 1 &&
            st[0].state == PGMC_STATE_INCOMPLETE && st[0].statements_done == 2)
            seen_running = st[0].lock_held;
    }
    CHECK(seen_running);
    CHECK(st[0].stopped_line == 3 && st[0].resumable);
    /* kill the migrator; its backend finishes the sleep, then lets go of the lock */
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    for (i = 0; i < 500; i++) {
        nanosleep(&(struct timespec){0, 10000000}, NULL);
        if (pgmc_status(c, &s, NULL, st, 2, &n, &res) == PGMC_OK && !st[0].lock_held)
            break;
    }
    CHECK(n == 1 && st[0].state == PGMC_STATE_INCOMPLETE && !st[0].lock_held);
    CHECK(st[0].statements_done == 2); /* the sleep finished, but nobody recorded it */
    /* up resumes at statement 3 and completes */
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, NULL, &res), PGMC_OK, &res);
    CHECK(res.resumed_at == 3 && has_table(c, "nt_b"));
}

/* An interrupted CREATE INDEX CONCURRENTLY leaves an INVALID index; resuming
 * at it with IF NOT EXISTS would keep it. up refuses, naming it. */
static void test_invalid_index_resume(PGconn *c)
{
    pgmc_migration m[1];
    pgmc_schema s;
    pgmc_result res;

    reset(c);
    fx_mig(&m[0], "1", "uniq",
           "CREATE TABLE nt_a (x int);\nINSERT INTO nt_a VALUES (1), (1);\n"
           "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS nt_a_x ON nt_a (x);\n",
           NULL, PGMC_TX_NONE);
    fx_schema(&s, m, 1);
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, NULL, &res), PGMC_ERR_SQL, &res);
    CHECK_STR(res.sqlstate, "23505");
    CHECK(count(c, "SELECT count(*) FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid "
                   "WHERE x.relname = 'nt_a_x' AND NOT i.indisvalid") == 1);
    fx_exec(c, "DELETE FROM nt_a WHERE ctid = (SELECT max(ctid) FROM nt_a)");
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, NULL, &res), PGMC_ERR_DIRTY, &res);
    CHECK(strstr(res.message, "left index public.nt_a_x INVALID") != NULL);
    CHECK(strstr(res.hint, "DROP INDEX CONCURRENTLY public.nt_a_x") != NULL);
    CHECK(res.statement == 3 && res.line == 3);
    fx_exec(c, "DROP INDEX CONCURRENTLY public.nt_a_x");
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, NULL, &res), PGMC_OK, &res);
    CHECK(res.resumed_at == 3);
    CHECK(count(c, "SELECT count(*) FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid "
                   "WHERE x.relname = 'nt_a_x' AND i.indisvalid") == 1);
}

/* Review findings: no retry inside the script's own transaction block, none
 * of a CONCURRENTLY statement; goto keeps repeatables; a lost connection is
 * never reported as a rollback. */
static void test_review_regressions(PGconn *c)
{
    pgmc_migration m[3];
    pgmc_schema s;
    pgmc_options o;
    pgmc_result res;
    pid_t pid;
    int status;

    /* 1. a non-transactional script with its own BEGIN ... COMMIT hits
     * lock_timeout inside the block: nothing is retried, the block is lost
     * as a whole, and progress says so (resume at BEGIN). */
    reset(c);
    fx_exec(c, "CREATE TABLE locked_t (id int)");
    fx_exec(c, "CREATE TABLE nt_a (x int)");
    fx_exec(c, "INSERT INTO nt_a VALUES (1)");
    fx_mig(&m[0], "1", "blocky",
           "CREATE TABLE nt_b (id int);\nBEGIN;\nUPDATE nt_a SET x = 2;\n"
           "ALTER TABLE locked_t ADD COLUMN z int;\nCOMMIT;\n",
           NULL, PGMC_TX_NONE);
    fx_schema(&s, m, 1);
    pgmc_options_init(&o);
    o.lock_timeout_ms = 100;
    o.lock_retries = 2;
    pid = hold_lock(3.0);
    wait_for_lock(c, 1);
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, &o, &res), PGMC_ERR_SQL, &res);
    CHECK_STR(res.sqlstate, "55P03");
    CHECK(res.retries == 0 && res.statement == 4);
    CHECK(strstr(res.note, "own transaction block, which was rolled back") != NULL);
    CHECK(count(c, "SELECT x FROM nt_a") == 1); /* the UPDATE is gone, not "applied" */
    CHECK(count(c, "SELECT progress FROM pgmc_schema_history WHERE version = '1'") == 1);
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    fx_exec(c, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE "
               "'SELECT pg_sleep%' AND pid <> pg_backend_pid() AND datname = current_database()");
    wait_for_lock(c, 0);
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, &o, &res), PGMC_OK, &res); /* resumes at BEGIN */
    CHECK(res.resumed_at == 2 && count(c, "SELECT x FROM nt_a") == 2);

    /* a script that ends inside its own block is not recorded as applied */
    reset(c);
    fx_mig(&m[0], "1", "open_block",
           "CREATE TABLE nt_a (x int);\nBEGIN;\nCREATE TABLE nt_b (x int);\n", NULL, PGMC_TX_NONE);
    fx_schema(&s, m, 1);
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, NULL, &res), PGMC_ERR_SQL, &res);
    CHECK(strstr(res.message, "BEGIN without COMMIT") != NULL);
    CHECK(!has_table(c, "nt_b"));
    CHECK(count(c, "SELECT count(*) FROM pgmc_schema_history WHERE success") == 0);

    /* 3. goto down keeps the repeatables: their objects stay, and so do their rows */
    reset(c);
    fx_exec(c, "DROP VIEW IF EXISTS v_one");
    m[0] = migs[0];
    m[1] = migs[1];
    fx_mig(&m[2], "", "v_one", "CREATE OR REPLACE VIEW v_one AS SELECT id FROM one;\n", NULL,
           PGMC_TX_TRANSACTION);
    fx_schema(&s, m, 3);
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, NULL, &res), PGMC_OK, &res);
    CHECK_RC(pgmc_goto(c, &s, "1", NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 1 && !has_table(c, "two") && has_table(c, "v_one"));
    CHECK(count(c, "SELECT count(*) FROM pgmc_schema_history WHERE version IS NULL") == 1);
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 1); /* just 2 again, the view is current */
    fx_exec(c, "DROP VIEW v_one");

    /* 4. the connection dies inside the transaction: not "rolled back" */
    reset(c);
    {
        PGconn *k = fx_connect();
        fx_mig(&m[0], "1", "suicide",
               "CREATE TABLE nt_a (x int);\nSELECT pg_terminate_backend(pg_backend_pid());\n", NULL,
               PGMC_TX_TRANSACTION);
        fx_schema(&s, m, 1);
        CHECK(pgmc_up(k, &s, PGMC_ALL, NULL, &res) != PGMC_OK);
        CHECK(!res.rolled_back);
        CHECK(strstr(res.note, "migrate status") != NULL);
        PQfinish(k);
    }
    CHECK(!has_table(c, "nt_a"));
}

static void test_connect_wait(void)
{
    pgmc_options o;
    pgmc_result res;
    PGconn *c;

    pgmc_options_init(&o);
    o.connect_wait_ms = 400;
    c = pgmc_connect("host=/nonexistent/socket/dir dbname=x connect_timeout=1", &o, &res);
    CHECK(c == NULL);
    CHECK(res.code == PGMC_ERR_CONNECT);
    CHECK(strstr(res.message, "gave up after") != NULL);
    c = pgmc_connect(NULL, &o, &res); /* the real server: first try */
    CHECK(c != NULL && res.code == PGMC_OK);
    if (c)
        PQfinish(c);
}

int main(void)
{
    PGconn *c = fx_connect();

    setup();
    test_goto(c);
    test_redo(c);
    test_single_transaction(c);
    test_out_of_order(c);
    test_lock_timeout(c);
    test_statement_timeout(c);
    test_down_resume(c);
    test_incomplete(c);
    test_invalid_index_resume(c);
    test_review_regressions(c);
    test_connect_wait();
    PQfinish(c);
    return fx_done("test_runtime_verbs");
}
