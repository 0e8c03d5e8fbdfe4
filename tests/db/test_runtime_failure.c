/* test_runtime_failure.c - failing migrations: a transactional failure
 * rolls back statements and history row and reports SQLSTATE, server fields
 * and file:line from the statement table; non-transactional scripts (CREATE
 * INDEX CONCURRENTLY) work, and a failing one leaves a failed marker that
 * status shows and up/down refuse; NOTICEs only at verbose level. */
#define _POSIX_C_SOURCE 200809L

#include "test_runtime_fixture.h"

/* Hand-written statement table (what the generator would emit), so the
 * file:line assertions don't depend on the fixture splitter. */
static const char tx_fail_sql[] = "CREATE TABLE t2 (id int);\n"   /* line 1 */
                                  "INSERT INTO t2 VALUES (1);\n"  /* line 2 */
                                  "\n"                            /* line 3 */
                                  "-- oops, t1 exists already\n"  /* line 4 */
                                  "  CREATE TABLE t1 (id int);\n" /* line 5 */
                                  "CREATE TABLE t3 (id int);\n";  /* line 6 */
static const pgmc_statement tx_fail_st[] = {
    {0, 24, 1, 1}, {26, 25, 2, 1}, {83, 24, 5, 3}, {109, 24, 6, 1}};

static void check_slices(void)
{
    CHECK(strncmp(tx_fail_sql + 0, "CREATE TABLE t2 (id int)", 24) == 0);
    CHECK(strncmp(tx_fail_sql + 26, "INSERT INTO t2 VALUES (1)", 25) == 0);
    CHECK(strncmp(tx_fail_sql + 83, "CREATE TABLE t1 (id int)", 24) == 0);
    CHECK(strncmp(tx_fail_sql + 109, "CREATE TABLE t3 (id int)", 24) == 0);
}

static long count(PGconn *c, const char *sql)
{
    return fx_int(c, sql);
}

static void test_tx_failure(PGconn *c)
{
    pgmc_migration m[3];
    pgmc_schema s;
    pgmc_result res;
    fx_capture cap;
    char *out, *err;

    fx_mig(&m[0], "1", "create_t1", "CREATE TABLE t1 (id int);\n", "DROP TABLE t1;\n",
           PGMC_TX_TRANSACTION);
    fx_mig(&m[1], "2", "add_t2", "", NULL, PGMC_TX_TRANSACTION);
    m[1].up.file = "0002_add_t2.up.sql";
    m[1].up.sql = tx_fail_sql;
    m[1].up.sql_len = (uint32_t)strlen(tx_fail_sql);
    m[1].up.statements = tx_fail_st;
    m[1].up.n_statements = 4;
    fx_mig(&m[2], "3", "never", "CREATE TABLE never (id int);\n", NULL, PGMC_TX_TRANSACTION);
    fx_schema(&s, m, 3);

    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, NULL, &res), PGMC_ERR_SQL, &res);
    CHECK_STR(res.sqlstate, "42P07");
    CHECK(strstr(res.message, "\"t1\" already exists") != NULL);
    CHECK_STR(res.version, "2");
    CHECK_STR(res.name, "add_t2");
    CHECK_STR(res.file, "0002_add_t2.up.sql");
    CHECK(res.line == 5 && res.column == 3);
    CHECK(res.statement == 3 && res.n_statements == 4);
    CHECK(res.rolled_back && !res.partial && !res.down);
    CHECK(res.applied == 1);
    CHECK_STR(res.current_version, "1");
    CHECK(strstr(res.note, "rolled back; the database is still at version 1") != NULL);
    /* neither the statements' effects nor the history row survived */
    CHECK(count(c, "SELECT count(*) FROM pg_class WHERE relname IN ('t2', 't3', 'never')") == 0);
    CHECK(count(c, "SELECT count(*) FROM pgmc_schema_history WHERE version = '2'") == 0);
    CHECK(count(c, "SELECT count(*) FROM pgmc_schema_history") == 1);

    /* the printed report */
    fx_capture_begin(&cap);
    pgmc_print_error(stderr, &res);
    fx_capture_end(&cap, &out, &err);
    CHECK(strstr(err, "error: migration 2 add_t2 failed at 0002_add_t2.up.sql:5:3\n") == err);
    CHECK(strstr(err, "  ERROR 42P07: relation \"t1\" already exists\n") != NULL);
    CHECK(strstr(err, "The transaction was rolled back; the database is still at version 1.") !=
          NULL);
    free(out);
    free(err);
}

/* Server DETAIL/HINT/CONTEXT and an error position mapped into the file. */
static void test_fields_and_position(PGconn *c)
{
    pgmc_migration m[2];
    pgmc_schema s;
    pgmc_result res;

    fx_mig(&m[0], "1", "create_t1", "CREATE TABLE t1 (id int);\n", NULL, PGMC_TX_TRANSACTION);
    fx_mig(&m[1], "4", "raise",
           "SELECT 1;\n"
           "DO $$ BEGIN RAISE EXCEPTION 'boom' USING DETAIL = 'the detail', HINT = 'the hint', "
           "ERRCODE = 'P0001'; END $$;\n",
           NULL, PGMC_TX_TRANSACTION);
    fx_schema(&s, m, 2);
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, NULL, &res), PGMC_ERR_SQL, &res);
    CHECK_STR(res.sqlstate, "P0001");
    CHECK_STR(res.message, "boom");
    CHECK_STR(res.detail, "the detail");
    CHECK_STR(res.hint, "the hint");
    CHECK(strstr(res.context, "PL/pgSQL") != NULL);
    CHECK(res.line == 2 && res.column == 1);

    fx_mig(&m[1], "4", "typo",
           "SELECT 1;\n"
           "SELECT id,\n"
           "       nosuch_column\n"
           "FROM t1;\n",
           NULL, PGMC_TX_TRANSACTION);
    fx_schema(&s, m, 2);
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, NULL, &res), PGMC_ERR_SQL, &res);
    CHECK_STR(res.sqlstate, "42703");
    CHECK(res.line == 2 && res.column == 1);
    CHECK(res.error_line == 3 && res.error_column == 8);
}

static void test_non_tx(PGconn *c)
{
    pgmc_migration m[4];
    pgmc_schema s;
    pgmc_result res;
    pgmc_migration_status st[8];
    size_t n;

    fx_mig(&m[0], "1", "create_t1", "CREATE TABLE t1 (id int);\n", NULL, PGMC_TX_TRANSACTION);
    fx_mig(&m[1], "5", "index_concurrently",
           "CREATE INDEX CONCURRENTLY t1_id ON t1 (id);\n"
           "CREATE INDEX CONCURRENTLY t1_id2 ON t1 (id);\n",
           "DROP INDEX CONCURRENTLY t1_id2;\nDROP INDEX CONCURRENTLY t1_id;\n", PGMC_TX_NONE);
    m[1].up.tx_note = "CREATE INDEX CONCURRENTLY cannot run in a transaction";
    fx_schema(&s, m, 2);
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 1);
    CHECK_STR(res.current_version, "5");
    CHECK(count(c, "SELECT count(*) FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid "
                   "WHERE x.relname IN ('t1_id', 't1_id2') AND i.indisvalid") == 2);
    CHECK(count(c, "SELECT count(*) FROM pgmc_schema_history WHERE version = '5' AND success "
                   "AND execution_ms >= 0") == 1);
    CHECK_RC(pgmc_down(c, &s, 1, NULL, &res), PGMC_OK, &res);
    CHECK(count(c, "SELECT count(*) FROM pg_class WHERE relname IN ('t1_id', 't1_id2')") == 0);
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, NULL, &res), PGMC_OK, &res);

    /* a failing non-transactional script: statement 1 committed, 2 failed */
    fx_mig(&m[2], "6", "half",
           "CREATE TABLE half_done (id int);\n"
           "CREATE INDEX CONCURRENTLY nope ON missing_table (id);\n"
           "CREATE TABLE never_done (id int);\n",
           NULL, PGMC_TX_NONE);
    fx_schema(&s, m, 3);
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, NULL, &res), PGMC_ERR_SQL, &res);
    CHECK_STR(res.sqlstate, "42P01");
    CHECK(res.partial && !res.rolled_back);
    CHECK(res.statement == 2 && res.line == 2);
    CHECK(strstr(res.note, "PARTIALLY MIGRATED") != NULL);
    CHECK(strstr(res.note, "Statement 1 of 3 completed") != NULL);
    CHECK(strstr(res.note, "resumes at that statement") != NULL);
    CHECK_STR(res.current_version, "5");
    CHECK(count(c, "SELECT count(*) FROM pg_class WHERE relname = 'half_done'") == 1);
    CHECK(count(c, "SELECT count(*) FROM pg_class WHERE relname = 'never_done'") == 0);
    CHECK(count(c, "SELECT count(*) FROM pgmc_schema_history WHERE version = '6' AND NOT "
                   "success AND progress = 1 AND direction = 'up' AND error LIKE 'up failed at "
                   "statement 2 of 3%'") == 1);

    /* status shows it failed, how far it got and where it stopped */
    CHECK_RC(pgmc_status(c, &s, NULL, st, 8, &n, &res), PGMC_OK, &res);
    CHECK(n == 3 && st[2].state == PGMC_STATE_FAILED);
    CHECK(strstr(st[2].error, "42P01") != NULL);
    CHECK(st[2].statements_done == 1 && st[2].n_statements == 3 && st[2].resumable);
    CHECK(st[2].stopped_line == 2 && !st[2].down);
    CHECK_STR(st[2].stopped_file, "0006_half.up.sql");
    CHECK_STR(res.current_version, "5");

    /* down refuses: the unfinished run is an apply, not a revert */
    CHECK_RC(pgmc_down(c, &s, 1, NULL, &res), PGMC_ERR_DIRTY, &res);
    CHECK(strstr(res.hint, "migrate up") != NULL);
    CHECK(strstr(res.message, "statement 2 of 3 (0006_half.up.sql:2)") != NULL);

    /* up again with the same build resumes at statement 2, which fails again */
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, NULL, &res), PGMC_ERR_SQL, &res);
    CHECK(res.resumed_at == 2 && res.statement == 2);
    CHECK(count(c, "SELECT count(*) FROM pgmc_schema_history WHERE version = '6'") == 1);

    /* a build whose completed statement 1 differs cannot resume: refused */
    fx_mig(&m[2], "6", "half",
           "CREATE TABLE half_done (id bigint);\n"
           "CREATE INDEX CONCURRENTLY nope ON half_done (id);\n",
           NULL, PGMC_TX_NONE);
    fx_schema(&s, m, 3);
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, NULL, &res), PGMC_ERR_DIRTY, &res);
    CHECK(strstr(res.hint, "differs from what ran") != NULL);
    CHECK_RC(pgmc_status(c, &s, NULL, st, 8, &n, &res), PGMC_OK, &res);
    CHECK(st[2].state == PGMC_STATE_FAILED && !st[2].resumable);

    /* the fix changes only the failing statement: up resumes after statement
     * 1 (re-running it would fail: half_done exists) and completes */
    fx_mig(&m[2], "6", "half",
           "CREATE TABLE half_done (id int);\n"
           "CREATE INDEX CONCURRENTLY nope ON half_done (id);\n",
           NULL, PGMC_TX_NONE);
    fx_schema(&s, m, 3);
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, NULL, &res), PGMC_OK, &res);
    CHECK(res.resumed_at == 2 && res.applied == 1);
    CHECK_STR(res.current_version, "6");
    CHECK(count(c, "SELECT count(*) FROM pgmc_schema_history WHERE version = '6' AND success "
                   "AND progress IS NULL AND direction IS NULL AND error IS NULL") == 1);
    {
        char q[300];
        snprintf(q, sizeof q,
                 "SELECT count(*) FROM pgmc_schema_history WHERE version = '6' AND "
                 "checksum = '%s'",
                 m[2].checksum_hex);
        CHECK(count(c, q) == 1); /* the finished row carries the build's checksum */
    }
    CHECK_RC(pgmc_status(c, &s, NULL, st, 8, &n, &res), PGMC_OK, &res);
    CHECK(st[2].state == PGMC_STATE_APPLIED);
}

static char logged[4096];

static void collect(void *ctx, pgmc_log_level level, const char *msg)
{
    (void)ctx;
    (void)level;
    strncat(logged, msg, sizeof logged - strlen(logged) - 2);
    strcat(logged, "\n");
}

/* NOTICEs are logged at verbose level only and never hit stdout/stderr. */
static void test_notices(void)
{
    pgmc_migration m[1];
    pgmc_schema s;
    pgmc_options o;
    pgmc_result res;
    fx_capture cap;
    char *out, *err;
    PGconn *c = fx_connect(); /* pgmc_connect: notices are ours to route */

    fx_mig(&m[0], "1", "noisy", "CREATE TABLE IF NOT EXISTS t1 (id int);\n", NULL,
           PGMC_TX_TRANSACTION);
    fx_schema(&s, m, 1);
    pgmc_options_init(&o);
    o.history_table = "noisy_history";
    o.log = collect;
    fx_capture_begin(&cap);
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, &o, &res), PGMC_OK, &res);
    fx_exec(c, "CREATE TABLE IF NOT EXISTS t1 (id int)"); /* outside pgmc: dropped */
    fx_capture_end(&cap, &out, &err);
    CHECK(strstr(logged, "applied 1 noisy") != NULL);
    CHECK(strstr(logged, "already exists") == NULL);
    CHECK(strstr(out, "already exists") == NULL && strstr(err, "already exists") == NULL);
    free(out);
    free(err);

    logged[0] = '\0';
    o.verbosity = PGMC_LOG_VERBOSE;
    o.history_table = "noisy_history2";
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, &o, &res), PGMC_OK, &res);
    CHECK(strstr(logged, "server: NOTICE:  relation \"t1\" already exists, skipping") != NULL);
    PQfinish(c);
}

int main(void)
{
    PGconn *c;

    check_slices();
    c = fx_connect();
    test_tx_failure(c);
    test_fields_and_position(c);
    test_non_tx(c);
    test_notices();
    PQfinish(c);
    return fx_done("test_runtime_failure");
}
