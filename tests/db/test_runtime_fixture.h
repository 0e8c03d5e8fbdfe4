/* test_runtime_fixture.h - shared helpers for the libpgmc database tests:
 * CHECK macros, hand-built pgmc_schema fixtures (no generator involved),
 * connecting with the harness's env, and capturing stdout/stderr. */
#ifndef TEST_RUNTIME_FIXTURE_H
#define TEST_RUNTIME_FIXTURE_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pgmc.h"

static int fx_failures;
static int fx_checks;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        fx_checks++;                                                                               \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);               \
            fx_failures++;                                                                         \
        }                                                                                          \
    } while (0)

#define CHECK_STR(a, b)                                                                            \
    do {                                                                                           \
        const char *fx_a_ = (a), *fx_b_ = (b);                                                     \
        fx_checks++;                                                                               \
        if (strcmp(fx_a_, fx_b_) != 0) {                                                           \
            fprintf(stderr, "%s:%d: CHECK_STR failed: %s == \"%s\", expected \"%s\"\n", __FILE__,  \
                    __LINE__, #a, fx_a_, fx_b_);                                                   \
            fx_failures++;                                                                         \
        }                                                                                          \
    } while (0)

#define CHECK_RC(rc, want, res)                                                                    \
    do {                                                                                           \
        int fx_rc_ = (rc);                                                                         \
        fx_checks++;                                                                               \
        if (fx_rc_ != (want)) {                                                                    \
            fprintf(stderr, "%s:%d: %s returned %s, expected %s\n", __FILE__, __LINE__, #rc,       \
                    pgmc_code_name((pgmc_code)fx_rc_), pgmc_code_name(want));                      \
            pgmc_print_error(stderr, (res));                                                       \
            fx_failures++;                                                                         \
        }                                                                                          \
    } while (0)

static inline int fx_done(const char *name)
{
    printf("%s: %d checks, %d failures\n", name, fx_checks, fx_failures);
    return fx_failures ? 1 : 0;
}

/* --- schema fixtures ---------------------------------------------------- */

static pgmc_statement fx_stmt_pool[4096];
static size_t fx_stmt_used;

/* Split `sql` into statements at each ';' that ends a line (or the text),
 * recording 1-based line/column of each statement's first non-blank byte.
 * Good enough for fixtures; the generator does this properly. */
static inline void fx_script(pgmc_script *sc, const char *file, const char *sql, pgmc_tx_mode mode)
{
    size_t i = 0, n = strlen(sql);
    uint32_t line = 1, col = 1;

    memset(sc, 0, sizeof *sc);
    if (!sql)
        return;
    sc->file = file;
    sc->sql = sql;
    sc->sql_len = (uint32_t)n;
    sc->tx_mode = mode;
    sc->statements = &fx_stmt_pool[fx_stmt_used];
    while (i < n) {
        size_t start, end;
        uint32_t sline, scol;
        while (i < n && (sql[i] == ' ' || sql[i] == '\n' || sql[i] == '\t')) {
            if (sql[i] == '\n')
                line++, col = 1;
            else
                col++;
            i++;
        }
        if (i >= n)
            break;
        start = i;
        sline = line;
        scol = col;
        while (i < n && !(sql[i] == ';' && (i + 1 == n || sql[i + 1] == '\n'))) {
            if (sql[i] == '\n')
                line++, col = 1;
            else
                col++;
            i++;
        }
        end = i;
        if (i < n)
            i++, col++;
        fx_stmt_pool[fx_stmt_used].offset = (uint32_t)start;
        fx_stmt_pool[fx_stmt_used].length = (uint32_t)(end - start);
        fx_stmt_pool[fx_stmt_used].line = sline;
        fx_stmt_pool[fx_stmt_used].column = scol;
        fx_stmt_used++;
        sc->n_statements++;
    }
}

/* Copy into a static arena (fixtures live for the whole test, no leaks). */
static char fx_arena[1 << 16];
static size_t fx_arena_used;

static inline char *fx_keep(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = &fx_arena[fx_arena_used];

    if (fx_arena_used + n > sizeof fx_arena) {
        fprintf(stderr, "fixture arena exhausted\n");
        exit(1);
    }
    memcpy(p, s, n);
    fx_arena_used += n;
    return p;
}

static inline char *fx_strdup(const char *s)
{
    char *p = malloc(strlen(s) + 1);
    strcpy(p, s);
    return p;
}

/* A migration; version "" makes it repeatable; down may be NULL. The
 * checksum is a fixture hash of the up text (64 hex digits). */
static inline void fx_mig(pgmc_migration *m, const char *version, const char *name, const char *up,
                          const char *down, pgmc_tx_mode mode)
{
    char file[256], hex[65];
    unsigned long long h = 1469598103934665603ULL;
    const char *p;
    int k;

    memset(m, 0, sizeof *m);
    m->version = version;
    m->name = name;
    m->kind = version[0] ? PGMC_VERSIONED : PGMC_REPEATABLE;
    for (p = up; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    for (k = 0; k < 4; k++)
        snprintf(hex + 16 * k, 17, "%016llx", h ^ (unsigned long long)k);
    m->checksum_hex = fx_keep(hex);
    if (version[0])
        snprintf(file, sizeof file, "%04d_%s.up.sql", atoi(version), name);
    else
        snprintf(file, sizeof file, "R__%s.sql", name);
    fx_script(&m->up, fx_keep(file), up, mode);
    if (down) {
        snprintf(file, sizeof file, "%04d_%s.down.sql", atoi(version), name);
        fx_script(&m->down, fx_keep(file), down, mode);
    }
}

static inline void fx_schema(pgmc_schema *s, const pgmc_migration *ms, uint32_t n)
{
    memset(s, 0, sizeof *s);
    s->abi_version = PGMC_ABI_VERSION;
    s->generator = "test fixture";
    s->prefix = "test";
    s->format = "fixture";
    s->inputs_hash = "";
    s->migrations = ms;
    s->n_migrations = n;
}

/* --- database ------------------------------------------------------------ */

static inline PGconn *fx_connect(void)
{
    pgmc_result res;
    PGconn *c = pgmc_connect(NULL, NULL, &res);

    if (!c) {
        fprintf(stderr, "cannot connect (set DATABASE_URL or PG*): %s\n", res.message);
        exit(1);
    }
    return c;
}

/* First column of the first row as a long, or -1 on error / no rows. */
static inline long fx_int(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    long v = -1;

    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
        v = atol(PQgetvalue(r, 0, 0));
    else if (PQresultStatus(r) != PGRES_TUPLES_OK)
        fprintf(stderr, "fx_int(%s): %s", sql, PQerrorMessage(c));
    PQclear(r);
    return v;
}

static inline void fx_exec(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);

    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
        fprintf(stderr, "fx_exec(%s): %s", sql, PQerrorMessage(c));
    PQclear(r);
}

/* --- output capture ---------------------------------------------------- */

typedef struct fx_capture {
    int saved_out, saved_err;
    FILE *out, *err;
} fx_capture;

static inline void fx_capture_begin(fx_capture *cap)
{
    fflush(stdout);
    fflush(stderr);
    cap->out = tmpfile();
    cap->err = tmpfile();
    cap->saved_out = dup(1);
    cap->saved_err = dup(2);
    dup2(fileno(cap->out), 1);
    dup2(fileno(cap->err), 2);
}

static inline char *fx_slurp(FILE *f)
{
    long n;
    char *buf;

    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    buf = calloc((size_t)n + 1, 1);
    if (n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n)
        buf[0] = '\0';
    fclose(f);
    return buf;
}

/* Restores stdout/stderr; returns malloc'd captured texts. */
static inline void fx_capture_end(fx_capture *cap, char **out, char **err)
{
    fflush(stdout);
    fflush(stderr);
    dup2(cap->saved_out, 1);
    dup2(cap->saved_err, 2);
    close(cap->saved_out);
    close(cap->saved_err);
    *out = fx_slurp(cap->out);
    *err = fx_slurp(cap->err);
}

#endif
