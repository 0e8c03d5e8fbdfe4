/* ddl_alter.c - ALTER TABLE (and ALTER VIEW / MATERIALIZED VIEW): columns
 * added, dropped, renamed, retyped, ALTER COLUMN actions, ADD constraint,
 * RENAME, SET SCHEMA, SET LOGGED/UNLOGGED, ATTACH/DETACH PARTITION.
 */
#include "catalog/catalog_int.h"

#include <stdlib.h>
#include <string.h>

typedef pgmcg_cat_parser P;

static pgmcg_cat_column *need_col(P *p, pgmcg_cat_relation *r, const char *name,
                                  const pgmcg_token *at, int if_exists)
{
    long k = pgmcg__cat_find_col(r->cols, r->n_cols, name);
    if (k < 0) {
        if (!if_exists)
            pgmcg__cat_error(p, at, "column \"%s\" of relation \"%s\" does not exist", name,
                             r->name);
        return NULL;
    }
    return &r->cols[k];
}

int pgmcg__cat_partitions_not_null(P *p, const pgmcg_cat_relation *r, const char *col, int on,
                                   int only, const pgmcg_token *at)
{
    char *q = pgmcg__cat_qualified(r->schema, r->name);
    if (!q)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < p->cat->n_rels && !rc; i++) {
        pgmcg_cat_relation *part = &p->cat->rels[i];
        if (!part->partition_of || strcmp(part->partition_of, q))
            continue;
        long k = pgmcg__cat_find_col(part->cols, part->n_cols, col);
        if (k < 0)
            continue;
        if (only) {
            if (on && !part->cols[k].not_null) {
                pgmcg__cat_error(p, at,
                                 "constraint must be added to child tables too: column \"%s\" of "
                                 "relation \"%s\" is not already NOT NULL",
                                 col, part->name);
                rc = -1;
            }
            continue;
        }
        part->cols[k].not_null = on;
        rc = pgmcg__cat_partitions_not_null(p, part, col, on, 0, at);
    }
    free(q);
    return rc;
}

/* PostgreSQL's refusal to give an identity or generated column a default. */
static int no_default_here(P *p, const pgmcg_cat_relation *r, const pgmcg_cat_column *c,
                           const pgmcg_token *at)
{
    if (!c->identity && !c->generated)
        return 0;
    pgmcg__cat_error(p, at, "column \"%s\" of relation \"%s\" is %s column", c->name, r->name,
                     c->identity ? "an identity" : "a generated");
    return -1;
}

/* ALTER [COLUMN] x ... (`only`: ALTER TABLE ONLY, partitions untouched). */
static int alter_column(P *p, pgmcg_cat_relation *r, int only)
{
    const pgmcg_token *at = CUR(p);
    char *cn = pgmcg__cat_name1(p);
    if (!cn)
        return -1;
    pgmcg_cat_column *c = need_col(p, r, cn, at, 0);
    free(cn);
    if (!c)
        return -1;
    if (SEQ(p, "set data type") || ACCEPT(p, "type")) {
        pgmcg_cat_typeref t;
        int serial;
        if (pgmcg__cat_parse_type(p, &t, &serial))
            return -1;
        pgmcg__cat_typeref_free(&c->type);
        c->type = t;
        if (ACCEPT(p, "collate")) {
            char *s = NULL, *n = NULL;
            if (pgmcg__cat_qname(p, &s, &n))
                return -1;
            free(s);
            free(c->collation);
            c->collation = n;
        }
        if (ACCEPT(p, "using"))
            pgmcg__cat_skip_expr(p, NULL);
        return 0;
    }
    /* NOT NULL and defaults mean what they mean in a column definition
     * (ddl_constraint.c). The partitions follow (see action()); with ONLY,
     * PostgreSQL wants them NOT NULL already. */
    int set = SEQ(p, "set not null");
    if (set || SEQ(p, "drop not null")) {
        c->not_null = set;
        return set && only ? pgmcg__cat_partitions_not_null(p, r, c->name, 1, 1, at) : 0;
    } else if (SEQ(p, "set default")) {
        if (no_default_here(p, r, c, at))
            return -1;
        c->has_default = pgmcg__cat_default_expr(p, &c->type, NULL);
    } else if (SEQ(p, "drop default")) {
        if (no_default_here(p, r, c, at))
            return -1;
        c->has_default = 0;
    } else if (SEQ(p, "drop expression")) {
        SEQ(p, "if exists");
        if (c->generated) {
            c->generated = 0;
            c->has_default = 0;
        }
    } else if (SEQ(p, "add generated")) {
        /* an identity column is NOT NULL without a default: PostgreSQL
         * wants the column so already rather than making it so */
        const char *why = !c->not_null  ? "must be declared NOT NULL before identity can be added"
                          : c->identity ? "is already an identity column"
                          : c->has_default ? "already has a default value"
                                           : NULL;
        if (why) {
            pgmcg__cat_error(p, at, "column \"%s\" of relation \"%s\" %s", c->name, r->name, why);
            return -1;
        }
        return pgmcg__cat_identity_spec(p, c);
    } else if (SEQ(p, "drop identity")) {
        SEQ(p, "if exists");
        c->identity = 0;
    } else if (AT(p, "set") || AT(p, "restart") || AT(p, "reset")) {
        /* SET GENERATED ..., SET sequence options, RESTART, SET STATISTICS,
         * SET STORAGE, SET COMPRESSION, SET (...), RESET (...) */
        while (!PUNCT(p, ',') && p->i < p->n) {
            if (SEQ(p, "set generated always"))
                c->identity = c->identity ? 'a' : 0;
            else if (SEQ(p, "set generated by default"))
                c->identity = c->identity ? 'd' : 0;
            else
                pgmcg__cat_skip_group(p);
        }
    } else if (ACCEPT(p, "options")) {
        pgmcg__cat_skip_group(p);
    } else {
        pgmcg__cat_unexpected(p, "ALTER COLUMN");
        return -1;
    }
    return 0;
}

/* ADD [CONSTRAINT n] PRIMARY KEY ... and other table constraints: the
 * parser and the effects of CREATE TABLE's (ddl_constraint.c). */
static int add_constraint(P *p, pgmcg_cat_relation *r, int only)
{
    pgmcg_cat_tabcon k;
    int rc = pgmcg__cat_table_constraint(p, &k);
    if (rc == 0)
        rc = pgmcg__cat_tabcon_apply(p, &k, r, only ? PGMCG_CAT_IN_ALTER_ONLY : PGMCG_CAT_IN_ALTER);
    pgmcg__cat_tabcon_free(&k);
    return rc;
}

static int rename_rel(P *p, pgmcg_cat_relation *r, char *to)
{
    if (pgmcg__cat_rel(p->cat, r->schema, to)) {
        pgmcg__cat_error(p, pgmcg__cat_peek(p, (size_t)-1), "relation \"%s\" already exists", to);
        free(to);
        return -1;
    }
    char *old = r->name;
    r->name = to;
    pgmcg__cat_rels_moved(p->cat);
    pgmcg__cat_retarget_types(p->cat, PGMC_CAT_COMPOSITE, r->schema, old, r->schema, to);
    free(old);
    return 0;
}

static int set_rel_schema(P *p, pgmcg_cat_relation *r)
{
    const pgmcg_token *at = CUR(p);
    char *s = pgmcg__cat_name1(p);
    if (!s)
        return -1;
    if (!pgmcg__cat_schema_exists(p->cat, s)) {
        pgmcg__cat_error(p, at, "schema \"%s\" does not exist", s);
        free(s);
        return -1;
    }
    char *old = r->schema;
    r->schema = s;
    pgmcg__cat_rels_moved(p->cat);
    pgmcg__cat_retarget_types(p->cat, PGMC_CAT_COMPOSITE, old, r->name, s, r->name);
    free(old);
    return 0;
}

static int alter_action(P *p, pgmcg_cat_relation *r, int only)
{
    if (ACCEPT(p, "add")) {
        if (pgmcg__cat_at_table_constraint(p))
            return add_constraint(p, r, only);
        ACCEPT(p, "column");
        int if_not = SEQ(p, "if not exists");
        pgmcg_cat_column c;
        memset(&c, 0, sizeof c);
        if (pgmcg__cat_column_def(p, &c, NULL)) {
            pgmcg__cat_col_free(&c);
            return -1;
        }
        if (pgmcg__cat_find_col(r->cols, r->n_cols, c.name) >= 0) {
            if (!if_not)
                pgmcg__cat_error(p, pgmcg__cat_peek(p, 0),
                                 "column \"%s\" of relation \"%s\" already exists", c.name,
                                 r->name);
            pgmcg__cat_col_free(&c);
            return if_not ? 0 : -1;
        }
        pgmcg_cat_column *d = pgmcg__cat_add_col(&r->cols, &r->n_cols, &r->cap_cols);
        if (!d) {
            pgmcg__cat_col_free(&c);
            return -1;
        }
        *d = c;
        return 0;
    }
    if (ACCEPT(p, "drop")) {
        if (ACCEPT(p, "constraint")) {
            pgmcg__cat_skip_expr(p, NULL);
            return 0;
        }
        ACCEPT(p, "column");
        int if_exists = SEQ(p, "if exists");
        const pgmcg_token *at = CUR(p);
        char *cn = pgmcg__cat_name1(p);
        if (!cn)
            return -1;
        long k = pgmcg__cat_find_col(r->cols, r->n_cols, cn);
        if (k < 0 && !if_exists)
            pgmcg__cat_error(p, at, "column \"%s\" of relation \"%s\" does not exist", cn, r->name);
        free(cn);
        if (k >= 0)
            pgmcg__cat_remove_col(r->cols, &r->n_cols, (size_t)k);
        (void)(ACCEPT(p, "cascade") || ACCEPT(p, "restrict"));
        return k >= 0 || if_exists ? 0 : -1;
    }
    if (ACCEPT(p, "alter")) {
        if (ACCEPT(p, "constraint")) {
            pgmcg__cat_skip_expr(p, NULL);
            return 0;
        }
        ACCEPT(p, "column");
        return alter_column(p, r, only);
    }
    if (ACCEPT(p, "rename")) {
        if (ACCEPT(p, "constraint")) {
            pgmcg__cat_skip_expr(p, NULL);
            return 0;
        }
        if (ACCEPT(p, "to")) {
            char *to = pgmcg__cat_name1(p);
            return to ? rename_rel(p, r, to) : -1;
        }
        ACCEPT(p, "column");
        const pgmcg_token *at = CUR(p);
        char *from = pgmcg__cat_name1(p);
        if (!from)
            return -1;
        pgmcg_cat_column *c = need_col(p, r, from, at, 0);
        free(from);
        if (!c || pgmcg__cat_expect_word(p, "to"))
            return -1;
        char *to = pgmcg__cat_name1(p);
        if (!to)
            return -1;
        if (pgmcg__cat_find_col(r->cols, r->n_cols, to) >= 0) {
            pgmcg__cat_error(p, at, "column \"%s\" of relation \"%s\" already exists", to, r->name);
            free(to);
            return -1;
        }
        free(c->name);
        c->name = to;
        return 0;
    }
    if (SEQ(p, "set schema"))
        return set_rel_schema(p, r);
    if (SEQ(p, "set logged")) {
        r->unlogged = 0;
        return 0;
    }
    if (SEQ(p, "set unlogged")) {
        r->unlogged = 1;
        return 0;
    }
    if (SEQ(p, "attach partition")) {
        pgmcg_cat_relation *part = pgmcg__cat_parse_rel(p);
        if (!part)
            return -1;
        char *q = pgmcg__cat_qualified(r->schema, r->name);
        if (!q)
            return -1;
        free(part->partition_of);
        part->partition_of = q;
        pgmcg__cat_skip_expr(p, NULL);
        return 0;
    }
    if (SEQ(p, "detach partition")) {
        pgmcg_cat_relation *part = pgmcg__cat_parse_rel(p);
        if (!part)
            return -1;
        free(part->partition_of);
        part->partition_of = NULL;
        pgmcg__cat_skip_expr(p, NULL);
        return 0;
    }
    static const char *const ignored[] = {"owner",   "enable",   "disable", "set",   "reset",
                                          "cluster", "validate", "inherit", "no",    "of",
                                          "not",     "replica",  "force",   "alter", NULL};
    for (const char *const *w = ignored; *w; w++)
        if (AT(p, *w)) {
            pgmcg__cat_skip_expr(p, NULL);
            return 0;
        }
    pgmcg__cat_unexpected(p, "ALTER TABLE");
    return -1;
}

/* 1 if the action at token `at` is one PostgreSQL repeats on each
 * partition: ADD [COLUMN], DROP [COLUMN], RENAME [COLUMN], ALTER [COLUMN]
 * (but for ADD GENERATED ... AS IDENTITY).
 * (ADD of a table constraint reaches them through pgmcg__cat_tabcon_apply.) */
static int column_action(P *p, size_t at)
{
    size_t save = p->i;
    p->i = at;
    int yes = 0;
    if (ACCEPT(p, "add"))
        yes = !pgmcg__cat_at_table_constraint(p);
    else if (ACCEPT(p, "drop"))
        yes = !AT(p, "constraint");
    else if (ACCEPT(p, "alter") && !AT(p, "constraint")) {
        ACCEPT(p, "column");
        p->i++; /* the column; ADD GENERATED ... AS IDENTITY stays on the parent */
        yes = !AT(p, "add");
    } else if (ACCEPT(p, "rename"))
        yes = !AT(p, "constraint") && !AT(p, "to");
    p->i = save;
    return yes;
}

/* Index of the first partition of rels[idx] at or after `from`, or n_rels. */
static size_t next_partition(const pgmcg_catalog *cat, size_t idx, size_t from)
{
    const pgmcg_cat_relation *r = &cat->rels[idx];
    size_t ls = strlen(r->schema);
    for (size_t i = from; i < cat->n_rels; i++) {
        const char *of = cat->rels[i].partition_of;
        if (of && !strncmp(of, r->schema, ls) && of[ls] == '.' && !strcmp(of + ls + 1, r->name))
            return i;
    }
    return cat->n_rels;
}

/* Replay the action at token `start` on the partitions of rels[idx], and
 * theirs, as PostgreSQL does. */
static int on_partitions(P *p, size_t idx, size_t start)
{
    for (size_t i = next_partition(p->cat, idx, 0); i < p->cat->n_rels;
         i = next_partition(p->cat, idx, i + 1)) {
        p->i = start;
        if (alter_action(p, &p->cat->rels[i], 0) || on_partitions(p, i, start))
            return -1;
    }
    return 0;
}

/* One action on rels[idx], and on its partitions when PostgreSQL takes
 * them along (`only`: ALTER TABLE ONLY). */
static int action(P *p, size_t idx, int only)
{
    size_t start = p->i, n_cols = p->cat->rels[idx].n_cols;
    if (alter_action(p, &p->cat->rels[idx], only))
        return -1;
    if (next_partition(p->cat, idx, 0) == p->cat->n_rels || !column_action(p, start))
        return 0;
    const pgmcg_cat_relation *r = &p->cat->rels[idx];
    int added = r->n_cols > n_cols;
    if (added && only) {
        pgmcg__cat_error(p, &p->t[start], "column must be added to child tables too");
        return -1;
    }
    if (added && r->cols[r->n_cols - 1].identity) {
        pgmcg__cat_error(p, &p->t[start],
                         "cannot recursively add identity column to table that has child tables");
        return -1;
    }
    if (only)
        return 0;
    size_t end = p->i;
    if (on_partitions(p, idx, start))
        return -1;
    p->i = end;
    return 0;
}

int pgmcg__cat_alter_table(P *p, int is_view)
{
    if (SEQ(p, "all in tablespace"))
        return 0;
    int if_exists = SEQ(p, "if exists");
    int only = ACCEPT(p, "only");
    const pgmcg_token *at = CUR(p);
    char *s = NULL, *n = NULL;
    if (pgmcg__cat_qname(p, &s, &n))
        return -1;
    if (ACCEPT_PUNCT(p, '*'))
        only = 0;
    pgmcg_cat_relation *r = pgmcg__cat_need_rel(p, s, n, at, if_exists);
    free(s);
    free(n);
    if (!r)
        return if_exists ? 0 : -1;
    (void)is_view;
    size_t idx = (size_t)(r - p->cat->rels);
    do {
        if (action(p, idx, only))
            return -1;
    } while (ACCEPT_PUNCT(p, ','));
    if (CUR(p)->kind != PGMC_TOK_EOF) {
        pgmcg__cat_unexpected(p, "ALTER TABLE");
        return -1;
    }
    return 0;
}
