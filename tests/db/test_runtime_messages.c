/* test_runtime_messages.c - messages that must tell the truth and cannot be
 * forged, on a real server: a connection cut under a running statement is
 * reported as lost (not "refused"); file and migration names with a newline,
 * ESC or a C1 control, from the build or from the history table, are
 * printed escaped by errors, logs, validate and status; `fresh --lock-mode
 * lease` does not warn about the lease it dropped with its table. */
#define _POSIX_C_SOURCE 200809L

#include <signal.h>
#include <stdarg.h>
#include <sys/socket.h>

#include "pgmc_internal.h"
#include "test_runtime_fixture.h"

static pgmc_migration migs[1], slow_mig[1], block_mig[1], evil_mig[1];
static pgmc_schema schema, slow_schema, block_schema, evil_schema;
static PGconn *db;

#include "test_cli_run.h"

/* No raw control character but line ends and tabs, no C1 control. */
static int clean(const char *s)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if ((ch < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7f ||
            (ch == 0xc2 && (unsigned char)s[1] >= 0x80 && (unsigned char)s[1] < 0xa0))
            return 0;
    }
    return 1;
}

static void test_escape(void)
{
    char buf[64];

    CHECK_STR(pgmc__esc(buf, sizeof buf, "a\nb\tc\rd\x1b[2J\x07\x7f"),
              "a\\nb\\tc\\rd\\x1b[2J\\x07\\x7f");
    CHECK_STR(pgmc__esc(buf, sizeof buf, "caf\xc3\xa9 \xe2\x9c\x93"), "caf\xc3\xa9 \xe2\x9c\x93");
    CHECK_STR(pgmc__esc(buf, sizeof buf,
                        "\xc2\x9b"
                        "1m"),
              "\\xc2\\x9b1m"); /* C1 CSI */
    CHECK_STR(pgmc__esc(buf, sizeof buf, "\xff\xc3(\xe2\x9c"), "\\xff\\xc3(\\xe2\\x9c");
    CHECK_STR(pgmc__esc(buf, sizeof buf, "back\\slash \"q\""), "back\\slash \"q\"");
    CHECK_STR(pgmc__esc(buf, 6, "\x1b\x1b"), "\\x1b"); /* never half an escape */
    CHECK_STR(pgmc__esc(buf, 3, "\xc3\xa9\xc3\xa9"), "\xc3\xa9");
    CHECK_STR(pgmc__esc(buf, sizeof buf, NULL), "");
    CHECK(pgmc__needs_esc("x\n") && !pgmc__needs_esc("plain \xc3\xa9"));
}

static PGconn *victim;

static void cut(int sig)
{
    (void)sig;
    shutdown(PQsocket(victim), SHUT_RDWR);
}

/* Run `sc` on a connection that is cut 1 s in, while its statement sleeps;
 * returns what pgmc_print_error prints (malloc'd) and the result in *res. */
static char *cut_run(const pgmc_schema *sc, const char *table, pgmc_result *res)
{
    pgmc_options opt;
    struct sigaction sa;
    FILE *f;
    int rc;

    victim = fx_connect();
    pgmc_options_init(&opt);
    opt.history_table = table;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = cut;
    sigaction(SIGALRM, &sa, NULL);
    alarm(1);
    rc = pgmc_up(victim, sc, PGMC_ALL, &opt, res);
    alarm(0);
    CHECK_RC(rc, PGMC_ERR_CONNECT, res);
    f = tmpfile();
    pgmc_print_error(f, res);
    PQfinish(victim);
    return fx_slurp(f);
}

/* The connection breaks while a statement runs: "lost", never "refused". */
static void test_lost_connection(void)
{
    pgmc_result res;
    char *text;

    /* a statement in a script's own transaction block, sent as written */
    text = cut_run(&block_schema, "hist_slow_block", &res);
    CHECK(res.statement == 2 && res.file[0]);
    EXPECT_IN(text, "error: migration 1 slow lost the database connection at "
                    "0001_slow.up.sql:2:1\n");
    EXPECT_IN(text, "server closed the connection unexpectedly");
    EXPECT_NOT_IN(text, "refused");
    /* libpq's second line is indented under the first, not a line of its own */
    EXPECT_IN(text, "\n    This probably means");
    CHECK(clean(text));
    free(text);
    /* a statement sent with its progress row */
    text = cut_run(&slow_schema, "hist_slow", &res);
    EXPECT_IN(text, "error: the connection was lost: server closed the connection unexpectedly");
    EXPECT_NOT_IN(text, "refused");
    CHECK(clean(text));
    free(text);
}

/* Names and file names with control characters, from the build and from
 * the history table: escaped in the error report, the log, status and
 * validate. */
static void test_escaped_names(void)
{
    const char *esc_name = "evil\\nname\\x1b[2J\\xc2\\x9b\xc3\xa9";
    char want[300];
    run r;

    fx_cli_schema = &evil_schema;
    r = cli("--table", "hist_evil", "-v", "up", NULL);
    EXPECT(r, 1);
    snprintf(want, sizeof want, "error: migration 1 %s failed at 0001_%s.up.sql:1:1\n", esc_name,
             esc_name);
    EXPECT_IN(r.err, want);
    snprintf(want, sizeof want, "applying 1 %s (no transaction, 1 statements)", esc_name);
    EXPECT_IN(r.out, want); /* run.c's log line, through the CLI's escaping log */
    CHECK(clean(r.out) && clean(r.err));
    done(&r);
    /* the failed run's row holds the name and an error naming the file */
    r = cli("--table", "hist_evil", "status", NULL);
    EXPECT(r, 0);
    snprintf(want, sizeof want, "\xe2\x9c\x97 1 %s  FAILED applying", esc_name);
    EXPECT_IN(r.out, want);
    snprintf(want, sizeof want, "statement 1 (0001_%s.up.sql:1) did not complete", esc_name);
    EXPECT_IN(r.out, want);
    CHECK(clean(r.out));
    done(&r);
    r = cli("--table", "hist_evil", "validate", NULL);
    EXPECT(r, 1);
    snprintf(want, sizeof want, "FAILED: migration 1 %s: applying, statement 1 of 1 failed",
             esc_name);
    EXPECT_IN(r.err, want);
    CHECK(clean(r.out) && clean(r.err));
    done(&r);
    r = cli("--table", "hist_evil", "up", NULL); /* refused: names escaped in the refusal */
    EXPECT(r, 1);
    CHECK(clean(r.out) && clean(r.err));
    EXPECT_IN(r.err, esc_name);
    done(&r);
    r = cli("--table", "hist_evil", "status", "--json", NULL);
    EXPECT_IN(r.out, "\"name\": \"evil\\nname\\u001b[2J");
    done(&r);
    fx_cli_schema = &schema;
}

/* fresh in lease mode: the lease table is dropped with its schema; nothing
 * is left to release, and nothing may claim otherwise. */
static void test_fresh_lease(void)
{
    run r;

    r = cli("--lock-mode", "lease", "up", NULL);
    EXPECT(r, 0);
    done(&r);
    CHECK(fx_int(db, "SELECT (to_regclass('pgmc_schema_history_lock') IS NOT NULL)::int") == 1);
    r = cli("fresh", "--confirm", PQdb(db), "--lock-mode", "lease", NULL);
    EXPECT(r, 0);
    EXPECT_IN(r.err, "fresh: dropping schema public");
    EXPECT_NOT_IN(r.err, "could not release");
    EXPECT_NOT_IN(r.err, "lost");
    EXPECT_IN(r.out, "1 migration applied");
    done(&r);
    CHECK(fx_int(db, "SELECT count(*) FROM pgmc_schema_history_lock") == 0);
    CHECK(fx_int(db, "SELECT count(*) FROM pgmc_schema_history WHERE success") == 1);
    CHECK(fx_int(db, "SELECT (to_regclass('hist_evil') IS NULL)::int") == 1);
}

int main(void)
{
    fx_cli_schema = &schema;
    fx_mig(&migs[0], "1", "one", "CREATE TABLE m1 (id int);\n", "DROP TABLE m1;\n",
           PGMC_TX_TRANSACTION);
    fx_schema(&schema, migs, 1);
    fx_mig(&slow_mig[0], "1", "slow", "SELECT pg_sleep(3);\n", NULL, PGMC_TX_NONE);
    fx_schema(&slow_schema, slow_mig, 1);
    fx_mig(&block_mig[0], "1", "slow", "BEGIN;\nSELECT pg_sleep(3);\nCOMMIT;\n", NULL,
           PGMC_TX_NONE);
    fx_schema(&block_schema, block_mig, 1);
    fx_mig(&evil_mig[0], "1", "evil\nname\x1b[2J\xc2\x9b\xc3\xa9", "SELECT nosuch;\n", NULL,
           PGMC_TX_NONE);
    fx_schema(&evil_schema, evil_mig, 1);
    db = fx_connect();
    test_escape();
    test_lost_connection();
    test_escaped_names();
    test_fresh_lease();
    PQfinish(db);
    return fx_done("test_runtime_messages");
}
