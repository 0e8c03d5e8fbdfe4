/* test_hostile.c - the generator against hostile migration folders, driven
 * in-process (pgmcg_gen_run, pgmcg_formats_load, fsutil): FIFOs, devices,
 * sockets, directories and oversized files named like migrations, invalid
 * UTF-8 in SQL and in file names, control characters in names, a byte order
 * mark, names that differ from a migration name only by case, an output
 * file that cannot be replaced, and prefixes that clash with pgmc's names.
 * Every refusal is checked for its exit code, its exact file:line:col
 * message, and an output directory left exactly as it was. An alarm fails
 * the test should anything block (a FIFO). Scratch folders live under
 * PGMC_TEST_TMPDIR.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#define _DEFAULT_SOURCE
#include "formats/formats.h"
#include "util/fsutil.h"
#include "gen.h"
#include "util/sha256.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
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

/* A case: root/name with an empty migrations folder m/ and output folder out/. */
typedef struct cs {
    char base[1100], m[1200], out[1200];
    pgmcg_diag d;
    int rc;
} cs;

static void start(cs *c, const char *name)
{
    snprintf(c->base, sizeof c->base, "%s/%s", root, name);
    rm_rf(c->base);
    snprintf(c->m, sizeof c->m, "%s/m", c->base);
    snprintf(c->out, sizeof c->out, "%s/out", c->base);
    CHECK(pgmcg_mkdirs(c->m) == 0 && pgmcg_mkdirs(c->out) == 0);
    pgmcg_diag_init(&c->d, NULL);
}

static void finish(cs *c)
{
    pgmcg_diag_free(&c->d);
    rm_rf(c->base);
}

static void path_in(char *out, size_t cap, const char *dir, const char *rel)
{
    int w = snprintf(out, cap, "%s/%s", dir, rel);
    CHECK(w > 0 && (size_t)w < cap);
}

static void put_n(const char *dir, const char *rel, const char *data, size_t n)
{
    char path[2400];
    path_in(path, sizeof path, dir, rel);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) {
        CHECK(fwrite(data, 1, n, f) == n);
        fclose(f);
    }
}

static void put(const char *dir, const char *rel, const char *text)
{
    put_n(dir, rel, text, strlen(text));
}

/* pgmc gen of c->m into c->out with prefix svc; fresh diagnostics. */
static int gen(cs *c)
{
    pgmcg_diag_free(&c->d);
    pgmcg_diag_init(&c->d, NULL);
    pgmcg_gen_options o = {c->m, "svc", c->out, NULL, 0};
    c->rc = pgmcg_gen_run(&o, &c->d);
    return c->rc;
}

/* What a folder holds: each entry's name, inode, mtime, size and content
 * hash, one line each, sorted. Equal snapshots: nothing was touched. */
static void snapshot(const char *dir, char *out, size_t cap)
{
    pgmcg_dirent *ents;
    size_t n, o = 0;
    out[0] = '\0';
    if (pgmcg_list_dir(dir, &ents, &n) != 0)
        return;
    for (size_t i = 0; i < n; i++) {
        char path[2400], hex[65] = "-";
        struct stat st;
        path_in(path, sizeof path, dir, ents[i].name);
        if (lstat(path, &st) != 0)
            continue;
        char *data;
        size_t len;
        if (S_ISREG(st.st_mode) && pgmcg_read_file(path, &data, &len) == 0) {
            uint8_t h[32];
            pgmcg_sha256(data, len, h);
            pgmcg_sha256_hex(h, hex);
            free(data);
        }
        o += (size_t)snprintf(out + o, cap - o, "%s %lu %ld.%09ld %ld %s\n", ents[i].name,
                              (unsigned long)st.st_ino, (long)st.st_mtim.tv_sec,
                              (long)st.st_mtim.tv_nsec, (long)st.st_size, hex);
        if (o >= cap)
            break;
    }
    pgmcg_dirents_free(ents, n);
}

/* A folder with one good migration, generated once; *snap holds out/. */
static void start_generated(cs *c, const char *name, char *snap, size_t cap)
{
    start(c, name);
    put(c->m, "1_a.up.sql", "CREATE TABLE a (id int);\n");
    put(c->m, "1_a.down.sql", "DROP TABLE a;\n");
    CHECK(gen(c) == PGMC_GEN_OK);
    snapshot(c->out, snap, cap);
    CHECK(strstr(snap, "svc.c ") && strstr(snap, "svc.h "));
}

/* gen fails with `msg` (after the folder path and '/'), and out/ is as it was. */
static void expect_refused(cs *c, const char *snap, const char *rel_msg)
{
    char want[3000], now[8192];
    CHECK(gen(c) == PGMC_GEN_FAILED);
    snprintf(want, sizeof want, "%s/%s", c->m, rel_msg);
    CHECK_DIAG(&c->d, want);
    snapshot(c->out, now, sizeof now);
    CHECK(!strcmp(now, snap));
}

static void test_not_regular(void)
{
    cs c;
    char snap[8192], p[2400];
    start_generated(&c, "notreg", snap, sizeof snap);
    path_in(p, sizeof p, c.m, "2_b.up.sql");

    CHECK(mkfifo(p, 0666) == 0);
    expect_refused(&c, snap,
                   "2_b.up.sql:1:1: error: not a regular file but a FIFO; pgmc reads "
                   "migrations only from regular files\n");
    /* The readers refuse it too (fstat of the descriptor, opened without
     * blocking), not only the listing. */
    char *data;
    size_t len;
    CHECK(pgmcg_read_input(p, &data, &len) == PGMC_FS_E_FIFO && data == NULL);
    pgmcg_read_job job = {.rel = "2_b.up.sql"};
    CHECK(pgmcg_read_files(c.m, &job, 1, 1) == 0 && job.err == PGMC_FS_E_FIFO && !job.data);
    unlink(p);

    CHECK(symlink("/dev/zero", p) == 0);
    expect_refused(&c, snap, "2_b.up.sql:1:1: error: not a regular file but a character device");
    CHECK(pgmcg_read_input(p, &data, &len) == PGMC_FS_E_CHR);
    unlink(p);

    char fifo[2400];
    path_in(fifo, sizeof fifo, c.base, "fifo");
    CHECK(mkfifo(fifo, 0666) == 0);
    CHECK(symlink(fifo, p) == 0);
    expect_refused(&c, snap, "2_b.up.sql:1:1: error: not a regular file but a FIFO");
    unlink(p);

    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (s >= 0 && strlen(p) < sizeof sa.sun_path) {
        memcpy(sa.sun_path, p, strlen(p) + 1);
        CHECK(bind(s, (struct sockaddr *)&sa, sizeof sa) == 0);
        expect_refused(&c, snap, "2_b.up.sql:1:1: error: not a regular file but a socket");
        close(s);
        unlink(p);
    }

    CHECK(mkdir(p, 0777) == 0);
    expect_refused(&c, snap, "2_b.up.sql:1:1: error: a directory named like a migration file");
    rmdir(p);

    CHECK(symlink("nothing-here", p) == 0);
    expect_refused(&c, snap, "2_b.up.sql:1:1: error: cannot read: No such file or directory\n");
    unlink(p);
    CHECK(symlink("2_b.up.sql", p) == 0);
    expect_refused(&c, snap, "2_b.up.sql:1:1: error: cannot read: Too many levels of symbolic");
    unlink(p);

    /* A diesel folder's up.sql is checked the same way. */
    finish(&c);
    start(&c, "diesel");
    put(c.m, "x", "");
    char sub[2400];
    path_in(sub, sizeof sub, c.m, "2020-01-01-000000_a");
    CHECK(mkdir(sub, 0777) == 0);
    put(sub, "down.sql", "DROP TABLE a;\n");
    path_in(p, sizeof p, sub, "up.sql");
    CHECK(mkfifo(p, 0666) == 0);
    CHECK(gen(&c) == PGMC_GEN_FAILED);
    CHECK_DIAG(&c.d, "2020-01-01-000000_a/up.sql:1:1: error: not a regular file but a FIFO");
    finish(&c);
}

static void test_too_big(void)
{
    cs c;
    char snap[8192], p[2400];
    start_generated(&c, "big", snap, sizeof snap);
    path_in(p, sizeof p, c.m, "2_b.up.sql");
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    CHECK(fd >= 0 && ftruncate(fd, (off_t)PGMC_MAX_INPUT_BYTES + 1) == 0); /* sparse */
    close(fd);
    expect_refused(&c, snap,
                   "2_b.up.sql:1:1: error: file too large: more than 1 GiB, the most "
                   "pgmc reads from one file\n");
    char *data;
    size_t len;
    CHECK(pgmcg_read_input(p, &data, &len) == PGMC_FS_E_TOO_BIG && data == NULL);
    finish(&c);
}

static void test_utf8(void)
{
    static const struct {
        const char *sql, *msg;
    } cases[] = {
        {"SELECT 1;\nSELECT 'caf\xc3';\n", "2_b.up.sql:2:12: error: invalid UTF-8 (byte 0xc3)"},
        {"\xc0\xaf;\n", "2_b.up.sql:1:1: error: invalid UTF-8 (byte 0xc0)"},
        {"SELECT 1; -- \xed\xa0\x80 a surrogate\n",
         "2_b.up.sql:1:14: error: invalid UTF-8 (byte 0xed)"},
        {"SELECT 'é€𝄞', '\xf4\x90\x80\x80';\n",
         "2_b.up.sql:1:22: error: invalid UTF-8 (byte 0xf4)"},
        {"SELECT 1;\n\n  \xff", "2_b.up.sql:3:3: error: invalid UTF-8 (byte 0xff)"},
        {"\xef\xbb\xbfSELECT 'x\x80';\n", "2_b.up.sql:1:10: error: invalid UTF-8 (byte 0x80)"},
    };
    cs c;
    char snap[8192];
    start_generated(&c, "utf8", snap, sizeof snap);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        put(c.m, "2_b.up.sql", cases[i].sql);
        expect_refused(&c, snap, cases[i].msg);
    }
    put(c.m, "2_b.up.sql", "SELECT 'é€𝄞', 'ü';\n");
    CHECK(gen(&c) == PGMC_GEN_OK);
    finish(&c);

    /* Positions are the file's, in a goose down section too. */
    start(&c, "utf8goose");
    put(c.m, "1_a.sql", "-- +goose Up\nSELECT 1;\n-- +goose Down\nSELECT '\xe2\x82';\n");
    CHECK(gen(&c) == PGMC_GEN_FAILED);
    CHECK_DIAG(&c.d, "1_a.sql:4:9: error: invalid UTF-8 (byte 0xe2)");
    finish(&c);
}

static void test_bom(void)
{
    static const char text[] = "\xef\xbb\xbf"
                               "CREATE TABLE a (id int);\nSELECT 1;\n";
    cs c;
    start(&c, "bom");
    put(c.m, "1_a.up.sql", text);
    pgmcg_project p;
    memset(&p, 0, sizeof p);
    CHECK(pgmcg_formats_load(c.m, NULL, &p, &c.d) == 0 && p.n_migs == 1);
    if (p.n_migs == 1) {
        const pgmcg_gen_script *s = &p.migs[0].up;
        CHECK(s->sql_len == strlen(text) - 3 && !memcmp(s->sql, "CREATE", 6));
        CHECK(s->stmts.n == 2);
        if (s->stmts.n == 2) {
            CHECK(s->stmts.v[0].offset == 0 && s->stmts.v[0].line == 1);
            CHECK(s->stmts.v[0].column == 1);
            CHECK(s->stmts.v[1].offset == 25 && s->stmts.v[1].line == 2);
            CHECK(s->stmts.v[1].column == 1);
        }
        /* The checksum is of the exact file bytes, BOM included. */
        uint8_t want[32];
        pgmcg_sha256(text, strlen(text), want);
        CHECK(!memcmp(p.migs[0].checksum, want, 32));
    }
    pgmcg_project_free(&p);
    CHECK(gen(&c) == PGMC_GEN_OK);
    char path[2400], *data;
    size_t len;
    path_in(path, sizeof path, c.out, "svc.c");
    CHECK(pgmcg_read_file(path, &data, &len) == 0);
    CHECK(!strstr(data, "\\357\\273\\277") && !strstr(data, "\xef\xbb\xbf"));
    free(data);

    /* Positions after the mark count from it: column 8 is the quote. */
    put(c.m, "1_a.up.sql", "\xef\xbb\xbfSELECT 'x;\n");
    CHECK(gen(&c) == PGMC_GEN_FAILED);
    CHECK_DIAG(&c.d, "1_a.up.sql:1:8: error: unterminated quoted string");
    finish(&c);

    /* A flyway .sql.conf with a mark still has its setting on line 1. */
    start(&c, "bomconf");
    put(c.m, "V1__a.sql", "CREATE INDEX CONCURRENTLY i ON t (x);\n");
    put(c.m, "V1__a.sql.conf",
        "\xef\xbb\xbf"
        "executeInTransaction=false\n");
    memset(&p, 0, sizeof p);
    CHECK(pgmcg_formats_load(c.m, NULL, &p, &c.d) == 0 && p.n_migs == 1);
    CHECK(p.n_migs == 1 && p.migs[0].up.no_tx_annotated);
    pgmcg_project_free(&p);
    finish(&c);

    /* A marker on the first line is still a marker; a diesel file (read
     * outside the batch) keeps the exact-bytes checksum. */
    start(&c, "bomgoose");
    put(c.m, "1_a.sql", "\xef\xbb\xbf-- +goose Up\nSELECT 1;\n");
    CHECK(gen(&c) == PGMC_GEN_OK);
    finish(&c);
    start(&c, "bomdiesel");
    char sub[2400];
    path_in(sub, sizeof sub, c.m, "2020-01-01-000000_a");
    CHECK(mkdir(sub, 0777) == 0);
    put(sub, "up.sql", text);
    memset(&p, 0, sizeof p);
    CHECK(pgmcg_formats_load(c.m, NULL, &p, &c.d) == 0 && p.n_migs == 1);
    if (p.n_migs == 1) {
        uint8_t want[32];
        pgmcg_sha256(text, strlen(text), want);
        CHECK(!memcmp(p.migs[0].checksum, want, 32));
        CHECK(!memcmp(p.migs[0].up.sql, "CREATE", 6));
    }
    pgmcg_project_free(&p);
    finish(&c);
}

static void test_names(void)
{
    static const struct {
        const char *name, *msg;
    } cases[] = {
        {"2_b\n.up.sql", "2_b\\n.up.sql:1:1: error: the file name holds a control character\n"},
        {"2_b\x1b[2J.up.sql",
         "2_b\\x1b[2J.up.sql:1:1: error: the file name holds a control character\n"},
        {"2_b\xff.up.sql", "2_b\\xff.up.sql:1:1: error: the file name is not valid UTF-8\n"},
        {"2_\xc3(.up.sql", "2_\\xc3(.up.sql:1:1: error: the file name is not valid UTF-8\n"},
    };
    cs c;
    char snap[8192], p[2400];
    start_generated(&c, "names", snap, sizeof snap);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        put(c.m, cases[i].name, "SELECT 1;\n");
        expect_refused(&c, snap, cases[i].msg);
        /* Nothing raw: no ESC, no 0xff, no line that does not start with the folder. */
        CHECK(!strchr(c.d.text, '\x1b') && !strchr(c.d.text, '\xff'));
        CHECK(!strstr(c.d.text, "\n.up.sql"));
        path_in(p, sizeof p, c.m, cases[i].name);
        unlink(p);
    }
    finish(&c);
}

static void test_case_only(void)
{
    cs c;
    char snap[8192];
    start_generated(&c, "case", snap, sizeof snap);
    put(c.m, "2_b.UP.SQL", "SELECT 1;\n");
    CHECK(gen(&c) == PGMC_GEN_OK);
    char want[2400];
    snprintf(want, sizeof want,
             "%s/2_b.UP.SQL: warning: differs from a migration file name only by case, ignored: "
             "did you mean 2_b.up.sql?\n",
             c.m);
    CHECK_DIAG(&c.d, want);
    CHECK(c.d.errors == 0);
    finish(&c);

    start(&c, "caseflyway");
    put(c.m, "V1__a.sql", "SELECT 1;\n");
    put(c.m, "V2__b.SQL", "SELECT 2;\n");
    CHECK(gen(&c) == PGMC_GEN_OK);
    CHECK_DIAG(&c.d, "V2__b.SQL: warning: differs from a migration file name only by case, "
                     "ignored: did you mean V2__b.sql?");
    finish(&c);

    /* In a diesel folder. */
    start(&c, "casediesel");
    char sub[2400];
    path_in(sub, sizeof sub, c.m, "2020-01-01-000000_a");
    CHECK(mkdir(sub, 0777) == 0);
    put(sub, "up.sql", "SELECT 1;\n");
    put(sub, "Down.sql", "SELECT 2;\n");
    CHECK(gen(&c) == PGMC_GEN_OK);
    CHECK_DIAG(&c.d, "2020-01-01-000000_a/Down.sql: warning: differs from a migration file name "
                     "only by case, ignored: did you mean down.sql?");
    finish(&c);

    /* Nothing left: the warning, then the usual error. */
    start(&c, "caseonly");
    put(c.m, "1_a.Up.Sql", "SELECT 1;\n");
    CHECK(gen(&c) == PGMC_GEN_FAILED);
    CHECK_DIAG(&c.d, "1_a.Up.Sql: warning: differs from a migration file name only by case, "
                     "ignored: did you mean 1_a.up.sql?");
    CHECK_DIAG(&c.d, "error: no migrations found");
    finish(&c);
}

static void test_outputs(void)
{
    cs c;
    char snap[8192], now[8192], p[2400];
    start_generated(&c, "outputs", snap, sizeof snap);
    /* svc.c cannot be replaced: svc.h stays as it was, no temp file. */
    put(c.m, "2_b.up.sql", "SELECT 2;\n");
    path_in(p, sizeof p, c.out, "svc.c");
    CHECK(unlink(p) == 0 && mkdir(p, 0777) == 0);
    snapshot(c.out, snap, sizeof snap);
    CHECK(gen(&c) == PGMC_GEN_FAILED);
    char want[2400];
    snprintf(want, sizeof want, "%s/svc.c:1:1: error: cannot replace: Is a directory\n", c.out);
    CHECK_DIAG(&c.d, want);
    snapshot(c.out, now, sizeof now);
    CHECK(!strcmp(now, snap));

    /* The temp file for svc.c cannot be created: the one for svc.h goes. */
    CHECK(rmdir(p) == 0);
    put(c.out, "svc.c", "old\n");
    char tmp[2400];
    int w = snprintf(tmp, sizeof tmp, "%s.pgmc-tmp.%ld", p, (long)getpid());
    CHECK(w > 0 && (size_t)w < sizeof tmp);
    CHECK(mkdir(tmp, 0777) == 0);
    snapshot(c.out, snap, sizeof snap);
    CHECK(gen(&c) == PGMC_GEN_FAILED);
    snprintf(want, sizeof want, "%s/svc.c:1:1: error: cannot write: File exists\n", c.out);
    CHECK_DIAG(&c.d, want);
    snapshot(c.out, now, sizeof now);
    CHECK(!strcmp(now, snap));
    CHECK(rmdir(tmp) == 0);
    CHECK(gen(&c) == PGMC_GEN_OK);

    /* pgmcg_write_commit_all itself: the second rename fails, the first
     * file gets its old inode back; a file that did not exist goes again. */
    char a[2400], b[2400], nf[2400];
    path_in(a, sizeof a, c.base, "a.txt");
    path_in(b, sizeof b, c.base, "b.dir");
    path_in(nf, sizeof nf, c.base, "new.txt");
    put(c.base, "a.txt", "old a\n");
    CHECK(mkdir(b, 0777) == 0);
    struct stat before, after;
    CHECK(stat(a, &before) == 0);
    char *tmps[3] = {NULL, NULL, NULL};
    const char *paths[3] = {a, nf, b};
    for (int k = 0; k < 3; k++)
        CHECK(pgmcg_write_prepare(paths[k], "new\n", 4, &tmps[k]) == 0 && tmps[k]);
    size_t failed = 99;
    CHECK(pgmcg_write_commit_all(tmps, paths, 3, &failed) == EISDIR && failed == 2);
    CHECK(!tmps[0] && !tmps[1] && !tmps[2]);
    CHECK(stat(a, &after) == 0 && after.st_ino == before.st_ino);
    char *data;
    size_t len;
    CHECK(pgmcg_read_file(a, &data, &len) == 0 && !strcmp(data, "old a\n"));
    free(data);
    CHECK(access(nf, F_OK) != 0);
    snapshot(c.base, now, sizeof now);
    CHECK(!strstr(now, "pgmc-tmp") && !strstr(now, "pgmc-old"));
    finish(&c);
}

static void test_prefix(void)
{
    static const char *const bad[] = {"pgmc",  "PGMC",        "Pgmc_x", "pgmc_schema", "string",
                                      "Stdio", "stddef",      "time",   "int",         "_x",
                                      "x_",    "a__b",        "while",  "unistd",      "pthread",
                                      "bool",  "postgres_ext"};
    static const char *const good[] = {"svc", "myservice", "example", "pgm", "pgmcx", "strings2"};
    cs c;
    start(&c, "prefix");
    put(c.m, "1_a.up.sql", "SELECT 1;\n");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(pgmcg_gen_prefix_problem(bad[i]) != NULL);
        pgmcg_diag_free(&c.d);
        pgmcg_diag_init(&c.d, NULL);
        pgmcg_gen_options o = {c.m, bad[i], c.out, NULL, 0};
        CHECK(pgmcg_gen_run(&o, &c.d) == PGMC_GEN_USAGE);
        char want[200];
        snprintf(want, sizeof want, "pgmc: error: --prefix '%s' ", bad[i]);
        CHECK_DIAG(&c.d, want);
    }
    CHECK_DIAG(&c.d, "--prefix 'postgres_ext' is a C keyword or the name of a system header");
    pgmcg_diag_free(&c.d);
    pgmcg_diag_init(&c.d, NULL);
    pgmcg_gen_options o = {c.m, "pgmc", c.out, NULL, 0};
    CHECK(pgmcg_gen_run(&o, &c.d) == PGMC_GEN_USAGE);
    CHECK_DIAG(&c.d, "pgmc: error: --prefix 'pgmc' clashes with pgmc's own names");
    char snap[200];
    snapshot(c.out, snap, sizeof snap);
    CHECK(snap[0] == '\0');
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        CHECK(pgmcg_gen_prefix_problem(good[i]) == NULL);
    finish(&c);
}

int main(void)
{
    alarm(60); /* a blocked open or read fails the test instead of hanging it */
    snprintf(root, sizeof root, "%s/test_hostile.%ld", PGMC_TEST_TMPDIR, (long)getpid());
    CHECK(pgmcg_mkdirs(root) == 0);
    test_not_regular();
    test_too_big();
    test_utf8();
    test_bom();
    test_names();
    test_case_only();
    test_outputs();
    test_prefix();
    rm_rf(root);
    printf("test_hostile: %d checks, %d failures\n", checks, failures);
    return failures != 0;
}
