/* test_runtime_admin.c - the repairing verbs against a real database:
 * validate (clean, modified, missing, unknown, out of order, failed and
 * incomplete markers, no history table), force (forward, backward, none,
 * resolving failed markers, creating the table), repair then up, baseline
 * then up and its refusal, fresh (refusal and success). */
#define _POSIX_C_SOURCE 200809L

#include "test_runtime_fixture.h"

static pgmc_migration migs[4], mod[4], nontx[2];
static pgmc_schema schema, s12, s13, s1, smod, snontx;

static char logged[16384];

static void collect(void *ctx, pgmc_log_level level, const char *msg)
{
    (void)ctx;
    strncat(logged, level == PGMC_LOG_WARN ? "W " : "I ", sizeof logged - strlen(logged) - 1);
    strncat(logged, msg, sizeof logged - strlen(logged) - 2);
    strcat(logged, "\n");
}

static pgmc_options opts(void)
{
    pgmc_options o;

    pgmc_options_init(&o);
    o.log = collect;
    logged[0] = '\0';
    return o;
}

static void build(void)
{
    fx_mig(&migs[0], "1", "create_a", "CREATE TABLE a (id int);\n", "DROP TABLE a;\n",
           PGMC_TX_TRANSACTION);
    fx_mig(&migs[1], "2", "create_b", "CREATE TABLE b (id int);\n", "DROP TABLE b;\n",
           PGMC_TX_TRANSACTION);
    fx_mig(&migs[2], "3", "create_c", "CREATE TABLE c (id int);\n", "DROP TABLE c;\n",
           PGMC_TX_TRANSACTION);
    fx_mig(&migs[3], "", "view_a", "CREATE OR REPLACE VIEW va AS SELECT id FROM a;\n", NULL,
           PGMC_TX_TRANSACTION);
    fx_schema(&schema, migs, 4);
    fx_schema(&s12, migs, 2);
    fx_schema(&s1, migs, 1);
    /* {1, 3}: 2 deleted from the build */
    mod[0] = migs[0];
    mod[1] = migs[2];
    fx_schema(&s13, mod, 2);
    /* 2's file edited after it was applied */
    mod[2] = migs[0];
    fx_mig(&mod[3], "2", "create_b", "CREATE TABLE b (id int, extra text);\n", "DROP TABLE b;\n",
           PGMC_TX_TRANSACTION);
    {
        static pgmc_migration m3[3];
        m3[0] = migs[0];
        m3[1] = mod[3];
        m3[2] = migs[2];
        fx_schema(&smod, m3, 3);
    }
    fx_mig(&nontx[0], "1", "create_a", "CREATE TABLE a (id int);\n", NULL, PGMC_TX_TRANSACTION);
    fx_mig(&nontx[1], "5", "half",
           "CREATE TABLE half_done (id int);\n"
           "SELECT 1/0;\n",
           NULL, PGMC_TX_NONE);
    fx_schema(&snontx, nontx, 2);
}

static long q(PGconn *c, const char *sql)
{
    return fx_int(c, sql);
}

static void reset(PGconn *c)
{
    fx_exec(c, "SET client_min_messages = warning");
    fx_exec(c, "DROP TABLE IF EXISTS pgmc_schema_history, a, b, c, half_done CASCADE");
}

static int has(const char *needle)
{
    return strstr(logged, needle) != NULL;
}

static void test_validate(PGconn *c)
{
    pgmc_options o = opts();
    pgmc_result res;
    char sql[512];

    reset(c);
    /* no history table: valid, one query, nothing created */
    CHECK_RC(pgmc_validate(c, &schema, &o, &res), PGMC_OK, &res);
    CHECK(res.queries == 1);
    CHECK(has("I 0 migrations valid (4 pending); there is no history table yet"));
    CHECK(q(c, "SELECT count(*) FROM pg_class WHERE relname = 'pgmc_schema_history'") == 0);

    /* clean */
    CHECK_RC(pgmc_up(c, &s12, PGMC_ALL, NULL, &res), PGMC_OK, &res);
    o = opts();
    CHECK_RC(pgmc_validate(c, &schema, &o, &res), PGMC_OK, &res);
    CHECK(res.queries == 1);
    CHECK(has("I 2 migrations valid (2 pending)"));
    CHECK(!has("W "));
    CHECK_STR(res.current_version, "2");

    /* modified: both checksums printed */
    o = opts();
    CHECK_RC(pgmc_validate(c, &smod, &o, &res), PGMC_ERR_VALIDATE, &res);
    CHECK(res.queries == 1);
    snprintf(sql, sizeof sql, "MODIFIED: migration 2 create_b (0002_create_b.up.sql)");
    CHECK(has(sql));
    CHECK(has(migs[1].checksum_hex) && has(mod[3].checksum_hex));
    CHECK(strstr(res.message, "1 modified") != NULL);
    CHECK(has("W validate: 1 modified"));

    /* missing: 2 applied, deleted from a build that goes on to 3 */
    o = opts();
    CHECK_RC(pgmc_validate(c, &s13, &o, &res), PGMC_ERR_VALIDATE, &res);
    CHECK(has("MISSING: migration 2 create_b"));
    CHECK_STR(res.message, "validation failed: 1 missing");

    /* unknown: 2 applied, the build stops at 1 */
    o = opts();
    CHECK_RC(pgmc_validate(c, &s1, &o, &res), PGMC_ERR_VALIDATE, &res);
    CHECK(has("UNKNOWN: migration 2 create_b"));
    CHECK_STR(res.message, "validation failed: 1 unknown");

    /* force keeps recorded rows below its target, even ones the build lacks */
    CHECK_RC(pgmc_force(c, &s13, "3", NULL, &res), PGMC_OK, &res);
    CHECK(q(c, "SELECT count(*) FROM pgmc_schema_history WHERE version IN ('1', '2', '3')") == 3);

    /* out of order: 1 and 3 recorded, 2 pending below 3 */
    reset(c);
    CHECK_RC(pgmc_force(c, &s13, "3", NULL, &res), PGMC_OK, &res);
    CHECK(q(c, "SELECT count(*) FROM pgmc_schema_history WHERE version IN ('1', '3')") == 2);
    CHECK(q(c, "SELECT count(*) FROM pgmc_schema_history WHERE version = '2'") == 0);
    o = opts();
    CHECK_RC(pgmc_validate(c, &schema, &o, &res), PGMC_ERR_VALIDATE, &res);
    CHECK(has("OUT OF ORDER: migration 2 create_b is pending but the newer 3 is already applied"));
    CHECK_STR(res.message, "validation failed: 1 out of order");
}

static void test_validate_markers(PGconn *c)
{
    pgmc_options o;
    pgmc_result res;

    reset(c);
    /* a failed non-transactional run, as the engine records it */
    CHECK_RC(pgmc_up(c, &snontx, PGMC_ALL, NULL, &res), PGMC_ERR_SQL, &res);
    CHECK(q(c, "SELECT count(*) FROM pgmc_schema_history WHERE version = '5' AND NOT success") ==
          1);
    o = opts();
    CHECK_RC(pgmc_validate(c, &snontx, &o, &res), PGMC_ERR_VALIDATE, &res);
    CHECK(has("FAILED: migration 5 half: applying,"));
    CHECK(has("division by zero"));
    CHECK_STR(res.message, "validation failed: 1 failed");

    /* an incomplete run (the migrator was killed after statement 1), written
       as the history layout defines it: progress set, error NULL */
    fx_exec(c, "DELETE FROM pgmc_schema_history WHERE version = '5'");
    fx_exec(c, "INSERT INTO pgmc_schema_history (version, name, kind, checksum, success,"
               " progress, progress_hash, direction) VALUES ('5', 'half', 'versioned', 'x',"
               " false, 1, '0000000000000000', 'up')");
    o = opts();
    CHECK_RC(pgmc_validate(c, &snontx, &o, &res), PGMC_ERR_VALIDATE, &res);
    CHECK(has("INCOMPLETE: migration 5 half: applying stopped at statement 2 of 2"));
    CHECK_STR(res.message, "validation failed: 1 incomplete");

    /* and a failed one with progress: the failing statement is named */
    fx_exec(c, "UPDATE pgmc_schema_history SET error = 'boom' WHERE version = '5'");
    o = opts();
    CHECK_RC(pgmc_validate(c, &snontx, &o, &res), PGMC_ERR_VALIDATE, &res);
    CHECK(has("FAILED: migration 5 half: applying, statement 2 of 2 failed"));
    CHECK(has(": boom"));
}

static void test_force(PGconn *c)
{
    pgmc_options o;
    pgmc_result res;

    reset(c);
    /* no history table: force creates it and records 1, 2 without running them */
    o = opts();
    CHECK_RC(pgmc_force(c, &schema, "2", &o, &res), PGMC_OK, &res);
    CHECK(res.applied == 2);
    CHECK_STR(res.current_version, "2");
    CHECK(q(c, "SELECT count(*) FROM pgmc_schema_history WHERE method = 'force' AND success") == 2);
    CHECK(q(c, "SELECT count(*) FROM pg_class WHERE relname IN ('a', 'b')") == 0);
    CHECK(has("I force: recorded migration 2 create_b as applied, nothing run"));
    CHECK(has("I forced version 2: 2 history changes"));

    /* forward */
    CHECK_RC(pgmc_force(c, &schema, "3", NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 1);
    CHECK(q(c, "SELECT count(*) FROM pgmc_schema_history") == 3);
    /* same again: nothing to change */
    CHECK_RC(pgmc_force(c, &schema, "3", NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 0);

    /* backward: 2 and 3 forgotten, nothing reverted */
    o = opts();
    CHECK_RC(pgmc_force(c, &schema, "1", &o, &res), PGMC_OK, &res);
    CHECK(res.applied == 2);
    CHECK_STR(res.current_version, "1");
    CHECK(q(c, "SELECT count(*) FROM pgmc_schema_history") == 1);
    CHECK(has("I force: forgot migration 3 create_c"));

    /* a repeatable row is untouched */
    fx_exec(c, "INSERT INTO pgmc_schema_history (version, name, kind, checksum)"
               " VALUES (NULL, 'view_a', 'repeatable', 'r')");
    /* none (and "0", which is not a version of this build) */
    CHECK_RC(pgmc_force(c, &schema, "none", NULL, &res), PGMC_OK, &res);
    CHECK_STR(res.current_version, "");
    CHECK(q(c, "SELECT count(*) FROM pgmc_schema_history WHERE version IS NOT NULL") == 0);
    CHECK(q(c, "SELECT count(*) FROM pgmc_schema_history WHERE version IS NULL") == 1);
    CHECK_RC(pgmc_force(c, &schema, "1", NULL, &res), PGMC_OK, &res);
    CHECK_RC(pgmc_force(c, &schema, "0", NULL, &res), PGMC_OK, &res);
    CHECK(q(c, "SELECT count(*) FROM pgmc_schema_history WHERE version IS NOT NULL") == 0);

    /* not a version of the build */
    CHECK_RC(pgmc_force(c, &schema, "7", NULL, &res), PGMC_ERR_USAGE, &res);
    CHECK(strstr(res.message, "not part of this build") != NULL);

    /* resolving a failed marker: forced at or above it, it counts as applied */
    reset(c);
    CHECK_RC(pgmc_up(c, &snontx, PGMC_ALL, NULL, &res), PGMC_ERR_SQL, &res);
    /* up again resumes at the failed statement, which fails again */
    CHECK_RC(pgmc_up(c, &snontx, PGMC_ALL, NULL, &res), PGMC_ERR_SQL, &res);
    CHECK(res.resumed_at == 2);
    o = opts();
    CHECK_RC(pgmc_force(c, &snontx, "5", &o, &res), PGMC_OK, &res);
    CHECK(has("I force: marked the failed run of migration 5 half as applied"));
    CHECK(q(c, "SELECT count(*) FROM pgmc_schema_history WHERE version = '5' AND success AND"
               " error IS NULL AND progress IS NULL AND method = 'force'") == 1);
    CHECK_RC(pgmc_up(c, &snontx, PGMC_ALL, NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 0);
    CHECK_RC(pgmc_validate(c, &snontx, NULL, &res), PGMC_OK, &res);

    /* ... and forced below it, the marker is deleted so up runs it again */
    reset(c);
    CHECK_RC(pgmc_up(c, &snontx, PGMC_ALL, NULL, &res), PGMC_ERR_SQL, &res);
    o = opts();
    CHECK_RC(pgmc_force(c, &snontx, "1", &o, &res), PGMC_OK, &res);
    CHECK(has("I force: deleted the failed marker of migration 5 half"));
    CHECK(q(c, "SELECT count(*) FROM pgmc_schema_history WHERE version = '5'") == 0);
    CHECK(q(c, "SELECT count(*) FROM pgmc_schema_history WHERE version = '1' AND success") == 1);
    fx_exec(c, "DROP TABLE half_done");
    CHECK_RC(pgmc_up(c, &snontx, PGMC_ALL, NULL, &res), PGMC_ERR_SQL, &res); /* runs again */
    CHECK(res.statement == 2);
}

static void test_repair(PGconn *c)
{
    pgmc_options o;
    pgmc_result res;
    char sql[512];

    reset(c);
    CHECK_RC(pgmc_up(c, &s12, PGMC_ALL, NULL, &res), PGMC_OK, &res);
    /* 2's file was edited; 3 is new: up refuses */
    CHECK_RC(pgmc_up(c, &smod, PGMC_ALL, NULL, &res), PGMC_ERR_CHECKSUM, &res);
    o = opts();
    CHECK_RC(pgmc_repair(c, &smod, &o, &res), PGMC_OK, &res);
    CHECK(res.applied == 1);
    CHECK(has("I repaired migration 2 create_b: checksum"));
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM pgmc_schema_history WHERE version = '2' AND checksum = '%s'"
             " AND repaired_from = '%s'",
             mod[3].checksum_hex, migs[1].checksum_hex);
    CHECK(q(c, sql) == 1);
    /* nothing else changed */
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM pgmc_schema_history WHERE version = '1' AND checksum = '%s'"
             " AND repaired_from IS NULL",
             migs[0].checksum_hex);
    CHECK(q(c, sql) == 1);
    CHECK(q(c, "SELECT count(*) FROM pgmc_schema_history") == 2);
    /* then up goes on, applying only 3 */
    CHECK_RC(pgmc_validate(c, &smod, NULL, &res), PGMC_OK, &res);
    CHECK_RC(pgmc_up(c, &smod, PGMC_ALL, NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 1);
    CHECK_STR(res.current_version, "3");
    /* a second repair has nothing to do */
    CHECK_RC(pgmc_repair(c, &smod, NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 0);
    /* no history table: nothing to repair, nothing created */
    reset(c);
    CHECK_RC(pgmc_repair(c, &smod, NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 0);
    CHECK(q(c, "SELECT count(*) FROM pg_class WHERE relname = 'pgmc_schema_history'") == 0);
}

static void test_baseline(PGconn *c)
{
    pgmc_options o;
    pgmc_result res;

    reset(c);
    /* a schema created by other means */
    fx_exec(c, "CREATE TABLE a (id int)");
    fx_exec(c, "CREATE TABLE b (id int)");
    CHECK_RC(pgmc_baseline(c, &schema, "9", NULL, &res), PGMC_ERR_USAGE, &res);
    o = opts();
    CHECK_RC(pgmc_baseline(c, &schema, "2", &o, &res), PGMC_OK, &res);
    CHECK(res.applied == 2);
    CHECK_STR(res.current_version, "2");
    CHECK(has("I baselined at version 2: 2 migrations marked applied without running"));
    CHECK(q(c, "SELECT count(*) FROM pgmc_schema_history WHERE method = 'baseline'") == 2);
    /* up applies only the later ones (3 and the repeatable) */
    CHECK_RC(pgmc_up(c, &schema, PGMC_ALL, NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 2);
    CHECK_STR(res.current_version, "3");
    CHECK(q(c, "SELECT count(*) FROM pgmc_schema_history WHERE method = 'applied'") == 2);
    /* refused once anything versioned is recorded; nothing changes */
    CHECK_RC(pgmc_baseline(c, &schema, "3", NULL, &res), PGMC_ERR_REFUSED, &res);
    CHECK(strstr(res.message, "already records 3 versioned migrations") != NULL);
    CHECK(q(c, "SELECT count(*) FROM pgmc_schema_history") == 4);
}

static void test_fresh(PGconn *c)
{
    pgmc_options o;
    pgmc_result res;
    PGresult *r;
    char db[128] = "";

    reset(c);
    CHECK_RC(pgmc_up(c, &schema, PGMC_ALL, NULL, &res), PGMC_OK, &res);
    fx_exec(c, "CREATE TABLE stray (id int)");
    fx_exec(c, "INSERT INTO a VALUES (1)");
    fx_exec(c, "CREATE SCHEMA extra");
    fx_exec(c, "CREATE TABLE extra.t (id int)");
    fx_exec(c, "CREATE FUNCTION extra.f() RETURNS int LANGUAGE sql AS 'SELECT 1'");
    r = PQexec(c, "SELECT current_database()");
    if (PQresultStatus(r) == PGRES_TUPLES_OK)
        snprintf(db, sizeof db, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);

    /* wrong or no name: refused, nothing dropped */
    CHECK_RC(pgmc_fresh(c, &schema, "postgres", NULL, &res), PGMC_ERR_REFUSED, &res);
    CHECK(strstr(res.message, "\"postgres\"") != NULL);
    CHECK(strstr(res.hint, db) != NULL);
    CHECK_RC(pgmc_fresh(c, &schema, NULL, NULL, &res), PGMC_ERR_REFUSED, &res);
    CHECK(q(c, "SELECT count(*) FROM pg_class WHERE relname IN ('stray', 't', 'a')") == 3);

    o = opts();
    CHECK_RC(pgmc_fresh(c, &schema, db, &o, &res), PGMC_OK, &res);
    CHECK(res.applied == 4);
    CHECK_STR(res.current_version, "3");
    CHECK(has("W fresh: dropping schema extra with everything in it (1 relations, 1 functions"));
    CHECK(has("W fresh: dropping schema public"));
    CHECK(q(c, "SELECT count(*) FROM pg_namespace WHERE nspname = 'extra'") == 0);
    CHECK(q(c, "SELECT count(*) FROM pg_class WHERE relname = 'stray'") == 0);
    CHECK(q(c, "SELECT count(*) FROM a") == 0); /* re-created empty */
    CHECK(q(c, "SELECT count(*) FROM va") == 0);
    CHECK(q(c, "SELECT count(*) FROM pgmc_schema_history WHERE success") == 4);
    CHECK(q(c, "SELECT count(*) FROM pgmc_schema_history WHERE id > 4") == 0); /* new table */
    /* public as a new PostgreSQL 15 database has it */
    CHECK(q(c, "SELECT count(*) FROM pg_namespace WHERE nspname = 'public' AND nspowner ="
               " 'pg_database_owner'::regrole") == 1);
    CHECK(q(c, "SELECT count(*) FROM pg_namespace WHERE nspname = 'public' AND"
               " has_schema_privilege('public', oid, 'USAGE') AND"
               " NOT has_schema_privilege('public', oid, 'CREATE')") == 1);
    CHECK(q(c, "SELECT count(*) FROM pg_namespace n JOIN pg_description d ON d.objoid = n.oid"
               " WHERE n.nspname = 'public' AND d.description = 'standard public schema'") == 1);
    /* no lock is left behind */
    CHECK(q(c, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid ="
               " pg_backend_pid()") == 0);
}

int main(void)
{
    PGconn *c;

    build();
    c = fx_connect();
    test_validate(c);
    test_validate_markers(c);
    test_force(c);
    test_repair(c);
    test_baseline(c);
    test_fresh(c);
    PQfinish(c);
    return fx_done("test_runtime_admin");
}
