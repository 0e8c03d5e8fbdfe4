/* gen.h - the generator as a library call: what `pgmc gen` does, callable
 * in-process by the CLI (main.c) and by tests.
 */
#ifndef PGMC_GEN_H
#define PGMC_GEN_H

#include "util/buf.h"
#include "util/diag.h"
#include "formats/project.h"

typedef struct pgmcg_gen_options {
    const char *migrations_dir; /* as the user spelled it; paths in messages start with it */
    const char *prefix;         /* C identifier: <prefix>.h, <prefix>.c, <prefix>_schema */
    const char *out_dir;        /* created if missing */
    const char *format;         /* "auto" or NULL to detect, or a format name */
    size_t n_queries;           /* number of --queries files (not supported yet) */
} pgmcg_gen_options;

/* Exit codes of pgmcg_gen_run and the CLI. */
enum { PGMC_GEN_OK = 0, PGMC_GEN_FAILED = 1, PGMC_GEN_USAGE = 2 };

/* NULL if `s` can be a --prefix, else a static text saying why not (for
 * "--prefix 'x' <text>"): it must be a C identifier of at most 64
 * characters that clashes with nothing the generated code meets: not
 * `pgmc` or `pgmc_*` in any case (pgmc.h, pgmc_schema.h, PGMC_* macros),
 * not starting with '_' nor making "__" (reserved identifiers), not a C
 * keyword, not the name of a C, POSIX or libpq header (<prefix>.h would
 * hide it). */
const char *pgmcg_gen_prefix_problem(const char *s);

/* 1 if pgmcg_gen_prefix_problem(s) is NULL. */
int pgmcg_gen_valid_prefix(const char *s);

/* Hex SHA-256 over the project's inputs (sorted relative paths and contents),
 * its format and `prefix`: the banner's "inputs sha256". */
void pgmcg_gen_inputs_hash(const pgmcg_project *p, const char *prefix, char hex[65]);

/* Read, check and render, writing nothing: on success *h and *c (empty
 * buffers from the caller, freed by the caller with pgmcg_buf_free) hold the
 * two files. Returns a PGMC_GEN_* code; messages go to *diag. */
int pgmcg_gen_render(const pgmcg_gen_options *o, pgmcg_diag *diag, pgmcg_buf *h, pgmcg_buf *c);

/* pgmcg_gen_render, then write <out_dir>/<prefix>.h and .c atomically, each
 * only if its content changed. On any error nothing is written. Returns a
 * PGMC_GEN_* code; messages go to *diag. */
int pgmcg_gen_run(const pgmcg_gen_options *o, pgmcg_diag *diag);

/* pgmcg_gen_run, and when `depfile` is not NULL also write that file (only
 * if its content changed): a Makefile-syntax rule
 * "<out_dir>/<prefix>.h <out_dir>/<prefix>.c:" followed by every file read
 * and every directory listed (depfile.h), paths spelled as o spells them.
 * All three files or none: on any error nothing is written. */
int pgmcg_gen_run_depfile(const pgmcg_gen_options *o, const char *depfile, pgmcg_diag *diag);

/* `pgmc schema`: replay the files `preludes[0..n_preludes)` (SQL for objects
 * the migrations assume exist, such as another tool's table), then load
 * `migrations_dir` as `format` (NULL or "auto": detect) and replay every up
 * migration into *cat (an initialised catalog, catalog.h; the caller frees
 * it). Returns a PGMC_GEN_* code; messages go to *diag. */
struct pgmcg_catalog;
int pgmcg_schema_load(const char *migrations_dir, const char *format, const char *const *preludes,
                      size_t n_preludes, struct pgmcg_catalog *cat, pgmcg_diag *diag);

/* pgmcg_schema_load, then append the catalog to *out (the caller's buffer;
 * it frees it) as JSON, or in the flat form when `flat` is non-zero. The
 * document is appended even when the replay reported errors. */
int pgmcg_schema_render(const char *migrations_dir, const char *format, const char *const *preludes,
                        size_t n_preludes, int flat, pgmcg_diag *diag, pgmcg_buf *out);

#endif
