/* split.c - split SQL text into top-level statements (see split.h).
 *
 * Drives the lexer over the text and cuts at ';' tokens, except where a ';'
 * belongs to a statement body the way psql sees it: inside BEGIN ATOMIC ...
 * END of a CREATE FUNCTION/PROCEDURE, or inside the parenthesised action list
 * of a CREATE RULE. Quotes, comments and dollar bodies are single tokens, so
 * their semicolons never reach the splitter.
 *
 * This is the only place the text is lexed: the significant tokens go to
 * the statement vector, where the transaction-mode check (txmode.c) and the
 * catalog replay (replay.c) read each statement's span of them.
 */
#include "syntax/split.h"

#include "syntax/lexer.h"
#include "util/timing.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void pgmcg_stmt_vec_free(pgmcg_stmt_vec *sv)
{
    free(sv->v);
    free(sv->tok);
    free(sv->range);
    memset(sv, 0, sizeof *sv);
}

void pgmcg_stmt_vec_drop_tokens(pgmcg_stmt_vec *sv)
{
    free(sv->tok);
    free(sv->range);
    sv->tok = NULL;
    sv->range = NULL;
    sv->n_tok = sv->cap_tok = sv->n_range = sv->cap_range = 0;
}

int pgmcg_stmt_tokens(const pgmcg_stmt_vec *sv, size_t i, const pgmcg_ctok **t, size_t *n)
{
    if (i >= sv->n_range || sv->range[i].first == sv->range[i].end)
        return 0;
    *t = sv->tok + sv->range[i].first;
    *n = sv->range[i].end - sv->range[i].first;
    return 1;
}

/* Newlines in [p, e), and the position after the last one in *after. */
static uint32_t count_newlines(const char *p, const char *e, const char **after)
{
    uint32_t n = 0;
    while ((p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
        n++;
        *after = ++p;
    }
    return n;
}

int pgmcg_stmt_expand(const pgmcg_stmt_vec *sv, size_t i, const char *sql, pgmcg_token **buf,
                      size_t *cap, size_t *n)
{
    const pgmcg_ctok *t;
    size_t k;
    if (!pgmcg_stmt_tokens(sv, i, &t, &k))
        return 0;
    if (k + 1 > *cap) { /* one more: the caller's end marker */
        size_t c = *cap ? *cap : 64;
        while (c < k + 1)
            c *= 2;
        pgmcg_token *v = realloc(*buf, c * sizeof *v);
        if (!v)
            return -1;
        *buf = v;
        *cap = c;
    }
    /* Positions as the lexer counts them: lines at each '\n', columns in
     * bytes from the line's start, the statement's first line continuing
     * the statement's column. */
    const pgmc_statement *st = &sv->v[i];
    const char *base = sql + st->offset, *scan = base, *line_start = NULL;
    uint32_t line = st->line;
    pgmcg_token *o = *buf;
    for (size_t j = 0; j < k; j++) {
        const char *pos = base + t[j].off;
        line += count_newlines(scan, pos, &line_start);
        scan = pos;
        o[j].start = pos;
        o[j].len = pgmcg_ctok_len(t[j]);
        o[j].kind = pgmcg_ctok_kind(t[j]);
        o[j].line = line;
        o[j].col =
            line_start ? (uint32_t)(pos - line_start) + 1 : st->column + (uint32_t)(pos - base);
    }
    *n = k;
    return 1;
}

void pgmcg_stmt_vec_erase(pgmcg_stmt_vec *sv, size_t i, size_t k)
{
    memmove(sv->v + i, sv->v + i + k, (sv->n - i - k) * sizeof *sv->v);
    sv->n -= k;
    if (i < sv->n_range) {
        size_t e = i + k < sv->n_range ? i + k : sv->n_range;
        memmove(sv->range + i, sv->range + e, (sv->n_range - e) * sizeof *sv->range);
        sv->n_range -= e - i;
    }
}

/* What the leading keywords say about a statement's body. */
typedef enum stmt_class {
    CLASS_UNKNOWN, /* still reading CREATE [OR REPLACE] ... */
    CLASS_PLAIN,   /* any other statement */
    CLASS_ROUTINE, /* CREATE [OR REPLACE] FUNCTION|PROCEDURE */
    CLASS_RULE     /* CREATE [OR REPLACE] RULE */
} stmt_class;

/* The statement being collected. */
typedef struct stmt_state {
    bool open;         /* a significant token has been seen */
    pgmc_statement st; /* offset, line, column of the first token */
    size_t end;        /* offset just past the last significant token */
    size_t first_tok;  /* index in out->tok of the first token */
    unsigned n_words;  /* significant tokens seen (for classification) */
    stmt_class cls;
    bool after_begin; /* routine: the previous token was BEGIN */
    unsigned atomic;  /* routine: depth of BEGIN ATOMIC / CASE ... END */
    unsigned parens;  /* rule: parenthesis depth */
} stmt_state;

/* Case-insensitive match of an identifier token against a lowercase word. */
static bool is_word(const pgmcg_token *t, const char *word, size_t n)
{
    if (t->kind != PGMC_TOK_IDENT || t->len != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = t->start[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != word[i])
            return false;
    }
    return true;
}

#define IS_WORD(t, lit) is_word((t), (lit), sizeof(lit) - 1)

static bool is_punct(const pgmcg_token *t, char c)
{
    return t->kind == PGMC_TOK_PUNCT && t->start[0] == c;
}

/* Classify from the first few words: CREATE [OR REPLACE] FUNCTION|PROCEDURE|RULE. */
static void classify(stmt_state *s, const pgmcg_token *t)
{
    unsigned i = s->n_words;
    if (i == 0) {
        s->cls = IS_WORD(t, "create") ? CLASS_UNKNOWN : CLASS_PLAIN;
    } else if ((i == 1 && IS_WORD(t, "or")) || (i == 2 && IS_WORD(t, "replace"))) {
        s->cls = CLASS_UNKNOWN;
    } else if (i == 2) {
        s->cls = CLASS_PLAIN; /* CREATE OR <not REPLACE> */
    } else if (IS_WORD(t, "function") || IS_WORD(t, "procedure")) {
        s->cls = CLASS_ROUTINE;
    } else if (IS_WORD(t, "rule")) {
        s->cls = CLASS_RULE;
    } else {
        s->cls = CLASS_PLAIN;
    }
}

/* Track BEGIN ATOMIC ... END (with nested CASE ... END) in a routine. */
static void track_routine(stmt_state *s, const pgmcg_token *t)
{
    if (s->atomic > 0) {
        if (IS_WORD(t, "case"))
            s->atomic++;
        else if (IS_WORD(t, "end"))
            s->atomic--;
    } else if (s->after_begin && IS_WORD(t, "atomic")) {
        s->atomic = 1;
    }
    s->after_begin = s->atomic == 0 && IS_WORD(t, "begin");
}

/* Track parenthesis depth in a rule. */
static void track_rule(stmt_state *s, const pgmcg_token *t)
{
    if (is_punct(t, '('))
        s->parens++;
    else if (is_punct(t, ')') && s->parens > 0)
        s->parens--;
}

/* Account for one significant (non-space, non-comment, non-';') token,
 * out->tok[k]. */
static void add_token(stmt_state *s, const pgmcg_token *t, size_t k, const char *buf)
{
    if (!s->open) {
        memset(s, 0, sizeof *s);
        s->open = true;
        s->st.offset = (uint32_t)(t->start - buf);
        s->st.line = t->line;
        s->st.column = t->col;
        s->first_tok = k;
    }
    s->end = (size_t)(t->start - buf) + t->len;
    if (s->cls == CLASS_UNKNOWN)
        classify(s, t);
    s->n_words++;
    if (s->cls == CLASS_ROUTINE)
        track_routine(s, t);
    else if (s->cls == CLASS_RULE)
        track_rule(s, t);
}

/* Is this ';' inside a routine body or rule action list? */
static bool semicolon_is_inner(const stmt_state *s)
{
    return s->open && (s->atomic > 0 || s->parens > 0);
}

/* Grow an array of elements of size `sz` to hold one more than *n.
 * Returns 0, or -1 when out of memory. */
static int grow(void **v, size_t *cap, size_t n, size_t sz, size_t first)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : first;
    void *p = realloc(*v, c * sz);
    if (!p)
        return -1;
    *v = p;
    *cap = c;
    return 0;
}

/* Append s->st to out, its tokens ending before out->tok[end_tok].
 * Returns 0, or -1 when out of memory. */
static int push(pgmcg_stmt_vec *out, stmt_state *s, size_t end_tok)
{
    if (grow((void **)&out->v, &out->cap, out->n, sizeof *out->v, 16) ||
        grow((void **)&out->range, &out->cap_range, out->n_range, sizeof *out->range, 16))
        return -1;
    s->st.length = (uint32_t)(s->end - s->st.offset);
    out->v[out->n++] = s->st;
    /* end_tok <= first_tok: the text keeps no tokens (see split) */
    out->range[out->n_range++] = end_tok > s->first_tok
                                     ? (pgmcg_tok_range){(uint32_t)s->first_tok, (uint32_t)end_tok}
                                     : (pgmcg_tok_range){0, 0};
    s->open = false;
    return 0;
}

/* Give statements that others appended since the last split (i >= n_range)
 * an empty range, so that range[] stays parallel to v[]. */
static int pad_ranges(pgmcg_stmt_vec *out)
{
    while (out->n_range < out->n) {
        if (grow((void **)&out->range, &out->cap_range, out->n_range, sizeof *out->range, 16))
            return -1;
        out->range[out->n_range++] = (pgmcg_tok_range){0, 0};
    }
    return 0;
}

/* Report a psql meta-command token (backslash to end of line). */
static void report_meta(pgmcg_diag *diag, const char *file, const pgmcg_token *t)
{
    size_t n = 1;
    while (n < t->len && t->start[n] != ' ' && t->start[n] != '\t')
        n++;
    pgmcg_diag_error(diag, file, t->line, t->col,
                     "psql meta-command %.*s is not SQL; pgmc runs SQL only",
                     (int)(n > 32 ? 32 : n), t->start);
}

/* Set out->tok's capacity to cap (>= out->n_tok). Returns 0, or -1 when
 * out of memory (the tokens are kept). */
static int reserve_tokens(pgmcg_stmt_vec *out, size_t cap)
{
    if (cap == out->cap_tok || cap == 0)
        return 0;
    pgmcg_ctok *v = realloc(out->tok, cap * sizeof *v);
    if (!v)
        return -1;
    out->tok = v;
    out->cap_tok = cap;
    return 0;
}

/* Append token t (of text buf) to out->tok, compact, its offset counted
 * from the open statement's first byte (0 when none is open: then t opens
 * one, or is a stray ';' or the EOF). Returns 0, or -1 when out of memory. */
static int keep_token(pgmcg_stmt_vec *out, const stmt_state *s, const pgmcg_token *t,
                      const char *buf)
{
    if (out->n_tok == out->cap_tok) {
        if (out->n_tok >= UINT32_MAX - 1 ||
            grow((void **)&out->tok, &out->cap_tok, out->n_tok, sizeof *out->tok, 64))
            return -1;
    }
    uint32_t off = s->open ? (uint32_t)(t->start - buf) - s->st.offset : 0;
    out->tok[out->n_tok++] = (pgmcg_ctok){off, t->len << 4 | (uint32_t)t->kind};
    return 0;
}

static int split(const char *file, const char *buf, size_t len, uint32_t first_line,
                 uint32_t first_col, pgmcg_stmt_vec *out, pgmcg_diag *diag)
{
    if (len > UINT32_MAX) {
        pgmcg_diag_error(diag, file, 0, 0, "file too large (%zu bytes)", len);
        return -1;
    }
    if (pad_ranges(out))
        goto oom;
    pgmcg_lexer lx;
    pgmcg_token t;
    stmt_state s = {0};
    int rc = 0;
    /* Tokens of a huge text would not fit pgmcg_ctok: keep none, readers lex. */
#ifndef PGMC_SPLIT_NO_TOKENS
    bool keep = len < PGMC_CTOK_MAX_TEXT;
#else /* fuzz/split_ref.c: the reference keeps none */
    bool keep = false;
#endif
    /* Room for the usual token count (SQL runs at 6 to 10 bytes per
     * significant token) up front, trimmed at the end: no copying growth. */
    if (keep && reserve_tokens(out, out->n_tok + len / 5 + 16))
        goto oom;
    pgmcg_lexer_init(&lx, buf, len, first_line, first_col);
    for (;;) {
        size_t k = out->n_tok;
        switch (pgmcg_lex(&lx, &t)) {
        case PGMC_TOK_SPACE:
        case PGMC_TOK_LINE_COMMENT:
        case PGMC_TOK_BLOCK_COMMENT:
            break;
        case PGMC_TOK_SEMICOLON:
            if (keep && keep_token(out, &s, &t, buf))
                goto oom;
            if (semicolon_is_inner(&s))
                add_token(&s, &t, k, buf);
            else if (s.open && push(out, &s, keep ? k : 0) != 0)
                goto oom;
            break;
        case PGMC_TOK_META:
            report_meta(diag, file, &t);
            rc = -1;
            break;
        case PGMC_TOK_ERROR:
            pgmcg_diag_error(diag, file, t.line, t.col, "%s", lx.error);
            return -1;
        case PGMC_TOK_EOF:
            if (keep && keep_token(out, &s, &t, buf))
                goto oom;
            if (s.open && push(out, &s, keep ? k : 0) != 0)
                goto oom;
            reserve_tokens(out, out->n_tok); /* give the rest back */
            return rc;
        default:
            if (keep && keep_token(out, &s, &t, buf))
                goto oom;
            add_token(&s, &t, k, buf);
            break;
        }
    }
oom:
    pgmcg_diag_error(diag, file, 0, 0, "out of memory");
    return -1;
}

int pgmcg_split(const char *file, const char *buf, size_t len, uint32_t first_line,
                uint32_t first_col, pgmcg_stmt_vec *out, pgmcg_diag *diag)
{
    if (!pgmcg_timing_on())
        return split(file, buf, len, first_line, first_col, out, diag);
    double t0 = pgmcg_now();
    int rc = split(file, buf, len, first_line, first_col, out, diag);
    pgmcg_timing_add(PGMCG_T_SPLIT, pgmcg_now() - t0);
    return rc;
}
