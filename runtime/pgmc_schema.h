/* pgmc_schema.h - the data the generator emits and the runtime reads.
 *
 * This is the contract between `pgmc gen` and libpgmc. The generator writes
 * one `const pgmc_schema` per migrations folder; everything in it is static,
 * read-only data with program lifetime, so the runtime never frees any of it.
 *
 * Changing any struct here is an ABI change: bump PGMC_ABI_VERSION so that
 * stale generated headers stop compiling with "Regenerate this file".
 */
#ifndef PGMC_SCHEMA_H
#define PGMC_SCHEMA_H

#include <stdint.h>

#define PGMC_ABI_VERSION 1

/* One top-level SQL statement inside a script.
 * `offset`/`length` index into the owning pgmc_script.sql (no terminating ';').
 * `line`/`column` are 1-based positions in the original source file. */
typedef struct pgmc_statement {
    uint32_t offset;
    uint32_t length;
    uint32_t line;
    uint32_t column;
} pgmc_statement;

/* How the runner executes a script. */
typedef enum pgmc_tx_mode {
    PGMC_TX_TRANSACTION = 0, /* all statements + history row in one transaction */
    PGMC_TX_NONE = 1         /* statement by statement, autocommit */
} pgmc_tx_mode;

/* One direction (up or down) of a migration. A missing direction has
 * sql == NULL and n_statements == 0. */
typedef struct pgmc_script {
    const char *file;                 /* path relative to the migrations dir */
    const char *sql;                  /* NUL-terminated script text */
    uint32_t sql_len;                 /* bytes, excluding the NUL */
    const pgmc_statement *statements; /* in source order */
    uint32_t n_statements;
    pgmc_tx_mode tx_mode;
    const char *tx_note; /* why the mode was chosen, or NULL */
} pgmc_script;

typedef enum pgmc_migration_kind {
    PGMC_VERSIONED = 0, /* applied once, in version order */
    PGMC_REPEATABLE = 1 /* Flyway R__: re-applied whenever its checksum changes */
} pgmc_migration_kind;

typedef struct pgmc_migration {
    const char *version; /* canonical text: digits, dots between parts, no
                            leading zeros ("7", "20210425153745", "1.2").
                            Empty string for repeatable migrations. */
    const char *name;    /* description part of the file name */
    pgmc_migration_kind kind;
    pgmc_script up;
    pgmc_script down;
    uint8_t checksum[32];     /* SHA-256 of up.sql (exact bytes) */
    const char *checksum_hex; /* the same, as 64 lowercase hex digits */
} pgmc_migration;

typedef struct pgmc_schema {
    uint32_t abi_version;             /* PGMC_ABI_VERSION at generation time */
    const char *generator;            /* e.g. "pgmc 0.1.0" */
    const char *prefix;               /* the --prefix given to the generator */
    const char *format;               /* detected or forced source format name */
    const char *inputs_hash;          /* hex SHA-256 over all input files */
    const pgmc_migration *migrations; /* versioned ones, sorted ascending,
                                         then repeatable ones, sorted by name */
    uint32_t n_migrations;
} pgmc_schema;

#endif
