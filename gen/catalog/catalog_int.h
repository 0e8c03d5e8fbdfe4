/* catalog_int.h - internals shared by the catalog's files: the DDL replay's
 * families (ddl*.c), the token cursor they parse with (catalog_tok.c),
 * model helpers (catalog.c),
 * type-name resolution (catalog_types.c) and view column derivation
 * (catalog_view.c). Not part of the generator's interface.
 */
#ifndef PGMC_CATALOG_INT_H
#define PGMC_CATALOG_INT_H

#include "catalog/catalog.h"
#include "syntax/lexer.h"

#include <stddef.h>

/* One statement's significant tokens t[0..n) (no spaces or comments),
 * borrowed (replay.c's scratch array). Past the end the cursor
 * (pgmcg__cat_cur, pgmcg__cat_peek) gives `eof`, an EOF token placed just
 * past the last token; t[n] holds a copy of it. */
typedef struct pgmcg_cat_parser {
    pgmcg_catalog *cat;
    pgmcg_diag *diag;
    const char *file; /* borrowed; names the script in messages */
    const pgmcg_token *t;
    size_t n, i;     /* token count, cursor */
    int failed;      /* an error was reported for this statement */
    pgmcg_token eof; /* what the cursor returns at and past t[n] */
} pgmcg_cat_parser;

/* ---- ddl*.c: the DDL replay, one file per statement family ----
 *
 * Unless said otherwise, a pgmcg__cat_ parser below starts at the cursor
 * (just past the words that chose it), leaves the cursor past what it
 * parsed, returns 0, or -1 after reporting an error to p->diag (which sets
 * p->failed) or on OOM; names it returns are malloc'd and the caller's. */

/* Shorthands of the ddl*.c files for the cursor helpers of catalog_tok.c. */
#define CUR(p)             pgmcg__cat_cur(p)
#define AT(p, w)           pgmcg__cat_at((p), 0, (w))
#define ACCEPT(p, w)       pgmcg__cat_accept((p), (w))
#define SEQ(p, w)          pgmcg__cat_accept_seq((p), (w))
#define PUNCT(p, c)        pgmcg__cat_is_punct(CUR(p), (c))
#define ACCEPT_PUNCT(p, c) pgmcg__cat_accept_punct((p), (c))

/* ddl.c: the entry. Apply the one statement p->t[0..n) (cursor at 0) to
 * p->cat: CREATE, ALTER, DROP, COMMENT, SET/RESET search_path, set_config;
 * notes for what pgmc cannot see into (DO, CALL, EXECUTE, functions). */
int pgmcg__cat_stmt(pgmcg_cat_parser *p);

/* ddl.c: helpers the families share. */
/* Report "unexpected <token> in <where>" at the cursor (an error). */
void pgmcg__cat_unexpected(pgmcg_cat_parser *p, const char *where);
/* Step past the bare word w / the character c, or report what was found. */
int pgmcg__cat_expect_word(pgmcg_cat_parser *p, const char *w);
int pgmcg__cat_expect_punct(pgmcg_cat_parser *p, char c);
/* One unqualified name at the cursor (malloc'd), or NULL after an error. */
char *pgmcg__cat_name1(pgmcg_cat_parser *p);
/* "(a, b, ...)": names appended to the string array *v (the caller frees
 * it with pgmcg__cat_free_list, also after -1); what follows each name up
 * to its ',' (opclass, ordering) is skipped. */
int pgmcg__cat_name_list(pgmcg_cat_parser *p, char ***v, size_t *n, size_t *cap);
/* Free n strings of v and v itself. */
void pgmcg__cat_free_list(char **v, size_t n);
/* The schema a new object goes to: `schema` itself (ownership passes;
 * freed if it does not exist) or the creation schema (copied). NULL after
 * an error reported at `at`. */
char *pgmcg__cat_target_schema(pgmcg_cat_parser *p, char *schema, const pgmcg_token *at);
/* Look up a relation by parsed name (borrowed result); reports "does not
 * exist" at `at` unless if_exists. */
pgmcg_cat_relation *pgmcg__cat_need_rel(pgmcg_cat_parser *p, const char *schema, const char *name,
                                        const pgmcg_token *at, int if_exists);
/* A possibly qualified relation name at the cursor, looked up: the
 * relation (borrowed), or NULL after an error reported at the name (a bad
 * name, or "does not exist"). */
pgmcg_cat_relation *pgmcg__cat_parse_rel(pgmcg_cat_parser *p);
/* Store the statement's file and t's line and column. */
void pgmcg__cat_set_pos(pgmcg_cat_parser *p, const pgmcg_token *t, const char **file,
                        uint32_t *line, uint32_t *col);
/* "s.n", malloc'd; NULL on OOM. */
char *pgmcg__cat_qualified(const char *s, const char *n);

/* ddl_constraint.c: column definitions and the one constraint parser.
 * CREATE TABLE, ALTER TABLE ADD [COLUMN] and CREATE/ALTER DOMAIN all go
 * through it, so a constraint means the same everywhere; conflicting
 * clauses are refused as PostgreSQL refuses them. */
/* A DEFAULT's expression at the cursor: skipped (up to `stops`, see
 * pgmcg__cat_skip_expr); returns 1 if PostgreSQL stores it for a column or
 * domain of `type` (not a plain NULL, unless a domain or typmod wraps it),
 * else 0. */
int pgmcg__cat_default_expr(pgmcg_cat_parser *p, const pgmcg_cat_typeref *type,
                            const char *const *stops);
/* After GENERATED: {ALWAYS | BY DEFAULT} AS IDENTITY [(sequence options)]
 * for column c (its type set): c->identity becomes 'a' or 'd'. A built-in
 * type other than smallint, integer, bigint is refused, as PostgreSQL
 * refuses it, in CREATE TABLE and ALTER TABLE alike. */
int pgmcg__cat_identity_spec(pgmcg_cat_parser *p, pgmcg_cat_column *c);
/* The constraints of a column definition, into c (c->type and c->name
 * already set). `serial` 1: the type was serial (NOT NULL with a default). */
int pgmcg__cat_column_constraints(pgmcg_cat_parser *p, pgmcg_cat_column *c, int serial);
/* A domain's constraints (NOT NULL, NULL, DEFAULT, CHECK, CONSTRAINT name,
 * COLLATE, NOT VALID) over *not_null and *has_default (in and out), the
 * DEFAULT judged by the domain's `base` type. Others are refused. */
int pgmcg__cat_domain_constraints(pgmcg_cat_parser *p, const pgmcg_cat_typeref *base, int *not_null,
                                  int *has_default);
/* name type [constraints] into c (zeroed by the caller, freed by the caller
 * also after -1). With `of` (OF type, PARTITION OF: the columns so far) the
 * column must be one of of's: no type, [WITH OPTIONS] and constraints,
 * starting from of's column (c gets its type and facts, changed by the
 * constraints: a DEFAULT replaces its default). */
int pgmcg__cat_column_def(pgmcg_cat_parser *p, pgmcg_cat_column *c, const pgmcg_cat_relation *of);

/* A table constraint (CREATE TABLE element, ALTER TABLE ADD), as parsed. */
typedef struct pgmcg_cat_tabcon {
    char kind;             /* 'p' PRIMARY KEY, 'n' NOT NULL col (PostgreSQL 18), 'u' UNIQUE,
                              'c' CHECK, 'f' FOREIGN KEY, 'x' EXCLUDE */
    char **key;            /* 'p', 'n': the columns named, malloc'd */
    size_t n_key, cap_key; /* (none for PRIMARY KEY USING INDEX) */
    char *index;           /* PRIMARY KEY USING INDEX: the index, malloc'd; else NULL */
    const pgmcg_token *at; /* PRIMARY / NOT / the index name: for messages */
} pgmcg_cat_tabcon;
/* 1 if a table constraint starts at the cursor (rather than a column). */
int pgmcg__cat_at_table_constraint(const pgmcg_cat_parser *p);
/* [CONSTRAINT name] and a table constraint into *k (initialised here; the
 * caller frees it with pgmcg__cat_tabcon_free, also after -1), up to the
 * next ',' or ')' at depth 0. */
int pgmcg__cat_table_constraint(pgmcg_cat_parser *p, pgmcg_cat_tabcon *k);
void pgmcg__cat_tabcon_free(pgmcg_cat_tabcon *k);
/* Where a table constraint is: in CREATE TABLE (on the table being built,
 * with CREATE TABLE's messages), ALTER TABLE, or ALTER TABLE ONLY. */
typedef enum pgmcg_cat_in {
    PGMCG_CAT_IN_CREATE,
    PGMCG_CAT_IN_ALTER,
    PGMCG_CAT_IN_ALTER_ONLY
} pgmcg_cat_in;
/* Apply k's effect on r's columns: PRIMARY KEY and NOT NULL make their
 * columns NOT NULL (the index's columns for USING INDEX), in ALTER TABLE
 * also in r's partitions (see pgmcg__cat_partitions_not_null); other kinds
 * change nothing. Errors (at k->at) when a column or the index is missing. */
int pgmcg__cat_tabcon_apply(pgmcg_cat_parser *p, const pgmcg_cat_tabcon *k, pgmcg_cat_relation *r,
                            pgmcg_cat_in in);

/* ddl_table.c: CREATE TABLE p (temp: TEMP/TEMPORARY or pg_temp; unlogged:
 * UNLOGGED), cursor past TABLE. */
int pgmcg__cat_create_table(pgmcg_cat_parser *p, int temp, int unlogged);
/* ddl_table.c: CREATE [OR REPLACE] [TEMP] VIEW, or MATERIALIZED VIEW (kind),
 * cursor past VIEW. */
int pgmcg__cat_create_view(pgmcg_cat_parser *p, pgmcg_cat_relkind kind, int or_replace, int temp);

/* ddl_alter.c: ALTER TABLE / VIEW / MATERIALIZED VIEW (is_view), cursor
 * past the object word(s). */
int pgmcg__cat_alter_table(pgmcg_cat_parser *p, int is_view);
/* ddl_alter.c: column `col` of r's partitions (and theirs, recursively)
 * made NOT NULL (on 1) or not (on 0), as ALTER TABLE does. With `only`
 * (ALTER TABLE ONLY) nothing changes, but making a column NOT NULL is an
 * error (at `at`) if a partition's column is not NOT NULL already. */
int pgmcg__cat_partitions_not_null(pgmcg_cat_parser *p, const pgmcg_cat_relation *r,
                                   const char *col, int on, int only, const pgmcg_token *at);

/* ddl_type.c: CREATE TYPE, CREATE DOMAIN, ALTER TYPE, ALTER DOMAIN, cursor
 * past TYPE / DOMAIN. */
int pgmcg__cat_create_type(pgmcg_cat_parser *p);
int pgmcg__cat_create_domain(pgmcg_cat_parser *p);
int pgmcg__cat_alter_type(pgmcg_cat_parser *p);
int pgmcg__cat_alter_domain(pgmcg_cat_parser *p);
/* ddl_type.c: user type by parsed name (borrowed), or NULL after reporting
 * it missing at `at` (silently NULL if if_exists). */
pgmcg_cat_type *pgmcg__cat_need_type(pgmcg_cat_parser *p, const char *s, const char *n,
                                     const pgmcg_token *at, int if_exists);

/* ddl_schema.c: CREATE SCHEMA, CREATE EXTENSION, ALTER SCHEMA, cursor past
 * SCHEMA / EXTENSION. */
int pgmcg__cat_create_schema(pgmcg_cat_parser *p);
int pgmcg__cat_create_extension(pgmcg_cat_parser *p);
int pgmcg__cat_alter_schema(pgmcg_cat_parser *p);

/* ddl_index.c: CREATE [UNIQUE] INDEX (unique: UNIQUE), cursor past INDEX;
 * unique indexes on plain columns are recorded in p->cat->indexes. */
int pgmcg__cat_create_index(pgmcg_cat_parser *p, int unique);
/* ddl_index.c: the recorded unique index `name` on r, or NULL (borrowed). */
const pgmcg_cat_index *pgmcg__cat_find_index(const pgmcg_catalog *cat, const pgmcg_cat_relation *r,
                                             const char *name);

/* ddl_drop.c: DROP TABLE/VIEW/TYPE/DOMAIN/SCHEMA/EXTENSION/INDEX, cursor
 * past DROP (other DROPs are skipped). */
int pgmcg__cat_drop(pgmcg_cat_parser *p);

/* ddl_comment.c: COMMENT ON ..., cursor past COMMENT. */
int pgmcg__cat_comment(pgmcg_cat_parser *p);

/* ---- catalog_tok.c: cursor helpers ---- */

/* The current token (p->eof once past the end). */
const pgmcg_token *pgmcg__cat_cur(const pgmcg_cat_parser *p);
/* Token at cursor + k (p->eof past the end). */
const pgmcg_token *pgmcg__cat_peek(const pgmcg_cat_parser *p, size_t k);
/* 1 if `t` is the bare (unquoted) word `w` (lower case), case-insensitively. */
int pgmcg__cat_is_word(const pgmcg_token *t, const char *w);
/* 1 if the token at cursor + k is the bare word w. */
int pgmcg__cat_at(const pgmcg_cat_parser *p, size_t k, const char *w);
/* If the current token is the bare word w, step past it and return 1. */
int pgmcg__cat_accept(pgmcg_cat_parser *p, const char *w);
/* Accept the words of a space-separated sequence ("if not exists") only if
 * all of them are there; returns 1 and steps past them, else 0 (no move). */
int pgmcg__cat_accept_seq(pgmcg_cat_parser *p, const char *words);
/* 1 if t is the punctuation or operator character c (single byte). */
int pgmcg__cat_is_punct(const pgmcg_token *t, char c);
int pgmcg__cat_accept_punct(pgmcg_cat_parser *p, char c);
/* At '(' : step past the matching ')' (or to EOF). Otherwise step one token. */
void pgmcg__cat_skip_group(pgmcg_cat_parser *p);
/* Skip tokens (balanced groups whole) until, at depth 0, a ',' or ')' or EOF
 * or (after at least one token) one of the bare words of the NULL-terminated
 * list `stops`. */
void pgmcg__cat_skip_expr(pgmcg_cat_parser *p, const char *const *stops);
/* 1 if the token is an identifier (bare or quoted). */
int pgmcg__cat_is_ident(const pgmcg_token *t);
/* The name a bare or quoted identifier token denotes (bare folded to ASCII
 * lower case, quoted with "" undoubled, U&"..." decoded). Returns a malloc'd
 * string, or NULL if the token is not an identifier (or on OOM). */
char *pgmcg__cat_ident(const pgmcg_token *t);
/* The value of a string literal token ('..', E'..', $$..$$), malloc'd; NULL
 * if not a string. */
char *pgmcg__cat_string(const pgmcg_token *t);
/* Parse a possibly qualified name a[.b[.c]]: *schema (NULL if unqualified)
 * and *name, both malloc'd (the caller frees). Returns 0, or -1 after
 * reporting an error at the current token. */
int pgmcg__cat_qname(pgmcg_cat_parser *p, char **schema, char **name);
/* Report an error / note at token t (the statement's file). Errors set
 * p->failed. */
void pgmcg__cat_error(pgmcg_cat_parser *p, const pgmcg_token *t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void pgmcg__cat_note(pgmcg_cat_parser *p, const pgmcg_token *t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Print a token for messages: up to 40 bytes of it, into buf. */
const char *pgmcg__cat_tokstr(const pgmcg_token *t, char *buf, size_t n);

/* ---- catalog.c: model helpers ---- */

char *pgmcg__cat_strdup(const char *s);
/* Append s (ownership passes; NULL s is refused) to a string array.
 * Returns 0, or -1 on OOM (s freed). */
int pgmcg__cat_push(char ***v, size_t *n, size_t *cap, char *s);
/* Remove and free element i of a string array. */
void pgmcg__cat_remove_str(char **v, size_t *n, size_t i);
int pgmcg__cat_schema_exists(const pgmcg_catalog *cat, const char *name);
/* Index of a string in an array, or -1. */
long pgmcg__cat_find_str(char *const *v, size_t n, const char *s);
/* Mutable lookups by exact names. */
pgmcg_cat_relation *pgmcg__cat_rel(pgmcg_catalog *cat, const char *schema, const char *name);
/* Call after changing a relation's schema or name in place: the lookup
 * index is rebuilt on the next lookup. */
void pgmcg__cat_rels_moved(pgmcg_catalog *cat);
pgmcg_cat_type *pgmcg__cat_type(pgmcg_catalog *cat, const char *schema, const char *name);
/* Resolve a relation name: qualified exactly, else temp tables first, then
 * the search_path. NULL if absent. */
pgmcg_cat_relation *pgmcg__cat_lookup_rel(pgmcg_catalog *cat, const char *schema, const char *name);
/* Resolve a user type name (enum, domain, composite) the same way; tables'
 * row types are not included (see pgmcg__cat_lookup_rel). */
pgmcg_cat_type *pgmcg__cat_lookup_type(pgmcg_catalog *cat, const char *schema, const char *name);
/* The schema new objects go to: the first existing search_path schema, or
 * NULL. Borrowed. */
const char *pgmcg__cat_creation_schema(const pgmcg_catalog *cat);
/* New zeroed relation/type appended to the catalog (pointer valid until the
 * next add); schema and name are copied. NULL on OOM. */
pgmcg_cat_relation *pgmcg__cat_add_rel(pgmcg_catalog *cat, const char *schema, const char *name);
pgmcg_cat_type *pgmcg__cat_add_type(pgmcg_catalog *cat, const char *schema, const char *name);
/* Remove relation / type at index i (freed). */
void pgmcg__cat_drop_rel(pgmcg_catalog *cat, size_t i);
void pgmcg__cat_drop_type(pgmcg_catalog *cat, size_t i);
/* Append a zeroed column to an array; NULL on OOM. */
pgmcg_cat_column *pgmcg__cat_add_col(pgmcg_cat_column **v, size_t *n, size_t *cap);
/* Find a column by name; index or -1. */
long pgmcg__cat_find_col(const pgmcg_cat_column *v, size_t n, const char *name);
void pgmcg__cat_col_free(pgmcg_cat_column *c);
/* Deep copy of a column (strings duplicated). Returns 0 or -1 on OOM. */
int pgmcg__cat_col_copy(pgmcg_cat_column *dst, const pgmcg_cat_column *src);
/* Remove column i from an array (freed). */
void pgmcg__cat_remove_col(pgmcg_cat_column *v, size_t *n, size_t i);
void pgmcg__cat_typeref_free(pgmcg_cat_typeref *t);
int pgmcg__cat_typeref_copy(pgmcg_cat_typeref *dst, const pgmcg_cat_typeref *src);
/* Every typeref in the catalog (columns, attributes, domain bases) that
 * names the user type (kind, old_schema, old_name) now names
 * (new_schema, new_name), spelled anew. For renames and SET SCHEMA. */
void pgmcg__cat_retarget_types(pgmcg_catalog *cat, pgmcg_cat_typekind kind, const char *old_schema,
                               const char *old_name, const char *new_schema, const char *new_name);
/* Remove every column / attribute whose type is the user type (schema,
 * name): DROP TYPE ... CASCADE. */
void pgmcg__cat_drop_columns_of_type(pgmcg_catalog *cat, const char *schema, const char *name);
/* A name as quote_ident would write it by the flat form's fixed rule. */
void pgmcg__cat_put_ident(pgmcg_buf *b, const char *s);

/* ---- catalog_types.c: type names ---- */

/* Parse a type name at the cursor (e.g. `character varying(20)[]`,
 * `timestamp(3) with time zone`, `public.status`, `int ARRAY`) into *out
 * (owned by the caller: pgmcg__cat_typeref_free). *serial is set to 1 for
 * serial/bigserial/smallserial (then *out is the integer type). An unknown
 * name gives kind UNKNOWN and a note. Returns 0, or -1 after an error. */
int pgmcg__cat_parse_type(pgmcg_cat_parser *p, pgmcg_cat_typeref *out, int *serial);
/* Build t->spelling afresh from its other fields (user types: the name,
 * qualified unless in public; plus "[]" when an array). Returns 0 or -1. */
int pgmcg__cat_spell_user(pgmcg_cat_typeref *t);
/* 1 if the known-extension table says `ext` adds column types. Static. */
int pgmcg__cat_ext_known(const char *ext);

/* ---- catalog_view.c: views ---- */

/* Derive the columns of a view (or CREATE TABLE AS / materialized view)
 * from the query at the cursor into rel->cols; `names` (n_names, may be 0)
 * renames the first columns. If the query is beyond pgmc, sets rel->opaque
 * and notes why (at the offending token). Records rel->deps. Leaves the
 * cursor at EOF. Returns 0, or -1 on OOM. */
int pgmcg__cat_derive_view(pgmcg_cat_parser *p, pgmcg_cat_relation *rel, char **names,
                           size_t n_names);

#endif
