/* test_runtime_history_check.c - the history table checked as data, through
 * pgmc_main() and the C API on a real server: a '003' row beside '3', a
 * duplicated row once the UNIQUE constraint is gone, versions that are not
 * canonical, an unfinished run's progress out of range (negative, NULL,
 * above the statement count; the count itself is fine), a finished row with
 * progress, two unfinished runs. Each must be refused by up, down, goto and
 * redo before anything runs, reported by validate with its own message and
 * way out (which is then applied and must work), and shown as INVALID by
 * status without made-up statement numbers. Unknown newer versions stay a
 * warning for up; database text with control characters is escaped. */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>

#include "test_runtime_fixture.h"

static pgmc_migration migs[3];
static pgmc_schema schema;
static PGconn *db;

#include "test_cli_run.h"

static long q(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void x(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static long q(const char *fmt, ...)
{
    char sql[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    return fx_int(db, sql);
}

static void x(const char *fmt, ...)
{
    char sql[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    fx_exec(db, sql);
}

static long rows(void)
{
    return q("SELECT count(*) FROM pgmc_schema_history");
}

static long rel(const char *name)
{
    return q("SELECT (to_regclass('%s') IS NOT NULL)::int", name);
}

/* A copy of the row of `from` under version text `v`; returns its id. */
static long copy_row(const char *from, const char *v)
{
    return q("INSERT INTO pgmc_schema_history (version, name, kind, checksum, method)"
             " SELECT '%s', name, kind, checksum, method FROM pgmc_schema_history"
             " WHERE version = '%s' ORDER BY id LIMIT 1 RETURNING id",
             v, from);
}

/* An unfinished applying run of `v` recorded with `checksum`. */
static long unfinished(const char *v, const char *name, const char *progress, const char *dir,
                       const char *checksum)
{
    return q("INSERT INTO pgmc_schema_history (version, name, kind, checksum, success, progress,"
             " progress_hash, direction) VALUES ('%s', '%s', 'versioned', '%s', false, %s, '', %s)"
             " RETURNING id",
             v, name, checksum, progress, dir);
}

/* Text with no raw control character but newlines (ends of lines). */
static int clean(const char *s)
{
    for (; *s; s++)
        if (((unsigned char)*s < 0x20 && *s != '\n') || *s == 0x7f)
            return 0;
    return 1;
}

/* up, down, goto and redo all refuse, naming `label`, and change nothing. */
static void refused_everywhere(const char *label)
{
    static const char *const verbs[][2] = {
        {"up", NULL}, {"down", NULL}, {"goto", "1"}, {"redo", NULL}, {"down", "--all"}};
    long before = rows(), h1 = rel("h1"), h2 = rel("h2"), h3 = rel("h3");
    char want[200];
    size_t i;

    snprintf(want, sizeof want, "is inconsistent, so nothing was run: %s: ", label);
    for (i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
        run r = cli(verbs[i][0], verbs[i][1], NULL);
        EXPECT(r, 1);
        EXPECT_IN(r.err, want);
        EXPECT_IN(r.err, "HINT: ");
        CHECK(clean(r.err) && clean(r.out));
        done(&r);
    }
    CHECK(rows() == before && rel("h1") == h1 && rel("h2") == h2 && rel("h3") == h3);
}

/* validate fails with `want` and the way out `fix`, and says nothing valid. */
static void validate_says(const char *want, const char *fix, const char *summary)
{
    run r = cli("validate", NULL);

    EXPECT(r, 1);
    EXPECT_IN(r.err, want);
    EXPECT_IN(r.err, fix);
    EXPECT_IN(r.err, summary);
    EXPECT_NOT_IN(r.out, "valid (");
    CHECK(clean(r.err) && clean(r.out));
    done(&r);
}

static void validate_ok(const char *want)
{
    run r = cli("validate", NULL);

    EXPECT(r, 0);
    EXPECT_IN(r.out, want);
    done(&r);
}

static void status_shows(const char *want)
{
    run r = cli("status", NULL);

    EXPECT(r, 0);
    EXPECT_IN(r.out, want);
    EXPECT_IN(r.out, "the history table is inconsistent");
    EXPECT_NOT_IN(r.out, "4294967");
    CHECK(clean(r.out));
    done(&r);
}

/* The case: a row '003' beside '3'. */
static void test_leading_zeros(void)
{
    pgmc_result res;
    long id3, id003;
    char want[400], fix[200];
    run r;

    r = cli("up", "-q", NULL);
    EXPECT(r, 0);
    done(&r);
    id3 = q("SELECT id FROM pgmc_schema_history WHERE version = '3'");
    id003 = copy_row("3", "003");
    snprintf(want, sizeof want,
             "warning: DUPLICATE VERSION: history rows id %ld (version \"3\" three, applied) and "
             "id %ld (version \"003\" three, applied) all record version 3 (migration 3 three)",
             id3, id003);
    snprintf(fix, sizeof fix,
             "to keep id %ld: DELETE FROM \"pgmc_schema_history\" WHERE id IN (%ld);", id3, id003);
    validate_says(want, fix, "validation failed: 1 duplicate version");
    refused_everywhere("DUPLICATE VERSION");
    CHECK(rel("h3") == 1 && rel("h3b") == 1); /* down did not revert anything */
    status_shows("\xe2\x9c\x97 3 three  INVALID HISTORY: DUPLICATE VERSION: 2 history rows record "
                 "version 3\n");
    r = cli("status", NULL);
    EXPECT_NOT_IN(r.out, "\xe2\x9c\x93 3 three");
    done(&r);
    r = cli("status", "--json", NULL);
    EXPECT(r, 0);
    EXPECT_IN(r.out, "\"name\": \"three\", \"kind\": \"versioned\", \"state\": \"invalid\"");
    EXPECT_IN(r.out, "\"error\": \"DUPLICATE VERSION: 2 history rows record version 3\"");
    done(&r);
    /* the C API: the code, the migration, the way out */
    CHECK_RC(pgmc_down(db, &schema, 1, NULL, &res), PGMC_ERR_HISTORY, &res);
    CHECK_STR(res.version, "3");
    CHECK(strstr(res.hint, "DELETE FROM \"pgmc_schema_history\" WHERE id IN (") != NULL);
    CHECK(res.applied == 0);
    /* the way out works */
    x("DELETE FROM \"pgmc_schema_history\" WHERE id IN (%ld)", id003);
    validate_ok("3 migrations valid (0 pending)");
}

/* Without the UNIQUE constraint, a plain duplicate. */
static void test_duplicate_row(void)
{
    long id2, dup;
    char want[300], fix[200];

    x("DO $$ DECLARE r record; BEGIN FOR r IN SELECT conname FROM pg_constraint"
      " WHERE conrelid = 'pgmc_schema_history'::regclass AND contype = 'u' LOOP"
      " EXECUTE format('ALTER TABLE pgmc_schema_history DROP CONSTRAINT %%I', r.conname);"
      " END LOOP; END $$");
    id2 = q("SELECT id FROM pgmc_schema_history WHERE version = '2'");
    dup = copy_row("2", "2");
    CHECK(dup > 0);
    snprintf(want, sizeof want,
             "DUPLICATE VERSION: history rows id %ld (version \"2\" two, applied) and id %ld "
             "(version \"2\" two, applied) all record version 2 (migration 2 two)",
             id2, dup);
    snprintf(fix, sizeof fix, "DELETE FROM \"pgmc_schema_history\" WHERE id IN (%ld);", dup);
    validate_says(want, fix, "1 duplicate version");
    refused_everywhere("DUPLICATE VERSION");
    status_shows("\xe2\x9c\x97 2 two  INVALID HISTORY: DUPLICATE VERSION");
    x("DELETE FROM pgmc_schema_history WHERE id = %ld", dup);
    validate_ok("3 migrations valid");
}

/* Versions that are not canonical, alone: '02', 'v9'. */
static void test_bad_versions(void)
{
    long id, bad;
    char want[300], fix[200];
    run r;

    id = q("UPDATE pgmc_schema_history SET version = '02' WHERE version = '2' RETURNING id");
    snprintf(want, sizeof want,
             "INVALID VERSION: history row id %ld (version \"02\" two, applied) has a version "
             "that is not canonical",
             id);
    snprintf(fix, sizeof fix, "UPDATE \"pgmc_schema_history\" SET version = '2' WHERE id = %ld;",
             id);
    validate_says(want, fix, "1 invalid version");
    refused_everywhere("INVALID VERSION");
    status_shows("\xe2\x9c\x97 2 two  INVALID HISTORY: INVALID VERSION: history row id");
    status_shows("has version \"02\"\n");
    x("%s", fix);
    validate_ok("3 migrations valid");

    bad = q("INSERT INTO pgmc_schema_history (version, name, kind, checksum)"
            " VALUES ('v9', 'odd', 'versioned', 'c') RETURNING id");
    snprintf(fix, sizeof fix, "DELETE FROM \"pgmc_schema_history\" WHERE id = %ld;", bad);
    validate_says("INVALID VERSION: history row", fix, "1 invalid version");
    refused_everywhere("INVALID VERSION");
    r = cli("status", NULL);
    EXPECT_IN(r.out, "\xe2\x9c\x97 v9 odd  INVALID HISTORY: INVALID VERSION");
    done(&r);
    x("%s", fix);
    validate_ok("3 migrations valid");
}

/* An unfinished run of migration 3 (3 statements) with progress out of
 * range; 3 itself is in range (all done, not recorded as finished). */
static void test_progress(void)
{
    long id;
    char want[300];
    run r;

    r = cli("down", "-q", NULL);
    EXPECT(r, 0);
    done(&r);
    CHECK(rel("h3") == 0);
    id = unfinished("3", "three", "-5", "'up'", "x");
    snprintf(want, sizeof want,
             "INVALID PROGRESS: history row id %ld (version \"3\" three, unfinished) is an "
             "unfinished applying run that has progress -5, a negative statement count",
             id);
    validate_says(want, "`migrate force VERSION`", "1 invalid progress");
    refused_everywhere("INVALID PROGRESS");
    CHECK(rel("h3") == 0); /* up did not resume at "statement -4" */
    snprintf(want, sizeof want,
             "\xe2\x9c\x97 3 three  INVALID HISTORY: INVALID PROGRESS: history row id %ld has "
             "progress -5, a negative statement count\n",
             id);
    status_shows(want);
    r = cli("status", "--json", NULL);
    EXPECT_IN(r.out, "\"state\": \"invalid\"");
    EXPECT_NOT_IN(r.out, "statements_done");
    done(&r);

    /* 7 statements of a run of this very script (same checksum): impossible */
    x("UPDATE pgmc_schema_history SET progress = 7, checksum = '%s' WHERE id = %ld",
      migs[2].checksum_hex, id);
    validate_says("has progress 7, but 0003_three.up.sql, the script it ran (same checksum), has "
                  "3 statements",
                  "migrate force", "1 invalid progress");
    refused_everywhere("INVALID PROGRESS");
    status_shows("INVALID HISTORY: INVALID PROGRESS");
    r = cli("status", NULL);
    EXPECT_NOT_IN(r.out, "statement 8");
    EXPECT_NOT_IN(r.out, "all 3 statements completed");
    done(&r);

    /* ...but possible for a run of an earlier version of the script, edited
     * since: not bad data, a run that cannot resume */
    x("UPDATE pgmc_schema_history SET checksum = 'edited' WHERE id = %ld", id);
    r = cli("validate", NULL);
    EXPECT(r, 1);
    EXPECT_NOT_IN(r.err, "INVALID PROGRESS");
    EXPECT_IN(r.err, "INCOMPLETE: migration 3 three");
    done(&r);
    r = cli("up", NULL);
    EXPECT(r, 1);
    EXPECT_IN(r.err, "Statements 1-7 were committed, but their text in this build differs");
    done(&r);
    CHECK(rel("h3") == 0);
    r = cli("status", NULL);
    EXPECT_IN(r.out, "INCOMPLETE applying since");
    EXPECT_IN(r.out, "7 statements completed, but the script now has 3: it was edited since, so "
                     "it cannot resume\n");
    EXPECT_NOT_IN(r.out, "all 3 statements completed");
    done(&r);

    x("UPDATE pgmc_schema_history SET progress = NULL, direction = NULL WHERE id = %ld", id);
    validate_says("unfinished applying run that records no progress (NULL)", "migrate force",
                  "1 invalid progress");
    refused_everywhere("INVALID PROGRESS");

    /* all 3 completed, not recorded as finished: a valid (INCOMPLETE) state */
    x("UPDATE pgmc_schema_history SET progress = 3, direction = 'up' WHERE id = %ld", id);
    r = cli("validate", NULL);
    EXPECT(r, 1);
    EXPECT_NOT_IN(r.err, "INVALID PROGRESS");
    EXPECT_IN(r.err, "INCOMPLETE: migration 3 three: applying stopped at the end (all 3 "
                     "statements completed");
    done(&r);

    /* the way out: force resolves the marker */
    r = cli("force", "2", NULL);
    EXPECT(r, 0);
    done(&r);
    validate_ok("2 migrations valid (1 pending)");
}

/* A finished row that carries progress, direction and a hash. */
static void test_finished_with_progress(void)
{
    long id;
    char want[300], fix[300];

    id = q("UPDATE pgmc_schema_history SET progress = 1, direction = 'down', progress_hash = "
           "'abc' WHERE version = '2' RETURNING id");
    snprintf(want, sizeof want,
             "FINISHED WITH PROGRESS: history row id %ld (version \"2\" two, applied) is recorded "
             "as finished (success) but carries progress 1, direction down, a progress hash",
             id);
    snprintf(fix, sizeof fix,
             "UPDATE \"pgmc_schema_history\" SET progress = NULL, progress_hash = NULL, "
             "direction = NULL WHERE id = %ld;",
             id);
    validate_says(want, fix, "1 finished row with progress");
    refused_everywhere("FINISHED WITH PROGRESS");
    CHECK(rel("h2") == 1);
    status_shows("\xe2\x9c\x97 2 two  INVALID HISTORY: FINISHED WITH PROGRESS");
    x("%s", fix);
    validate_ok("2 migrations valid (1 pending)");
}

/* Two unfinished runs at once. */
static void test_two_runs(void)
{
    long a, b;
    char want[300];
    run r;

    r = cli("down", "-q", NULL);
    EXPECT(r, 0);
    done(&r);
    a = unfinished("2", "two", "0", "'up'", migs[1].checksum_hex);
    b = unfinished("3", "three", "1", "'up'", migs[2].checksum_hex);
    snprintf(want, sizeof want,
             "UNFINISHED RUNS: history rows id %ld (version \"2\" two, unfinished) and id %ld "
             "(version \"3\" three, unfinished) each record an unfinished run",
             a, b);
    validate_says(want, "`migrate force VERSION`, which resolves every unfinished run",
                  "1 extra unfinished run");
    refused_everywhere("UNFINISHED RUNS");
    CHECK(rel("h2") == 0 && rel("h3") == 0);
    r = cli("status", NULL);
    EXPECT_IN(r.out, "\xe2\x9c\x97 2 two  INVALID HISTORY: UNFINISHED RUNS");
    EXPECT_IN(r.out, "\xe2\x9c\x97 3 three  INVALID HISTORY: UNFINISHED RUNS");
    EXPECT_IN(r.out, "the history table is inconsistent (2 migrations)");
    done(&r);
    r = cli("force", "1", NULL);
    EXPECT(r, 0);
    done(&r);
    validate_ok("1 migration valid (2 pending)");
}

/* A database ahead of the binary is still only a warning for up; database
 * text with control characters is printed escaped everywhere. */
static void test_unknown_and_escapes(void)
{
    long id;
    run r;

    r = cli("up", "-q", NULL);
    EXPECT(r, 0);
    done(&r);
    id = q("INSERT INTO pgmc_schema_history (version, name, kind, checksum)"
           " VALUES ('9', 'future', 'versioned', 'c') RETURNING id");
    r = cli("up", NULL);
    EXPECT(r, 0);
    EXPECT_IN(r.err, "warning: the database has 1 migration newer than this build knows (3), up "
                     "to 9 future");
    done(&r);
    r = cli("validate", NULL);
    EXPECT(r, 1);
    EXPECT_IN(r.err, "UNKNOWN: migration 9 future");
    EXPECT_NOT_IN(r.err, "INVALID");
    done(&r);
    x("DELETE FROM pgmc_schema_history WHERE id = %ld", id);

    id = q("INSERT INTO pgmc_schema_history (version, name, kind, checksum)"
           " VALUES (E'9\\x1b[31m', E'evil\\nname\\x07', 'versioned', 'c') RETURNING id");
    r = cli("validate", NULL);
    EXPECT(r, 1);
    EXPECT_IN(r.err, "version \"9\\x1b[31m\" evil\\nname\\x07, applied");
    CHECK(clean(r.err) && clean(r.out));
    done(&r);
    r = cli("status", NULL);
    EXPECT_IN(r.out, "9\\x1b[31m evil\\nname\\x07  INVALID HISTORY");
    CHECK(clean(r.out));
    done(&r);
    r = cli("version", NULL);
    CHECK(clean(r.out));
    done(&r);
    {
        /* a service's own streams, no log callback: escaped at the source */
        pgmc_options opt;
        pgmc_result res;
        FILE *f = tmpfile();
        char *text;
        pgmc_options_init(&opt);
        opt.out = opt.err = f;
        CHECK_RC(pgmc_validate(db, &schema, &opt, &res), PGMC_ERR_VALIDATE, &res);
        CHECK_RC(pgmc_up(db, &schema, PGMC_ALL, &opt, &res), PGMC_ERR_HISTORY, &res);
        text = fx_slurp(f);
        EXPECT_IN(text, "warning: INVALID VERSION: history row id");
        EXPECT_IN(text, "evil\\nname\\x07");
        CHECK(clean(text) && clean(res.message));
        free(text);
    }
    refused_everywhere("INVALID VERSION");
    x("DELETE FROM pgmc_schema_history WHERE id = %ld", id);
    validate_ok("3 migrations valid");
}

int main(void)
{
    fx_cli_schema = &schema;
    fx_mig(&migs[0], "1", "one", "CREATE TABLE h1 (id int);\n", "DROP TABLE h1;\n",
           PGMC_TX_TRANSACTION);
    fx_mig(&migs[1], "2", "two", "CREATE TABLE h2 (id int);\n", "DROP TABLE h2;\n",
           PGMC_TX_TRANSACTION);
    fx_mig(&migs[2], "3", "three",
           "CREATE TABLE h3 (id int);\nCREATE INDEX CONCURRENTLY h3_i ON h3 (id);\n"
           "CREATE TABLE h3b (id int);\n",
           "DROP TABLE h3b;\nDROP TABLE h3;\n", PGMC_TX_NONE);
    fx_schema(&schema, migs, 3);
    db = fx_connect();
    test_leading_zeros();
    test_duplicate_row();
    test_bad_versions();
    test_progress();
    test_finished_with_progress();
    test_two_runs();
    test_unknown_and_escapes();
    PQfinish(db);
    return fx_done("test_runtime_history_check");
}
