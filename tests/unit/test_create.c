/* test_create.c - `pgmc create` in-process: every format, every numbering
 * style (padded, widening, plain, timestamps colliding with the newest,
 * diesel directories, flyway V<n>), slugs, no-overwrite, and that the
 * folder still loads, with the new file as the next version, and renders
 * with pgmc gen. Also on copies of pieces of the real-world corpora, and
 * once through the pgmc binary. Scratch folders live under PGMC_TEST_TMPDIR.
 */
#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE   700 /* nftw */
#include "cli/create.h"
#include "formats/formats.h"
#include "util/fsutil.h"
#include "gen.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PGMC_TEST_TMPDIR
#error PGMC_TEST_TMPDIR must be defined by the build
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

#define CHECK_DIAG(d, needle)                                                                      \
    do {                                                                                           \
        checks++;                                                                                  \
        if (!(d)->text || !strstr((d)->text, (needle))) {                                          \
            failures++;                                                                            \
            fprintf(stderr, "%s:%d: diagnostics lack '%s':\n%s\n", __FILE__, __LINE__, (needle),   \
                    (d)->text ? (d)->text : "(none)");                                             \
        }                                                                                          \
    } while (0)

/* 2023-11-14 22:13:20 UTC */
#define T0  ((time_t)1700000000)
#define T0S "20231114221320"

static char root[1024];

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void rm_rf(const char *path)
{
    nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A fresh, empty scratch folder root/name; returns its path (static). */
static const char *scratch(const char *name)
{
    static char dir[1200];
    snprintf(dir, sizeof dir, "%s/%s", root, name);
    rm_rf(dir);
    CHECK(pgmcg_mkdirs(dir) == 0);
    return dir;
}

static void put(const char *dir, const char *rel, const char *text)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    CHECK(pgmcg_mkdirs(path) == 0);
    *slash = '/';
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* Contents of dir/rel (static buffer), or NULL. */
static const char *slurp(const char *dir, const char *rel)
{
    static char *last;
    free(last);
    last = NULL;
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    size_t len;
    if (pgmcg_read_file(path, &last, &len))
        return NULL;
    return last;
}

static int exists(const char *dir, const char *rel)
{
    char path[2048];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    return stat(path, &st) == 0;
}

typedef struct run {
    int rc;
    pgmcg_diag d;
    pgmcg_create_result r;
    char rel[2][512]; /* created paths relative to the folder */
} run;

/* pgmc create NAME --migrations dir [--format f] with style, no_down, now. */
static void create(run *x, const char *dir, const char *name, const char *format, int style,
                   int no_down, time_t now)
{
    pgmcg_create_options o;
    memset(&o, 0, sizeof o);
    o.migrations_dir = dir;
    o.name = name;
    o.format = format;
    o.style = style;
    o.no_down = no_down;
    o.now = now;
    pgmcg_diag_init(&x->d, NULL);
    x->rc = pgmcg_create_run(&o, &x->d, &x->r);
    size_t n = strlen(dir);
    for (size_t i = 0; i < 2; i++) {
        x->rel[i][0] = '\0';
        const char *p = i < x->r.n_paths ? x->r.paths[i] : NULL;
        if (p && !strncmp(p, dir, n) && p[n] == '/')
            snprintf(x->rel[i], sizeof x->rel[i], "%s", p + n + 1);
    }
}

/* The create succeeded; else show why. */
#define CHECK_OK(x)                                                                                \
    do {                                                                                           \
        CHECK((x)->rc == 0);                                                                       \
        if ((x)->rc)                                                                               \
            fprintf(stderr, "  create failed: %s", (x)->d.text ? (x)->d.text : "\n");              \
    } while (0)

static void done(run *x)
{
    pgmcg_create_result_free(&x->r);
    pgmcg_diag_free(&x->d);
}

/* The folder loads (auto) as `format` with n migrations, the last versioned
 * one being `version` (canonical) named `name`; and pgmc gen renders it. */
static void check_folder(const char *dir, const char *format, size_t n, const char *version,
                         const char *name)
{
    pgmcg_project p;
    memset(&p, 0, sizeof p);
    pgmcg_diag d;
    pgmcg_diag_init(&d, NULL);
    int rc = pgmcg_formats_load(dir, "auto", &p, &d);
    CHECK(rc == 0);
    if (rc)
        fprintf(stderr, "load %s: %s\n", dir, d.text ? d.text : "");
    CHECK_STR(p.format, format);
    CHECK(p.n_migs == n);
    const pgmcg_gen_migration *last = NULL;
    for (size_t i = 0; i < p.n_migs; i++)
        if (p.migs[i].kind == PGMC_VERSIONED)
            last = &p.migs[i];
    CHECK(last != NULL);
    if (last) {
        CHECK_STR(last->version, version);
        CHECK_STR(last->name, name);
    }
    pgmcg_project_free(&p);
    pgmcg_diag_free(&d);

    pgmcg_gen_options o;
    memset(&o, 0, sizeof o);
    o.migrations_dir = dir;
    o.prefix = "t";
    o.out_dir = root;
    pgmcg_buf h = {0}, c = {0};
    pgmcg_diag_init(&d, NULL);
    rc = pgmcg_gen_render(&o, &d, &h, &c);
    CHECK(rc == PGMC_GEN_OK);
    if (rc)
        fprintf(stderr, "gen %s: %s\n", dir, d.text ? d.text : "");
    pgmcg_buf_free(&h);
    pgmcg_buf_free(&c);
    pgmcg_diag_free(&d);
}

static void test_slug(void)
{
    char s[PGMC_CREATE_SLUG_MAX + 1];
    CHECK(pgmcg_create_slug("Add Users", s, sizeof s) == 9);
    CHECK_STR(s, "add_users");
    CHECK(pgmcg_create_slug("  --Hello--World__ ", s, sizeof s) > 0);
    CHECK_STR(s, "hello_world");
    CHECK(pgmcg_create_slug("v1.2 fix-up", s, sizeof s) > 0);
    CHECK_STR(s, "v1_2_fix_up");
    CHECK(pgmcg_create_slug("caf\xc3\xa9 'quotes'/x", s, sizeof s) > 0);
    CHECK_STR(s, "caf_quotesx");
    CHECK(pgmcg_create_slug("ALL_CAPS_09", s, sizeof s) > 0);
    CHECK_STR(s, "all_caps_09");
    CHECK(pgmcg_create_slug("", s, sizeof s) == 0);
    CHECK(pgmcg_create_slug("!!/", s, sizeof s) == 0);
    CHECK(pgmcg_create_slug(" - _ ", s, sizeof s) == 0);
    char big[PGMC_CREATE_SLUG_MAX + 2];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    CHECK(pgmcg_create_slug(big, s, sizeof s) == -1);
    big[PGMC_CREATE_SLUG_MAX] = '\0';
    CHECK(pgmcg_create_slug(big, s, sizeof s) == PGMC_CREATE_SLUG_MAX);
    char tiny[4];
    CHECK(pgmcg_create_slug("abcd", tiny, sizeof tiny) == -1);
    CHECK(pgmcg_create_slug("a b", tiny, sizeof tiny) == 3);
    CHECK_STR(tiny, "a_b");

    /* Through create: an empty slug is a usage error and writes nothing. */
    const char *dir = scratch("slug");
    run x;
    create(&x, dir, "!!", NULL, 0, 0, T0);
    CHECK(x.rc == PGMC_GEN_USAGE);
    CHECK_DIAG(&x.d, "pgmc: error: migration name '!!' has nothing usable");
    CHECK(x.r.n_paths == 0);
    done(&x);
    create(&x, dir, "Create Users-Table", NULL, 0, 0, T0);
    CHECK_OK(&x);
    CHECK_STR(x.rel[0], "0001_create_users_table.up.sql");
    done(&x);
}

static void test_golang_migrate(void)
{
    /* A missing folder: created, golang-migrate, 0001, both files empty. */
    char dir[1300];
    snprintf(dir, sizeof dir, "%s/missing/sub", scratch("gm_missing"));
    run x;
    create(&x, dir, "init", NULL, 0, 0, T0);
    CHECK_OK(&x);
    CHECK_STR(x.r.format, "golang-migrate");
    CHECK_STR(x.r.version, "0001");
    CHECK(x.r.n_paths == 2);
    CHECK_STR(x.rel[0], "0001_init.up.sql");
    CHECK_STR(x.rel[1], "0001_init.down.sql");
    CHECK_STR(slurp(dir, "0001_init.up.sql"), "");
    CHECK_STR(slurp(dir, "0001_init.down.sql"), "");
    done(&x);
    create(&x, dir, "second", NULL, 0, 1, T0);
    CHECK_OK(&x);
    CHECK(x.r.n_paths == 1); /* --no-down */
    CHECK_STR(x.rel[0], "0002_second.up.sql");
    CHECK(!exists(dir, "0002_second.down.sql"));
    done(&x);
    check_folder(dir, "golang-migrate", 2, "2", "second");

    /* Keep the width: 0021 -> 0022. */
    const char *d = scratch("gm_padded");
    put(d, "0020_a.up.sql", "CREATE TABLE a (id int);\n");
    put(d, "0020_a.down.sql", "DROP TABLE a;\n");
    put(d, "0021_b.up.sql", "CREATE TABLE b (id int);\n");
    create(&x, d, "c", NULL, 0, 0, T0);
    CHECK_OK(&x);
    CHECK_STR(x.rel[0], "0022_c.up.sql");
    CHECK_STR(x.rel[1], "0022_c.down.sql");
    done(&x);
    check_folder(d, "golang-migrate", 3, "22", "c");

    /* Widen when the number no longer fits: 9999 -> 10000. */
    d = scratch("gm_widen");
    put(d, "9998_a.up.sql", "SELECT 1;\n");
    put(d, "9999_b.up.sql", "SELECT 2;\n");
    create(&x, d, "c", NULL, 0, 0, T0);
    CHECK_OK(&x);
    CHECK_STR(x.r.version, "10000");
    CHECK_STR(x.rel[0], "10000_c.up.sql");
    done(&x);
    check_folder(d, "golang-migrate", 3, "10000", "c");

    /* The widest padded width counts: 01..10 -> 11; 09 -> 10. */
    d = scratch("gm_width2");
    put(d, "01_a.up.sql", "SELECT 1;\n");
    put(d, "09_b.up.sql", "SELECT 2;\n");
    create(&x, d, "c", NULL, 0, 0, T0);
    CHECK_OK(&x);
    CHECK_STR(x.rel[0], "10_c.up.sql");
    done(&x);
    create(&x, d, "d", NULL, 0, 0, T0);
    CHECK_OK(&x);
    CHECK_STR(x.rel[0], "11_d.up.sql");
    done(&x);
    check_folder(d, "golang-migrate", 4, "11", "d");

    /* Unpadded: 9 -> 10, and ordering is numeric (not 1, 10, 9). */
    d = scratch("gm_plain");
    put(d, "1_a.up.sql", "SELECT 1;\n");
    put(d, "9_b.up.sql", "SELECT 2;\n");
    create(&x, d, "c", NULL, 0, 0, T0);
    CHECK_OK(&x);
    CHECK_STR(x.rel[0], "10_c.up.sql");
    done(&x);
    check_folder(d, "golang-migrate", 3, "10", "c");

    /* --timestamp in a sequential folder. */
    create(&x, d, "ts", NULL, PGMC_CREATE_TIMESTAMP, 0, T0);
    CHECK_OK(&x);
    CHECK_STR(x.rel[0], T0S "_ts.up.sql");
    done(&x);
    check_folder(d, "golang-migrate", 4, T0S, "ts");
    /* Then the folder is a timestamp folder: a clock behind it gives newest+1. */
    create(&x, d, "ts2", NULL, 0, 0, T0 - 3600);
    CHECK_OK(&x);
    CHECK_STR(x.r.version, "20231114221321");
    done(&x);
    /* --sequential in a timestamp folder: newest+1 too. */
    create(&x, d, "seq", NULL, PGMC_CREATE_SEQUENTIAL, 0, T0 + 999);
    CHECK_OK(&x);
    CHECK_STR(x.r.version, "20231114221322");
    done(&x);
    check_folder(d, "golang-migrate", 6, "20231114221322", "seq");

    /* Empty folder, --timestamp. */
    d = scratch("gm_empty_ts");
    create(&x, d, "x", "golang-migrate", PGMC_CREATE_TIMESTAMP, 0, T0);
    CHECK_OK(&x);
    CHECK_STR(x.rel[0], T0S "_x.up.sql");
    done(&x);
}

static void test_sqlx(void)
{
    run x;
    /* Simple (single file) sqlx with timestamps. */
    const char *d = scratch("sqlx_simple");
    put(d, "20200101000000_a.sql", "CREATE TABLE a (id int);\n");
    put(d, "README.md", "not a migration\n");
    create(&x, d, "Add B", NULL, 0, 0, T0);
    CHECK_OK(&x);
    CHECK_STR(x.r.format, "sqlx");
    CHECK(x.r.n_paths == 1);
    CHECK_STR(x.rel[0], T0S "_add_b.sql");
    CHECK_STR(slurp(d, T0S "_add_b.sql"), "-- Add migration script here\n");
    done(&x);
    /* Same second again: newest+1, never the same version. */
    create(&x, d, "again", NULL, 0, 0, T0);
    CHECK_OK(&x);
    CHECK_STR(x.rel[0], "20231114221321_again.sql");
    done(&x);
    check_folder(d, "sqlx", 3, "20231114221321", "again");

    /* A newest version in the future. */
    d = scratch("sqlx_future");
    put(d, "20991231235959_a.sql", "SELECT 1;\n");
    create(&x, d, "b", NULL, 0, 0, T0);
    CHECK_OK(&x);
    CHECK_STR(x.r.version, "20991231235960");
    done(&x);
    check_folder(d, "sqlx", 2, "20991231235960", "b");

    /* Reversible sqlx (pairs; detected as sqlx by -- no-transaction). */
    d = scratch("sqlx_pairs");
    put(d, "20200101000000_a.up.sql", "-- no-transaction\nCREATE INDEX CONCURRENTLY i ON t (x);\n");
    put(d, "20200101000000_a.down.sql", "DROP INDEX i;\n");
    create(&x, d, "b", NULL, 0, 0, T0);
    CHECK_OK(&x);
    CHECK_STR(x.r.format, "sqlx");
    CHECK(x.r.n_paths == 2);
    CHECK_STR(x.rel[0], T0S "_b.up.sql");
    CHECK_STR(x.rel[1], T0S "_b.down.sql");
    CHECK_STR(slurp(d, x.rel[0]), "-- Add up migration script here\n");
    CHECK_STR(slurp(d, x.rel[1]), "-- Add down migration script here\n");
    done(&x);
    check_folder(d, "sqlx", 2, T0S, "b");

    /* --format sqlx on plain pairs also makes a pair. */
    d = scratch("sqlx_forced");
    put(d, "1_a.up.sql", "SELECT 1;\n");
    create(&x, d, "b", "sqlx", 0, 0, T0);
    CHECK_OK(&x);
    CHECK(x.r.n_paths == 2);
    CHECK_STR(x.rel[0], "2_b.up.sql");
    done(&x);

    /* Empty folder, --format sqlx: a single 0001 file, still read as sqlx. */
    d = scratch("sqlx_empty");
    create(&x, d, "first", "sqlx", 0, 1, T0);
    CHECK_OK(&x);
    CHECK_STR(x.rel[0], "0001_first.sql");
    done(&x);
    check_folder(d, "sqlx", 1, "1", "first");
}

static void test_goose(void)
{
    static const char tmpl[] = "-- +goose Up\n"
                               "-- +goose StatementBegin\n"
                               "SELECT 'up SQL query';\n"
                               "-- +goose StatementEnd\n"
                               "\n"
                               "-- +goose Down\n"
                               "-- +goose StatementBegin\n"
                               "SELECT 'down SQL query';\n"
                               "-- +goose StatementEnd\n";
    run x;
    const char *d = scratch("goose");
    put(d, "00001_a.sql",
        "-- +goose Up\nCREATE TABLE a (id int);\n-- +goose Down\nDROP TABLE a;\n");
    create(&x, d, "b", NULL, 0, 0, T0);
    CHECK_OK(&x);
    CHECK_STR(x.r.format, "goose");
    CHECK_STR(x.rel[0], "00002_b.sql");
    CHECK_STR(slurp(d, "00002_b.sql"), tmpl);
    done(&x);
    create(&x, d, "c", NULL, 0, 1, T0);
    CHECK_OK(&x);
    CHECK_STR(x.rel[0], "00003_c.sql");
    const char *body = slurp(d, "00003_c.sql");
    CHECK(body && strstr(body, "-- +goose Up\n") && !strstr(body, "Down"));
    done(&x);
    check_folder(d, "goose", 3, "3", "c");

    /* Empty folder: the file alone makes the folder goose. */
    d = scratch("goose_empty");
    create(&x, d, "first", "goose", 0, 0, T0);
    CHECK_OK(&x);
    CHECK_STR(x.rel[0], "0001_first.sql");
    done(&x);
    check_folder(d, "goose", 1, "1", "first");
}

static void test_dbmate(void)
{
    run x;
    const char *d = scratch("dbmate_empty");
    create(&x, d, "first", "dbmate", 0, 0, T0);
    CHECK_OK(&x);
    CHECK_STR(x.r.format, "dbmate");
    CHECK_STR(x.rel[0], T0S "_first.sql"); /* dbmate's habit: timestamps */
    CHECK_STR(slurp(d, x.rel[0]), "-- migrate:up\n\n\n-- migrate:down\n\n");
    done(&x);
    check_folder(d, "dbmate", 1, T0S, "first");
    create(&x, d, "second", NULL, 0, 1, T0);
    CHECK_OK(&x);
    CHECK_STR(x.rel[0], "20231114221321_second.sql");
    CHECK_STR(slurp(d, x.rel[0]), "-- migrate:up\n\n");
    done(&x);
    check_folder(d, "dbmate", 2, "20231114221321", "second");
    /* --sequential is honoured (dbmate takes any number). */
    d = scratch("dbmate_seq");
    create(&x, d, "first", "dbmate", PGMC_CREATE_SEQUENTIAL, 0, T0);
    CHECK_OK(&x);
    CHECK_STR(x.rel[0], "0001_first.sql");
    done(&x);
    check_folder(d, "dbmate", 1, "1", "first");
}

static void test_diesel(void)
{
    run x;
    const char *d = scratch("diesel");
    put(d, "00000000000000_diesel_initial_setup/up.sql", "SELECT 1;\n");
    put(d, "00000000000000_diesel_initial_setup/down.sql", "SELECT 2;\n");
    create(&x, d, "Create Posts", NULL, 0, 0, T0);
    CHECK_OK(&x);
    CHECK_STR(x.r.format, "diesel");
    CHECK_STR(x.r.version, "2023-11-14-221320");
    CHECK_STR(x.rel[0], "2023-11-14-221320_create_posts/up.sql");
    CHECK_STR(x.rel[1], "2023-11-14-221320_create_posts/down.sql");
    CHECK_STR(slurp(d, x.rel[0]), "-- Your SQL goes here\n");
    CHECK_STR(slurp(d, x.rel[1]), "-- This file should undo anything in `up.sql`\n");
    done(&x);
    /* The same second: the next one, still dashed; --no-down: up.sql only. */
    create(&x, d, "b", NULL, 0, 1, T0);
    CHECK_OK(&x);
    CHECK_STR(x.rel[0], "2023-11-14-221321_b/up.sql");
    CHECK(x.r.n_paths == 1);
    CHECK(!exists(d, "2023-11-14-221321_b/down.sql"));
    done(&x);
    create(&x, d, "c", NULL, PGMC_CREATE_SEQUENTIAL, 0, T0 + 100);
    CHECK_OK(&x);
    CHECK_STR(x.r.version, "2023-11-14-221322");
    done(&x);
    check_folder(d, "diesel", 4, "20231114221322", "c");

    /* A directory in the way (not a migration: no up.sql) is never reused. */
    d = scratch("diesel_clash");
    put(d, "2020-01-01-000000_a/up.sql", "SELECT 1;\n");
    put(d, "2023-11-14-221320_x/README", "in the way\n");
    create(&x, d, "x", NULL, 0, 0, T0);
    CHECK(x.rc == PGMC_GEN_FAILED);
    CHECK_DIAG(&x.d, "2023-11-14-221320_x: error: already exists");
    CHECK(!exists(d, "2023-11-14-221320_x/up.sql"));
    CHECK(exists(d, "2023-11-14-221320_x/README"));
    done(&x);
}

static void test_flyway(void)
{
    run x;
    const char *d = scratch("flyway");
    put(d, "V1__a.sql", "SELECT 1;\n");
    put(d, "V2__b.sql", "SELECT 2;\n");
    put(d, "R__view.sql", "SELECT 3;\n");
    create(&x, d, "c", NULL, 0, 0, T0);
    CHECK_OK(&x);
    CHECK_STR(x.r.format, "flyway");
    CHECK(x.r.n_paths == 1); /* no U files in the folder: none made */
    CHECK_STR(x.rel[0], "V3__c.sql");
    done(&x);
    check_folder(d, "flyway", 4, "3", "c");

    /* Dotted versions bump the major part; undo files are kept up. */
    d = scratch("flyway_dotted");
    put(d, "V1.2__a.sql", "SELECT 1;\n");
    put(d, "U1.2__a.sql", "SELECT 2;\n");
    create(&x, d, "b", NULL, 0, 0, T0);
    CHECK_OK(&x);
    CHECK_STR(x.rel[0], "V2__b.sql");
    CHECK_STR(x.rel[1], "U2__b.sql");
    done(&x);
    create(&x, d, "c", NULL, 0, 1, T0);
    CHECK_OK(&x);
    CHECK(x.r.n_paths == 1);
    CHECK_STR(x.rel[0], "V3__c.sql");
    done(&x);
    check_folder(d, "flyway", 3, "3", "c");

    d = scratch("flyway_padded");
    put(d, "V001__a.sql", "SELECT 1;\n");
    create(&x, d, "b", NULL, 0, 0, T0);
    CHECK_OK(&x);
    CHECK_STR(x.rel[0], "V002__b.sql");
    done(&x);

    d = scratch("flyway_empty");
    create(&x, d, "init", "flyway", 0, 0, T0);
    CHECK_OK(&x);
    CHECK_STR(x.rel[0], "V1__init.sql");
    done(&x);
    create(&x, d, "ts", NULL, PGMC_CREATE_TIMESTAMP, 0, T0);
    CHECK_OK(&x);
    CHECK_STR(x.rel[0], "V" T0S "__ts.sql");
    done(&x);
    check_folder(d, "flyway", 2, T0S, "ts");
}

static void test_errors(void)
{
    run x;
    /* Never overwrite: a directory named like the down file stops create.
     * Reading the folder refuses it already (it is not a regular file), so
     * create writes nothing at all. */
    const char *d = scratch("clash");
    put(d, "0001_a.up.sql", "SELECT 1;\n");
    char path[1400];
    snprintf(path, sizeof path, "%s/0002_x.down.sql", d);
    CHECK(mkdir(path, 0777) == 0);
    create(&x, d, "x", NULL, 0, 0, T0);
    CHECK(x.rc == PGMC_GEN_FAILED);
    CHECK_DIAG(&x.d, "0002_x.down.sql:1:1: error: a directory named like a migration file");
    CHECK(x.r.n_paths == 0);
    CHECK(!exists(d, "0002_x.up.sql"));
    done(&x);

    /* A folder pgmc gen rejects: its errors, with the file, and no new file. */
    d = scratch("invalid");
    put(d, "0001_a.up.sql", "SELECT 1;\n");
    put(d, "notes.sql", "SELECT 2;\n");
    create(&x, d, "b", NULL, 0, 0, T0);
    CHECK(x.rc == PGMC_GEN_FAILED);
    CHECK_DIAG(&x.d, "notes.sql: error: not a golang-migrate migration file name");
    CHECK(!exists(d, "0002_b.up.sql"));
    done(&x);
    d = scratch("unterminated");
    put(d, "0001_a.up.sql", "SELECT 'oops;\n");
    create(&x, d, "b", NULL, 0, 0, T0);
    CHECK(x.rc == PGMC_GEN_FAILED);
    CHECK_DIAG(&x.d, "0001_a.up.sql:1:8: error:");
    done(&x);

    /* Not a directory; unknown format; missing arguments. */
    d = scratch("notdir");
    put(d, "file", "x\n");
    snprintf(path, sizeof path, "%s/file", d);
    create(&x, path, "b", NULL, 0, 0, T0);
    CHECK(x.rc == PGMC_GEN_FAILED);
    CHECK_DIAG(&x.d, "file: error: not a directory");
    done(&x);
    create(&x, d, "b", "rails", 0, 0, T0);
    CHECK(x.rc == PGMC_GEN_USAGE);
    CHECK_DIAG(&x.d, "pgmc: error: unknown --format 'rails'");
    done(&x);
    create(&x, d, NULL, NULL, 0, 0, T0);
    CHECK(x.rc == PGMC_GEN_USAGE);
    done(&x);
}

/* Copy corpus files into a scratch folder. */
static void copy_corpus(const char *corpus, const char *dir, const char *const *files)
{
    for (size_t i = 0; files[i]; i++) {
        char src[1400];
        snprintf(src, sizeof src, "%s/%s/%s", PGMC_CORPORA_DIR, corpus, files[i]);
        char *data;
        size_t len;
        CHECK(pgmcg_read_file(src, &data, &len) == 0);
        if (data)
            put(dir, files[i], data);
        free(data);
    }
}

static void test_corpora(void)
{
#ifdef PGMC_CORPORA_DIR
    run x;
    static const char *const harbor[] = {"0001_initial_schema.up.sql", "0002_1.7.0_schema.up.sql",
                                         "0190_2.16.0_schema.up.sql", "LICENSE.harbor", NULL};
    const char *d = scratch("corpus_harbor");
    copy_corpus("harbor", d, harbor);
    create(&x, d, "2.17.0 schema", NULL, 0, 0, T0);
    CHECK_OK(&x);
    CHECK_STR(x.rel[0], "0191_2_17_0_schema.up.sql");
    CHECK_STR(x.rel[1], "0191_2_17_0_schema.down.sql");
    done(&x);
    check_folder(d, "golang-migrate", 4, "191", "2_17_0_schema");

    static const char *const atuin[] = {
        "20210425153745_create_history.sql", "20240702094825_idx_cache_index.sql",
        "20260127000000_remove-email-verification.sql", "LICENSE.atuin", NULL};
    d = scratch("corpus_atuin");
    copy_corpus("atuin", d, atuin);
    create(&x, d, "add-device-names", NULL, 0, 0, T0); /* clock before the newest */
    CHECK_OK(&x);
    CHECK_OK(&x);
    CHECK_STR(x.rel[0], "20260127000001_add_device_names.sql");
    done(&x);
    create(&x, d, "later", NULL, 0, 0, (time_t)4102444800); /* 2100-01-01 */
    CHECK_STR(x.rel[0], "21000101000000_later.sql");
    CHECK_OK(&x);
    done(&x);
    check_folder(d, "sqlx", 5, "21000101000000", "later");

    static const char *const upchieve[] = {"20211026204222_create_upchieve_schema.sql",
                                           "20211026205335_create_cities_table.sql",
                                           "20260623012028_add-view-for-comments.sql", NULL};
    d = scratch("corpus_upchieve");
    copy_corpus("upchieve", d, upchieve);
    create(&x, d, "add sessions", NULL, 0, 0, T0);
    CHECK_OK(&x);
    CHECK_STR(x.rel[0], "20260623012029_add_sessions.sql");
    CHECK(x.d.notes == 0); /* the folder's own notes are not repeated */
    done(&x);
    check_folder(d, "dbmate", 4, "20260623012029", "add_sessions");
#endif
}

/* Once through the binary: the paths on stdout, one a line, as given. */
static void test_cli(void)
{
#ifdef PGMC_BIN_DIR
    char bin[1400];
    snprintf(bin, sizeof bin, "%s/pgmc", PGMC_BIN_DIR);
    if (access(bin, X_OK) != 0) {
        fprintf(stderr, "skip: %s not built\n", bin);
        return;
    }
    const char *d = scratch("cli");
    put(d, "0007_a.up.sql", "SELECT 1;\n");
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' create 'New Table' --migrations '%s' 2>&1", bin, d);
    FILE *p = popen(cmd, "r");
    CHECK(p != NULL);
    if (!p)
        return;
    char out[4096];
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    int st = pclose(p);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    char want[4096];
    snprintf(want, sizeof want, "%s/0008_new_table.up.sql\n%s/0008_new_table.down.sql\n", d, d);
    CHECK_STR(out, want);

    snprintf(cmd, sizeof cmd,
             "'%s' create a b --migrations '%s' --timestamp --sequential 2>/dev/null", bin, d);
    st = system(cmd);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == PGMC_GEN_USAGE);
    snprintf(cmd, sizeof cmd, "'%s' create '***' --migrations '%s' 2>/dev/null", bin, d);
    st = system(cmd);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == PGMC_GEN_USAGE);
#endif
}

int main(void)
{
    snprintf(root, sizeof root, "%s/test_create.%ld", PGMC_TEST_TMPDIR, (long)getpid());
    rm_rf(root);
    if (pgmcg_mkdirs(root)) {
        fprintf(stderr, "cannot create %s\n", root);
        return 1;
    }
    test_slug();
    test_golang_migrate();
    test_sqlx();
    test_goose();
    test_dbmate();
    test_diesel();
    test_flyway();
    test_errors();
    test_corpora();
    test_cli();
    slurp(root, "\x01"); /* frees the last buffer */
    if (!failures)
        rm_rf(root);
    printf("test_create: %d checks, %d failures\n", checks, failures);
    return failures != 0;
}
