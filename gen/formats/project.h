/* project.h - the in-memory model of one migrations folder: the input files,
 * and the migrations parsed from them, ready for txmode.c and emit.c.
 *
 * A project owns everything it points to: file buffers, names, statement
 * vectors. Scripts point into their file's buffer (a goose or dbmate section
 * is a slice of its file). Free with pgmcg_project_free.
 */
#ifndef PGMC_PROJECT_H
#define PGMC_PROJECT_H

#include "pgmc_schema.h"
#include "pgmc_version.h"
#include "syntax/split.h"

#include <stddef.h>
#include <stdint.h>

/* One input file, read whole. */
typedef struct pgmcg_input {
    char *rel;  /* path relative to the migrations dir ("1_a.up.sql", "x/up.sql") */
    char *path; /* the migrations arg joined with rel: what diagnostics print */
    char *data; /* contents, NUL-terminated at data[len]; mutable (see formats.c) */
    size_t len;
    size_t bom;         /* bytes of a UTF-8 byte order mark removed from the front of data */
    int hashed;         /* sha256 holds the SHA-256 of the file: the BOM, then data[0..len) */
    uint8_t sha256[32]; /* computed while reading, reused for whole-file checksums */
} pgmcg_input;

/* One direction of a migration. `input` is NULL when the direction is absent. */
typedef struct pgmcg_gen_script {
    const pgmcg_input *input;
    const char *sql; /* slice of input->data */
    size_t sql_len;
    uint32_t first_line, first_col; /* file position of sql[0] */
    pgmcg_stmt_vec stmts;           /* offsets relative to sql */
    /* Set by the format: non-zero when the file itself asks for no
     * transaction; `annotation` says how (static text, or NULL). */
    int no_tx_annotated;
    const char *annotation;
    uint32_t annotation_line;
    /* Set by txmode.c. */
    pgmc_tx_mode tx_mode;
    char *tx_note; /* owned, or NULL */
} pgmcg_gen_script;

typedef struct pgmcg_gen_migration {
    char *version;     /* canonical ("7", "1.2", "" for repeatable); owned */
    char *version_raw; /* as spelled in the up file's name ("0007", "1_2"); owned */
    char *name;        /* description; owned */
    pgmc_migration_kind kind;
    pgmcg_gen_script up, down;
    uint8_t checksum[32]; /* SHA-256 of up.sql */
} pgmcg_gen_migration;

typedef struct pgmcg_project {
    const char *format;  /* static format name */
    pgmcg_input *inputs; /* every file read, sorted by rel */
    size_t n_inputs, cap_inputs;
    pgmcg_gen_migration *migs; /* versioned ascending, then repeatable by name */
    size_t n_migs, cap_migs;
    /* Every directory the loader listed or looked into, as a path like an
     * input's (the folder first, then its subdirectories): adding or
     * removing an entry there can change the result (a depfile lists
     * them). Owned. */
    char **dirs;
    size_t n_dirs, cap_dirs;
} pgmcg_project;

/* Append a copy of rel/path with the given data (ownership of data passes to
 * the project). Returns the new input, or NULL on OOM (data is freed). The
 * returned pointer stays valid until the next pgmcg_project_add_input call,
 * so callers add all inputs first and take pointers afterwards. */
pgmcg_input *pgmcg_project_add_input(pgmcg_project *p, const char *rel, const char *path,
                                     char *data, size_t len);

/* Append a copy of `path` to p->dirs. Returns 0, or -1 on OOM. */
int pgmcg_project_add_dir(pgmcg_project *p, const char *path);

/* Append a zeroed migration; NULL on OOM. Same pointer-validity rule. */
pgmcg_gen_migration *pgmcg_project_add_migration(pgmcg_project *p);

/* Free everything the project owns and zero it. */
void pgmcg_project_free(pgmcg_project *p);

/* Versions are compared with THE version order of runtime/pgmc_version.h,
 * pgmc_version_order ("9" < "10", "1.2" < "1.10", "1" < "1.0"), the same
 * header-only function the runtime uses; pgmc_version_same says whether two
 * spellings are one number ("1", "1.0", "0009" and "9"). */

/* Human form of a script's location for comments and messages: "the down of
 * migration 3" etc. Writes into buf, returns buf. */
const char *pgmcg_script_label(const pgmcg_gen_migration *m, int down, char *buf, size_t n);

#endif
