/* split.c - split SQL text into top-level statements (see split.h).
 *
 * Drives the lexer over the text and cuts at ';' tokens, except where a ';'
 * belongs to a statement body the way psql sees it: inside BEGIN ATOMIC ...
 * END of a CREATE FUNCTION/PROCEDURE, or inside the parenthesised action list
 * of a CREATE RULE. Quotes, comments and dollar bodies are single tokens, so
 * their semicolons never reach the splitter.
 */
#include "syntax/split.h"

#include "syntax/lexer.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void pgmcg_stmt_vec_free(pgmcg_stmt_vec *sv)
{
    free(sv->v);
    memset(sv, 0, sizeof *sv);
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

/* Account for one significant (non-space, non-comment, non-';') token. */
static void add_token(stmt_state *s, const pgmcg_token *t, const char *buf)
{
    if (!s->open) {
        memset(s, 0, sizeof *s);
        s->open = true;
        s->st.offset = (uint32_t)(t->start - buf);
        s->st.line = t->line;
        s->st.column = t->col;
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

/* Append s->st to out. Returns 0, or -1 when out of memory. */
static int push(pgmcg_stmt_vec *out, stmt_state *s)
{
    if (out->n == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 16;
        pgmc_statement *v = realloc(out->v, cap * sizeof *v);
        if (!v)
            return -1;
        out->v = v;
        out->cap = cap;
    }
    s->st.length = (uint32_t)(s->end - s->st.offset);
    out->v[out->n++] = s->st;
    s->open = false;
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

int pgmcg_split(const char *file, const char *buf, size_t len, uint32_t first_line,
                uint32_t first_col, pgmcg_stmt_vec *out, pgmcg_diag *diag)
{
    if (len > UINT32_MAX) {
        pgmcg_diag_error(diag, file, 0, 0, "file too large (%zu bytes)", len);
        return -1;
    }
    pgmcg_lexer lx;
    pgmcg_token t;
    stmt_state s = {0};
    int rc = 0;
    pgmcg_lexer_init(&lx, buf, len, first_line, first_col);
    for (;;) {
#ifndef PGMC_SPLIT_NO_SKIP /* the fuzzer builds a token-by-token reference */
        if (s.open && s.cls == CLASS_PLAIN) {
            /* Nothing but ';' matters now: skip the boring bytes. */
            const char *e = pgmcg_lex_skip(&lx);
            if (e)
                s.end = (size_t)(e - buf);
        }
#endif
        switch (pgmcg_lex(&lx, &t)) {
        case PGMC_TOK_SPACE:
        case PGMC_TOK_LINE_COMMENT:
        case PGMC_TOK_BLOCK_COMMENT:
            break;
        case PGMC_TOK_SEMICOLON:
            if (semicolon_is_inner(&s))
                add_token(&s, &t, buf);
            else if (s.open && push(out, &s) != 0)
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
            if (s.open && push(out, &s) != 0)
                goto oom;
            return rc;
        default:
            add_token(&s, &t, buf);
            break;
        }
    }
oom:
    pgmcg_diag_error(diag, file, 0, 0, "out of memory");
    return -1;
}
