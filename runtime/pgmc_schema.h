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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 3: one checksum form (checksum_hex; the 32 bytes are gone) and
 * catalog_flat in the compact form below. */
#define PGMC_ABI_VERSION 3

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
    const char *checksum_hex; /* SHA-256 of up.sql (exact bytes), as 64
                                 lowercase hex digits */
} pgmc_migration;

/* ---- typed rows: the C value types of generated row structs ----
 * (README.md, "Typed rows", has the full PostgreSQL -> C table.) */

/* text, varchar, char, citext, name, numeric, json(b), inet, cidr, and any
 * type pgmc does not map. `ptr` is always NUL-terminated (len excludes the
 * NUL); the text may itself contain no NUL (PostgreSQL text cannot). */
typedef struct pgmc_text {
    const char *ptr;
    size_t len;
} pgmc_text;

/* bytea: raw bytes, not NUL-terminated. */
typedef struct pgmc_bytes {
    const uint8_t *ptr;
    size_t len;
} pgmc_bytes;

/* uuid: the 16 bytes in network (text) order. */
typedef struct pgmc_uuid {
    uint8_t b[16];
} pgmc_uuid;

/* timestamp and timestamptz: microseconds since 1970-01-01 00:00:00 UTC
 * (timestamp without time zone: since that wall-clock time). 'infinity' is
 * PGMC_TIMESTAMP_INFINITY, '-infinity' PGMC_TIMESTAMP_NEG_INFINITY. */
typedef int64_t pgmc_timestamp;
#define PGMC_TIMESTAMP_INFINITY     INT64_MAX
#define PGMC_TIMESTAMP_NEG_INFINITY INT64_MIN

/* date: days since 1970-01-01; 'infinity' / '-infinity' as below. */
typedef int32_t pgmc_date;
#define PGMC_DATE_INFINITY     INT32_MAX
#define PGMC_DATE_NEG_INFINITY INT32_MIN

/* time (without time zone): microseconds since midnight, 0..86400000000. */
typedef int64_t pgmc_time;

/* interval: PostgreSQL's own three fields, never normalised into each other
 * (a month is not 30 days, a day is not 24 hours across DST). */
typedef struct pgmc_interval {
    int32_t months, days;
    int64_t usec;
} pgmc_interval;

/* Any array: `items` points to `count` elements of the element's C type
 * (int32_t, pgmc_text, ...), in row-major order for multi-dimensional
 * arrays ({{1,2},{3,4}} -> 1,2,3,4). `nulls` is NULL when no element is
 * NULL, else `count` flags (a NULL element's item is zeroed). `ndim` is 0
 * for an empty array; dims[i] and lbounds[i] are PostgreSQL's dimension
 * lengths and lower bounds (usually 1). */
#define PGMC_ARRAY_MAXDIM 6
typedef struct pgmc_array {
    void *items;
    const bool *nulls;
    size_t count;
    int ndim;
    int dims[PGMC_ARRAY_MAXDIM];
    int lbounds[PGMC_ARRAY_MAXDIM];
} pgmc_array;

/* ---- typed rows: descriptors the generic decoder (runtime/rows.c) reads ---- */

/* The C kind of a field: how the decoder reads the wire value and what it
 * stores. Stable numbering: part of the ABI. */
typedef enum pgmc_ckind {
    PGMC_C_TEXT = 0,      /* pgmc_text: text family and unmapped types */
    PGMC_C_INT16 = 1,     /* int16_t: smallint */
    PGMC_C_INT32 = 2,     /* int32_t: integer */
    PGMC_C_INT64 = 3,     /* int64_t: bigint */
    PGMC_C_FLOAT = 4,     /* float: real */
    PGMC_C_DOUBLE = 5,    /* double: double precision */
    PGMC_C_BOOL = 6,      /* bool: boolean */
    PGMC_C_BYTES = 7,     /* pgmc_bytes: bytea */
    PGMC_C_UUID = 8,      /* pgmc_uuid */
    PGMC_C_TIMESTAMP = 9, /* pgmc_timestamp: timestamp, timestamptz */
    PGMC_C_DATE = 10,     /* pgmc_date */
    PGMC_C_TIME = 11,     /* pgmc_time */
    PGMC_C_INTERVAL = 12, /* pgmc_interval */
    PGMC_C_NUMERIC = 13,  /* pgmc_text holding the exact decimal text */
    PGMC_C_JSON = 14,     /* pgmc_text: json */
    PGMC_C_JSONB = 15,    /* pgmc_text: jsonb (binary: version byte + text) */
    PGMC_C_INET = 16,     /* pgmc_text: inet, cidr in PostgreSQL's output form */
    PGMC_C_ENUM = 17,     /* a generated C enum (int-sized); see enum_desc */
    PGMC_C_ARRAY = 18     /* pgmc_array of elem_kind */
} pgmc_ckind;

/* A CREATE TYPE ... AS ENUM. The generated C enum's values are 0..n-1 in
 * label order; a label this build does not know decodes as -1
 * (<PREFIX>_<ENUM>__UNKNOWN). */
typedef struct pgmc_enum_desc {
    const char *schema, *name;
    const char *c_name;        /* the generated C enum type's name */
    const char *const *labels; /* in sort order */
    uint32_t n_labels;
} pgmc_enum_desc;

/* null_offset of a NOT NULL column: it has no null flag. */
#define PGMC_NOT_NULL UINT32_MAX

typedef struct pgmc_column_desc {
    const char *name;                /* SQL column name, as stored (unquoted) */
    const char *sql_type;            /* format_type() spelling, e.g. "character varying(255)" */
    const char *c_field;             /* the struct field's name */
    pgmc_ckind kind;                 /* PGMC_C_ARRAY for arrays */
    pgmc_ckind elem_kind;            /* arrays: the element's kind; else == kind */
    uint32_t offset;                 /* offsetof(struct, field) */
    uint32_t null_offset;            /* offsetof(struct, field_null) (a bool), or PGMC_NOT_NULL */
    const pgmc_enum_desc *enum_desc; /* kind or elem_kind PGMC_C_ENUM, else NULL */
} pgmc_column_desc;

typedef struct pgmc_table_desc {
    const char *schema, *name;
    const char *qualified;           /* SQL, quoted: "\"public\".\"users\"" */
    const char *select_list;         /* SQL: every column quoted, in order, with
                                        ::text casts for unmapped types */
    const char *c_name;              /* the generated struct's name */
    const pgmc_column_desc *columns; /* in column order */
    uint32_t n_columns;
    uint32_t size; /* sizeof the struct */
} pgmc_table_desc;

typedef struct pgmc_schema {
    uint32_t abi_version;             /* PGMC_ABI_VERSION at generation time */
    const char *generator;            /* e.g. "pgmc 0.1.0" */
    const char *prefix;               /* the --prefix given to the generator */
    const char *format;               /* detected or forced source format name */
    const char *inputs_hash;          /* hex SHA-256 over all input files */
    const pgmc_migration *migrations; /* versioned ones, sorted ascending,
                                         then repeatable ones, sorted by name */
    uint32_t n_migrations;
    const pgmc_table_desc *const *tables; /* row structs, sorted by (schema, name) */
    uint32_t n_tables;
    const pgmc_enum_desc *const *enums; /* sorted by (schema, name) */
    uint32_t n_enums;
    const char *catalog_flat; /* the final schema's flat form (below), compact
                                 form allowed; "" when not known */
} pgmc_schema;

/* ---- the flat form of a schema catalog ----
 *
 * The one specification of the text that `verify` compares: the generator
 * writes it from the migrations (`pgmc schema --flat`, and compacted into
 * pgmc_schema.catalog_flat), the runtime computes it from a live
 * pg_catalog (runtime/live_catalog.c) and compares the two line sets
 * (runtime/verify.c). One fact per line, sorted bytewise, each line
 * ending in '\n':
 *
 *   schema <name>
 *   extension <name>
 *   relation <schema>.<name> <kind>          kind: table|partitioned|view|matview|opaque-view
 *   partition <schema>.<name> <parent-schema>.<parent-name>
 *   column <schema>.<rel> <nnnn> <name> <flags> <type>
 *   enum <schema>.<name> <nnnn> <label>
 *   domain <schema>.<name> <flags> <type>
 *   attribute <schema>.<type> <nnnn> <name> - <type>
 *
 * <nnnn> is the 1-based position, zero-padded to 4 digits (so lines sort in
 * order). Names are written as quote_ident() would, but by a fixed rule:
 * bare when they match [a-z_][a-z0-9_]* , else in double quotes with inner
 * quotes doubled (keywords are not special). Enum labels are written the
 * same way. <flags> is "-" or a comma-separated, ordered subset of
 * not_null, default, identity=a|d, generated=s. <type> is the format_type()
 * spelling (search_path = public) and runs to the end of the line. Views
 * whose columns are not derived are "opaque-view" with no column lines.
 * Comments are not part of the flat form.
 *
 * Compact form (what generated code carries): a line that begins with a
 * space continues the last line that did not; it stands for that line's
 * first two tokens (the kind and the object's name; a double-quoted name
 * may hold spaces) followed by the continuation line as it is, leading
 * space included. So
 *
 *   column public.users 0001 id not_null bigint
 *    0002 email not_null text
 *
 * is the two facts "column public.users 0001 id not_null bigint" and
 * "column public.users 0002 email not_null text". No full line begins with
 * a space, so every full flat text is also a valid compact one. */

#endif
