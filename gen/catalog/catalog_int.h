/* catalog_int.h - internals shared by the catalog's files: the token cursor
 * the DDL replay parses with (catalog_tok.c), model helpers (catalog.c),
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

/* ---- catalog_ddl.c: the DDL parser ---- */

/* Apply the one statement p->t[0..n) (cursor at 0) to p->cat: CREATE,
 * ALTER, DROP, COMMENT, SET/RESET search_path, set_config; notes for what
 * pgmc cannot see into (DO, CALL, EXECUTE, functions). Returns 0, or -1
 * on OOM; errors are reported to p->diag and set p->failed. */
int pgmcg__cat_stmt(pgmcg_cat_parser *p);

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
