/* ddl_table.c - new relations: CREATE TABLE (columns, LIKE, INHERITS, OF
 * type, PARTITION OF, options, AS query), CREATE VIEW and MATERIALIZED VIEW.
 */
#include "catalog/catalog_int.h"

#include <stdlib.h>
#include <string.h>

typedef pgmcg_cat_parser P;

/* ------------------------------------------------------------ CREATE TABLE */

/* The table being built: columns, and the table constraints, applied once
 * all columns are there (INHERITS comes after the elements). */
typedef struct build {
    pgmcg_cat_relation r;
    pgmcg_cat_tabcon *cons;
    size_t n_cons, cap_cons;
} build;

static void build_free(build *b)
{
    for (size_t i = 0; i < b->r.n_cols; i++)
        pgmcg__cat_col_free(&b->r.cols[i]);
    free(b->r.cols);
    free(b->r.partition_of);
    pgmcg__cat_free_list(b->r.deps, b->r.n_deps);
    for (size_t i = 0; i < b->n_cons; i++)
        pgmcg__cat_tabcon_free(&b->cons[i]);
    free(b->cons);
    memset(b, 0, sizeof *b);
}

/* Add (or merge into an existing same-named) column. Takes c's contents. */
static int add_merged(build *b, pgmcg_cat_column *c, int inherited)
{
    long k = pgmcg__cat_find_col(b->r.cols, b->r.n_cols, c->name);
    if (k >= 0) {
        pgmcg_cat_column *e = &b->r.cols[k];
        e->not_null |= c->not_null;
        if (c->has_default || !inherited) {
            e->has_default = c->has_default || e->has_default;
            if (c->generated)
                e->generated = c->generated;
        }
        if (c->identity)
            e->identity = c->identity;
        pgmcg__cat_col_free(c);
        return 0;
    }
    pgmcg_cat_column *d = pgmcg__cat_add_col(&b->r.cols, &b->r.n_cols, &b->r.cap_cols);
    if (!d) {
        pgmcg__cat_col_free(c);
        return -1;
    }
    *d = *c;
    memset(c, 0, sizeof *c);
    return 0;
}

/* Copy a parent's columns the way inheritance and partitions get them:
 * NOT NULL, defaults and generation kept, identity not. */
static int inherit_from(build *b, const pgmcg_cat_relation *parent)
{
    for (size_t i = 0; i < parent->n_cols; i++) {
        pgmcg_cat_column c;
        if (pgmcg__cat_col_copy(&c, &parent->cols[i]))
            return -1;
        c.identity = 0;
        free(c.comment);
        c.comment = NULL;
        if (add_merged(b, &c, 1))
            return -1;
    }
    return 0;
}

/* LIKE source [INCLUDING|EXCLUDING option]... */
static int like_clause(P *p, build *b)
{
    const pgmcg_token *at = CUR(p);
    char *s = NULL, *n = NULL;
    if (pgmcg__cat_qname(p, &s, &n))
        return -1;
    pgmcg_cat_relation *src = pgmcg__cat_need_rel(p, s, n, at, 0);
    free(s);
    free(n);
    int defaults = 0, identity = 0, generated = 0, comments = 0;
    for (;;) {
        int inc;
        if (ACCEPT(p, "including"))
            inc = 1;
        else if (ACCEPT(p, "excluding"))
            inc = 0;
        else
            break;
        const pgmcg_token *o = CUR(p);
        if (pgmcg__cat_is_word(o, "all"))
            defaults = identity = generated = comments = inc;
        else if (pgmcg__cat_is_word(o, "defaults"))
            defaults = inc;
        else if (pgmcg__cat_is_word(o, "identity"))
            identity = inc;
        else if (pgmcg__cat_is_word(o, "generated"))
            generated = inc;
        else if (pgmcg__cat_is_word(o, "comments"))
            comments = inc;
        else if (!pgmcg__cat_is_word(o, "constraints") && !pgmcg__cat_is_word(o, "indexes") &&
                 !pgmcg__cat_is_word(o, "storage") && !pgmcg__cat_is_word(o, "statistics") &&
                 !pgmcg__cat_is_word(o, "compression")) {
            pgmcg__cat_unexpected(p, "LIKE options");
            return -1;
        }
        p->i++;
    }
    if (!src)
        return -1;
    for (size_t i = 0; i < src->n_cols; i++) {
        pgmcg_cat_column c;
        if (pgmcg__cat_col_copy(&c, &src->cols[i]))
            return -1;
        if (c.generated) {
            if (!generated)
                c.generated = 0, c.has_default = 0;
        } else if (!defaults) {
            c.has_default = 0;
        }
        if (!identity)
            c.identity = 0;
        if (!comments) {
            free(c.comment);
            c.comment = NULL;
        }
        pgmcg__cat_set_pos(p, at, &c.file, &c.line, &c.col);
        if (add_merged(b, &c, 0))
            return -1;
    }
    return 0;
}

/* A table constraint, kept for commit_rel. */
static int table_constraint(P *p, build *b)
{
    if (b->n_cons == b->cap_cons) {
        size_t cap = b->cap_cons ? b->cap_cons * 2 : 4;
        pgmcg_cat_tabcon *v = realloc(b->cons, cap * sizeof *v);
        if (!v)
            return -1;
        b->cons = v;
        b->cap_cons = cap;
    }
    return pgmcg__cat_table_constraint(p, &b->cons[b->n_cons++]);
}

/* The parenthesised element list. `typed` 0: PARTITION OF / OF (options of
 * the columns b has already, no new columns). */
static int elements(P *p, build *b, int typed)
{
    if (pgmcg__cat_expect_punct(p, '('))
        return -1;
    if (ACCEPT_PUNCT(p, ')'))
        return 0;
    for (;;) {
        if (pgmcg__cat_at_table_constraint(p)) {
            if (table_constraint(p, b))
                return -1;
        } else if (ACCEPT(p, "like")) {
            if (like_clause(p, b))
                return -1;
        } else {
            pgmcg_cat_column c;
            memset(&c, 0, sizeof c);
            if (pgmcg__cat_column_def(p, &c, typed ? NULL : &b->r)) {
                pgmcg__cat_col_free(&c);
                return -1;
            }
            if (!typed) {
                /* c started as the column: it has the options' effect */
                pgmcg_cat_column *e =
                    &b->r.cols[pgmcg__cat_find_col(b->r.cols, b->r.n_cols, c.name)];
                e->not_null = c.not_null;
                e->has_default = c.has_default;
                e->identity = c.identity;
                e->generated = c.generated;
                pgmcg__cat_col_free(&c);
            } else if (add_merged(b, &c, 0)) {
                return -1;
            }
        }
        if (ACCEPT_PUNCT(p, ','))
            continue;
        return pgmcg__cat_expect_punct(p, ')');
    }
}

/* The options after the element list. */
static int table_options(P *p, build *b)
{
    for (;;) {
        if (CUR(p)->kind == PGMC_TOK_EOF)
            return 0;
        if (ACCEPT(p, "inherits")) {
            if (pgmcg__cat_expect_punct(p, '('))
                return -1;
            do {
                pgmcg_cat_relation *par = pgmcg__cat_parse_rel(p);
                if (!par)
                    return -1;
                /* parents' columns go first: rebuild with them in front */
                build nb;
                memset(&nb, 0, sizeof nb);
                if (inherit_from(&nb, par))
                    return build_free(&nb), -1;
                for (size_t i = 0; i < b->r.n_cols; i++)
                    if (add_merged(&nb, &b->r.cols[i], 0))
                        return build_free(&nb), -1;
                b->r.n_cols = 0;
                free(b->r.cols);
                b->r.cols = nb.r.cols;
                b->r.n_cols = nb.r.n_cols;
                b->r.cap_cols = nb.r.cap_cols;
            } while (ACCEPT_PUNCT(p, ','));
            if (pgmcg__cat_expect_punct(p, ')'))
                return -1;
        } else if (SEQ(p, "partition by")) {
            b->r.kind = PGMC_REL_PARTITIONED;
            p->i++; /* RANGE | LIST | HASH */
            pgmcg__cat_skip_group(p);
        } else if (ACCEPT(p, "using") || ACCEPT(p, "tablespace")) {
            p->i++;
        } else if (ACCEPT(p, "with")) {
            pgmcg__cat_skip_group(p);
        } else if (SEQ(p, "without oids")) {
        } else if (SEQ(p, "on commit")) {
            if (!SEQ(p, "preserve rows") && !SEQ(p, "delete rows") && !ACCEPT(p, "drop")) {
                pgmcg__cat_unexpected(p, "ON COMMIT");
                return -1;
            }
        } else {
            pgmcg__cat_unexpected(p, "CREATE TABLE options");
            return -1;
        }
    }
}

/* Move a finished build into the catalog. */
static int commit_rel(P *p, build *b, const char *schema, const char *name, const pgmcg_token *at)
{
    for (size_t i = 0; i < b->n_cons; i++)
        if (pgmcg__cat_tabcon_apply(p, &b->cons[i], &b->r, PGMCG_CAT_IN_CREATE))
            return -1;
    pgmcg_cat_relation *r = pgmcg__cat_add_rel(p->cat, schema, name);
    if (!r)
        return -1;
    r->kind = b->r.kind ? b->r.kind : PGMC_REL_TABLE;
    r->cols = b->r.cols;
    r->n_cols = b->r.n_cols;
    r->cap_cols = b->r.cap_cols;
    r->partition_of = b->r.partition_of;
    r->unlogged = b->r.unlogged;
    r->temp = b->r.temp;
    if (r->temp)
        p->cat->n_temp_rels++;
    r->opaque = b->r.opaque;
    r->deps = b->r.deps;
    r->n_deps = b->r.n_deps;
    r->cap_deps = b->r.cap_deps;
    pgmcg__cat_set_pos(p, at, &r->file, &r->line, &r->col);
    memset(&b->r, 0, sizeof b->r);
    return 0;
}

/* Is there a depth-0 AS from the cursor on (CREATE TABLE ... AS)? */
static int has_top_as(const P *p)
{
    size_t depth = 0;
    for (size_t i = p->i; i < p->n; i++) {
        const pgmcg_token *t = &p->t[i];
        if (pgmcg__cat_is_punct(t, '('))
            depth++;
        else if (pgmcg__cat_is_punct(t, ')') && depth)
            depth--;
        else if (!depth && pgmcg__cat_is_word(t, "as"))
            return 1;
    }
    return 0;
}

int pgmcg__cat_create_table(P *p, int temp, int unlogged)
{
    int if_not = SEQ(p, "if not exists");
    const pgmcg_token *at = CUR(p);
    char *schema = NULL, *name = NULL;
    if (pgmcg__cat_qname(p, &schema, &name))
        return -1;
    if (schema && !strcmp(schema, "pg_temp"))
        temp = 1;
    if (temp) {
        free(schema);
        schema = pgmcg__cat_strdup("pg_temp");
    } else if (!(schema = pgmcg__cat_target_schema(p, schema, at))) {
        free(name);
        return -1;
    }
    int rc = -1;
    build b;
    memset(&b, 0, sizeof b);
    b.r.temp = temp;
    b.r.unlogged = unlogged;
    b.r.kind = PGMC_REL_TABLE;
    pgmcg_cat_relation *old = temp ? pgmcg__cat_lookup_rel(p->cat, "pg_temp", name)
                                   : pgmcg__cat_rel(p->cat, schema, name);
    if (old || (!temp && pgmcg__cat_type(p->cat, schema, name))) {
        if (if_not)
            rc = 0;
        else
            pgmcg__cat_error(p, at, "relation \"%s\" already exists", name);
        goto out;
    }
    if (has_top_as(p)) {
        char **cols = NULL;
        size_t n_cols = 0, cap = 0;
        if (PUNCT(p, '(') && pgmcg__cat_name_list(p, &cols, &n_cols, &cap)) {
            pgmcg__cat_free_list(cols, n_cols);
            goto out;
        }
        while (!AT(p, "as") && p->i < p->n)
            pgmcg__cat_skip_group(p);
        p->i++;
        rc = pgmcg__cat_derive_view(p, &b.r, cols, n_cols);
        pgmcg__cat_free_list(cols, n_cols);
        if (rc == 0)
            rc = commit_rel(p, &b, schema, name, at);
        goto out;
    }
    if (ACCEPT(p, "of")) {
        const pgmcg_token *tat = CUR(p);
        char *ts = NULL, *tn = NULL;
        if (pgmcg__cat_qname(p, &ts, &tn))
            goto out;
        pgmcg_cat_type *ty = pgmcg__cat_lookup_type(p->cat, ts, tn);
        free(ts);
        free(tn);
        if (!ty || ty->kind != PGMC_CAT_COMPOSITE) {
            pgmcg__cat_error(p, tat, "type is not a composite type known to pgmc");
            goto out;
        }
        for (size_t i = 0; i < ty->n_attrs; i++) {
            pgmcg_cat_column c;
            if (pgmcg__cat_col_copy(&c, &ty->attrs[i]) || add_merged(&b, &c, 1))
                goto out;
        }
        if (PUNCT(p, '(') && elements(p, &b, 0))
            goto out;
    } else if (SEQ(p, "partition of")) {
        const pgmcg_token *pat = CUR(p);
        char *ps = NULL, *pn = NULL;
        if (pgmcg__cat_qname(p, &ps, &pn))
            goto out;
        pgmcg_cat_relation *par = pgmcg__cat_need_rel(p, ps, pn, pat, 0);
        free(ps);
        free(pn);
        if (!par)
            goto out;
        if (!(b.r.partition_of = pgmcg__cat_qualified(par->schema, par->name)) ||
            inherit_from(&b, par))
            goto out;
        if (PUNCT(p, '(') && elements(p, &b, 0))
            goto out;
        if (SEQ(p, "for values")) {
            if (ACCEPT(p, "in") || (ACCEPT(p, "with"))) {
                pgmcg__cat_skip_group(p);
            } else if (ACCEPT(p, "from")) {
                pgmcg__cat_skip_group(p);
                if (pgmcg__cat_expect_word(p, "to"))
                    goto out;
                pgmcg__cat_skip_group(p);
            } else {
                pgmcg__cat_unexpected(p, "FOR VALUES");
                goto out;
            }
        } else if (!ACCEPT(p, "default")) {
            pgmcg__cat_unexpected(p, "PARTITION OF (expected FOR VALUES or DEFAULT)");
            goto out;
        }
    } else if (elements(p, &b, 1)) {
        goto out;
    }
    if (table_options(p, &b))
        goto out;
    rc = commit_rel(p, &b, schema, name, at);
out:
    build_free(&b);
    free(schema);
    free(name);
    return rc;
}

/* ------------------------------------------------------------ CREATE VIEW */

int pgmcg__cat_create_view(P *p, pgmcg_cat_relkind kind, int or_replace, int temp)
{
    int if_not = SEQ(p, "if not exists");
    const pgmcg_token *at = CUR(p);
    char *schema = NULL, *name = NULL;
    if (pgmcg__cat_qname(p, &schema, &name))
        return -1;
    if (temp) {
        free(schema);
        schema = pgmcg__cat_strdup("pg_temp");
    } else if (!(schema = pgmcg__cat_target_schema(p, schema, at))) {
        free(name);
        return -1;
    }
    int rc = -1;
    char **cols = NULL;
    size_t n_cols = 0, cap = 0;
    build b;
    memset(&b, 0, sizeof b);
    b.r.kind = kind;
    b.r.temp = temp;
    pgmcg_cat_relation *old = temp ? pgmcg__cat_lookup_rel(p->cat, "pg_temp", name)
                                   : pgmcg__cat_rel(p->cat, schema, name);
    if (old && !or_replace) {
        if (if_not)
            rc = 0;
        else
            pgmcg__cat_error(p, at, "relation \"%s\" already exists", name);
        goto out;
    }
    if (PUNCT(p, '(') && pgmcg__cat_name_list(p, &cols, &n_cols, &cap))
        goto out;
    while (!AT(p, "as") && p->i < p->n)
        pgmcg__cat_skip_group(p); /* USING, WITH (...), TABLESPACE */
    if (pgmcg__cat_expect_word(p, "as"))
        goto out;
    if (pgmcg__cat_derive_view(p, &b.r, cols, n_cols))
        goto out;
    if (old) {
        /* OR REPLACE: the comment stays */
        char *comment = old->comment;
        old->comment = NULL;
        pgmcg__cat_drop_rel(p->cat, (size_t)(old - p->cat->rels));
        rc = commit_rel(p, &b, schema, name, at);
        pgmcg_cat_relation *r = pgmcg__cat_rel(p->cat, schema, name);
        if (r)
            r->comment = comment;
        else
            free(comment);
    } else {
        rc = commit_rel(p, &b, schema, name, at);
    }
out:
    pgmcg__cat_free_list(cols, n_cols);
    build_free(&b);
    free(schema);
    free(name);
    return rc;
}
