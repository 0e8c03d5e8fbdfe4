/* replay.c - the catalog stage's entry: replay a project's up scripts, or
 * one file of SQL, statement by statement into a catalog. Each statement's
 * significant tokens go to the DDL parser (pgmcg__cat_stmt, ddl.c and the ddl_*.c files).
 */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>

#include "catalog/catalog_int.h"
#include "syntax/split.h"

typedef pgmcg_cat_parser P;

/* Replay one statement text[0..len) positioned at (line, col). */
static int replay_one(pgmcg_catalog *cat, const char *file, const char *text, size_t len,
                      uint32_t line, uint32_t col, pgmcg_diag *diag)
{
    char *copy = malloc(len + 1);
    if (!copy)
        return -1;
    memcpy(copy, text, len);
    copy[len] = '\0';
    pgmcg_lexer lx;
    pgmcg_lexer_init(&lx, copy, len, line, col);
    P p;
    memset(&p, 0, sizeof p);
    p.cat = cat;
    p.diag = diag;
    p.file = file;
    size_t cap = 0;
    int rc = 0;
    for (;;) {
        pgmcg_token t;
        pgmcg_tok_kind k = pgmcg_lex(&lx, &t);
        if (k == PGMC_TOK_SPACE || k == PGMC_TOK_LINE_COMMENT || k == PGMC_TOK_BLOCK_COMMENT)
            continue;
        if (k == PGMC_TOK_ERROR) {
            pgmcg_diag_error(diag, file, t.line, t.col, "%s", lx.error);
            rc = -1;
            goto out;
        }
        if (p.n == cap) {
            cap = cap ? cap * 2 : 64;
            pgmcg_token *q = realloc(p.t, cap * sizeof *q);
            if (!q) {
                rc = -1;
                goto out;
            }
            p.t = q;
        }
        if (k == PGMC_TOK_EOF) {
            /* the EOF token sits just past the last one, for messages */
            if (p.n) {
                const pgmcg_token *l = &p.t[p.n - 1];
                t.line = l->line;
                t.col = l->col + (uint32_t)l->len;
            }
            p.t[p.n] = t;
            break;
        }
        p.t[p.n++] = t;
    }
    if (pgmcg__cat_stmt(&p) || p.failed)
        rc = -1;
out:
    free(p.t);
    free(copy);
    return rc;
}

static int replay_text(pgmcg_catalog *cat, const char *file, const char *sql,
                       const pgmcg_stmt_vec *sv, pgmcg_diag *diag)
{
    int rc = 0;
    for (size_t i = 0; i < sv->n; i++) {
        const pgmc_statement *st = &sv->v[i];
        unsigned before = diag->errors;
        if (replay_one(cat, file, sql + st->offset, st->length, st->line, st->column, diag)) {
            rc = -1;
            if (diag->errors == before)
                pgmcg_diag_error(diag, file, st->line, st->column, "out of memory");
        }
    }
    return rc;
}

int pgmcg_catalog_apply(pgmcg_catalog *cat, const char *file, const char *buf, size_t len,
                        pgmcg_diag *diag)
{
    pgmcg_stmt_vec sv;
    memset(&sv, 0, sizeof sv);
    int rc = pgmcg_split(file, buf, len, 1, 1, &sv, diag);
    if (rc == 0)
        rc = replay_text(cat, file, buf, &sv, diag);
    pgmcg_stmt_vec_free(&sv);
    return rc;
}

int pgmcg_catalog_replay(pgmcg_catalog *cat, const pgmcg_project *p, pgmcg_diag *diag)
{
    int rc = 0;
    for (size_t i = 0; i < p->n_migs; i++) {
        const pgmcg_gen_script *s = &p->migs[i].up;
        if (!s->input)
            continue;
        if (replay_text(cat, s->input->path, s->sql, &s->stmts, diag))
            rc = -1;
    }
    pgmcg_catalog_finish(cat);
    return rc;
}
