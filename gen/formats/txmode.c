/* txmode.c - see txmode.h.
 *
 * Rules, per script:
 *  1. the format marks it no-transaction -> PGMC_TX_NONE; the file's own
 *     BEGIN/COMMIT/... statements are kept and run as written;
 *  2. the first statement is BEGIN [TRANSACTION|WORK] or START TRANSACTION
 *     and the last is COMMIT|END [TRANSACTION|WORK] -> the pair is dropped
 *     from the statement table (the SQL text and checksum keep them) and the
 *     script runs in pgmc's transaction, with a note. Other transaction
 *     control between them, or a statement that cannot run in a transaction,
 *     is an error;
 *  3. a statement that cannot run in a transaction block -> PGMC_TX_NONE,
 *     with a note at that statement; transaction control is kept;
 *  4. otherwise PGMC_TX_TRANSACTION, and any transaction control statement
 *     is an error that names the two ways out.
 * Only the first keywords of each top-level statement are looked at: a
 * BEGIN inside a DO block or function body is inside a dollar quote or a
 * BEGIN ATOMIC body, never a statement start.
 */
#include "formats/txmode.h"

#include "formats/formats.h"
#include "syntax/lexer.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORDS 16

/* The first keywords of a statement, uppercased; parenthesised groups are
 * skipped (REINDEX (VERBOSE) INDEX ...); anything that is not a bare word is
 * recorded as "?". Words are read lazily, as the rules ask for them: most
 * statements are decided by their first one or two words. They come from
 * the statement's tokens in its vector (split.h), or, for a statement
 * without recorded tokens, from lexing its text. */
typedef struct words {
    char w[MAX_WORDS][24];
    int n;               /* words read so far */
    int done;            /* no more words: the statement ended, or MAX_WORDS read */
    int depth;           /* parenthesis depth */
    const pgmcg_ctok *t; /* the statement's tokens, or NULL: lex */
    size_t nt, it;       /* their count, the next one */
    const char *base;    /* the statement's first byte (t[].off counts from it) */
    const char *end;     /* lexing: end of the statement */
    pgmcg_lexer lx;      /* lexing: the lexer */
} words;

/* Start reading the words of the statement s[0..len) by lexing it; buf_end
 * is the end of the NUL-terminated buffer holding it. */
static void words_init(words *w, const char *s, size_t len, const char *buf_end)
{
    w->n = 0;
    w->done = 0;
    w->depth = 0;
    w->t = NULL;
    w->end = s + len;
    /* The statement ends on a token boundary, so lexing stops exactly at its
     * end; the bytes after it are only a backstop. The splitter has already
     * seen the whole text, so the NUL scan of pgmcg_lexer_init (which would
     * make this quadratic in the statements of a script) is not needed. */
    pgmcg_lexer_init_known(&w->lx, s, (size_t)(buf_end - s), 1, 1);
}

/* Start reading the words of statement i of script s: from its tokens when
 * the splitter recorded them, else by lexing its text. */
static void words_stmt(words *w, const pgmcg_gen_script *s, size_t i, const char *buf_end)
{
    if (pgmcg_stmt_tokens(&s->stmts, i, &w->t, &w->nt)) {
        w->base = s->sql + s->stmts.v[i].offset;
        w->n = 0;
        w->done = 0;
        w->depth = 0;
        w->it = 0;
        return;
    }
    words_init(w, s->sql + s->stmts.v[i].offset, s->stmts.v[i].length, buf_end);
}

/* The statement's next significant token into *t; 0 when there is none. */
static int next_token(words *w, pgmcg_token *t)
{
    if (w->t) {
        if (w->it >= w->nt)
            return 0;
        pgmcg_ctok c = w->t[w->it++];
        t->kind = pgmcg_ctok_kind(c);
        t->start = w->base + c.off;
        t->len = pgmcg_ctok_len(c);
        return t->kind != PGMC_TOK_SEMICOLON;
    }
    for (;;) {
        pgmcg_tok_kind k = pgmcg_lex(&w->lx, t);
        if (k == PGMC_TOK_EOF || k == PGMC_TOK_ERROR || k == PGMC_TOK_SEMICOLON ||
            t->start >= w->end)
            return 0;
        if (k != PGMC_TOK_SPACE && k != PGMC_TOK_LINE_COMMENT && k != PGMC_TOK_BLOCK_COMMENT)
            return 1;
    }
}

/* Read one more word. Returns 0 when there is none. */
static int words_next(words *out)
{
    pgmcg_token t;
    if (out->done)
        return 0;
    if (out->n == MAX_WORDS) {
        out->done = 1;
        return 0;
    }
    for (;;) {
        if (!next_token(out, &t)) {
            out->done = 1;
            return 0;
        }
        pgmcg_tok_kind k = t.kind;
        if (k == PGMC_TOK_PUNCT && t.start[0] == '(') {
            out->depth++;
            continue;
        }
        if (k == PGMC_TOK_PUNCT && t.start[0] == ')' && out->depth) {
            out->depth--;
            continue;
        }
        if (out->depth)
            continue;
        char *w = out->w[out->n++];
        if (k == PGMC_TOK_IDENT && t.len < 24) {
            for (size_t i = 0; i < t.len; i++) {
                char c = t.start[i];
                w[i] = c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
            }
            w[t.len] = '\0';
        } else {
            strcpy(w, "?");
        }
        return 1;
    }
}

/* 1 if the statement has a word i (0-based, i < MAX_WORDS). */
static int has(words *w, int i)
{
    while (w->n <= i)
        if (!words_next(w))
            return 0;
    return 1;
}

static int is(words *w, int i, const char *kw)
{
    return has(w, i) && !strcmp(w->w[i], kw);
}

static const char *blocker(words *w)
{
    if (is(w, 0, "CREATE")) {
        int i = is(w, 1, "UNIQUE") ? 2 : 1;
        if (is(w, i, "INDEX") && is(w, i + 1, "CONCURRENTLY"))
            return "CREATE INDEX CONCURRENTLY";
        if (is(w, 1, "DATABASE"))
            return "CREATE DATABASE";
        if (is(w, 1, "TABLESPACE"))
            return "CREATE TABLESPACE";
        return NULL;
    }
    if (is(w, 0, "DROP")) {
        if (is(w, 1, "INDEX") && is(w, 2, "CONCURRENTLY"))
            return "DROP INDEX CONCURRENTLY";
        if (is(w, 1, "DATABASE"))
            return "DROP DATABASE";
        if (is(w, 1, "TABLESPACE"))
            return "DROP TABLESPACE";
        return NULL;
    }
    if (is(w, 0, "REINDEX")) {
        if (is(w, 1, "SCHEMA"))
            return "REINDEX SCHEMA";
        if (is(w, 1, "DATABASE"))
            return "REINDEX DATABASE";
        if (is(w, 1, "SYSTEM"))
            return "REINDEX SYSTEM";
        if ((is(w, 1, "INDEX") || is(w, 1, "TABLE")) && is(w, 2, "CONCURRENTLY"))
            return "REINDEX CONCURRENTLY";
        return NULL;
    }
    if (is(w, 0, "VACUUM"))
        return "VACUUM";
    if (is(w, 0, "ALTER") && is(w, 1, "SYSTEM"))
        return "ALTER SYSTEM";
    if (is(w, 0, "DISCARD") && is(w, 1, "ALL"))
        return "DISCARD ALL";
    if (is(w, 0, "ALTER") && is(w, 1, "TABLE")) {
        /* ALTER TABLE t DETACH PARTITION p CONCURRENTLY (PostgreSQL 14+). */
        for (int i = 2; has(w, i + 1); i++)
            if (is(w, i, "DETACH") && is(w, i + 1, "PARTITION"))
                for (int j = i + 2; has(w, j); j++)
                    if (is(w, j, "CONCURRENTLY"))
                        return "DETACH PARTITION CONCURRENTLY";
    }
    return NULL;
}

const char *pgmcg_txmode_blocker(const char *s, size_t len, const char *buf_end)
{
    words w;
    words_init(&w, s, len, buf_end);
    return blocker(&w);
}

enum { TX_NOT, TX_OPEN, TX_CLOSE, TX_OTHER };

/* 1 if the statement has exactly k words (k < MAX_WORDS). */
static int bare(words *w, int k)
{
    return has(w, k - 1) && !has(w, k);
}

/* Transaction control? TX_OPEN / TX_CLOSE only for the exact forms that
 * may wrap a whole file. */
static int tx_control(words *w)
{
    if (is(w, 0, "BEGIN")) {
        if (bare(w, 1) || (bare(w, 2) && (is(w, 1, "TRANSACTION") || is(w, 1, "WORK"))))
            return TX_OPEN;
        return TX_OTHER;
    }
    if (is(w, 0, "START") && is(w, 1, "TRANSACTION"))
        return bare(w, 2) ? TX_OPEN : TX_OTHER;
    if (is(w, 0, "COMMIT") || is(w, 0, "END")) {
        if (bare(w, 1) || (bare(w, 2) && (is(w, 1, "TRANSACTION") || is(w, 1, "WORK"))))
            return TX_CLOSE;
        return TX_OTHER;
    }
    if (is(w, 0, "ROLLBACK") || is(w, 0, "ABORT") || is(w, 0, "SAVEPOINT") || is(w, 0, "RELEASE"))
        return TX_OTHER;
    if (is(w, 0, "PREPARE") && is(w, 1, "TRANSACTION"))
        return TX_OTHER;
    return TX_NOT;
}

/* "START TRANSACTION", "COMMIT", ... for messages. */
static void tx_name(words *w, char *buf, size_t n)
{
    if (is(w, 1, "TRANSACTION") || is(w, 1, "WORK") || is(w, 1, "PREPARED"))
        snprintf(buf, n, "%s %s", w->w[0], w->w[1]);
    else
        snprintf(buf, n, "%s", has(w, 0) ? w->w[0] : "?");
}

static char *fmt_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *fmt_note(const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    size_t n = strlen(tmp) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, tmp, n);
    return p;
}

static int apply_script(const char *format, const pgmcg_gen_migration *m, int down,
                        pgmcg_gen_script *s, pgmcg_diag *diag)
{
    const char *path = s->input->path;
    const char *buf_end = s->input->data + s->input->len;
    char lb[160]; /* the script's label, formatted only for a message */

    if (s->no_tx_annotated) {
        s->tx_mode = PGMC_TX_NONE;
        s->tx_note = s->annotation_line
                         ? fmt_note("marked by '%s' on line %u", s->annotation, s->annotation_line)
                         : fmt_note("marked by %s", s->annotation);
        return s->tx_note ? 0 : -1;
    }

    size_t n = s->stmts.n;
    const pgmc_statement *v = s->stmts.v;
    words w;
    int rc = 0;
    size_t first_blocker = n;
    const char *what = NULL;
    int open_kind = TX_NOT, close_kind = TX_NOT;
    for (size_t i = 0; i < n && first_blocker == n; i++) {
        words_stmt(&w, s, i, buf_end);
        if ((what = blocker(&w)) != NULL)
            first_blocker = i;
    }
    if (n >= 2) {
        words_stmt(&w, s, 0, buf_end);
        open_kind = tx_control(&w);
        words_stmt(&w, s, n - 1, buf_end);
        close_kind = tx_control(&w);
    }

    if (open_kind == TX_OPEN && close_kind == TX_CLOSE) {
        /* Rule 2: the file wraps itself in BEGIN ... COMMIT. */
        for (size_t i = 1; i + 1 < n; i++) {
            words_stmt(&w, s, i, buf_end);
            if (tx_control(&w) != TX_NOT) {
                char nm[64];
                tx_name(&w, nm, sizeof nm);
                pgmcg_diag_error(diag, path, v[i].line, v[i].column,
                                 "%s inside the file's own BEGIN ... COMMIT: pgmc runs the "
                                 "statements between them in one transaction of its own and "
                                 "cannot honour this; remove it, or drop the BEGIN/COMMIT and "
                                 "mark %s no-transaction (%s)",
                                 nm, pgmcg_script_label(m, down, lb, sizeof lb),
                                 pgmcg_format_no_tx_hint(format));
                rc = -1;
            }
        }
        if (first_blocker < n) {
            pgmcg_diag_error(diag, path, v[first_blocker].line, v[first_blocker].column,
                             "%s cannot run in a transaction, but the file wraps it in BEGIN ... "
                             "COMMIT; remove the BEGIN and COMMIT (pgmc then runs %s without a "
                             "transaction)",
                             what, pgmcg_script_label(m, down, lb, sizeof lb));
            rc = -1;
        }
        if (rc)
            return rc;
        pgmcg_diag_note(diag, path, v[0].line, v[0].column,
                        "the file's own BEGIN ... COMMIT are left out; %s runs in pgmc's "
                        "transaction",
                        pgmcg_script_label(m, down, lb, sizeof lb));
        s->tx_mode = PGMC_TX_TRANSACTION;
        s->tx_note = fmt_note("the file's own BEGIN (line %u) and COMMIT (line %u) are "
                              "replaced by pgmc's transaction",
                              v[0].line, v[n - 1].line);
        pgmcg_stmt_vec_erase(&s->stmts, n - 1, 1);
        pgmcg_stmt_vec_erase(&s->stmts, 0, 1);
        return s->tx_note ? 0 : -1;
    }

    if (first_blocker < n) {
        /* Rule 3. */
        const pgmc_statement *b = &v[first_blocker];
        pgmcg_diag_note(diag, path, b->line, b->column,
                        "%s cannot run in a transaction; %s runs without one", what,
                        pgmcg_script_label(m, down, lb, sizeof lb));
        s->tx_mode = PGMC_TX_NONE;
        s->tx_note = fmt_note("%s (line %u) cannot run in a transaction", what, b->line);
        return s->tx_note ? 0 : -1;
    }

    /* Rule 4. */
    s->tx_mode = PGMC_TX_TRANSACTION;
    for (size_t i = 0; i < n; i++) {
        words_stmt(&w, s, i, buf_end);
        if (tx_control(&w) == TX_NOT)
            continue;
        char nm[64];
        tx_name(&w, nm, sizeof nm);
        pgmcg_diag_error(diag, path, v[i].line, v[i].column,
                         "%s in a migration that pgmc runs in a transaction; either wrap the "
                         "whole file in BEGIN; ... COMMIT; (pgmc then uses its own transaction "
                         "instead) or mark %s no-transaction (%s)",
                         nm, pgmcg_script_label(m, down, lb, sizeof lb),
                         pgmcg_format_no_tx_hint(format));
        rc = -1;
    }
    return rc;
}

int pgmcg_txmode_apply(pgmcg_project *p, pgmcg_diag *diag)
{
    int rc = 0;
    for (size_t i = 0; i < p->n_migs; i++) {
        pgmcg_gen_migration *m = &p->migs[i];
        if (m->up.input && apply_script(p->format, m, 0, &m->up, diag))
            rc = -1;
        if (m->down.input && apply_script(p->format, m, 1, &m->down, diag))
            rc = -1;
    }
    return rc;
}
