/* catalog.h - the final schema, as replaying every up migration's DDL
 * leaves it: schemas, tables (and views, partitions) with their columns in
 * order, enums, domains, composite types, extensions and comments.
 *
 * This is the contract between the DDL replay (catalog.c), its JSON form
 * (`pgmc schema --json`, catalog_json.c), the live comparison (`verify`)
 * and the row-struct emitter (emit_rows.c). The catalog owns every string
 * and array it points to (malloc'd); free it with pgmcg_catalog_free.
 *
 * Names are stored as PostgreSQL stores them: unquoted identifiers folded to
 * lower case, quoted ones exact. Type spellings are what PostgreSQL's
 * format_type() prints with search_path = public ("integer",
 * "character varying(255)", "timestamp with time zone", "text[]",
 * "numeric(10,2)", "role_level" for public.role_level, "presence.status" for
 * a type in another schema), so they compare equal to pg_catalog's.
 */
#ifndef PGMC_CATALOG_H
#define PGMC_CATALOG_H

#include "util/buf.h"
#include "util/diag.h"
#include "formats/project.h"

#include <stddef.h>
#include <stdint.h>

/* What a type is, as far as code generation cares. */
typedef enum pgmcg_cat_typekind {
    PGMC_CAT_BUILTIN = 0, /* a built-in (or extension) base type: see `builtin` */
    PGMC_CAT_ENUM,        /* a CREATE TYPE ... AS ENUM of this catalog */
    PGMC_CAT_DOMAIN,      /* a CREATE DOMAIN of this catalog */
    PGMC_CAT_COMPOSITE,   /* a CREATE TYPE ... AS (...) or a table's row type */
    PGMC_CAT_UNKNOWN      /* a type pgmc does not know (warned about) */
} pgmcg_cat_typekind;

/* A resolved type reference: what a column (or domain, or composite
 * attribute) is declared as. */
typedef struct pgmcg_cat_typeref {
    char *spelling;             /* format_type() spelling, including [] for arrays */
    pgmcg_cat_typekind kind;    /* of the element type, for arrays */
    char *schema, *name;        /* ENUM/DOMAIN/COMPOSITE: the type's identity */
    const char *builtin;        /* BUILTIN: canonical name without typmod or []:
                                   "integer", "bigint", "text", "character varying",
                                   "timestamp with time zone", "uuid", "jsonb",
                                   "citext", ... (static string) */
    int32_t typmod_a, typmod_b; /* e.g. varchar(255): 255,-1; numeric(10,2): 10,2;
                                   -1 when absent */
    int ndims;                  /* array dimensions; PostgreSQL records only
                                   "is an array", so format_type prints one [] */
} pgmcg_cat_typeref;

typedef struct pgmcg_cat_column {
    char *name;
    pgmcg_cat_typeref type;
    int not_null;     /* pg_attribute.attnotnull: NOT NULL, PRIMARY KEY or identity
                         (a NOT NULL domain does not count; view columns never) */
    int has_default;  /* pg_attribute.atthasdef: DEFAULT (but not DEFAULT NULL on a
                         plain type), serial, or generated; NOT identity */
    char identity;    /* 0, 'a' (ALWAYS) or 'd' (BY DEFAULT), as attidentity */
    char generated;   /* 0 or 's' (STORED), as attgenerated */
    char *collation;  /* COLLATE name, or NULL */
    char *comment;    /* COMMENT ON COLUMN, or NULL */
    const char *file; /* where it was (last) defined: borrowed from the project */
    uint32_t line, col;
} pgmcg_cat_column;

typedef enum pgmcg_cat_relkind {
    PGMC_REL_TABLE = 'r',
    PGMC_REL_PARTITIONED = 'p',
    PGMC_REL_VIEW = 'v',
    PGMC_REL_MATVIEW = 'm'
} pgmcg_cat_relkind;

typedef struct pgmcg_cat_relation {
    char *schema, *name;
    pgmcg_cat_relkind kind;
    pgmcg_cat_column *cols; /* in attnum order (dropped columns removed) */
    size_t n_cols, cap_cols;
    int opaque; /* a view whose columns could not be derived */
    int unlogged, temp;
    char *partition_of; /* "schema.table" of the parent, or NULL */
    char *comment;      /* COMMENT ON TABLE/VIEW, or NULL */
    const char *file;   /* where it was created */
    uint32_t line, col;
    char **deps; /* views: "schema.name" of the relations a derived
                    view reads (for DROP ... CASCADE); owned */
    size_t n_deps, cap_deps;
} pgmcg_cat_relation;

typedef struct pgmcg_cat_type {
    char *schema, *name;
    pgmcg_cat_typekind kind; /* ENUM, DOMAIN or COMPOSITE */
    char **labels;           /* ENUM: labels in sort order */
    size_t n_labels, cap_labels;
    pgmcg_cat_typeref base;  /* DOMAIN: its base type */
    int not_null;            /* DOMAIN: NOT NULL */
    int has_default;         /* DOMAIN: DEFAULT */
    pgmcg_cat_column *attrs; /* COMPOSITE: attributes in order */
    size_t n_attrs, cap_attrs;
    char *comment;
    const char *file;
    uint32_t line, col;
} pgmcg_cat_type;

typedef struct pgmcg_catalog {
    char **schemas; /* every schema that exists at the end ("public" always) */
    size_t n_schemas, cap_schemas;
    char **extensions; /* CREATE EXTENSION names */
    size_t n_extensions, cap_extensions;
    pgmcg_cat_relation *rels; /* tables, partitions, views; sorted by (schema, name)
                                once replay is done */
    size_t n_rels, cap_rels;
    pgmcg_cat_type *types; /* enums, domains, composites; sorted likewise */
    size_t n_types, cap_types;
    char **search_path; /* during replay: the current search_path */
    size_t n_search_path, cap_search_path;
    unsigned warnings;               /* opaque views, DO blocks, unknown types... */
    char **extension_schemas;        /* parallel to extensions: the schema it was created in */
    struct pgmcg_cat_index *indexes; /* during replay: CREATE UNIQUE INDEX column
                                       lists, for ADD PRIMARY KEY USING INDEX */
    size_t n_indexes, cap_indexes;
    /* lookup index over rels (catalog.c): open addressing, slots hold
     * index + 1 (0: empty); rebuilt after anything but an append moves or
     * renames a relation */
    size_t *rel_slots;
    size_t n_rel_slots;
    int rel_slots_valid;
    size_t n_temp_rels; /* relations with temp set */
} pgmcg_catalog;

/* A remembered unique index (replay bookkeeping, not part of the output). */
typedef struct pgmcg_cat_index {
    char *schema, *name;         /* the index */
    char *rel_schema, *rel_name; /* its table */
    char **cols;
    size_t n_cols;
} pgmcg_cat_index;

/* An empty catalog with schema "public" and search_path "$user", public. */
void pgmcg_catalog_init(pgmcg_catalog *cat);

/* Free everything the catalog owns and zero it. */
void pgmcg_catalog_free(pgmcg_catalog *cat);

/* Replay the up script of every versioned migration in version order, then
 * every repeatable one in name order. Warnings (a DO block that might change
 * tables, an opaque view, an unknown type...) go to `diag` as notes with the
 * statement's file:line:col; a statement that names a table or type that
 * does not exist is an error there. Returns 0, or -1 if there were errors
 * (the catalog then holds what could be replayed). */
int pgmcg_catalog_replay(pgmcg_catalog *cat, const pgmcg_project *p, pgmcg_diag *diag);

/* Replay one script's text, for tests: `file` names it in messages, and
 * positions start at line 1, column 1. buf[len] must be '\0'. Returns 0 or
 * -1 as pgmcg_catalog_replay. */
int pgmcg_catalog_apply(pgmcg_catalog *cat, const char *file, const char *buf, size_t len,
                        pgmcg_diag *diag);

/* Sort relations and types by (schema, name). Replay does this at its end;
 * pgmcg_catalog_apply callers call it before reading or printing. */
void pgmcg_catalog_finish(pgmcg_catalog *cat);

/* Lookups by exact stored names; NULL if absent. */
const pgmcg_cat_relation *pgmcg_catalog_find_rel(const pgmcg_catalog *cat, const char *schema,
                                                 const char *name);
const pgmcg_cat_type *pgmcg_catalog_find_type(const pgmcg_catalog *cat, const char *schema,
                                              const char *name);

/* Append the catalog as JSON (the `pgmc schema --json` format, documented in
 * README.md) to `out`: deterministic, keys in fixed order, entries sorted. */
void pgmcg_catalog_json(const pgmcg_catalog *cat, pgmcg_buf *out);

/* Append the catalog's "flat" form to `out`: the text that `verify`
 * compares with the same form computed from a live pg_catalog, one fact per
 * line, sorted bytewise, each line ending in '\n'. The form is specified
 * in one place, runtime/pgmc_schema.h ("the flat form of a schema
 * catalog"). */
void pgmcg_catalog_flat(const pgmcg_catalog *cat, pgmcg_buf *out);

/* Append the compact form (runtime/pgmc_schema.h) of the flat text `flat`
 * (NUL-terminated, as pgmcg_catalog_flat writes it) to `out`: a line whose
 * kind and object name repeat the last full line's starts with a space
 * and leaves them out. */
void pgmcg_catalog_flat_compact(const char *flat, pgmcg_buf *out);

#endif
