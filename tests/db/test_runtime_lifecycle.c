/* test_runtime_lifecycle.c - up / status / down / up N / down N / down --all,
 * repeatables, history contents, one-query no-op, refusals (checksum,
 * order, unknown version, missing down script), against a fresh database. */
#define _POSIX_C_SOURCE 200809L

#include "test_runtime_fixture.h"

static pgmc_migration migs[4];
static pgmc_schema schema;

static void build(void)
{
    fx_mig(&migs[0], "1", "create_users",
           "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n"
           "CREATE INDEX users_email ON users (email);\n",
           "DROP TABLE users;\n", PGMC_TX_TRANSACTION);
    fx_mig(&migs[1], "2", "create_posts",
           "CREATE TABLE posts (id bigint PRIMARY KEY,\n"
           "  user_id bigint REFERENCES users);\n",
           "DROP TABLE posts;\n", PGMC_TX_TRANSACTION);
    fx_mig(&migs[2], "10", "add_title", "ALTER TABLE posts ADD COLUMN title text;\n",
           "ALTER TABLE posts DROP COLUMN title;\n", PGMC_TX_TRANSACTION);
    fx_mig(&migs[3], "", "user_view",
           "CREATE OR REPLACE VIEW user_emails AS SELECT email FROM users;\n",
           "DROP VIEW user_emails;\n", PGMC_TX_TRANSACTION);
    fx_schema(&schema, migs, 4);
}

static long rows(PGconn *c, const char *where)
{
    char sql[256];

    snprintf(sql, sizeof sql, "SELECT count(*) FROM pgmc_schema_history WHERE %s", where);
    return fx_int(c, sql);
}

static void test_full_cycle(PGconn *c)
{
    pgmc_result res;
    pgmc_migration_status st[8];
    size_t n = 0, i;
    char ver[64];

    /* empty database: status says everything is pending, creates nothing */
    CHECK_RC(pgmc_status(c, &schema, NULL, st, 8, &n, &res), PGMC_OK, &res);
    CHECK(n == 4);
    for (i = 0; i < n; i++)
        CHECK(st[i].state == PGMC_STATE_PENDING);
    CHECK(fx_int(c, "SELECT count(*) FROM pg_class WHERE relname = 'pgmc_schema_history'") == 0);
    CHECK_RC(pgmc_current_version(c, NULL, ver, sizeof ver, &res), PGMC_OK, &res);
    CHECK_STR(ver, "");

    /* up all: read(fails) + lock (resolve the table, try both keys) + create +
       read + 4 migrations, each one pipelined round trip (BEGIN, statements,
       history insert, COMMIT) + unlock */
    CHECK_RC(pgmc_up(c, &schema, PGMC_ALL, NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 4);
    CHECK_STR(res.current_version, "10");
    CHECK(res.queries == 1 + 2 + 1 + 1 + 4 + 1);
    CHECK(fx_int(c, "SELECT count(*) FROM user_emails") == 0);
    CHECK(rows(c, "kind = 'versioned' AND success") == 3);
    CHECK(rows(c, "kind = 'repeatable' AND version IS NULL AND name = 'user_view'") == 1);
    CHECK(rows(c, "length(checksum) = 64 AND execution_ms >= 0 AND applied_at <= now()") == 4);
    {
        char sql[256];
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM pgmc_schema_history WHERE version = '2' AND checksum = "
                 "'%s' AND name = 'create_posts'",
                 migs[1].checksum_hex);
        CHECK(fx_int(c, sql) == 1);
    }

    /* status: everything applied, with timestamps and durations */
    CHECK_RC(pgmc_status(c, &schema, NULL, st, 8, &n, &res), PGMC_OK, &res);
    CHECK(n == 4);
    for (i = 0; i < n; i++) {
        CHECK(st[i].state == PGMC_STATE_APPLIED);
        CHECK(strlen(st[i].applied_at) == 19);
        CHECK(st[i].duration_ms >= 0);
        CHECK(st[i].migration == &migs[i]);
        CHECK_STR(st[i].checksum, migs[i].checksum_hex);
    }
    CHECK(st[3].repeatable && !st[0].repeatable);
    CHECK_STR(res.current_version, "10");
    CHECK(res.queries == 1);

    /* a no-op up is one round trip */
    CHECK_RC(pgmc_up(c, &schema, PGMC_ALL, NULL, &res), PGMC_OK, &res);
    CHECK(res.queries == 1);
    CHECK(res.applied == 0);
    CHECK_STR(res.current_version, "10");

    /* down 1: "10" goes, "2" stays */
    CHECK_RC(pgmc_down(c, &schema, 1, NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 1);
    CHECK_STR(res.current_version, "2");
    CHECK(fx_int(c, "SELECT count(*) FROM information_schema.columns WHERE table_name = "
                    "'posts' AND column_name = 'title'") == 0);
    CHECK_RC(pgmc_status(c, &schema, NULL, st, 8, &n, &res), PGMC_OK, &res);
    CHECK(st[2].state == PGMC_STATE_PENDING && st[1].state == PGMC_STATE_APPLIED);
    CHECK(st[3].state == PGMC_STATE_APPLIED);

    /* down 2: reverts 2, then 1 fails because the repeatable's view depends
       on users; that step is rolled back and the database stays at 1 */
    CHECK_RC(pgmc_down(c, &schema, 2, NULL, &res), PGMC_ERR_SQL, &res);
    CHECK(res.applied == 1);
    CHECK(res.down && res.rolled_back && !res.partial);
    CHECK_STR(res.sqlstate, "2BP01");
    CHECK_STR(res.version, "1");
    CHECK_STR(res.file, "0001_create_users.down.sql");
    CHECK_STR(res.current_version, "1");
    CHECK(strstr(res.note, "still at version 1") != NULL);
    CHECK(rows(c, "version = '1'") == 1);
    CHECK(fx_int(c, "SELECT count(*) FROM pg_class WHERE relname = 'users'") == 1);

    /* down --all: the repeatable's down script runs first, then 1 */
    CHECK_RC(pgmc_down(c, &schema, PGMC_ALL, NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 2);
    CHECK_STR(res.current_version, "");
    CHECK(rows(c, "true") == 0);
    CHECK(fx_int(c, "SELECT count(*) FROM pg_class WHERE relname IN ('users', 'posts', "
                    "'user_emails')") == 0);
    CHECK_RC(pgmc_down(c, &schema, PGMC_ALL, NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 0 && res.queries == 1);

    /* up 2: versioned only, the repeatable waits for all versioned ones */
    CHECK_RC(pgmc_up(c, &schema, 2, NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 2);
    CHECK_STR(res.current_version, "2");
    CHECK_RC(pgmc_status(c, &schema, NULL, st, 8, &n, &res), PGMC_OK, &res);
    CHECK(st[0].state == PGMC_STATE_APPLIED && st[1].state == PGMC_STATE_APPLIED);
    CHECK(st[2].state == PGMC_STATE_PENDING && st[3].state == PGMC_STATE_PENDING);
    CHECK_RC(pgmc_up(c, &schema, 1, NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 2); /* 10, then the repeatable since nothing versioned is left */
    CHECK_STR(res.current_version, "10");
    CHECK_RC(pgmc_current_version(c, NULL, ver, sizeof ver, &res), PGMC_OK, &res);
    CHECK_STR(ver, "10");

    /* n == 0 is a usage error for both directions */
    CHECK_RC(pgmc_up(c, &schema, 0, NULL, &res), PGMC_ERR_USAGE, &res);
    CHECK_RC(pgmc_down(c, &schema, 0, NULL, &res), PGMC_ERR_USAGE, &res);
}

/* A repeatable whose text changed is re-applied and recorded again. */
static void test_repeatable_change(PGconn *c)
{
    pgmc_migration m2[4];
    pgmc_schema s2;
    pgmc_result res;
    pgmc_migration_status st[8];
    size_t n;

    memcpy(m2, migs, sizeof m2);
    fx_mig(&m2[3], "", "user_view",
           "CREATE OR REPLACE VIEW user_emails AS SELECT email FROM users WHERE id > 0;\n",
           "DROP VIEW user_emails;\n", PGMC_TX_TRANSACTION);
    fx_schema(&s2, m2, 4);
    CHECK_RC(pgmc_status(c, &s2, NULL, st, 8, &n, &res), PGMC_OK, &res);
    CHECK(st[3].state == PGMC_STATE_PENDING && st[3].applied_at[0]);
    CHECK_RC(pgmc_up(c, &s2, PGMC_ALL, NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 1);
    CHECK(rows(c, "name = 'user_view'") == 2);
    CHECK(fx_int(c, "SELECT count(*) FROM pg_views WHERE viewname = 'user_emails' AND "
                    "definition LIKE '%id > 0%'") == 1);
    CHECK_RC(pgmc_up(c, &s2, PGMC_ALL, NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 0 && res.queries == 1);
    /* the old text is now "pending" again from the point of view of the old build */
    CHECK_RC(pgmc_status(c, &schema, NULL, st, 8, &n, &res), PGMC_OK, &res);
    CHECK(st[3].state == PGMC_STATE_PENDING);
    CHECK_RC(pgmc_up(c, &schema, PGMC_ALL, NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 1);
}

/* Refusals happen before anything changes. */
static void test_refusals(PGconn *c)
{
    pgmc_migration m2[5];
    pgmc_schema s2;
    pgmc_result res;
    pgmc_migration_status st[8];
    size_t n;
    long before = rows(c, "true");

    /* an applied script was edited */
    memcpy(m2, migs, 4 * sizeof *m2);
    fx_mig(&m2[1], "2", "create_posts", "CREATE TABLE posts (id int);\n", "DROP TABLE posts;\n",
           PGMC_TX_TRANSACTION);
    fx_mig(&m2[4], "11", "later", "CREATE TABLE later (id int);\n", NULL, PGMC_TX_TRANSACTION);
    m2[3] = m2[2];
    m2[2] = migs[2];
    m2[3] = m2[4];
    m2[4] = migs[3];
    fx_schema(&s2, m2, 5);
    CHECK_RC(pgmc_up(c, &s2, PGMC_ALL, NULL, &res), PGMC_ERR_CHECKSUM, &res);
    CHECK_STR(res.version, "2");
    CHECK(strstr(res.hint, "migrate repair --yes") != NULL);
    CHECK(strstr(res.detail, migs[1].checksum_hex) != NULL); /* as applied */
    CHECK(strstr(res.detail, m2[1].checksum_hex) != NULL);
    CHECK(res.queries == 1);
    CHECK(fx_int(c, "SELECT count(*) FROM pg_class WHERE relname = 'later'") == 0);
    CHECK_RC(pgmc_status(c, &s2, NULL, st, 8, &n, &res), PGMC_OK, &res);
    CHECK(st[1].state == PGMC_STATE_CHANGED && st[3].state == PGMC_STATE_PENDING);

    /* a pending migration older than the newest applied one */
    memcpy(m2, migs, 4 * sizeof *m2);
    fx_mig(&m2[2], "3", "sneaky", "CREATE TABLE sneaky (id int);\n", NULL, PGMC_TX_TRANSACTION);
    m2[3] = migs[2];
    m2[4] = migs[3];
    fx_schema(&s2, m2, 5);
    CHECK_RC(pgmc_up(c, &s2, PGMC_ALL, NULL, &res), PGMC_ERR_ORDER, &res);
    CHECK_STR(res.version, "3");

    /* an applied version this build doesn't know, older than the newest known */
    m2[0] = migs[0];
    m2[1] = migs[2];
    m2[2] = migs[3];
    fx_schema(&s2, m2, 3);
    CHECK_RC(pgmc_up(c, &s2, PGMC_ALL, NULL, &res), PGMC_ERR_UNKNOWN, &res);
    CHECK_STR(res.version, "2");
    CHECK_RC(pgmc_status(c, &s2, NULL, st, 8, &n, &res), PGMC_OK, &res);
    CHECK(n == 4 && st[3].state == PGMC_STATE_MISSING && st[3].migration == NULL);
    CHECK_STR(st[3].version, "2");

    /* an older build (knows only 1 and 2): newer applied versions are fine */
    fx_schema(&s2, migs, 2);
    CHECK_RC(pgmc_up(c, &s2, PGMC_ALL, NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 0 && res.queries == 1);
    CHECK(res.unknown == 1); /* 10 add_title */
    CHECK_RC(pgmc_status(c, &s2, NULL, st, 8, &n, &res), PGMC_OK, &res);
    CHECK(n == 3 && st[2].state == PGMC_STATE_UNKNOWN);
    CHECK_STR(st[2].version, "10");
    {
        pgmc_options o;
        pgmc_options_init(&o);
        o.fail_on_unknown = 1;
        CHECK_RC(pgmc_up(c, &s2, PGMC_ALL, &o, &res), PGMC_ERR_UNKNOWN, &res);
        CHECK(res.unknown == 1 && res.queries == 1);
        CHECK(strstr(res.message, "1 migration newer than this build knows (2), up to 10") != NULL);
    }

    /* down of a migration without a down script: refused before anything */
    memcpy(m2, migs, 4 * sizeof *m2);
    fx_mig(&m2[2], "10", "add_title", "ALTER TABLE posts ADD COLUMN title text;\n", NULL,
           PGMC_TX_TRANSACTION);
    m2[2].checksum_hex = migs[2].checksum_hex;
    fx_schema(&s2, m2, 4);
    CHECK_RC(pgmc_down(c, &s2, 1, NULL, &res), PGMC_ERR_NO_DOWN, &res);
    CHECK_STR(res.message, "migration 10 add_title has no down script");
    CHECK_STR(res.current_version, "10");
    CHECK(rows(c, "true") == before);

    /* invalid history table names are rejected, never pasted into SQL */
    {
        pgmc_options o;
        pgmc_options_init(&o);
        o.history_table = "x; DROP TABLE users";
        CHECK_RC(pgmc_up(c, &schema, PGMC_ALL, &o, &res), PGMC_ERR_USAGE, &res);
        CHECK(res.queries == 0);
        o.history_table = "a.b.c";
        CHECK_RC(pgmc_status(c, &schema, &o, NULL, 0, &n, &res), PGMC_ERR_USAGE, &res);
    }

    /* a broken schema is refused */
    fx_schema(&s2, migs, 4);
    s2.abi_version = 999;
    CHECK_RC(pgmc_up(c, &s2, PGMC_ALL, NULL, &res), PGMC_ERR_SCHEMA, &res);
    m2[0] = migs[1];
    m2[1] = migs[0];
    fx_schema(&s2, m2, 2);
    CHECK_RC(pgmc_up(c, &s2, PGMC_ALL, NULL, &res), PGMC_ERR_SCHEMA, &res);
}

/* A schema-qualified custom history table works and is independent. */
static void test_custom_table(PGconn *c)
{
    pgmc_options o;
    pgmc_result res;
    pgmc_migration m[1];
    pgmc_schema s;

    fx_exec(c, "CREATE SCHEMA Ops");
    fx_mig(&m[0], "1", "t", "CREATE TABLE ops.custom_t (id int);\n", "DROP TABLE ops.custom_t;\n",
           PGMC_TX_TRANSACTION);
    fx_schema(&s, m, 1);
    pgmc_options_init(&o);
    o.history_table = "ops.History_Table";
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, &o, &res), PGMC_OK, &res);
    CHECK(res.applied == 1);
    CHECK(fx_int(c, "SELECT count(*) FROM ops.\"History_Table\"") == 1);
    CHECK_RC(pgmc_up(c, &s, PGMC_ALL, &o, &res), PGMC_OK, &res);
    CHECK(res.applied == 0 && res.queries == 1);
    CHECK_RC(pgmc_down(c, &s, PGMC_ALL, &o, &res), PGMC_OK, &res);
    CHECK(fx_int(c, "SELECT count(*) FROM ops.\"History_Table\"") == 0);
}

/* An open transaction on the caller's connection is refused. */
static void test_busy_conn(PGconn *c)
{
    pgmc_result res;

    fx_exec(c, "BEGIN");
    CHECK_RC(pgmc_up(c, &schema, PGMC_ALL, NULL, &res), PGMC_ERR_USAGE, &res);
    fx_exec(c, "ROLLBACK");
}

int main(void)
{
    PGconn *c;

    build();
    c = fx_connect();
    test_full_cycle(c);
    test_repeatable_change(c);
    test_refusals(c);
    test_custom_table(c);
    test_busy_conn(c);
    PQfinish(c);
    return fx_done("test_runtime_lifecycle");
}
