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

#include "util/diag.h"
#include "pgmc_schema.h"

#include <stddef.h>

/* A growable array of statements; owned by the caller, free with
 * pgmcg_stmt_vec_free. Offsets are relative to the `buf` given to pgmcg_split. */
typedef struct pgmcg_stmt_vec {
    pgmc_statement *v;
    size_t n, cap;
} pgmcg_stmt_vec;

void pgmcg_stmt_vec_free(pgmcg_stmt_vec *sv);

/* Append the statements of buf[0..len) to *out. buf[len] must be '\0'.
 * `file` names the source in diagnostics; positions start at
 * (first_line, first_col). A statement's offset is its first significant
 * token; its length runs to the end of its last token (the ';' excluded).
 * Returns 0, or -1 after reporting errors to *diag: an unterminated quote,
 * comment or dollar body (at its opening), a psql meta-command, a NUL byte.
 * On error *out may hold some statements; the caller discards them. */
int pgmcg_split(const char *file, const char *buf, size_t len, uint32_t first_line,
                uint32_t first_col, pgmcg_stmt_vec *out, pgmcg_diag *diag);

#endif
