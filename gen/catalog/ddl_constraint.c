/* ddl_constraint.c - column definitions and the one constraint parser of the
 * DDL replay, for CREATE TABLE, ALTER TABLE and CREATE/ALTER DOMAIN alike:
 * column constraints (NOT NULL, NULL, DEFAULT, CHECK, UNIQUE, PRIMARY KEY,
 * REFERENCES, GENERATED, COLLATE, CONSTRAINT name, DEFERRABLE, INITIALLY),
 * table constraints (PRIMARY KEY, UNIQUE, CHECK, FOREIGN KEY, EXCLUDE, and
 * PostgreSQL 18's NOT NULL col) and what each does to its columns: NOT NULL,
 * PRIMARY KEY, identity and serial make a column NOT NULL; DEFAULT (not a
 * plain NULL), serial and generation expressions give it a default.
 */
#include "catalog/catalog_int.h"

#include <stdlib.h>
#include <string.h>

typedef pgmcg_cat_parser P;

static const char *const col_stops[] = {"constraint", "not",        "null",  "default",   "primary",
                                        "unique",     "references", "check", "generated", "collate",
                                        "deferrable", "initially",  NULL};

/* REFERENCES qname [(cols)] [MATCH x] [ON DELETE|UPDATE action]... */
static int references_tail(P *p)
{
    char *s = NULL, *n = NULL;
    if (pgmcg__cat_qname(p, &s, &n))
        return -1;
    free(s);
    free(n);
    if (PUNCT(p, '('))
        pgmcg__cat_skip_group(p);
    for (;;) {
        if (ACCEPT(p, "match")) {
            p->i++;
        } else if (AT(p, "on") &&
                   (pgmcg__cat_at(p, 1, "delete") || pgmcg__cat_at(p, 1, "update"))) {
            p->i += 2;
            if (SEQ(p, "no action") || ACCEPT(p, "restrict") || ACCEPT(p, "cascade")) {
            } else if (SEQ(p, "set null") || SEQ(p, "set default")) {
                if (PUNCT(p, '('))
                    pgmcg__cat_skip_group(p);
            } else {
                pgmcg__cat_unexpected(p, "a foreign key action");
                return -1;
            }
        } else {
            return 0;
        }
    }
}

/* [INCLUDE (..)] [WITH (..)] [USING INDEX TABLESPACE x] of PRIMARY KEY/UNIQUE. */
static void index_params(P *p)
{
    for (;;) {
        if (ACCEPT(p, "include") || ACCEPT(p, "with")) {
            pgmcg__cat_skip_group(p);
        } else if (SEQ(p, "using index tablespace")) {
            p->i++;
        } else {
            return;
        }
    }
}

/* 1 if the expression at the cursor is NULL or NULL::type (a default
 * PostgreSQL does not store). */
static int null_at(const P *p)
{
    if (!pgmcg__cat_is_word(pgmcg__cat_cur(p), "null"))
        return 0;
    const pgmcg_token *n = pgmcg__cat_peek(p, 1);
    return n->kind == PGMC_TOK_EOF || n->kind == PGMC_TOK_TYPECAST || pgmcg__cat_is_punct(n, ',') ||
           pgmcg__cat_is_punct(n, ')') || n->kind == PGMC_TOK_IDENT;
}

int pgmcg__cat_default_expr(P *p, const pgmcg_cat_typeref *type, const char *const *stops)
{
    int null_default = null_at(p);
    pgmcg__cat_skip_expr(p, stops);
    /* PostgreSQL stores no default for a plain DEFAULT NULL, unless a domain
     * or a typmod coercion wraps the NULL; the same for domains' defaults */
    return !null_default || type->kind == PGMC_CAT_DOMAIN || type->typmod_a >= 0;
}

int pgmcg__cat_identity_spec(P *p, pgmcg_cat_column *c)
{
    const pgmcg_token *at = CUR(p);
    char kind = ACCEPT(p, "always") ? 'a' : SEQ(p, "by default") ? 'd' : 0;
    if (!kind) {
        pgmcg__cat_unexpected(p, "GENERATED");
        return -1;
    }
    if (pgmcg__cat_expect_word(p, "as") || pgmcg__cat_expect_word(p, "identity"))
        return -1;
    const pgmcg_cat_typeref *t = &c->type;
    if (t->kind == PGMC_CAT_BUILTIN && t->builtin &&
        (t->ndims || (strcmp(t->builtin, "smallint") && strcmp(t->builtin, "integer") &&
                      strcmp(t->builtin, "bigint")))) {
        pgmcg__cat_error(p, at, "identity column type must be smallint, integer, or bigint");
        return -1;
    }
    if (PUNCT(p, '('))
        pgmcg__cat_skip_group(p); /* sequence options */
    c->identity = kind;
    return 0;
}

/* The clauses one definition has given so far (1 each): PostgreSQL
 * refuses some pairs (NULL and NOT NULL, two defaults, a default and an
 * identity...). serial counts as NOT NULL and a default. */
typedef struct seen {
    int null, not_null, deflt, identity, generated;
} seen;

static int conflict(P *p, const pgmcg_cat_column *c, const char *what)
{
    if (c->name)
        pgmcg__cat_error(p, CUR(p), "%s for column \"%s\"", what, c->name);
    else
        pgmcg__cat_error(p, CUR(p), "%s", what);
    return -1;
}

/* GENERATED ... AS IDENTITY or GENERATED ALWAYS AS (expr) STORED. */
static int generated(P *p, pgmcg_cat_column *c, seen *s)
{
    if (AT(p, "always") && pgmcg__cat_at(p, 1, "as") &&
        pgmcg__cat_is_punct(pgmcg__cat_peek(p, 2), '(')) {
        if (s->deflt)
            return conflict(p, c, "both default and generation expression specified");
        if (s->identity)
            return conflict(p, c, "both identity and generation expression specified");
        p->i += 2;
        pgmcg__cat_skip_group(p);
        if (pgmcg__cat_expect_word(p, "stored"))
            return -1;
        s->generated = 1;
        c->generated = 's';
        c->has_default = 1;
        return 0;
    }
    if (s->deflt)
        return conflict(p, c, "both default and identity specified");
    if (s->generated)
        return conflict(p, c, "both identity and generation expression specified");
    if (s->null)
        return conflict(p, c, "conflicting NULL/NOT NULL declarations");
    s->identity = s->not_null = 1;
    if (pgmcg__cat_identity_spec(p, c))
        return -1;
    c->not_null = 1;
    return 0;
}

/* The constraint loop behind pgmcg__cat_column_constraints and
 * pgmcg__cat_domain_constraints (domain: only what a domain takes). */
static int constraints(P *p, pgmcg_cat_column *c, seen *s, int domain)
{
    for (;;) {
        const pgmcg_token *t = CUR(p);
        if (PUNCT(p, ',') || PUNCT(p, ')') || t->kind == PGMC_TOK_EOF)
            return 0;
        if (domain && !AT(p, "constraint") && !AT(p, "not") && !AT(p, "null") &&
            !AT(p, "default") && !AT(p, "check") && !AT(p, "collate")) {
            char b[64];
            pgmcg__cat_error(p, t, "%s constraints not possible for domains",
                             pgmcg__cat_tokstr(t, b, sizeof b));
            return -1;
        }
        if (ACCEPT(p, "constraint")) {
            char *n = pgmcg__cat_name1(p);
            if (!n)
                return -1;
            free(n);
        } else if (AT(p, "not") && pgmcg__cat_at(p, 1, "null")) {
            if (s->null)
                return conflict(p, c,
                                domain ? "conflicting NULL/NOT NULL constraints"
                                       : "conflicting NULL/NOT NULL declarations");
            s->not_null = 1;
            p->i += 2;
            c->not_null = 1;
        } else if (SEQ(p, "not deferrable")) {
        } else if (domain && SEQ(p, "not valid")) {
        } else if (AT(p, "null")) {
            if (s->not_null)
                return conflict(p, c,
                                domain ? "conflicting NULL/NOT NULL constraints"
                                       : "conflicting NULL/NOT NULL declarations");
            s->null = 1;
            p->i++;
        } else if (AT(p, "default")) {
            if (s->deflt)
                return conflict(p, c, "multiple default values specified");
            if (s->identity)
                return conflict(p, c, "both default and identity specified");
            if (s->generated)
                return conflict(p, c, "both default and generation expression specified");
            s->deflt = 1;
            p->i++;
            c->has_default = pgmcg__cat_default_expr(p, &c->type, col_stops);
        } else if (SEQ(p, "primary key")) {
            c->not_null = 1; /* and NULL may still be said: PostgreSQL allows it */
            index_params(p);
        } else if (ACCEPT(p, "unique")) {
            if (SEQ(p, "nulls not distinct") || SEQ(p, "nulls distinct")) {
            }
            index_params(p);
        } else if (ACCEPT(p, "check")) {
            pgmcg__cat_skip_group(p);
            SEQ(p, "no inherit");
        } else if (ACCEPT(p, "references")) {
            if (references_tail(p))
                return -1;
        } else if (ACCEPT(p, "generated")) {
            if (generated(p, c, s))
                return -1;
        } else if (ACCEPT(p, "collate")) {
            char *sc = NULL, *n = NULL;
            if (pgmcg__cat_qname(p, &sc, &n))
                return -1;
            free(sc);
            free(c->collation);
            c->collation = n;
        } else if (ACCEPT(p, "deferrable")) {
        } else if (ACCEPT(p, "initially")) {
            p->i++;
        } else if (ACCEPT(p, "storage") || ACCEPT(p, "compression")) {
            p->i++;
        } else {
            pgmcg__cat_unexpected(p, "a column definition");
            return -1;
        }
    }
}

int pgmcg__cat_column_constraints(P *p, pgmcg_cat_column *c, int serial)
{
    seen s;
    memset(&s, 0, sizeof s);
    if (serial) {
        s.not_null = s.deflt = 1;
        c->not_null = 1;
        c->has_default = 1;
    }
    return constraints(p, c, &s, 0);
}

int pgmcg__cat_domain_constraints(P *p, const pgmcg_cat_typeref *base, int *not_null,
                                  int *has_default)
{
    pgmcg_cat_column c;
    memset(&c, 0, sizeof c);
    if (pgmcg__cat_typeref_copy(&c.type, base))
        return -1;
    c.not_null = *not_null;
    c.has_default = *has_default;
    seen s;
    memset(&s, 0, sizeof s);
    int rc = constraints(p, &c, &s, 1);
    *not_null = c.not_null;
    *has_default = c.has_default;
    pgmcg__cat_col_free(&c);
    return rc;
}

int pgmcg__cat_column_def(P *p, pgmcg_cat_column *c, const pgmcg_cat_relation *of)
{
    const pgmcg_token *at = CUR(p);
    c->name = pgmcg__cat_name1(p);
    if (!c->name)
        return -1;
    pgmcg__cat_set_pos(p, at, &c->file, &c->line, &c->col);
    if (of) {
        /* the column comes from the type or the parent: start from it, so
         * that DEFAULT NULL is judged by its type and replaces its default */
        long k = pgmcg__cat_find_col(of->cols, of->n_cols, c->name);
        if (k < 0) {
            pgmcg__cat_error(p, at, "column \"%s\" does not exist", c->name);
            return -1;
        }
        const pgmcg_cat_column *e = &of->cols[k];
        if (pgmcg__cat_typeref_copy(&c->type, &e->type))
            return -1;
        c->not_null = e->not_null;
        c->has_default = e->has_default;
        c->identity = e->identity;
        c->generated = e->generated;
        SEQ(p, "with options");
        return pgmcg__cat_column_constraints(p, c, 0);
    }
    int serial = 0;
    if (pgmcg__cat_parse_type(p, &c->type, &serial))
        return -1;
    return pgmcg__cat_column_constraints(p, c, serial);
}

/* ------------------------------------------------------ table constraints */

int pgmcg__cat_at_table_constraint(const P *p)
{
    const pgmcg_token *n1 = pgmcg__cat_peek(p, 1);
    return AT(p, "constraint") || (AT(p, "primary") && pgmcg__cat_is_word(n1, "key")) ||
           (AT(p, "unique") && (!pgmcg__cat_is_ident(n1) || pgmcg__cat_is_word(n1, "nulls") ||
                                pgmcg__cat_is_word(n1, "using"))) ||
           AT(p, "check") || (AT(p, "foreign") && pgmcg__cat_is_word(n1, "key")) ||
           AT(p, "exclude") || (AT(p, "not") && pgmcg__cat_is_word(n1, "null"));
}

int pgmcg__cat_table_constraint(P *p, pgmcg_cat_tabcon *k)
{
    memset(k, 0, sizeof *k);
    if (ACCEPT(p, "constraint")) {
        char *n = pgmcg__cat_name1(p);
        if (!n)
            return -1;
        free(n);
    }
    k->at = CUR(p);
    if (SEQ(p, "primary key")) {
        k->kind = 'p';
        if (SEQ(p, "using index")) {
            k->at = CUR(p);
            if (!(k->index = pgmcg__cat_name1(p)))
                return -1;
        } else if (pgmcg__cat_name_list(p, &k->key, &k->n_key, &k->cap_key)) {
            return -1;
        }
        index_params(p);
    } else if (SEQ(p, "not null")) {
        /* PostgreSQL 18: NOT NULL col [NO INHERIT] */
        k->kind = 'n';
        char *n = pgmcg__cat_name1(p);
        if (!n || pgmcg__cat_push(&k->key, &k->n_key, &k->cap_key, n))
            return -1;
    } else if (AT(p, "unique") || AT(p, "check") || AT(p, "foreign") || AT(p, "exclude")) {
        k->kind = AT(p, "unique") ? 'u' : AT(p, "check") ? 'c' : AT(p, "foreign") ? 'f' : 'x';
    } else {
        pgmcg__cat_unexpected(p, "a table constraint");
        return -1;
    }
    /* the rest (CHECK's expression, the foreign key, EXCLUDE's elements,
     * DEFERRABLE, NOT VALID, NO INHERIT ...) changes no column */
    pgmcg__cat_skip_expr(p, NULL);
    return 0;
}

void pgmcg__cat_tabcon_free(pgmcg_cat_tabcon *k)
{
    pgmcg__cat_free_list(k->key, k->n_key);
    free(k->index);
    memset(k, 0, sizeof *k);
}

int pgmcg__cat_tabcon_apply(P *p, const pgmcg_cat_tabcon *k, pgmcg_cat_relation *r, pgmcg_cat_in in)
{
    if (k->kind != 'p' && k->kind != 'n')
        return 0;
    char *const *key = k->key;
    size_t n_key = k->n_key;
    if (k->index) {
        const pgmcg_cat_index *x =
            in == PGMCG_CAT_IN_CREATE ? NULL : pgmcg__cat_find_index(p->cat, r, k->index);
        if (in == PGMCG_CAT_IN_CREATE) {
            pgmcg__cat_error(p, k->at, "cannot use an existing index in CREATE TABLE");
            return -1;
        }
        if (!x) {
            pgmcg__cat_error(p, k->at, "unique index \"%s\" on \"%s\" is not known to pgmc",
                             k->index, r->name);
            return -1;
        }
        key = x->cols;
        n_key = x->n_cols;
    }
    for (size_t i = 0; i < n_key; i++) {
        long c = pgmcg__cat_find_col(r->cols, r->n_cols, key[i]);
        if (c < 0) {
            /* PostgreSQL's two wordings */
            if (in == PGMCG_CAT_IN_CREATE)
                pgmcg__cat_error(p, k->at, "column \"%s\" named in key does not exist", key[i]);
            else
                pgmcg__cat_error(p, k->at, "column \"%s\" of relation \"%s\" does not exist",
                                 key[i], r->name);
            return -1;
        }
        r->cols[c].not_null = 1;
        /* as ALTER COLUMN SET NOT NULL would: the partitions too */
        if (in != PGMCG_CAT_IN_CREATE &&
            pgmcg__cat_partitions_not_null(p, r, key[i], 1, in == PGMCG_CAT_IN_ALTER_ONLY, k->at))
            return -1;
    }
    return 0;
}
