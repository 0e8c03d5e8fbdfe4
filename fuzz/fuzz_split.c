/* fuzz_split.c - libFuzzer target for the statement splitter.
 *
 * Splits arbitrary bytes, checks that statements are in bounds, ordered,
 * non-overlapping and start/end on significant bytes; that they and the
 * diagnostics are exactly those of the reference build without a token
 * vector (split_ref.c); and, lex once, that each statement's token span,
 * expanded, equals what a lexer run over a NUL-terminated copy of the
 * statement's text gives (the way the catalog replay used to lex each
 * statement again): kinds, text, lines and columns. The span must be
 * followed by the statement's ';' or the text's EOF token.
 */
#include "syntax/split.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int pgmc_split_ref(const char *file, const char *buf, size_t len, uint32_t first_line,
                   uint32_t first_col, pgmcg_stmt_vec *out, pgmcg_diag *diag);
void pgmc_stmt_vec_free_ref(pgmcg_stmt_vec *sv);

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static void check_statements(const char *buf, size_t size, const pgmcg_stmt_vec *sv)
{
    size_t prev_end = 0;
    for (size_t i = 0; i < sv->n; i++) {
        const pgmc_statement *st = &sv->v[i];
        if (st->length == 0 || st->offset < prev_end || (size_t)st->offset + st->length > size)
            abort();
        if (is_space(buf[st->offset]) || is_space(buf[st->offset + st->length - 1]))
            abort();
        if (st->line == 0 || st->column == 0)
            abort();
        prev_end = (size_t)st->offset + st->length;
    }
}

/* Statement i's expanded span against a lexer over a copy of its text. */
static void check_tokens(const char *buf, const pgmcg_stmt_vec *sv, size_t i, pgmcg_token **t,
                         size_t *cap)
{
    const pgmc_statement *st = &sv->v[i];
    const pgmcg_ctok *c;
    size_t n, m;
    if (!pgmcg_stmt_tokens(sv, i, &c, &n) || n == 0)
        abort(); /* texts this small always keep their tokens */
    pgmcg_tok_kind after = pgmcg_ctok_kind(c[n]);
    if (after != PGMC_TOK_SEMICOLON && after != PGMC_TOK_EOF)
        abort();
    if (pgmcg_stmt_expand(sv, i, buf, t, cap, &m) != 1 || m != n)
        abort();
    char *copy = malloc((size_t)st->length + 1);
    if (!copy)
        abort();
    memcpy(copy, buf + st->offset, st->length);
    copy[st->length] = '\0';
    pgmcg_lexer lx;
    pgmcg_token r;
    size_t k = 0;
    pgmcg_lexer_init(&lx, copy, st->length, st->line, st->column);
    while (pgmcg_lex(&lx, &r) > PGMC_TOK_ERROR) {
        if (r.kind == PGMC_TOK_SPACE || r.kind == PGMC_TOK_LINE_COMMENT ||
            r.kind == PGMC_TOK_BLOCK_COMMENT)
            continue;
        const pgmcg_token *e = &(*t)[k];
        if (k >= n || e->kind != r.kind || e->len != r.len || e->line != r.line ||
            e->col != r.col || e->start - (buf + st->offset) != r.start - copy ||
            memcmp(e->start, r.start, r.len) != 0)
            abort();
        k++;
    }
    if (r.kind != PGMC_TOK_EOF || k != n)
        abort();
    free(copy);
}

static int same(const pgmcg_stmt_vec *a, const pgmcg_stmt_vec *b)
{
    return a->n == b->n && (a->n == 0 || memcmp(a->v, b->v, a->n * sizeof a->v[0]) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    pgmcg_diag d1, d2;
    pgmcg_stmt_vec s1 = {0}, s2 = {0};
    pgmcg_diag_init(&d1, NULL);
    pgmcg_diag_init(&d2, NULL);
    int r1 = pgmcg_split("f.sql", buf, size, 1, 1, &s1, &d1);
    int r2 = pgmc_split_ref("f.sql", buf, size, 1, 1, &s2, &d2);
    if (r1 != r2 || (r1 == 0 && d1.errors != 0) || (r1 != 0 && d1.errors == 0))
        abort();
    if (r1 == 0) {
        check_statements(buf, size, &s1);
        if (!same(&s1, &s2) || s2.n_tok != 0)
            abort();
        pgmcg_token *t = NULL;
        size_t cap = 0;
        for (size_t i = 0; i < s1.n; i++)
            check_tokens(buf, &s1, i, &t, &cap);
        free(t);
    }
    if (d1.len != d2.len || (d1.len && memcmp(d1.text, d2.text, d1.len) != 0))
        abort();
    pgmcg_stmt_vec_free(&s1);
    pgmc_stmt_vec_free_ref(&s2);
    pgmcg_diag_free(&d1);
    pgmcg_diag_free(&d2);
    free(buf);
    return 0;
}
