/* formats.h - read a migrations folder in any of the supported layouts
 * (golang-migrate, sqlx, goose, dbmate, diesel, flyway): find the files,
 * detect the format, parse versions, names, sections and no-transaction
 * annotations, split scripts into statements, pair up with down, order.
 */
#ifndef PGMC_FORMATS_H
#define PGMC_FORMATS_H

#include "util/diag.h"
#include "formats/project.h"

/* The formats themselves, and how `pgmc create` names new files, are the
 * table in format_ops.h. */

/* 1 if `name` is "auto" or the name of a format (format_ops.h). */
int pgmcg_format_known(const char *name);

/* The --format check every command does: 0 if `format` is NULL or known,
 * else -1 after recording "unknown --format 'x' (auto, ...)" in `diag`. */
int pgmcg_format_check(const char *format, pgmcg_diag *diag);

/* How a user marks a migration no-transaction in `format`, for messages.
 * Static text. */
const char *pgmcg_format_no_tx_hint(const char *format);

/* Load the folder `dir` (spelled as the user gave it; diagnostics join it
 * with each file's relative name) as `format` ("auto" or NULL: detect).
 * On success fills the empty project *p: inputs, migrations sorted (versioned
 * ascending, then repeatable by name) with up/down paired, scripts split into
 * statements, annotations and up-checksums set; tx modes are NOT decided yet
 * (see txmode.h). Returns 0, or -1 after reporting every error found to
 * *diag. Either way the caller frees *p with pgmcg_project_free. */
int pgmcg_formats_load(const char *dir, const char *format, pgmcg_project *p, pgmcg_diag *diag);

/* 1 if `dir` holds no migrations: no top-level .sql file and no diesel
 * VERSION_name/ directory (one with up.sql or down.sql), as the loader
 * sees them. 0 otherwise, and 0 when `dir` cannot be listed (then
 * pgmcg_formats_load reports why). Used by `pgmc create`. */
int pgmcg_formats_dir_empty(const char *dir);

#endif
