/* diag.h - generator diagnostics: "file:line:col: error: message".
 *
 * A pgmcg_diag collects messages so that the CLI can print them and tests can
 * read them in-process. It owns its text buffer; free it with pgmcg_diag_free.
 */
#ifndef PGMC_DIAG_H
#define PGMC_DIAG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct pgmcg_diag {
    char *text; /* all messages so far, each ending in '\n'; owned */
    size_t len, cap;
    unsigned errors; /* number of error messages */
    unsigned notes;  /* number of note/warning messages */
    FILE *echo;      /* if non-NULL, every message is also written here */
} pgmcg_diag;

/* Start with no messages. `echo` may be NULL (tests) or stderr (CLI). */
void pgmcg_diag_init(pgmcg_diag *d, FILE *echo);
void pgmcg_diag_free(pgmcg_diag *d);

/* Record "file:line:col: error: <fmt...>". line/col 0 are omitted from the
 * prefix ("file: error: ..."), and a NULL file gives "pgmc: error: ...".
 * Nothing reaches the output raw that could move a terminal's cursor or
 * fake a message line: control characters and invalid UTF-8 in `file` are
 * escaped (\n, \x1b, ...), and so are control characters other than
 * newline and tab in the message. */
void pgmcg_diag_error(pgmcg_diag *d, const char *file, uint32_t line, uint32_t col, const char *fmt,
                      ...) __attribute__((format(printf, 5, 6)));
/* Same shape with "note:" instead of "error:". */
void pgmcg_diag_note(pgmcg_diag *d, const char *file, uint32_t line, uint32_t col, const char *fmt,
                     ...) __attribute__((format(printf, 5, 6)));
/* Same shape with "warning:"; counted in `notes`. */
void pgmcg_diag_warning(pgmcg_diag *d, const char *file, uint32_t line, uint32_t col,
                        const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Append every message of `from` to `d` (echoing them if d echoes) and add
 * its counts. `from` is unchanged; either may be empty. */
void pgmcg_diag_take(pgmcg_diag *d, const pgmcg_diag *from);

#endif
