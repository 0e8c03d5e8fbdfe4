/* format_ops.h - the supported migration folder layouts as a table: one
 * pgmcg_format_ops per format (golang-migrate, sqlx, goose, dbmate, diesel,
 * flyway), each defined in its own fmt_<name>.c. `pgmc gen` (formats.c:
 * detection, parsing) and `pgmc create` (cli/create.c: numbering, new file
 * names) both go through it; neither compares format names itself.
 */
#ifndef PGMC_FORMAT_OPS_H
#define PGMC_FORMAT_OPS_H

#include "formats/project.h"

#include <stddef.h>

struct pgmcg__loader; /* the loader's state while parsing (fmt_int.h) */

/* What `pgmc create` asks a format for: the new migration's files. */
typedef struct pgmcg_new_request {
    const char *version; /* the new version as spelled in the name ("0022"); borrowed */
    const char *slug;    /* the name part, file-name safe (pgmcg_create_slug); borrowed */
    int no_down;         /* skip the down file or section where the format allows */
    int has_pairs;       /* the folder has a .up.sql or .down.sql file */
    int has_downs;       /* some migration of the folder has a down */
} pgmcg_new_request;

/* The answer: n (1 or 2) files to create, after creating `dir` if set. */
typedef struct pgmcg_new_files {
    char *dir;           /* directory to create first, relative to the folder, or NULL; owned */
    char *rel[2];        /* file names relative to the folder; owned */
    const char *body[2]; /* their contents; static */
    int n;
} pgmcg_new_files;

typedef struct pgmcg_format_ops {
    const char *name; /* as --format spells it, and as pgmcg_project.format records it */

    /* Detection (formats.c applies the order and the mixing rules): 1 if
     * the input `in` (of a folder being read) is a sign of this format,
     * else 0. The signs: diesel, a file in a VERSION_name/ directory;
     * flyway, a V1__x.sql-like name; golang-migrate, a VERSION_x.up.sql or
     * .down.sql name; sqlx, such a file starting "-- no-transaction";
     * goose and dbmate, a VERSION_x.sql file with their annotations. */
    int (*detect)(const pgmcg_input *in);

    /* Parse every input of the loader's project into pieces (fmt_int.h).
     * Returns 0, or -1 after reporting errors (or with L->oom set). */
    int (*parse)(struct pgmcg__loader *L);

    /* How a user marks a migration no-transaction in this format, for
     * messages. */
    const char *no_tx_hint;

    /* Words for messages: the down direction ("down", flyway's "undo") and
     * what a lone down lacks ("up migration"). */
    const char *down_noun, *up_noun;

    /* `pgmc create`'s numbering in a folder without versions: timestamps
     * (1) or sequential numbers (0) zero-padded to `pad_width` digits. */
    int new_timestamps;
    size_t pad_width;
    /* 1 if 14-digit timestamps are spelled YYYY-MM-DD-HHMMSS (diesel). */
    int dashed_timestamps;

    /* Fill *out (zeroed by the caller; its strings freed by the caller with
     * pgmcg_new_files_free in every case) with the files of the migration
     * `rq` describes. Returns 0, or -1 when memory ran out. */
    int (*new_files)(const pgmcg_new_request *rq, pgmcg_new_files *out);
} pgmcg_format_ops;

/* The formats, in --format's listing order; pgmcg_n_formats entries. */
extern const pgmcg_format_ops *const pgmcg_formats[];
extern const size_t pgmcg_n_formats;

/* The format named `name`, or NULL ("auto" is not a format). */
const pgmcg_format_ops *pgmcg_format_find(const char *name);

/* Free what *f owns and zero it. */
void pgmcg_new_files_free(pgmcg_new_files *f);

#endif
