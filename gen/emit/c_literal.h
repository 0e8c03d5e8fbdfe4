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
 * one C line per line of text, so the generated code points at them as
 * `<name> + offset`. Equal texts are stored once. (Short strings are
 * cheaper for the compiler as plain literals where they are used.) Owns
 * its buffers; pgmcg_strtab_free releases them. */
typedef struct pgmcg_strtab {
    const char *name; /* the array's C name (not owned) */
    pgmcg_buf src;    /* the literals, ready to paste into the initialiser */
    pgmcg_buf raw;    /* the bytes themselves, for finding equal strings */
    struct pgmcg_strtab_slot {
        size_t off;   /* offset + 1; 0: empty slot */
        uint32_t len; /* without the NUL */
        uint32_t hash;
    } * slots;
    size_t n_slots, n_used; /* n_slots: 0 or a power of two */
    int oom;
} pgmcg_strtab;

/* Start an empty table whose array is called `name` (kept, not copied). */
void pgmcg_strtab_init(pgmcg_strtab *t, const char *name);

/* Release the table's buffers. */
void pgmcg_strtab_free(pgmcg_strtab *t);

/* The offset of a long text s[0..n) + NUL: it starts a new source line,
 * under a comment line holding `note` (NULL: none), one C line per line
 * of the text. Equal texts are stored once. */
size_t pgmcg_strtab_text(pgmcg_strtab *t, const char *s, size_t n, const char *note);

/* Append "<name> + <off>" to b: a pointer into the table. */
void pgmcg_strtab_ref(const pgmcg_strtab *t, pgmcg_buf *b, size_t off);

#endif
