/* inputcheck.h - checks on untrusted generator input: UTF-8 validity of SQL
 * text and of file names, a leading byte order mark, control characters,
 * escaping names for messages, and names that miss a migration name only by
 * the case of their extension. Pure functions over byte strings; no I/O.
 */
#ifndef PGMC_INPUTCHECK_H
#define PGMC_INPUTCHECK_H

#include <stddef.h>
#include <stdint.h>

/* Offset of the first byte of s[0..n) that starts an ill-formed UTF-8
 * sequence (Unicode table 3-7: no overlong forms, no surrogates, nothing
 * above U+10FFFF, no truncated sequence), or n when all of it is valid.
 * NUL bytes are valid UTF-8 here (the lexer rejects them). ASCII runs are
 * checked 16 and 8 bytes at a time. Reads only s[0..n). */
size_t pgmcg_utf8_invalid(const char *s, size_t n);

/* 1-based line and byte column of offset `off` in text[0..off], as the lexer
 * counts them (lines end at '\n'). */
void pgmcg_text_position(const char *text, size_t off, uint32_t *line, uint32_t *col);

/* Length of a UTF-8 byte order mark at the start of s[0..n): 3 or 0. */
size_t pgmcg_utf8_bom(const char *s, size_t n);

/* NULL if `name` (a NUL-terminated file name) is acceptable, else a static
 * text saying why not: not valid UTF-8, or it holds a control character
 * (C0, DEL or C1), which would reach terminals and generated code. */
const char *pgmcg_name_problem(const char *name);

/* Copy `s` into out[0..cap) (always NUL-terminated when cap > 0, cut short
 * if needed) with every control character (C0, DEL, C1) and every byte of
 * an ill-formed UTF-8 sequence written as \n, \r, \t or \xNN, so the result
 * is printable and cannot move the cursor or fake a line. Returns out. */
char *pgmcg_escape_name(const char *s, char *out, size_t cap);

/* If `name` would be read as a migration file (*.sql, *.sql.conf) except
 * that its extension is not in lower case ("2_b.UP.SQL", "V1__x.SQL",
 * "V1__x.sql.CONF"), write the name with the extension lowercased into
 * out[0..cap) and return 1. Return 0 otherwise (also when it does not fit). */
int pgmcg_name_case_suggestion(const char *name, char *out, size_t cap);

#endif
