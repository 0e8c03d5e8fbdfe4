/* replay.c - the catalog stage's entry: replay a project's up scripts, or
 * one file of SQL, statement by statement into a catalog. Each statement's
 * span of the splitter's compact token vector is expanded (positions
 * computed, nothing lexed, the text not copied) into one scratch array of
 * pgmcg_tokens reused for every statement, which the DDL parser
 * (pgmcg__cat_stmt, ddl.c and the ddl_*.c files) reads. Only statements appended without
 * tokens (goose StatementBegin blocks) are lexed here.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>

#include "catalog/catalog_int.h"
#include "syntax/split.h"

typedef pgmcg_cat_parser P;

/* Scratch tokens, reused for every statement. */
typedef struct scratch {
    pgmcg_token *t;
    size_t cap;
} scratch;

/* Lex the statement text[0..len) positioned at (line, col), which lies in a
 * buffer NUL-terminated at buf_end, into sc. Sets *n. Returns 0, or -1
 * after reporting a lexing error, or -1 with nothing reported on OOM. */
static int lex_stmt(scratch *sc, const char *file, const char *text, size_t len,
                    const char *buf_end, uint32_t line, uint32_t col, size_t *n, pgmcg_diag *diag)
{
    pgmcg_lexer lx;
    /* The statement ends on a token boundary and the buffer is checked
     * (pgmcg_split): lex on to the buffer's end and stop at the statement's. */
    pgmcg_lexer_init_known(&lx, text, (size_t)(buf_end - text), line, col);
    const char *end = text + len;
    *n = 0;
    for (;;) {
        pgmcg_token t;
        pgmcg_tok_kind k = pgmcg_lex(&lx, &t);
        if (k == PGMC_TOK_SPACE || k == PGMC_TOK_LINE_COMMENT || k == PGMC_TOK_BLOCK_COMMENT)
            continue;
        if (k == PGMC_TOK_EOF || t.start >= end)
            return 0;
        if (k == PGMC_TOK_ERROR) {
            pgmcg_diag_error(diag, file, t.line, t.col, "%s", lx.error);
            return -1;
        }
        if (*n + 1 >= sc->cap) { /* room for the end marker too */
            size_t cap = sc->cap ? sc->cap * 2 : 64;
            pgmcg_token *q = realloc(sc->t, cap * sizeof *q);
            if (!q)
                return -1;
            sc->t = q;
            sc->cap = cap;
        }
        sc->t[(*n)++] = t;
    }
}

/* Replay the statement t[0..n) (n > 0; t[n] is writable). Returns 0, or -1
 * when it failed (errors reported) or on OOM (nothing reported). */
static int replay_tokens(pgmcg_catalog *cat, const char *file, pgmcg_token *t, size_t n,
                         pgmcg_diag *diag)
{
    P p;
    memset(&p, 0, sizeof p);
    p.cat = cat;
    p.diag = diag;
    p.file = file;
    p.t = t;
    p.n = n;
    /* the EOF token sits just past the last one, for messages */
    const pgmcg_token *l = &t[n - 1];
    p.eof.kind = PGMC_TOK_EOF;
    p.eof.start = l->start + l->len;
    p.eof.len = 0;
    p.eof.line = l->line;
    p.eof.col = l->col + l->len;
    t[n] = p.eof; /* for code that reads t[n] directly (catalog_ddl.c's select_stmt) */
    return pgmcg__cat_stmt(&p) || p.failed ? -1 : 0;
}

/* Replay the statements of sv, whose offsets are relative to sql (a slice
 * of a buffer NUL-terminated at buf_end). */
static int replay_text(pgmcg_catalog *cat, const char *file, const char *sql, const char *buf_end,
                       const pgmcg_stmt_vec *sv, pgmcg_diag *diag)
{
    int rc = 0;
    scratch sc = {NULL, 0};
    for (size_t i = 0; i < sv->n; i++) {
        const pgmc_statement *st = &sv->v[i];
        unsigned before = diag->errors;
        size_t n = 0;
        int r = pgmcg_stmt_expand(sv, i, sql, &sc.t, &sc.cap, &n);
        if (r == 0)
            r = lex_stmt(&sc, file, sql + st->offset, st->length, buf_end, st->line, st->column, &n,
                         diag);
        else
            r = r < 0 ? -1 : 0;
        if (r == 0 && n)
            r = replay_tokens(cat, file, sc.t, n, diag);
        if (r) {
            rc = -1;
            if (diag->errors == before)
                pgmcg_diag_error(diag, file, st->line, st->column, "out of memory");
        }
    }
    free(sc.t);
    return rc;
}

int pgmcg_catalog_apply(pgmcg_catalog *cat, const char *file, const char *buf, size_t len,
                        pgmcg_diag *diag)
{
    pgmcg_stmt_vec sv;
    memset(&sv, 0, sizeof sv);
    int rc = pgmcg_split(file, buf, len, 1, 1, &sv, diag);
    if (rc == 0)
        rc = replay_text(cat, file, buf, buf + len, &sv, diag);
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
        if (replay_text(cat, s->input->path, s->sql, s->input->data + s->input->len, &s->stmts,
                        diag))
            rc = -1;
    }
    pgmcg_catalog_finish(cat);
    return rc;
}
