/* create.h - `pgmc create`: write the next migration of a folder, in the
 * folder's own format (detected as pgmc gen detects it) and numbering style
 * (zero-padded or plain sequential numbers, 14-digit UTC timestamps, diesel
 * YYYY-MM-DD-HHMMSS directories, flyway V<n>). Callable in-process by the
 * CLI (main.c) and by tests.
 */
#ifndef PGMC_CREATE_H
#define PGMC_CREATE_H

#include "util/diag.h"

#include <stddef.h>
#include <time.h>

/* Numbering styles: detect from the folder, or forced by a flag. */
enum { PGMC_CREATE_AUTO = 0, PGMC_CREATE_TIMESTAMP = 1, PGMC_CREATE_SEQUENTIAL = 2 };

/* Longest slug pgmcg_create_slug produces. */
#define PGMC_CREATE_SLUG_MAX 100

typedef struct pgmcg_create_options {
    const char *migrations_dir; /* as the user spelled it; created if missing */
    const char *name;           /* free text, made a slug by pgmcg_create_slug */
    const char *format;         /* NULL or "auto": detect (empty folder: golang-migrate) */
    int style;                  /* PGMC_CREATE_AUTO, _TIMESTAMP or _SEQUENTIAL */
    int no_down;                /* skip the down file or section where the format allows */
    time_t now;                 /* clock for timestamps (UTC); 0: time(NULL) */
} pgmcg_create_options;

typedef struct pgmcg_create_result {
    const char *format; /* static format name used */
    char *version;      /* the new version as spelled in the name ("0022"); owned */
    char *paths[2];     /* created files, migrations_dir joined with each; owned */
    size_t n_paths;
} pgmcg_create_result;

/* Make a file-name-safe slug of `name` into out[0..cap): ASCII letters
 * lowercased, digits kept, whitespace, '-', '.' and '_' become one '_'
 * (runs collapsed, none at either end), every other byte dropped.
 * Returns the slug's length (0: nothing usable was left), or -1 when it
 * would be longer than PGMC_CREATE_SLUG_MAX or than cap - 1. */
int pgmcg_create_slug(const char *name, char *out, size_t cap);

/* Write the next migration of o->migrations_dir. The folder is loaded with
 * pgmcg_formats_load (an unreadable or invalid folder is an error, with that
 * loader's file:line:col messages); the new version is greater than every
 * existing one. Files are created with O_EXCL: nothing is overwritten, and
 * on any failure the files created so far are removed. On success *res
 * (zeroed by this call) holds what was created; free it with
 * pgmcg_create_result_free in every case. Returns a PGMC_GEN_* code (gen.h);
 * messages go to *diag. */
int pgmcg_create_run(const pgmcg_create_options *o, pgmcg_diag *diag, pgmcg_create_result *res);

/* Free what *res owns and zero it. */
void pgmcg_create_result_free(pgmcg_create_result *res);

#endif
