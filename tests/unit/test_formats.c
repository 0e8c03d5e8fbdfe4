/* test_formats.c - format detection, parsing, ordering, pairing, transaction
 * rules and error messages of the generator, on the fixtures under
 * tests/fixtures/formats/ and on the real-world corpora. */
#define _POSIX_C_SOURCE 200809L
#include "formats/format_ops.h"
#include "formats/formats.h"
#include "gen.h"
#include "formats/txmode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PGMC_SOURCE_DIR
#error PGMC_SOURCE_DIR must be defined by the build
#endif

static int failures, checks;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        checks++;                                                                                  \
        if (!(cond)) {                                                                             \
            failures++;                                                                            \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
        }                                                                                          \
    } while (0)

#define CHECK_STR(a, b)                                                                            \
    do {                                                                                           \
        const char *a_ = (a), *b_ = (b);                                                           \
        checks++;                                                                                  \
        if (!a_ || strcmp(a_, b_)) {                                                               \
            failures++;                                                                            \
            fprintf(stderr, "%s:%d: got '%s', want '%s'\n", __FILE__, __LINE__,                    \
                    a_ ? a_ : "(null)", b_);                                                       \
        }                                                                                          \
    } while (0)

/* The diagnostics contain `needle`. */
#define CHECK_DIAG(d, needle)                                                                      \
    do {                                                                                           \
        checks++;                                                                                  \
        if (!(d)->text || !strstr((d)->text, (needle))) {                                          \
            failures++;                                                                            \
            fprintf(stderr, "%s:%d: diagnostics lack '%s':\n%s\n", __FILE__, __LINE__, (needle),   \
                    (d)->text ? (d)->text : "(none)");                                             \
        }                                                                                          \
    } while (0)

typedef struct fx {
    pgmcg_project p;
    pgmcg_diag d;
    int rc;
    char dir[1024];
} fx;

/* Load a directory the way pgmc gen does (formats, then tx modes). */
static void load_dir(fx *f, const char *dir, const char *format)
{
    memset(&f->p, 0, sizeof f->p);
    pgmcg_diag_init(&f->d, NULL);
    snprintf(f->dir, sizeof f->dir, "%s", dir);
    f->rc = pgmcg_formats_load(dir, format, &f->p, &f->d);
    if (f->rc == 0)
        f->rc = pgmcg_txmode_apply(&f->p, &f->d);
}

static void load(fx *f, const char *name)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/tests/fixtures/formats/%s", PGMC_SOURCE_DIR, name);
    load_dir(f, dir, "auto");
}

static void done(fx *f)
{
    pgmcg_project_free(&f->p);
    pgmcg_diag_free(&f->d);
}

static const pgmcg_gen_migration *mig(const fx *f, size_t i)
{
    return i < f->p.n_migs ? &f->p.migs[i] : NULL;
}

/* Text of statement i of script s. */
static char *stmt_text(const pgmcg_gen_script *s, size_t i)
{
    static char buf[256];
    const pgmc_statement *st = &s->stmts.v[i];
    snprintf(buf, sizeof buf, "%.*s", (int)st->length, s->sql + st->offset);
    return buf;
}

static void test_corpora(void)
{
#ifdef PGMC_CORPORA_DIR
    static const struct {
        const char *name, *format;
        size_t n;
        unsigned notes;
    } corpora[] = {{"harbor", "golang-migrate", 39, 0},
                   {"atuin", "sqlx", 20, 0},
                   {"upchieve", "dbmate", 282, 3}};
    for (size_t i = 0; i < sizeof corpora / sizeof *corpora; i++) {
        char dir[1024];
        snprintf(dir, sizeof dir, "%s/%s", PGMC_CORPORA_DIR, corpora[i].name);
        struct stat st;
        if (stat(dir, &st) != 0) {
            fprintf(stderr, "skip: corpus %s not found\n", dir);
            continue;
        }
        fx f;
        load_dir(&f, dir, "auto");
        CHECK(f.rc == 0);
        CHECK(f.d.errors == 0);
        CHECK(f.d.notes == corpora[i].notes);
        CHECK(f.p.n_migs == corpora[i].n);
        CHECK_STR(f.p.format, corpora[i].format);
        for (size_t k = 1; k < f.p.n_migs; k++)
            CHECK(pgmc_version_order(f.p.migs[k - 1].version, f.p.migs[k].version) < 0);
        if (f.d.errors)
            fprintf(stderr, "%s", f.d.text);
        done(&f);
    }
    /* harbor: zero-padded with gaps, canonical without zeros. */
    {
        char dir[1024];
        snprintf(dir, sizeof dir, "%s/harbor", PGMC_CORPORA_DIR);
        fx f;
        load_dir(&f, dir, "auto");
        if (f.rc == 0) {
            CHECK_STR(mig(&f, 0)->version, "1");
            CHECK_STR(mig(&f, 0)->version_raw, "0001");
            CHECK_STR(mig(&f, 38)->version, "190");
            CHECK(mig(&f, 0)->down.input == NULL);
        }
        done(&f);
    }
    /* upchieve: the indented marker ends the up section. */
    {
        char dir[1024];
        snprintf(dir, sizeof dir, "%s/upchieve", PGMC_CORPORA_DIR);
        fx f;
        load_dir(&f, dir, "auto");
        CHECK_DIAG(&f.d, "20211026205335_create_cities_table.sql:12:5: note: indented "
                         "'-- migrate:down' read as a section marker");
        for (size_t k = 0; k < f.p.n_migs; k++)
            if (!strcmp(f.p.migs[k].version, "20211026205335")) {
                const pgmcg_gen_migration *m = &f.p.migs[k];
                CHECK(strstr(m->up.sql, "DROP CONSTRAINT") == NULL ||
                      strstr(m->up.sql, "DROP CONSTRAINT") >= m->up.sql + m->up.sql_len);
                CHECK(m->down.stmts.n == 2);
                CHECK(m->down.stmts.n && m->down.stmts.v[0].line == 13);
            }
        done(&f);
    }
#else
    fprintf(stderr, "skip: PGMC_CORPORA_DIR not defined\n");
#endif
}

static void test_golang_migrate(void)
{
    fx f;
    load(&f, "gm_pairs");
    CHECK(f.rc == 0);
    CHECK_STR(f.p.format, "golang-migrate");
    CHECK(f.p.n_migs == 4);
    if (f.p.n_migs == 4) {
        /* 1, 3, 9, 10: numeric order, padded and unpadded alike. */
        CHECK_STR(mig(&f, 0)->version, "1");
        CHECK_STR(mig(&f, 1)->version, "3");
        CHECK_STR(mig(&f, 2)->version, "9");
        CHECK_STR(mig(&f, 3)->version, "10");
        /* 0003_add_x.up.sql pairs with 3_add_x_fixed.down.sql. */
        CHECK_STR(mig(&f, 1)->name, "add_x");
        CHECK_STR(mig(&f, 1)->version_raw, "0003");
        CHECK_STR(mig(&f, 1)->up.input->rel, "0003_add_x.up.sql");
        CHECK(mig(&f, 1)->down.input &&
              !strcmp(mig(&f, 1)->down.input->rel, "3_add_x_fixed.down.sql"));
        CHECK(mig(&f, 2)->down.input == NULL);
        CHECK(mig(&f, 0)->up.stmts.n == 1);
        CHECK_STR(stmt_text(&mig(&f, 0)->up, 0), "CREATE TABLE a (id int)");
        CHECK(mig(&f, 0)->up.tx_mode == PGMC_TX_TRANSACTION);
        CHECK(mig(&f, 0)->up.tx_note == NULL);
    }
    /* README.md, LICENSE and seed.txt are not inputs. */
    CHECK(f.p.n_inputs == 6);
    done(&f);
}

static void test_sqlx(void)
{
    fx f;
    load(&f, "sqlx_notx");
    CHECK(f.rc == 0);
    CHECK_STR(f.p.format, "sqlx");
    CHECK(f.p.n_migs == 2);
    if (f.p.n_migs == 2) {
        CHECK_STR(mig(&f, 0)->version, "20240101000000");
        CHECK(mig(&f, 0)->up.tx_mode == PGMC_TX_TRANSACTION);
        CHECK(mig(&f, 1)->up.tx_mode == PGMC_TX_NONE);
        CHECK_STR(mig(&f, 1)->up.tx_note, "marked by '-- no-transaction' on line 1");
    }
    CHECK(f.d.notes == 0); /* annotated: no automatic-choice note */
    done(&f);
}

static void test_goose(void)
{
    fx f;
    load(&f, "goose_blocks");
    CHECK(f.rc == 0);
    CHECK_STR(f.p.format, "goose");
    CHECK(f.p.n_migs == 2);
    if (f.p.n_migs == 2) {
        const pgmcg_gen_migration *m = mig(&f, 0);
        CHECK(m->up.stmts.n == 2);
        /* StatementBegin/End: one statement whatever the semicolons. */
        CHECK_STR(stmt_text(&m->up, 1), "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS "
                                        "'select 1; select 2';\nSELECT 1");
        CHECK(m->up.stmts.v[1].line == 5 && m->up.stmts.v[1].column == 1);
        CHECK(m->up.stmts.v[0].line == 3);
        CHECK(m->down.stmts.n == 2);
        CHECK(m->down.stmts.n == 2 && m->down.stmts.v[0].line == 10);
        CHECK(m->up.input == m->down.input);
        /* "-- +GOOSE no   TRANSACTION": any case, any spacing; both directions. */
        m = mig(&f, 1);
        CHECK(m->up.tx_mode == PGMC_TX_NONE);
        CHECK(m->down.tx_mode == PGMC_TX_NONE);
        CHECK_STR(m->up.tx_note, "marked by '-- +goose NO TRANSACTION' on line 1");
    }
    done(&f);

    load(&f, "goose_errors");
    CHECK(f.rc != 0);
    CHECK_DIAG(&f.d, "goose_errors/1_a.sql:2:1: error: '-- +goose StatementBegin' without a "
                     "StatementEnd");
    done(&f);
}

static void test_dbmate(void)
{
    fx f;
    load(&f, "dbmate_opts");
    CHECK(f.rc == 0);
    CHECK_STR(f.p.format, "dbmate");
    CHECK(f.p.n_migs == 3);
    if (f.p.n_migs == 3) {
        CHECK(mig(&f, 0)->up.tx_mode == PGMC_TX_TRANSACTION);
        CHECK(mig(&f, 1)->up.tx_mode == PGMC_TX_NONE);
        CHECK_STR(mig(&f, 1)->up.tx_note, "marked by '-- migrate:up transaction:false' on line 1");
        CHECK(mig(&f, 1)->down.tx_mode == PGMC_TX_TRANSACTION);
        /* Indented marker: read as a marker, with a note. */
        CHECK(mig(&f, 2)->up.stmts.n == 1);
        CHECK_STR(stmt_text(&mig(&f, 2)->up, 0), "ALTER TABLE t\n    ADD COLUMN b int");
        CHECK(mig(&f, 2)->down.stmts.n == 1);
    }
    CHECK_DIAG(&f.d, "dbmate_opts/20200103000000_indented.sql:4:5: note: indented "
                     "'-- migrate:down' read as a section marker");
    done(&f);
}

static void test_diesel(void)
{
    fx f;
    load(&f, "diesel");
    CHECK(f.rc == 0);
    CHECK_STR(f.p.format, "diesel");
    CHECK(f.p.n_migs == 3);
    if (f.p.n_migs == 3) {
        CHECK_STR(mig(&f, 0)->version, "0");
        CHECK_STR(mig(&f, 1)->version, "20200101000000");
        CHECK_STR(mig(&f, 1)->name, "create_users");
        CHECK_STR(mig(&f, 1)->up.input->rel, "2020-01-01-000000_create_users/up.sql");
        CHECK(mig(&f, 1)->down.input != NULL);
        CHECK(mig(&f, 2)->up.tx_mode == PGMC_TX_NONE);
        CHECK_STR(mig(&f, 2)->up.tx_note, "marked by run_in_transaction = false (metadata.toml)");
    }
    done(&f);
}

static void test_flyway(void)
{
    fx f;
    load(&f, "flyway");
    CHECK(f.rc == 0);
    CHECK_STR(f.p.format, "flyway");
    CHECK(f.p.n_migs == 5);
    if (f.p.n_migs == 5) {
        CHECK_STR(mig(&f, 0)->version, "1");
        CHECK_STR(mig(&f, 1)->version, "1.2");
        CHECK_STR(mig(&f, 2)->version, "1.10"); /* V1_10: '_' separates parts */
        CHECK_STR(mig(&f, 3)->version, "2");
        CHECK(mig(&f, 4)->kind == PGMC_REPEATABLE);
        CHECK_STR(mig(&f, 4)->version, "");
        CHECK_STR(mig(&f, 4)->name, "views");
        CHECK(mig(&f, 0)->down.input && !strcmp(mig(&f, 0)->down.input->rel, "U1__create_a.sql"));
        CHECK(mig(&f, 1)->up.tx_mode == PGMC_TX_NONE); /* V1.2__add_b.sql.conf */
        CHECK(mig(&f, 3)->up.tx_mode == PGMC_TX_NONE); /* VACUUM */
        CHECK_STR(mig(&f, 3)->up.tx_note, "VACUUM (line 1) cannot run in a transaction");
    }
    CHECK_DIAG(&f.d, "flyway/V2__vacuum.sql:1:1: note: VACUUM cannot run in a transaction; "
                     "migration 2 runs without one");
    done(&f);
}

static void test_versions(void)
{
    CHECK(pgmc_version_order("9", "10") < 0);
    CHECK(pgmc_version_order("10", "9") > 0);
    CHECK(pgmc_version_order("1.2", "1.10") < 0);
    /* one order with the runtime: the shorter of a prefix pair sorts first,
     * so distinct canonical versions never compare equal */
    CHECK(pgmc_version_order("1", "1.0") < 0);
    CHECK(pgmc_version_order("1.0", "1") > 0);
    CHECK(pgmc_version_order("1.0", "1.0.1") < 0 && pgmc_version_order("1.0.0", "1.0.1") < 0);
    CHECK(pgmc_version_order("1.2", "1.2") == 0);
    /* "same number" is the generator's duplicate test */
    CHECK(pgmc_version_same("1", "1.0") && pgmc_version_same("1.0.0", "1"));
    CHECK(pgmc_version_same("0009", "9") && pgmc_version_same("0", "0.0"));
    CHECK(!pgmc_version_same("1", "1.0.1") && !pgmc_version_same("1", "10"));
    CHECK(!pgmc_version_same("1.1", "1") && !pgmc_version_same(NULL, "1"));
    CHECK(pgmc_version_order("0", "1") < 0);
    CHECK(pgmc_version_order("20210425153745", "20210425153800") < 0);
    CHECK(pgmc_version_order("2", "1.9") > 0);
}

static void test_tx_rules(void)
{
    fx f;
    load(&f, "tx_rules");
    CHECK(f.rc == 0);
    CHECK(f.p.n_migs == 4);
    if (f.p.n_migs == 4) {
        /* REFRESH MATERIALIZED VIEW CONCURRENTLY and ALTER TYPE ADD VALUE are
         * fine in a transaction. */
        CHECK(mig(&f, 0)->up.tx_mode == PGMC_TX_TRANSACTION);
        CHECK(mig(&f, 1)->up.tx_mode == PGMC_TX_NONE);
        CHECK_STR(mig(&f, 1)->up.tx_note,
                  "CREATE INDEX CONCURRENTLY (line 2) cannot run in a transaction");
        CHECK(mig(&f, 2)->up.tx_mode == PGMC_TX_NONE);
        /* BEGIN inside DO and BEGIN ATOMIC bodies is not transaction control. */
        CHECK(mig(&f, 3)->up.tx_mode == PGMC_TX_TRANSACTION);
    }
    CHECK_DIAG(&f.d, "tx_rules/2_concurrently.sql:2:3: note: CREATE INDEX CONCURRENTLY cannot "
                     "run in a transaction; migration 2 runs without one");
    CHECK_DIAG(&f.d, "tx_rules/3_reindex.sql:1:1: note: REINDEX CONCURRENTLY cannot run");
    CHECK(f.d.errors == 0);
    done(&f);

    static const struct {
        const char *sql, *want;
    } cases[] = {
        {"CREATE INDEX CONCURRENTLY i ON t (a)", "CREATE INDEX CONCURRENTLY"},
        {"create /* c */ unique -- x\n index concurrently i on t (a)", "CREATE INDEX CONCURRENTLY"},
        {"CREATE INDEX i ON t (a)", NULL},
        {"DROP INDEX CONCURRENTLY i", "DROP INDEX CONCURRENTLY"},
        {"REINDEX INDEX CONCURRENTLY i", "REINDEX CONCURRENTLY"},
        {"REINDEX INDEX i", NULL},
        {"REINDEX DATABASE d", "REINDEX DATABASE"},
        {"REFRESH MATERIALIZED VIEW CONCURRENTLY mv", NULL},
        {"VACUUM (ANALYZE) t", "VACUUM"},
        {"ANALYZE t", NULL},
        {"CREATE DATABASE d", "CREATE DATABASE"},
        {"DROP DATABASE d", "DROP DATABASE"},
        {"CREATE TABLESPACE s LOCATION '/x'", "CREATE TABLESPACE"},
        {"DROP TABLESPACE s", "DROP TABLESPACE"},
        {"ALTER SYSTEM SET work_mem = '1MB'", "ALTER SYSTEM"},
        {"ALTER TYPE e ADD VALUE 'x'", NULL},
        {"ALTER TABLE p DETACH PARTITION c CONCURRENTLY", "DETACH PARTITION CONCURRENTLY"},
        {"ALTER TABLE p DETACH PARTITION c", NULL},
        {"SELECT 'CREATE INDEX CONCURRENTLY'", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *s = cases[i].sql;
        const char *got = pgmcg_txmode_blocker(s, strlen(s), s + strlen(s));
        checks++;
        if ((got == NULL) != (cases[i].want == NULL) || (got && strcmp(got, cases[i].want))) {
            failures++;
            fprintf(stderr, "blocker(%s) = %s, want %s\n", s, got ? got : "NULL",
                    cases[i].want ? cases[i].want : "NULL");
        }
    }
}

static void test_begin_commit(void)
{
    fx f;
    load(&f, "tx_wrapped");
    CHECK(f.rc == 0);
    CHECK(f.p.n_migs == 2);
    if (f.p.n_migs == 2) {
        const pgmcg_gen_script *s = &mig(&f, 0)->up;
        CHECK(s->tx_mode == PGMC_TX_TRANSACTION);
        CHECK(s->stmts.n == 1);
        CHECK_STR(stmt_text(s, 0), "CREATE TABLE w (a int)");
        CHECK(strstr(s->sql, "BEGIN;") != NULL); /* the text keeps them */
        CHECK_STR(s->tx_note, "the file's own BEGIN (line 2) and COMMIT (line 4) are replaced "
                              "by pgmc's transaction");
        CHECK(mig(&f, 1)->up.stmts.n == 1); /* START TRANSACTION ... END WORK */
    }
    CHECK_DIAG(&f.d, "tx_wrapped/1_wrapped.sql:2:1: note: the file's own BEGIN ... COMMIT are "
                     "left out; migration 1 runs in pgmc's transaction");
    done(&f);

    load(&f, "tx_commit_inside");
    CHECK(f.rc != 0);
    CHECK_DIAG(&f.d, "tx_commit_inside/1_commit.sql:2:1: error: COMMIT in a migration that "
                     "pgmc runs in a transaction; either wrap the whole file in BEGIN; ... "
                     "COMMIT;");
    CHECK_DIAG(&f.d, "make '-- no-transaction' its first line");
    done(&f);

    load(&f, "tx_annotated_keeps");
    CHECK(f.rc == 0);
    if (f.p.n_migs == 1) {
        CHECK(mig(&f, 0)->up.tx_mode == PGMC_TX_NONE);
        CHECK(mig(&f, 0)->up.stmts.n == 3); /* BEGIN, CREATE, COMMIT all kept */
    }
    done(&f);
}

/* Write a file under the test scratch dir. */
static void put(const char *dir, const char *name, const char *text)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    if (!fp) {
        perror(path);
        exit(1);
    }
    fputs(text, fp);
    fclose(fp);
}

static void scratch(char *dir, size_t n, const char *name)
{
#ifdef PGMC_TEST_TMPDIR
    const char *base = PGMC_TEST_TMPDIR;
#else
    const char *base = "/tmp";
#endif
    snprintf(dir, n, "%s/test_formats.%ld.%s", base, (long)getpid(), name);
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", dir, dir);
    if (system(cmd) != 0)
        exit(1);
}

static void rm_scratch(const char *dir)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

static void test_errors(void)
{
    fx f;
    load(&f, "dup_versions");
    CHECK(f.rc != 0);
    CHECK_DIAG(&f.d, "dup_versions/02_c.up.sql");
    CHECK_DIAG(&f.d, "dup_versions/2_b.up.sql: error: duplicate up version 2:");
    done(&f);

    load(&f, "down_without_up");
    CHECK(f.rc != 0);
    CHECK_DIAG(&f.d, "down_without_up/2_b.down.sql: error: down migration for version 2 has no "
                     "up migration");
    done(&f);

    load(&f, "bad_sql");
    CHECK(f.rc != 0);
    CHECK_DIAG(&f.d, "bad_sql/1_a.sql:2:28: error: ");
    done(&f);

    load(&f, "bad_meta");
    CHECK(f.rc != 0);
    CHECK_DIAG(&f.d, "bad_meta/1_a.sql:2:1: error: ");
    done(&f);

    load(&f, "ambiguous");
    CHECK(f.rc != 0);
    CHECK_DIAG(&f.d, "error: cannot tell the format: 1_a.sql has goose annotations, 2_b.sql has "
                     "dbmate markers; use --format");
    done(&f);

    load(&f, "unknown_name");
    CHECK(f.rc != 0);
    CHECK_DIAG(&f.d, "unknown_name/schema.sql: error: not a golang-migrate migration file name");
    done(&f);

    /* --format overrides detection: gm_pairs read as flyway fails by name. */
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/tests/fixtures/formats/gm_pairs", PGMC_SOURCE_DIR);
    load_dir(&f, dir, "flyway");
    CHECK(f.rc != 0);
    CHECK_DIAG(&f.d, "gm_pairs/1_a.up.sql: error: not a flyway migration file name");
    done(&f);

    /* Empty and missing directories. */
    scratch(dir, sizeof dir, "empty");
    put(dir, "README.md", "nothing here\n");
    load_dir(&f, dir, "auto");
    CHECK(f.rc != 0);
    CHECK_DIAG(&f.d, "error: no migrations found");
    done(&f);
    rm_scratch(dir);

    load_dir(&f, "/nonexistent/pgmc/migrations", "auto");
    CHECK(f.rc != 0);
    CHECK_DIAG(&f.d, "/nonexistent/pgmc/migrations: error: cannot read migrations directory: No "
                     "such file or directory");
    done(&f);

    /* Messages start with the directory as the user spelled it. */
    scratch(dir, sizeof dir, "spelling");
    put(dir, "1_a.sql", "SELECT 'abc;\n");
    char spelled[1100];
    snprintf(spelled, sizeof spelled, "%s/", dir);
    load_dir(&f, spelled, "auto");
    char want[1200];
    snprintf(want, sizeof want, "%s/1_a.sql:1:8: error: ", dir);
    CHECK(f.rc != 0);
    CHECK_DIAG(&f.d, want);
    done(&f);

    /* Goose: SQL before the Up marker; unknown annotation. */
    put(dir, "1_a.sql", "SELECT 0;\n-- +goose Up\nSELECT 1;\n");
    put(dir, "2_b.sql", "-- +goose Up\n-- +goose ENVSUB ON\nSELECT 1;\n");
    load_dir(&f, dir, "goose");
    CHECK(f.rc != 0);
    CHECK_DIAG(&f.d, "1_a.sql:1:1: error: SQL before '-- +goose Up' belongs to no migration");
    CHECK_DIAG(&f.d, "2_b.sql:2:1: error: unsupported goose annotation '-- +goose ENVSUB ON'");
    done(&f);
    rm_scratch(dir);

    /* dbmate: unknown option, missing up marker. */
    scratch(dir, sizeof dir, "dbmate");
    put(dir, "1_a.sql", "-- migrate:up transaction:maybe\nSELECT 1;\n");
    put(dir, "2_b.sql", "-- migrate:down\nSELECT 1;\n");
    load_dir(&f, dir, "dbmate");
    CHECK(f.rc != 0);
    CHECK_DIAG(&f.d, "1_a.sql:1:15: error: unknown dbmate option 'transaction:maybe'");
    CHECK_DIAG(&f.d, "2_b.sql: error: no '-- migrate:up' marker");
    done(&f);
    rm_scratch(dir);

    /* Transaction control inside a wrapped file; CONCURRENTLY inside a wrap. */
    scratch(dir, sizeof dir, "wrap");
    put(dir, "1_a.sql", "BEGIN;\nSAVEPOINT s;\nSELECT 1;\nCOMMIT;\n");
    put(dir, "2_b.sql", "BEGIN;\nCREATE INDEX CONCURRENTLY i ON t (a);\nCOMMIT;\n");
    put(dir, "3_c.sql", "BEGIN ISOLATION LEVEL SERIALIZABLE;\nSELECT 1;\nCOMMIT;\n");
    load_dir(&f, dir, "auto");
    CHECK(f.rc != 0);
    CHECK_DIAG(&f.d, "1_a.sql:2:1: error: SAVEPOINT inside the file's own BEGIN ... COMMIT");
    CHECK_DIAG(&f.d, "2_b.sql:2:1: error: CREATE INDEX CONCURRENTLY cannot run in a transaction, "
                     "but the file wraps it in BEGIN ... COMMIT");
    CHECK_DIAG(&f.d, "3_c.sql:1:1: error: BEGIN in a migration that pgmc runs in a transaction");
    CHECK_DIAG(&f.d, "3_c.sql:3:1: error: COMMIT in a migration");
    done(&f);
    rm_scratch(dir);

    /* Flyway duplicate repeatable... and 1 vs 1.0 are the same version. */
    scratch(dir, sizeof dir, "flyway");
    put(dir, "V1__a.sql", "SELECT 1;\n");
    put(dir, "V1.0__b.sql", "SELECT 1;\n");
    put(dir, "U7__x.sql", "SELECT 1;\n");
    load_dir(&f, dir, "auto");
    CHECK(f.rc != 0);
    CHECK_DIAG(&f.d, "V1.0__b.sql: error: duplicate up version 1.0:");
    CHECK_DIAG(&f.d, "U7__x.sql: error: undo migration for version 7 has no versioned (V) "
                     "migration");
    done(&f);
    rm_scratch(dir);

    /* ... as are 1, 1.0 and 1.0.0 when something sorts between them ... */
    scratch(dir, sizeof dir, "flyway3");
    put(dir, "V1__a.sql", "SELECT 1;\n");
    put(dir, "V1.0.0__b.sql", "SELECT 1;\n");
    put(dir, "V1.0__c.sql", "SELECT 1;\n");
    load_dir(&f, dir, "auto");
    CHECK(f.rc != 0);
    CHECK_DIAG(&f.d, "error: duplicate up version 1.0:");
    CHECK_DIAG(&f.d, "error: duplicate up version 1.0.0:");
    done(&f);
    rm_scratch(dir);

    /* ... and 0009 vs 9; a sqlx 1.0_b.sql is not a migration name at all. */
    scratch(dir, sizeof dir, "sqlx_same");
    put(dir, "0009_a.sql", "SELECT 1;\n");
    put(dir, "9_b.sql", "SELECT 1;\n");
    load_dir(&f, dir, "auto");
    CHECK(f.rc != 0);
    CHECK_DIAG(&f.d, "9_b.sql: error: duplicate up version 9:");
    done(&f);
    rm_scratch(dir);
    scratch(dir, sizeof dir, "sqlx_dot");
    put(dir, "1_a.sql", "SELECT 1;\n");
    put(dir, "1.0_b.sql", "SELECT 1;\n");
    load_dir(&f, dir, "auto");
    CHECK(f.rc != 0);
    CHECK_DIAG(&f.d, "1.0_b.sql: error: not a sqlx migration file name");
    done(&f);
    rm_scratch(dir);
}

static void test_gen_options(void)
{
    CHECK(pgmcg_gen_valid_prefix("svc"));
    CHECK(!pgmcg_gen_valid_prefix("_a1")); /* reserved: _a1_schema */
    CHECK(!pgmcg_gen_valid_prefix("bad-prefix"));
    CHECK(!pgmcg_gen_valid_prefix("1abc"));
    CHECK(!pgmcg_gen_valid_prefix(""));
    pgmcg_diag d;
    pgmcg_diag_init(&d, NULL);
    pgmcg_gen_options o = {"/nonexistent", "bad-prefix", "/tmp", NULL, 0};
    CHECK(pgmcg_gen_run(&o, &d) == PGMC_GEN_USAGE);
    CHECK_DIAG(&d, "pgmc: error: --prefix 'bad-prefix' is not a C identifier");
    o.prefix = "ok";
    o.format = "liquibase";
    CHECK(pgmcg_gen_run(&o, &d) == PGMC_GEN_USAGE);
    CHECK_DIAG(&d, "unknown --format 'liquibase'");
    o.format = NULL;
    o.n_queries = 1;
    CHECK(pgmcg_gen_run(&o, &d) == PGMC_GEN_USAGE);
    CHECK_DIAG(&d, "query files are not supported yet");
    o.n_queries = 0;
    CHECK(pgmcg_gen_run(&o, &d) == PGMC_GEN_FAILED);
    pgmcg_diag_free(&d);
}

/* The table: every format complete, found by name, listed in order. */
static void test_table(void)
{
    static const char *const names[] = {"golang-migrate", "sqlx",   "goose",
                                        "dbmate",         "diesel", "flyway"};
    CHECK(pgmcg_n_formats == sizeof names / sizeof names[0]);
    for (size_t i = 0; i < pgmcg_n_formats && i < sizeof names / sizeof names[0]; i++) {
        const pgmcg_format_ops *f = pgmcg_formats[i];
        CHECK_STR(f->name, names[i]);
        CHECK(pgmcg_format_find(names[i]) == f);
        CHECK(f->detect && f->parse && f->new_files);
        CHECK(f->no_tx_hint && f->down_noun && f->up_noun);
        CHECK_STR(pgmcg_format_no_tx_hint(names[i]), f->no_tx_hint);
    }
    CHECK(pgmcg_format_find("auto") == NULL);
    CHECK(pgmcg_format_known("auto") && !pgmcg_format_known("liquibase"));
    pgmcg_diag d;
    pgmcg_diag_init(&d, NULL);
    CHECK(pgmcg_format_check("liquibase", &d) == -1);
    CHECK_DIAG(&d, "unknown --format 'liquibase' (auto, golang-migrate, sqlx, goose, dbmate, "
                   "diesel, flyway)");
    pgmcg_diag_free(&d);
}

/* The whole of a file, malloc'd, or NULL. */
static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    char *buf = malloc(65536);
    if (buf)
        buf[fread(buf, 1, 65535, fp)] = '\0';
    fclose(fp);
    return buf;
}

/* gen --depfile: every file read and every directory listed, escaped; the
 * depfile is written only with the outputs. */
static void test_depfile(void)
{
    char dir[1024], mig[1100], out[1100], dep[1200], sub[1200];
    scratch(dir, sizeof dir, "depfile");
    snprintf(mig, sizeof mig, "%s/m y#$", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    snprintf(dep, sizeof dep, "%s/app.d", out);
    CHECK(mkdir(mig, 0777) == 0);
    snprintf(sub, sizeof sub, "%s/2020-01-01-000000_a", mig);
    CHECK(mkdir(sub, 0777) == 0);
    put(sub, "up.sql", "CREATE TABLE a (id int);\n");
    put(sub, "metadata.toml", "run_in_transaction = false\n");
    snprintf(sub, sizeof sub, "%s/z\\", mig); /* ignored, a trailing backslash */
    CHECK(mkdir(sub, 0777) == 0);
    put(mig, "README", "not an input\n");

    pgmcg_diag d;
    pgmcg_diag_init(&d, NULL);
    pgmcg_gen_options o = {mig, "app", out, NULL, 0};
    CHECK(pgmcg_gen_run_depfile(&o, dep, &d) == PGMC_GEN_OK);
    char *text = slurp(dep);
    char want[8192];
    snprintf(want, sizeof want,
             "%s/app.h %s/app.c: \\\n"
             "  %s/m\\ y\\#$$ \\\n"
             "  %s/m\\ y\\#$$/2020-01-01-000000_a \\\n"
             "  %s/m\\ y\\#$$/z\\\\ \\\n"
             "  %s/m\\ y\\#$$/2020-01-01-000000_a/metadata.toml \\\n"
             "  %s/m\\ y\\#$$/2020-01-01-000000_a/up.sql\n",
             out, out, dir, dir, dir, dir, dir);
    CHECK_STR(text, want);
    free(text);

    /* A failing run writes no depfile (and leaves the old outputs alone). */
    CHECK(unlink(dep) == 0);
    put(mig, "1_x.sql", "SELECT 1;\n"); /* diesel directories mixed with .sql files */
    CHECK(pgmcg_gen_run_depfile(&o, dep, &d) == PGMC_GEN_FAILED);
    CHECK(access(dep, F_OK) != 0);
    char h[1200];
    snprintf(h, sizeof h, "%s/app.h", out);
    CHECK(access(h, F_OK) == 0);
    pgmcg_diag_free(&d);
    rm_scratch(dir);
}

int main(void)
{
    test_corpora();
    test_golang_migrate();
    test_sqlx();
    test_goose();
    test_dbmate();
    test_diesel();
    test_flyway();
    test_versions();
    test_tx_rules();
    test_begin_commit();
    test_errors();
    test_gen_options();
    test_table();
    test_depfile();
    printf("test_formats: %d checks, %d failures\n", checks, failures);
    return failures != 0;
}
