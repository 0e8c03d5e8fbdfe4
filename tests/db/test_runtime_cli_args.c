/* test_runtime_cli_args.c - every option of pgmc_main() that takes a value,
 * in both spellings (--opt value and --opt=value), each checked by an effect
 * on the real server that the value alone explains (a table created under
 * that name, a lease of that lifetime, a lock given up after that long, a
 * statement cancelled by that timeout...); --wait's optional value (a
 * duration after it is its value, never N of up/down; anything else after
 * it is an error); --lock-wait 0 tries once; missing values. */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <sys/wait.h>
#include <time.h>

#include "test_runtime_fixture.h"

static pgmc_migration migs[3], slow_mig[1], alter_mig[1], sleep_mig[1];
static pgmc_schema schema, slow_schema, alter_schema, sleep_schema;
static PGconn *db;

#include "test_cli_run.h"
#define now_ms fx_cli_now_ms

static long version_now(const char *table)
{
    char sql[200];

    snprintf(sql, sizeof sql, "SELECT coalesce(max(version::int), 0) FROM %s WHERE success", table);
    return fx_int(db, sql);
}

static long exists(const char *rel)
{
    char sql[200];

    snprintf(sql, sizeof sql, "SELECT (to_regclass('%s') IS NOT NULL)::int", rel);
    return fx_int(db, sql);
}

/* --wait: a duration after it is its value, never N; defaults; errors. */
static void test_wait(void)
{
    run r;

    r = cli("up", "--wait", "30s", NULL); /* the issue: failed with "unexpected argument" */
    EXPECT(r, 0);
    EXPECT_IN(r.out, "3 migrations applied");
    CHECK(version_now("pgmc_schema_history") == 3);
    done(&r);
    r = cli("down", "--wait", "2", NULL); /* the issue: reverted two migrations */
    EXPECT(r, 0);
    EXPECT_IN(r.out, "1 migration reverted; the database is at version 2");
    CHECK(version_now("pgmc_schema_history") == 2);
    done(&r);
    r = cli("down", "--wait=2", NULL);
    EXPECT(r, 0);
    CHECK(version_now("pgmc_schema_history") == 1);
    done(&r);
    r = cli("up", "1", "--wait", "1", NULL); /* N first, then the duration */
    EXPECT(r, 0);
    CHECK(version_now("pgmc_schema_history") == 2);
    done(&r);
    r = cli("--wait", "up", NULL); /* a verb after --wait: the default wait */
    EXPECT(r, 0);
    CHECK(version_now("pgmc_schema_history") == 3);
    done(&r);
    r = cli("down", "--wait", "-q", NULL); /* an option after it: the default */
    EXPECT(r, 0);
    CHECK(r.out[0] == '\0');
    CHECK(version_now("pgmc_schema_history") == 2);
    done(&r);
    r = cli("up", "--wait", NULL); /* last argument */
    EXPECT(r, 0);
    CHECK(version_now("pgmc_schema_history") == 3);
    done(&r);
    /* neither a duration nor an option or verb: an error, nothing runs */
    r = cli("down", "--wait", "all", NULL);
    EXPECT(r, 2);
    EXPECT_IN(r.err, "--wait takes an optional duration");
    EXPECT_IN(r.err, "not one: all");
    done(&r);
    r = cli("goto", "--wait", "none", NULL);
    EXPECT(r, 2);
    done(&r);
    r = cli("--wait=soon", "up", NULL);
    EXPECT(r, 2);
    EXPECT_IN(r.err, "--wait wants a duration like 30s, 500ms or 2m, got soon");
    done(&r);
    r = cli("force", "--wait", "2", NULL); /* "2" is the wait: force lacks V */
    EXPECT(r, 2);
    EXPECT_IN(r.err, "force needs a version");
    done(&r);
    CHECK(version_now("pgmc_schema_history") == 3);

    /* the value is used: a server that is not there is retried for it */
    r = cli("--database-url", "host=/nonexistent-pgmc-socket-dir", "status", "--wait", "1", NULL);
    EXPECT(r, 1);
    EXPECT_IN(r.err, "error: cannot connect to the database");
    EXPECT_IN(r.err, "/nonexistent-pgmc-socket-dir");
    EXPECT_IN(r.err, "gave up after");
    CHECK(r.ms >= 900 && r.ms < 5000);
    {
        /* the retry notice is one line, libpq's two lines joined */
        const char *line = strstr(r.out, "cannot connect yet (");
        const char *nl = line ? strchr(line, '\n') : NULL;
        const char *tail = line ? strstr(line, "); retrying for up to 1 s\n") : NULL;
        CHECK(line && nl && tail && tail + strlen("); retrying for up to 1 s") == nl);
        CHECK(strchr(r.out, '\t') == NULL && strchr(r.err, '\t') == NULL);
    }
    done(&r);
    r = cli("--database-url=host=/nonexistent-pgmc-socket-dir", "status", "--wait=1s", NULL);
    EXPECT(r, 1);
    EXPECT_IN(r.err, "/nonexistent-pgmc-socket-dir");
    EXPECT_IN(r.err, "gave up after");
    CHECK(r.ms >= 900 && r.ms < 5000);
    done(&r);
    r = cli("--database-url=host=/nonexistent-pgmc-socket-dir", "status", NULL);
    EXPECT(r, 1);
    CHECK(strstr(r.err, "gave up after") == NULL); /* no --wait: one attempt */
    done(&r);
}

/* --table, --database-url with a working value, --lock-mode, missing values */
static void test_value_options(void)
{
    const char *url = getenv("DATABASE_URL");
    run r;

    r = cli("--table", "hist_space", "up", "1", NULL);
    EXPECT(r, 0);
    CHECK(exists("hist_space") == 1 && version_now("hist_space") == 1);
    done(&r);
    r = cli("--table=hist_eq", "up", "2", NULL);
    EXPECT(r, 0);
    CHECK(exists("hist_eq") == 1 && version_now("hist_eq") == 2);
    done(&r);
    if (url && url[0]) {
        r = cli("--database-url", url, "--table", "hist_space", "version", NULL);
        EXPECT(r, 0);
        CHECK_STR(r.out, "1\n");
        done(&r);
        r = cli("--database-url=", "version", NULL); /* empty: libpq defaults */
        EXPECT(r, 0);
        done(&r);
    }
    /* lease mode creates "<table>_lock" beside the history table */
    r = cli("--table", "hist_lm1", "--lock-mode", "lease", "up", "1", NULL);
    EXPECT(r, 0);
    CHECK(exists("hist_lm1_lock") == 1);
    done(&r);
    r = cli("--table=hist_lm2", "--lock-mode=lease", "up", "1", NULL);
    EXPECT(r, 0);
    CHECK(exists("hist_lm2_lock") == 1);
    done(&r);
    r = cli("--table=hist_lm3", "--lock-mode=advisory", "up", "1", NULL);
    EXPECT(r, 0);
    CHECK(exists("hist_lm3") == 1 && exists("hist_lm3_lock") == 0);
    done(&r);
    r = cli("--lock-mode=leases", "status", NULL);
    EXPECT(r, 2);
    EXPECT_IN(r.err, "--lock-mode wants advisory or lease, got leases");
    done(&r);

    /* a missing value is an error, and never swallows the next option */
    r = cli("status", "--table", NULL);
    EXPECT(r, 2);
    EXPECT_IN(r.err, "--table needs a value (--table VALUE or --table=VALUE)");
    done(&r);
    r = cli("--table", "--json", "status", NULL);
    EXPECT(r, 2);
    EXPECT_IN(r.err, "--table needs a value");
    EXPECT_IN(r.err, "got the option --json");
    done(&r);
    r = cli("--table=--json", "status", NULL); /* with '=' the value is taken as it is */
    EXPECT(r, 2);
    EXPECT_IN(r.err, "invalid history table name \"--json\"");
    done(&r);
    r = cli("--lock-mode", "-v", "status", NULL);
    EXPECT(r, 2);
    EXPECT_IN(r.err, "--lock-mode needs a value");
    done(&r);
    r = cli("--lock-retries", "-1", "status", NULL); /* "-1" is a value, a bad one */
    EXPECT(r, 2);
    EXPECT_IN(r.err, "--lock-retries wants a number from 0 to 100, got -1");
    done(&r);
    r = cli("--lock-retries=101", "status", NULL);
    EXPECT(r, 2);
    done(&r);
    r = cli("--lease-ttl", "500ms", "status", NULL);
    EXPECT(r, 2);
    EXPECT_IN(r.err, "--lease-ttl must be at least 1s");
    done(&r);
    r = cli("--lease-ttl=500ms", "status", NULL);
    EXPECT(r, 2);
    EXPECT_IN(r.err, "--lease-ttl must be at least 1s");
    done(&r);
    r = cli("--lock-wait", "forever", "status", NULL);
    EXPECT(r, 2);
    EXPECT_IN(r.err, "--lock-wait wants a duration like 30s, 500ms or 2m, got forever");
    done(&r);
    /* adopt's and fresh's options reach them, in both spellings */
    r = cli("adopt", "--table", "hist_adopt", "--from", "goose", NULL);
    EXPECT(r, 1);
    EXPECT_IN(r.err, "no goose history table");
    done(&r);
    r = cli("adopt", "--table=hist_adopt", "--from=dbmate", "--source-table", "my_versions", NULL);
    EXPECT(r, 1);
    EXPECT_IN(r.err, "my_versions");
    done(&r);
    r = cli("adopt", "--table=hist_adopt", "--from", "goose", "--source-table=other_versions",
            NULL);
    EXPECT(r, 1);
    EXPECT_IN(r.err, "other_versions");
    done(&r);
    r = cli("adopt", "--from=flyway", NULL);
    EXPECT(r, 2);
    done(&r);
    r = cli("fresh", "--confirm", "not_this_db", NULL);
    EXPECT(r, 1);
    EXPECT_IN(r.err, "the confirmation \"not_this_db\" is not the name");
    done(&r);
    r = cli("fresh", "--confirm=also_not_this_db", NULL);
    EXPECT(r, 1);
    EXPECT_IN(r.err, "the confirmation \"also_not_this_db\" is not the name");
    done(&r);
}

/* A child migrator that holds the lock on `table` while its one migration
 * sleeps; it runs pgmc_main itself with the given arguments. */
static pid_t hold_lock(char **argv)
{
    pid_t pid;
    int argc = 0;

    while (argv[argc])
        argc++;
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        _exit(pgmc_main(argc, argv, &slow_schema));
    }
    return pid;
}

static void wait_sleepers(int n)
{
    int i;

    for (i = 0; i < 300; i++) {
        if (fx_int(db, "SELECT count(*) FROM pg_stat_activity WHERE query LIKE "
                       "'SELECT pg_sleep(8)%' AND state = 'active' AND datname = "
                       "current_database()") >= n)
            return;
        nanosleep(&(struct timespec){0, 20000000L}, NULL);
    }
    fprintf(stderr, "the lock holders did not start\n");
    fx_failures++;
}

/* --lock-wait (0: try once), --lease-ttl, with migrators holding the lock */
static void test_lock_options(void)
{
    char *a_argv[] = {"migrate", "--table", "hist_lockt", "up", NULL};
    char *b_argv[] = {"migrate",     "--table", "hist_leaset", "--lock-mode", "lease",
                      "--lease-ttl", "7s",      "up",          NULL};
    char *c_argv[] = {
        "migrate", "--table=hist_leaset2", "--lock-mode=lease", "--lease-ttl=7s", "up", NULL};
    pid_t a, b, c;
    int st;
    run r;

    a = hold_lock(a_argv);
    b = hold_lock(b_argv);
    c = hold_lock(c_argv);
    wait_sleepers(3);
    /* the leases live --lease-ttl (7 s), not the default 30 s */
    CHECK(fx_int(db, "SELECT count(*) FROM hist_leaset_lock WHERE expires_at > now() + "
                     "interval '1 s' AND expires_at <= now() + interval '7.5 s'") == 1);
    CHECK(fx_int(db, "SELECT count(*) FROM hist_leaset2_lock WHERE expires_at > now() + "
                     "interval '1 s' AND expires_at <= now() + interval '7.5 s'") == 1);

    r = cli("--table", "hist_lockt", "--lock-wait", "0", "up", NULL);
    EXPECT(r, 1);
    EXPECT_IN(r.err, "another migrator holds the migration lock");
    EXPECT_IN(r.err, "not waiting");
    CHECK(r.ms < 900);
    done(&r);
    r = cli("--table=hist_lockt", "--lock-wait=0", "up", NULL);
    EXPECT(r, 1);
    EXPECT_IN(r.err, "not waiting");
    CHECK(r.ms < 900);
    done(&r);
    r = cli("--table", "hist_lockt", "--lock-wait", "1", "up", NULL);
    EXPECT(r, 1);
    EXPECT_IN(r.err, "timed out after 1000 ms waiting for the migration lock");
    CHECK(r.ms >= 900 && r.ms < 4000);
    done(&r);
    r = cli("--table=hist_lockt", "--lock-wait=800ms", "up", NULL);
    EXPECT(r, 1);
    EXPECT_IN(r.err, "timed out after 800 ms");
    done(&r);
    r = cli("--table", "hist_leaset", "--lock-mode", "lease", "--lock-wait", "0", "up", NULL);
    EXPECT(r, 1);
    EXPECT_IN(r.err, "another migrator holds the migration lease");
    EXPECT_IN(r.err, "not waiting");
    CHECK(r.ms < 900);
    done(&r);
    CHECK(waitpid(a, &st, 0) == a && WIFEXITED(st) && WEXITSTATUS(st) == 0);
    CHECK(waitpid(b, &st, 0) == b && WIFEXITED(st) && WEXITSTATUS(st) == 0);
    CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0);
    CHECK(version_now("hist_lockt") == 1 && version_now("hist_leaset2") == 1);
}

/* --lock-timeout, --lock-retries and --statement-timeout reach the server */
static void test_timeouts(void)
{
    PGconn *holder = fx_connect();
    run r;

    fx_exec(db, "CREATE TABLE locked_t (id int)");
    fx_exec(holder, "BEGIN");
    fx_exec(holder, "LOCK TABLE locked_t IN ACCESS EXCLUSIVE MODE");
    fx_cli_schema = &alter_schema;
    r = cli("--table", "hist_lt", "--lock-timeout", "200ms", "--lock-retries", "0", "up", NULL);
    EXPECT(r, 1);
    EXPECT_IN(r.err, "ERROR 55P03");
    CHECK(r.ms < 3000);
    done(&r);
    r = cli("--table=hist_lt", "--lock-timeout=200ms", "--lock-retries=0", "up", NULL);
    EXPECT(r, 1);
    EXPECT_IN(r.err, "ERROR 55P03");
    CHECK(r.ms < 3000);
    done(&r);
    r = cli("--table", "hist_lt", "--lock-timeout=200ms", "--lock-retries", "1", "up", NULL);
    EXPECT(r, 1);
    EXPECT_IN(r.err, "retry 1 of 1");
    CHECK(strstr(r.err, "retry 2 of") == NULL);
    done(&r);
    r = cli("--table", "hist_lt", "--lock-timeout", "200ms", "--lock-retries=1", "up", NULL);
    EXPECT(r, 1);
    EXPECT_IN(r.err, "retry 1 of 1");
    done(&r);
    fx_exec(holder, "ROLLBACK");
    PQfinish(holder);

    fx_cli_schema = &sleep_schema;
    r = cli("--table", "hist_st", "--statement-timeout", "200ms", "up", NULL);
    EXPECT(r, 1);
    EXPECT_IN(r.err, "ERROR 57014");
    CHECK(r.ms < 2500);
    done(&r);
    r = cli("--table", "hist_st", "--statement-timeout=200ms", "up", NULL);
    EXPECT(r, 1);
    EXPECT_IN(r.err, "ERROR 57014");
    CHECK(r.ms < 2500);
    done(&r);
    fx_cli_schema = &schema;
}

int main(void)
{
    fx_cli_schema = &schema;
    fx_mig(&migs[0], "1", "one", "CREATE TABLE IF NOT EXISTS a1 (id int);\n",
           "DROP TABLE IF EXISTS a1;\n", PGMC_TX_TRANSACTION);
    fx_mig(&migs[1], "2", "two", "CREATE TABLE IF NOT EXISTS a2 (id int);\n",
           "DROP TABLE IF EXISTS a2;\n", PGMC_TX_TRANSACTION);
    fx_mig(&migs[2], "3", "three", "CREATE TABLE IF NOT EXISTS a3 (id int);\n",
           "DROP TABLE IF EXISTS a3;\n", PGMC_TX_TRANSACTION);
    fx_schema(&schema, migs, 3);
    fx_mig(&slow_mig[0], "1", "slow", "SELECT pg_sleep(8);\n", NULL, PGMC_TX_TRANSACTION);
    fx_schema(&slow_schema, slow_mig, 1);
    fx_mig(&alter_mig[0], "1", "alter", "ALTER TABLE locked_t ADD COLUMN x int;\n", NULL,
           PGMC_TX_TRANSACTION);
    fx_schema(&alter_schema, alter_mig, 1);
    fx_mig(&sleep_mig[0], "1", "sleep", "SELECT pg_sleep(3);\n", NULL, PGMC_TX_TRANSACTION);
    fx_schema(&sleep_schema, sleep_mig, 1);
    db = fx_connect();
    test_wait();
    test_value_options();
    test_lock_options();
    test_timeouts();
    PQfinish(db);
    return fx_done("test_runtime_cli_args");
}
