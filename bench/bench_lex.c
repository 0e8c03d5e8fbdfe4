/* bench_lex.c - throughput of the lexer and of the statement splitter.
 *
 * Usage: bench_lex [file.sql | dir] [megabytes] [lex|split|both]
 * Reads one SQL file, or every *.sql file of a directory (default: the
 * harbor corpus), repeats the text up to ~100 MB, then prints MB/s for
 * lex-only and for lex+split (best of a few runs), and lex+split against
 * the 1 GB/s target. Also the UTF-8 check the generator runs over each
 * .sql file before splitting it (gen/inputcheck.c), alone and added to
 * lex+split.
 */
#define _POSIX_C_SOURCE 200809L
#include "util/inputcheck.h"
#include "syntax/lexer.h"
#include "syntax/split.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef PGMC_BENCH_DEFAULT_DIR
#define PGMC_BENCH_DEFAULT_DIR "tests/corpora/harbor"
#endif

#define TARGET_MBPS 1000.0 /* 1 GB/s, with MB = 10^6 bytes */

typedef struct text {
    char *p;
    size_t n, cap;
} text;

static void append(text *t, const char *s, size_t n)
{
    if (t->n + n + 1 > t->cap) {
        t->cap = (t->n + n + 1) * 2;
        t->p = realloc(t->p, t->cap);
        if (!t->p) {
            perror("realloc");
            exit(1);
        }
    }
    memcpy(t->p + t->n, s, n);
    t->n += n;
    t->p[t->n] = '\0';
}

static void append_file(text *t, const char *path)
{
    FILE *f = fopen(path, "rb");
    char chunk[65536];
    size_t n;
    if (!f) {
        perror(path);
        exit(1);
    }
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        append(t, chunk, n);
    fclose(f);
    append(t, ";\n", 2); /* keep files from running into each other */
}

static int has_sql_suffix(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcmp(name + n - 4, ".sql") == 0;
}

/* Load a file, or every *.sql file of a directory. */
static void load(text *t, const char *path)
{
    DIR *d = opendir(path);
    if (!d) {
        append_file(t, path);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!has_sql_suffix(e->d_name))
            continue;
        char full[4096];
        int w = snprintf(full, sizeof full, "%s/%s", path, e->d_name);
        if (w <= 0 || (size_t)w >= sizeof full)
            continue;
        append_file(t, full);
    }
    closedir(d);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Lex all of buf; returns the token count. */
static size_t lex_all(const char *buf, size_t len)
{
    pgmcg_lexer lx;
    pgmcg_token tok;
    size_t n = 0;
    pgmcg_lexer_init(&lx, buf, len, 1, 1);
    while (pgmcg_lex(&lx, &tok) > PGMC_TOK_ERROR)
        n++;
    if (tok.kind == PGMC_TOK_ERROR) {
        fprintf(stderr, "lex error %u:%u: %s\n", tok.line, tok.col, lx.error);
        exit(1);
    }
    return n;
}

/* Split all of buf; returns the statement count. */
static size_t split_all(const char *buf, size_t len)
{
    pgmcg_diag d;
    pgmcg_stmt_vec sv = {0};
    pgmcg_diag_init(&d, stderr);
    if (pgmcg_split("bench", buf, len, 1, 1, &sv, &d) != 0)
        exit(1);
    size_t n = sv.n;
    pgmcg_stmt_vec_free(&sv);
    pgmcg_diag_free(&d);
    return n;
}

int main(int argc, char **argv)
{
    const char *src = argc > 1 ? argv[1] : PGMC_BENCH_DEFAULT_DIR;
    size_t target = (size_t)(argc > 2 ? atol(argv[2]) : 100) << 20;
    const char *mode = argc > 3 ? argv[3] : "both";
    int do_lex = strcmp(mode, "split") != 0, do_split = strcmp(mode, "lex") != 0;
    text one = {0}, all = {0};
    load(&one, src);
    if (one.n == 0) {
        fprintf(stderr, "%s: no SQL\n", src);
        return 1;
    }
    while (all.n < target)
        append(&all, one.p, one.n);
    double mb = (double)all.n / 1e6;
    double best_lex = 1e9, best_split = 1e9, best_utf8 = 1e9;
    size_t tokens = 0, stmts = 0, bad = 0;
    for (int run = 0; run < 5; run++) {
        double tu = now();
        bad = pgmcg_utf8_invalid(all.p, all.n);
        double t0 = now();
        if (t0 - tu < best_utf8)
            best_utf8 = t0 - tu;
        if (do_lex)
            tokens = lex_all(all.p, all.n);
        double t1 = now();
        if (do_split)
            stmts = split_all(all.p, all.n);
        double t2 = now();
        if (t1 - t0 < best_lex)
            best_lex = t1 - t0;
        if (t2 - t1 < best_split)
            best_split = t2 - t1;
    }
    printf("input: %.1f MB (%s repeated), %zu tokens, %zu statements\n", mb, src, tokens, stmts);
    if (do_lex)
        printf("lex only:    %8.1f MB/s\n", mb / best_lex);
    if (do_split)
        printf("lex + split: %8.1f MB/s  (target %.0f MB/s: %.2fx of target)\n", mb / best_split,
               TARGET_MBPS, mb / best_split / TARGET_MBPS);
    printf("utf8 check:  %8.1f MB/s%s\n", mb / best_utf8,
           bad == all.n ? "" : "  (stopped early: the input is not valid UTF-8)");
    if (do_split)
        printf("utf8 + lex + split: %8.1f MB/s\n", mb / (best_utf8 + best_split));
    free(one.p);
    free(all.p);
    return 0;
}
