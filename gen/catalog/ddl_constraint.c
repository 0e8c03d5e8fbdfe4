/* ddl_constraint.c - column definitions and the one constraint parser of the
 * DDL replay: column constraints (NOT NULL, NULL, DEFAULT, CHECK, UNIQUE,
 * PRIMARY KEY, REFERENCES, GENERATED, COLLATE, CONSTRAINT name, DEFERRABLE)
 * and table constraints (PRIMARY KEY, UNIQUE, CHECK, FOREIGN KEY, EXCLUDE),
 * for CREATE TABLE, ALTER TABLE and CREATE DOMAIN alike.
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
void pgmcg__cat_index_params(P *p)
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
int pgmcg__cat_null_at(const P *p)
{
    if (!pgmcg__cat_is_word(pgmcg__cat_cur(p), "null"))
        return 0;
    const pgmcg_token *n = pgmcg__cat_peek(p, 1);
    return n->kind == PGMC_TOK_EOF || n->kind == PGMC_TOK_TYPECAST || pgmcg__cat_is_punct(n, ',') ||
           pgmcg__cat_is_punct(n, ')') || n->kind == PGMC_TOK_IDENT;
}

/* The constraints of a column definition, into c. Returns 0/-1. */
int pgmcg__cat_column_constraints(P *p, pgmcg_cat_column *c)
{
    for (;;) {
        const pgmcg_token *t = CUR(p);
        if (PUNCT(p, ',') || PUNCT(p, ')') || t->kind == PGMC_TOK_EOF)
            return 0;
        if (ACCEPT(p, "constraint")) {
            char *n = pgmcg__cat_name1(p);
            if (!n)
                return -1;
            free(n);
        } else if (SEQ(p, "not null")) {
            c->not_null = 1;
        } else if (SEQ(p, "not deferrable")) {
        } else if (ACCEPT(p, "null")) {
        } else if (ACCEPT(p, "default")) {
            int null_default = pgmcg__cat_null_at(p);
            pgmcg__cat_skip_expr(p, col_stops);
            /* PostgreSQL stores no default for a plain DEFAULT NULL, unless
             * a domain or a typmod coercion wraps the NULL */
            c->has_default =
                !null_default || c->type.kind == PGMC_CAT_DOMAIN || c->type.typmod_a >= 0;
        } else if (SEQ(p, "primary key")) {
            c->not_null = 1;
            pgmcg__cat_index_params(p);
        } else if (ACCEPT(p, "unique")) {
            if (SEQ(p, "nulls not distinct") || SEQ(p, "nulls distinct")) {
            }
            pgmcg__cat_index_params(p);
        } else if (ACCEPT(p, "check")) {
            pgmcg__cat_skip_group(p);
            SEQ(p, "no inherit");
        } else if (ACCEPT(p, "references")) {
            if (references_tail(p))
                return -1;
        } else if (ACCEPT(p, "generated")) {
            char kind = 0;
            if (ACCEPT(p, "always"))
                kind = 'a';
            else if (SEQ(p, "by default"))
                kind = 'd';
            if (!kind || pgmcg__cat_expect_word(p, "as"))
                return kind ? -1 : (pgmcg__cat_unexpected(p, "GENERATED"), -1);
            if (ACCEPT(p, "identity")) {
                c->identity = kind;
                c->not_null = 1;
                if (PUNCT(p, '('))
                    pgmcg__cat_skip_group(p);
            } else if (kind == 'a' && PUNCT(p, '(')) {
                pgmcg__cat_skip_group(p);
                if (pgmcg__cat_expect_word(p, "stored"))
                    return -1;
                c->generated = 's';
                c->has_default = 1;
            } else {
                pgmcg__cat_unexpected(p, "GENERATED");
                return -1;
            }
        } else if (ACCEPT(p, "collate")) {
            char *s = NULL, *n = NULL;
            if (pgmcg__cat_qname(p, &s, &n))
                return -1;
            free(s);
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

/* name type [constraints]: a new column (c zeroed by the caller). With
 * `typed` 0 (PARTITION OF / OF type), there is no type: only options. */
int pgmcg__cat_column_def(P *p, pgmcg_cat_column *c, int typed)
{
    const pgmcg_token *at = CUR(p);
    c->name = pgmcg__cat_name1(p);
    if (!c->name)
        return -1;
    pgmcg__cat_set_pos(p, at, &c->file, &c->line, &c->col);
    if (!typed) {
        SEQ(p, "with options");
        return pgmcg__cat_column_constraints(p, c);
    }
    int serial = 0;
    if (pgmcg__cat_parse_type(p, &c->type, &serial))
        return -1;
    if (serial) {
        c->not_null = 1;
        c->has_default = 1;
    }
    return pgmcg__cat_column_constraints(p, c);
}
