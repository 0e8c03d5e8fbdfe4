/* test_runtime_cli.c - pgmc_main(): argument parsing and exit codes, human
 * and JSON output of status/version, up/down through the CLI, error report
 * on stderr; plus pgmc_version_cmp. */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>

#include "test_runtime_fixture.h"

static pgmc_migration migs[3];
static pgmc_schema schema;

#include "test_cli_run.h"

static void test_usage(void)
{
    run r;

    r = cli(NULL, NULL);
    EXPECT(r, 2);
    CHECK(strstr(r.err, "usage: migrate") != NULL && r.out[0] == '\0');
    done(&r);
    r = cli("help", NULL);
    EXPECT(r, 0);
    CHECK(strstr(r.out, "down --all") != NULL);
    done(&r);
    r = cli("--help", NULL);
    EXPECT(r, 0);
    done(&r);
    r = cli("frobnicate", NULL);
    EXPECT(r, 2);
    CHECK(strstr(r.err, "unknown command frobnicate") != NULL);
    done(&r);
    r = cli("up", "0", NULL);
    EXPECT(r, 2);
    done(&r);
    r = cli("up", "-1", NULL);
    EXPECT(r, 2);
    done(&r);
    r = cli("up", "3x", NULL);
    EXPECT(r, 2);
    done(&r);
    r = cli("down", "1", "--all", NULL);
    EXPECT(r, 2);
    done(&r);
    r = cli("up", "--all", NULL);
    EXPECT(r, 2);
    done(&r);
    r = cli("up", "1", "2", NULL);
    EXPECT(r, 2);
    done(&r);
    r = cli("status", "--bogus", NULL);
    EXPECT(r, 2);
    done(&r);
    r = cli("up", "--json", NULL);
    EXPECT(r, 2);
    done(&r);
    r = cli("status", "--database-url", NULL);
    EXPECT(r, 2);
    done(&r);
    r = cli("status", "--lock-timeout", "soon", NULL);
    EXPECT(r, 2);
    done(&r);
    r = cli("status", "--table", "bad-name", NULL);
    EXPECT(r, 2);
    CHECK(strstr(r.err, "invalid history table name") != NULL);
    done(&r);
}

static void test_flow(void)
{
    run r;

    r = cli("version", NULL);
    EXPECT(r, 0);
    CHECK_STR(r.out, "none\n");
    done(&r);
    r = cli("version", "--json", NULL);
    EXPECT(r, 0);
    CHECK_STR(r.out, "{\"version\": null}\n");
    done(&r);

    r = cli("status", "--json", NULL);
    EXPECT(r, 0);
    CHECK(r.out[0] == '[' && strstr(r.out, "]\n") != NULL);
    CHECK(strstr(r.out, "\"version\": \"1\", \"name\": \"create_users\", \"kind\": "
                        "\"versioned\", \"state\": \"pending\", \"applied_at\": null, "
                        "\"duration_ms\": null") != NULL);
    CHECK(strstr(r.out, "\"name\": \"quo\\\"te\\\\d\"") != NULL);
    done(&r);

    r = cli("up", "1", NULL);
    EXPECT(r, 0);
    CHECK(strstr(r.out, "database: ") == r.out);
    CHECK(strstr(r.out, "applied 1 create_users (") != NULL);
    done(&r);
    r = cli("up", "-q", NULL);
    EXPECT(r, 0);
    CHECK(r.out[0] == '\0');
    done(&r);
    r = cli("up", NULL);
    EXPECT(r, 0);
    CHECK(strstr(r.out, "nothing to do; the database is at version 2") != NULL);
    done(&r);

    r = cli("status", NULL);
    EXPECT(r, 0);
    CHECK(strstr(r.out, "\xe2\x9c\x93 1 create_users  (applied 20") != NULL);
    CHECK(strstr(r.out, "+00, ") != NULL && strstr(r.out, " ms)\n") != NULL);
    CHECK(strstr(r.out, "\xe2\x9c\x93 2 quo\"te\\d") != NULL);
    CHECK(strstr(r.out, "version 2, 0 pending") != NULL);
    done(&r);

    r = cli("status", "--json", NULL);
    EXPECT(r, 0);
    CHECK(strstr(r.out, "\"state\": \"applied\", \"applied_at\": \"20") != NULL);
    CHECK(strstr(r.out, "Z\", \"duration_ms\": ") != NULL);
    CHECK(strstr(r.out, migs[0].checksum_hex) != NULL);
    CHECK(strstr(r.out, "database:") == NULL);
    done(&r);

    r = cli("version", NULL);
    EXPECT(r, 0);
    CHECK_STR(r.out, "2\n");
    done(&r);

    r = cli("down", NULL);
    EXPECT(r, 0);
    CHECK(strstr(r.out, "reverted 2 quo\"te\\d") != NULL);
    done(&r);
    r = cli("status", NULL);
    EXPECT(r, 0);
    CHECK(strstr(r.out, "\xe2\x97\x8b 2 quo\"te\\d  pending\n") != NULL);
    done(&r);

    r = cli("--verbose", "up", NULL);
    EXPECT(r, 0);
    CHECK(strstr(r.out, "statement 1/1 at 0002_quo\"te\\d.up.sql:1") != NULL);
    done(&r);

    r = cli("down", "--all", NULL);
    EXPECT(r, 0);
    CHECK(strstr(r.out, "2 migrations reverted; the database is at version none") != NULL);
    done(&r);

    /* a failing migration: exit 1, report on stderr */
    fx_mig(&migs[2], "3", "broken", "CREATE TABLE t (id int);\nSELECT nosuch;\n", NULL,
           PGMC_TX_TRANSACTION);
    schema.n_migrations = 3;
    r = cli("up", NULL);
    EXPECT(r, 1);
    CHECK(strstr(r.err, "error: migration 3 broken failed at 0003_broken.up.sql:2:1\n") != NULL);
    CHECK(strstr(r.err, "  ERROR 42703: column \"nosuch\" does not exist\n") != NULL);
    CHECK(strstr(r.err, "still at version 2.") != NULL);
    done(&r);
    r = cli("--table=other_history", "version", NULL);
    EXPECT(r, 0);
    CHECK_STR(r.out, "none\n");
    done(&r);
}

static void test_version_cmp(void)
{
    CHECK(pgmc_version_cmp("2", "10") < 0);
    CHECK(pgmc_version_cmp("10", "2") > 0);
    CHECK(pgmc_version_cmp("1.2", "1.10") < 0);
    CHECK(pgmc_version_cmp("1", "1.0") < 0);
    CHECK(pgmc_version_cmp("1.0", "1") > 0);
    CHECK(pgmc_version_cmp("007", "7") == 0);
    CHECK(pgmc_version_cmp("20210425153745", "20210425153746") < 0);
    CHECK(pgmc_version_cmp("99999999999999999999999", "100000000000000000000000") < 0);
    CHECK(pgmc_version_cmp("3", "3") == 0);
    CHECK(pgmc_version_cmp(NULL, "1") < 0 && pgmc_version_cmp("1", NULL) > 0);
    CHECK(pgmc_version_cmp(NULL, NULL) == 0);
}

int main(void)
{
    fx_cli_schema = &schema;
    fx_mig(&migs[0], "1", "create_users", "CREATE TABLE users (id int);\n", "DROP TABLE users;\n",
           PGMC_TX_TRANSACTION);
    fx_mig(&migs[1], "2", "quo\"te\\d", "CREATE TABLE quoted (id int);\n", "DROP TABLE quoted;\n",
           PGMC_TX_TRANSACTION);
    fx_schema(&schema, migs, 2);
    test_version_cmp();
    test_usage();
    test_flow();
    return fx_done("test_runtime_cli");
}
