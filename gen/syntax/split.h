/* split.h - split SQL text into top-level statements.
 *
 * Splits at top-level ';' only. Semicolons inside quotes, comments, dollar
 * bodies, a BEGIN ATOMIC ... END function body, or a CREATE RULE ... DO
 * ( ...; ... ) action list are not split points. Each statement keeps its
 * source line and column. Statements that hold only whitespace and comments
 * are dropped.
 */
#ifndef PGMC_SPLIT_H
#define PGMC_SPLIT_H

#include "syntax/lexer.h"
#include "util/diag.h"
#include "pgmc_schema.h"

#include <stddef.h>
#include <stdint.h>

/* One significant token in the statement vector, compact: 8 bytes (a
 * pgmcg_token is 24). Its text starts `off` bytes after the first byte of
 * its statement; len and kind are packed (pgmcg_ctok_len, pgmcg_ctok_kind).
 * pgmcg_stmt_expand turns a statement's tokens into pgmcg_tokens. */
typedef struct pgmcg_ctok {
    uint32_t off;
    uint32_t lk; /* len << 4 | kind */
} pgmcg_ctok;

/* Texts this long or longer keep no tokens (a token's length has 28 bits):
 * their statements have empty ranges, and readers lex them. */
#define PGMC_CTOK_MAX_TEXT ((size_t)1 << 28)

static inline pgmcg_tok_kind pgmcg_ctok_kind(pgmcg_ctok t)
{
    return (pgmcg_tok_kind)(t.lk & 15);
}

static inline uint32_t pgmcg_ctok_len(pgmcg_ctok t)
{
    return t.lk >> 4;
}

/* The tokens tok[first, end) of one statement: its significant tokens (no
 * spaces or comments; a ';' inside BEGIN ATOMIC or a rule's action list
 * included, the terminating ';' not). first == end: none recorded. */
typedef struct pgmcg_tok_range {
    uint32_t first, end;
} pgmcg_tok_range;

/* A growable array of statements; owned by the caller, free with
 * pgmcg_stmt_vec_free. Offsets are relative to the `buf` given to pgmcg_split.
 *
 * Lex once: pgmcg_split also appends every significant token of the text
 * (';' included; the text's EOF token last) to `tok`, and records in
 * range[i] the tokens of statement v[i]. Statements appended by other code
 * (goose StatementBegin blocks) have no range: i >= n_range, or an empty
 * range. Readers use pgmcg_stmt_tokens / pgmcg_stmt_expand rather than the
 * fields. */
typedef struct pgmcg_stmt_vec {
    pgmc_statement *v;
    size_t n, cap;
    pgmcg_ctok *tok;
    size_t n_tok, cap_tok;
    pgmcg_tok_range *range; /* parallel to v[0..n_range) */
    size_t n_range, cap_range;
} pgmcg_stmt_vec;

void pgmcg_stmt_vec_free(pgmcg_stmt_vec *sv);

/* Free the tokens and ranges of *sv (statements stay): once no stage reads
 * them any more, to lower the peak memory. */
void pgmcg_stmt_vec_drop_tokens(pgmcg_stmt_vec *sv);

/* The compact tokens of statement i (< sv->n): sets *t and *n and returns
 * 1; t[k].off counts from the statement's first byte, and t[*n] is readable
 * (the terminating ';' or the text's EOF token). Returns 0 (and sets
 * nothing) when the statement has no recorded tokens; the caller then lexes
 * its text. */
int pgmcg_stmt_tokens(const pgmcg_stmt_vec *sv, size_t i, const pgmcg_ctok **t, size_t *n);

/* Statement i's tokens as pgmcg_tokens, positioned in the file, into the
 * caller's reusable array *buf (capacity *cap, grown with realloc; the
 * caller frees it), with room for one more token at (*buf)[*n]. `sql` is
 * what the statement offsets are relative to. Sets *n. Returns 1, 0 when the statement has no
 * recorded tokens (nothing set), or -1 on OOM. */
int pgmcg_stmt_expand(const pgmcg_stmt_vec *sv, size_t i, const char *sql, pgmcg_token **buf,
                      size_t *cap, size_t *n);

/* Remove statements v[i, i + k) (i + k <= n), keeping ranges aligned. */
void pgmcg_stmt_vec_erase(pgmcg_stmt_vec *sv, size_t i, size_t k);

/* Append the statements of buf[0..len) to *out. buf[len] must be '\0'.
 * `file` names the source in diagnostics; positions start at
 * (first_line, first_col). A statement's offset is its first significant
 * token; its length runs to the end of its last token (the ';' excluded).
 * Appends the text's significant tokens to out->tok and each new
 * statement's range (see pgmcg_stmt_vec).
 * Returns 0, or -1 after reporting errors to *diag: an unterminated quote,
 * comment or dollar body (at its opening), a psql meta-command, a NUL byte,
 * a text over 4 GiB.
 * On error *out may hold some statements; the caller discards them. */
int pgmcg_split(const char *file, const char *buf, size_t len, uint32_t first_line,
                uint32_t first_col, pgmcg_stmt_vec *out, pgmcg_diag *diag);

#endif
