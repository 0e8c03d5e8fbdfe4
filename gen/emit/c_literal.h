/* c_literal.h - the one writer of C literals and comments that both
 * emitters (emit.c, emit_rows.c) use, and the string table: every string
 * of the generated .c in one char array, addressed by offset.
 */
#ifndef PGMC_C_LITERAL_H
#define PGMC_C_LITERAL_H

#include "util/buf.h"

#include <stddef.h>
#include <stdint.h>

/* Append s[0..n) as a sequence of C string literals, one per source line
 * ("...\n" then a newline and `indent`), escaped so that any bytes survive
 * exactly: \\ \" \t \r, octal for other control and non-ASCII bytes, and
 * '?' after '?' as \? (no trigraphs). An empty input gives "". */
void pgmcg_c_string(pgmcg_buf *b, const char *s, size_t n, const char *indent);

/* Append s[0..n) as one literal on one line (newlines escaped), same
 * escaping as pgmcg_c_string. */
void pgmcg_c_string1(pgmcg_buf *b, const char *s, size_t n);

/* Append up to `max` characters of s[0..n) for use inside a C comment:
 * whitespace runs become one space, other unprintable bytes '.', and "/" "*"
 * pairs are split so the text can neither open nor close a comment. Adds
 * "..." when cut short. */
void pgmcg_c_comment(pgmcg_buf *b, const char *s, size_t n, size_t max);

/* The string table: long NUL-terminated texts (scripts, the catalog) one
 * after another in one `static const char <name>[]`, written as literals,
 * one C line per line of text, straight into the output buffer, so the
 * generated code points at them as `<name> + offset`. (Short strings are
 * cheaper for the compiler as plain literals where they are used.) Holds
 * no memory of its own. */
typedef struct pgmcg_strtab {
    const char *name; /* the array's C name (not owned) */
    pgmcg_buf *out;   /* where the literals go (not owned) */
    size_t size;      /* bytes in the table so far, NULs included */
} pgmcg_strtab;

/* Start an empty table called `name` (kept, not copied) writing to `out`,
 * just after the caller's "static const char <name>[] =" line. */
void pgmcg_strtab_init(pgmcg_strtab *t, const char *name, pgmcg_buf *out);

/* Append the text s[0..n) + NUL, under a comment line holding its offset
 * and `note` (NULL: no comment), one C line per line of the text. Returns
 * the text's offset in the table. */
size_t pgmcg_strtab_text(pgmcg_strtab *t, const char *s, size_t n, const char *note);

/* Append "<name> + <off>" to b: a pointer into the table. */
void pgmcg_strtab_ref(const pgmcg_strtab *t, pgmcg_buf *b, size_t off);

#endif
