/* ddl_type.c - user types: CREATE TYPE (enum, composite), CREATE DOMAIN,
 * ALTER TYPE (values, attributes, RENAME, SET SCHEMA), ALTER DOMAIN.
 */
#include "catalog/catalog_int.h"

#include <stdlib.h>
#include <string.h>

typedef pgmcg_cat_parser P;

int pgmcg__cat_create_type(P *p)
{
    const pgmcg_token *at = CUR(p);
    char *schema = NULL, *name = NULL;
    if (pgmcg__cat_qname(p, &schema, &name))
        return -1;
    if (!AT(p, "as")) {
        free(schema);
        free(name);
        return 0; /* shell type, base type, RANGE: no row type changes */
    }
    p->i++;
    int is_enum = ACCEPT(p, "enum"), is_comp = PUNCT(p, '(');
    if (!is_enum && !is_comp) {
        free(schema);
        free(name);
        return 0; /* AS RANGE */
    }
    if (!(schema = pgmcg__cat_target_schema(p, schema, at))) {
        free(name);
        return -1;
    }
    if (pgmcg__cat_type(p->cat, schema, name) || pgmcg__cat_rel(p->cat, schema, name)) {
        pgmcg__cat_error(p, at, "type \"%s\" already exists", name);
        free(schema);
        free(name);
        return -1;
    }
    pgmcg_cat_type *t = pgmcg__cat_add_type(p->cat, schema, name);
    free(schema);
    free(name);
    if (!t)
        return -1;
    pgmcg__cat_set_pos(p, at, &t->file, &t->line, &t->col);
    t->kind = is_enum ? PGMC_CAT_ENUM : PGMC_CAT_COMPOSITE;
    if (pgmcg__cat_expect_punct(p, '('))
        goto bad;
    if (ACCEPT_PUNCT(p, ')'))
        return 0;
    for (;;) {
        if (is_enum) {
            char *l = pgmcg__cat_string(CUR(p));
            if (!l) {
                char b[64];
                pgmcg__cat_error(p, CUR(p), "expected an enum label (a string), found %s",
                                 pgmcg__cat_tokstr(CUR(p), b, sizeof b));
                goto bad;
            }
            p->i++;
            if (pgmcg__cat_push(&t->labels, &t->n_labels, &t->cap_labels, l))
                goto bad;
        } else {
            pgmcg_cat_column *c = pgmcg__cat_add_col(&t->attrs, &t->n_attrs, &t->cap_attrs);
            if (!c)
                goto bad;
            c->type.kind = PGMC_CAT_UNKNOWN;
            const pgmcg_token *cat_at = CUR(p);
            int serial;
            if (!(c->name = pgmcg__cat_name1(p)) || pgmcg__cat_parse_type(p, &c->type, &serial))
                goto bad;
            pgmcg__cat_set_pos(p, cat_at, &c->file, &c->line, &c->col);
            if (ACCEPT(p, "collate")) {
                char *s = NULL, *n = NULL;
                if (pgmcg__cat_qname(p, &s, &n))
                    goto bad;
                free(s);
                c->collation = n;
            }
        }
        if (ACCEPT_PUNCT(p, ','))
            continue;
        if (pgmcg__cat_expect_punct(p, ')'))
            goto bad;
        return 0;
    }
bad:
    /* PostgreSQL creates nothing for a failed statement */
    pgmcg__cat_drop_type(p->cat, p->cat->n_types - 1);
    return -1;
}

int pgmcg__cat_create_domain(P *p)
{
    const pgmcg_token *at = CUR(p);
    char *schema = NULL, *name = NULL;
    if (pgmcg__cat_qname(p, &schema, &name))
        return -1;
    if (!(schema = pgmcg__cat_target_schema(p, schema, at))) {
        free(name);
        return -1;
    }
    if (pgmcg__cat_type(p->cat, schema, name) || pgmcg__cat_rel(p->cat, schema, name)) {
        pgmcg__cat_error(p, at, "type \"%s\" already exists", name);
        free(schema);
        free(name);
        return -1;
    }
    ACCEPT(p, "as");
    pgmcg_cat_typeref base;
    int serial;
    int not_null = 0, has_default = 0;
    if (pgmcg__cat_parse_type(p, &base, &serial)) {
        free(schema);
        free(name);
        return -1;
    }
    /* the constraints first: PostgreSQL creates nothing for a failed statement */
    if (pgmcg__cat_domain_constraints(p, &base, &not_null, &has_default)) {
        pgmcg__cat_typeref_free(&base);
        free(schema);
        free(name);
        return -1;
    }
    pgmcg_cat_type *t = pgmcg__cat_add_type(p->cat, schema, name);
    free(schema);
    free(name);
    if (!t) {
        pgmcg__cat_typeref_free(&base);
        return -1;
    }
    t->kind = PGMC_CAT_DOMAIN;
    t->base = base;
    pgmcg__cat_set_pos(p, at, &t->file, &t->line, &t->col);
    t->not_null = not_null;
    t->has_default = has_default;
    return 0;
}

pgmcg_cat_type *pgmcg__cat_need_type(P *p, const char *s, const char *n, const pgmcg_token *at,
                                     int if_exists)
{
    pgmcg_cat_type *t = pgmcg__cat_lookup_type(p->cat, s, n);
    if (!t && !if_exists)
        pgmcg__cat_error(p, at, "type \"%s%s%s\" does not exist", s ? s : "", s ? "." : "", n);
    return t;
}

static int type_rename_or_schema(P *p, pgmcg_cat_type *t)
{
    const pgmcg_token *at = CUR(p);
    if (SEQ(p, "rename to")) {
        char *to = pgmcg__cat_name1(p);
        if (!to)
            return -1;
        if (pgmcg__cat_type(p->cat, t->schema, to)) {
            pgmcg__cat_error(p, at, "type \"%s\" already exists", to);
            free(to);
            return -1;
        }
        char *old = t->name;
        t->name = to;
        pgmcg__cat_retarget_types(p->cat, t->kind, t->schema, old, t->schema, to);
        free(old);
        return 0;
    }
    if (SEQ(p, "set schema")) {
        at = CUR(p);
        char *s = pgmcg__cat_name1(p);
        if (!s)
            return -1;
        if (!pgmcg__cat_schema_exists(p->cat, s)) {
            pgmcg__cat_error(p, at, "schema \"%s\" does not exist", s);
            free(s);
            return -1;
        }
        char *old = t->schema;
        t->schema = s;
        pgmcg__cat_retarget_types(p->cat, t->kind, old, t->name, s, t->name);
        free(old);
        return 0;
    }
    return 1; /* not handled */
}

/* ALTER TYPE / ALTER DOMAIN name, then RENAME TO or SET SCHEMA if that is
 * the action: 1 with *t set when another action follows, 0 when done, -1
 * on error (reported). */
static int alter_type_head(P *p, pgmcg_cat_type **t)
{
    const pgmcg_token *at = CUR(p);
    char *s = NULL, *n = NULL;
    if (pgmcg__cat_qname(p, &s, &n))
        return -1;
    *t = pgmcg__cat_need_type(p, s, n, at, 0);
    free(s);
    free(n);
    if (!*t)
        return -1;
    return type_rename_or_schema(p, *t);
}

int pgmcg__cat_alter_type(P *p)
{
    pgmcg_cat_type *t;
    int r = alter_type_head(p, &t);
    if (r <= 0)
        return r;
    if (SEQ(p, "add value")) {
        int if_not = SEQ(p, "if not exists");
        const pgmcg_token *lat = CUR(p);
        char *l = pgmcg__cat_string(CUR(p));
        if (!l) {
            pgmcg__cat_unexpected(p, "ALTER TYPE ADD VALUE");
            return -1;
        }
        p->i++;
        if (pgmcg__cat_find_str(t->labels, t->n_labels, l) >= 0) {
            if (!if_not)
                pgmcg__cat_error(p, lat, "enum label \"%s\" already exists", l);
            free(l);
            return if_not ? 0 : -1;
        }
        size_t pos = t->n_labels;
        int before = ACCEPT(p, "before"), after = !before && ACCEPT(p, "after");
        if (before || after) {
            const pgmcg_token *nat = CUR(p);
            char *nb = pgmcg__cat_string(CUR(p));
            long k = nb ? pgmcg__cat_find_str(t->labels, t->n_labels, nb) : -1;
            if (k < 0) {
                pgmcg__cat_error(p, nat, "\"%s\" is not an existing enum label", nb ? nb : "?");
                free(nb);
                free(l);
                return -1;
            }
            free(nb);
            p->i++;
            pos = (size_t)k + (after ? 1 : 0);
        }
        if (pgmcg__cat_push(&t->labels, &t->n_labels, &t->cap_labels, l))
            return -1;
        memmove(t->labels + pos + 1, t->labels + pos, (t->n_labels - 1 - pos) * sizeof *t->labels);
        t->labels[pos] = l;
        return 0;
    }
    if (SEQ(p, "rename value")) {
        const pgmcg_token *lat = CUR(p);
        char *from = pgmcg__cat_string(CUR(p));
        long k = from ? pgmcg__cat_find_str(t->labels, t->n_labels, from) : -1;
        if (k < 0) {
            pgmcg__cat_error(p, lat, "\"%s\" is not an existing enum label", from ? from : "?");
            free(from);
            return -1;
        }
        free(from);
        p->i++;
        if (pgmcg__cat_expect_word(p, "to"))
            return -1;
        char *to = pgmcg__cat_string(CUR(p));
        if (!to) {
            pgmcg__cat_unexpected(p, "RENAME VALUE");
            return -1;
        }
        p->i++;
        free(t->labels[k]);
        t->labels[k] = to;
        return 0;
    }
    if (t->kind == PGMC_CAT_COMPOSITE) {
        for (;;) {
            if (SEQ(p, "add attribute")) {
                pgmcg_cat_column c;
                memset(&c, 0, sizeof c);
                int serial;
                const pgmcg_token *cat_at = CUR(p);
                if (!(c.name = pgmcg__cat_name1(p)) || pgmcg__cat_parse_type(p, &c.type, &serial)) {
                    pgmcg__cat_col_free(&c);
                    return -1;
                }
                pgmcg__cat_set_pos(p, cat_at, &c.file, &c.line, &c.col);
                pgmcg_cat_column *d = pgmcg__cat_add_col(&t->attrs, &t->n_attrs, &t->cap_attrs);
                if (!d) {
                    pgmcg__cat_col_free(&c);
                    return -1;
                }
                *d = c;
            } else if (SEQ(p, "drop attribute")) {
                int ie = SEQ(p, "if exists");
                const pgmcg_token *aat = CUR(p);
                char *an = pgmcg__cat_name1(p);
                if (!an)
                    return -1;
                long k = pgmcg__cat_find_col(t->attrs, t->n_attrs, an);
                if (k < 0 && !ie)
                    pgmcg__cat_error(p, aat, "attribute \"%s\" does not exist", an);
                free(an);
                if (k >= 0)
                    pgmcg__cat_remove_col(t->attrs, &t->n_attrs, (size_t)k);
                else if (!ie)
                    return -1;
            } else if (SEQ(p, "alter attribute")) {
                const pgmcg_token *aat = CUR(p);
                char *an = pgmcg__cat_name1(p);
                if (!an)
                    return -1;
                long k = pgmcg__cat_find_col(t->attrs, t->n_attrs, an);
                free(an);
                if (k < 0) {
                    pgmcg__cat_error(p, aat, "attribute does not exist");
                    return -1;
                }
                SEQ(p, "set data");
                if (pgmcg__cat_expect_word(p, "type"))
                    return -1;
                pgmcg_cat_typeref ty;
                int serial;
                if (pgmcg__cat_parse_type(p, &ty, &serial))
                    return -1;
                pgmcg__cat_typeref_free(&t->attrs[k].type);
                t->attrs[k].type = ty;
            } else if (SEQ(p, "rename attribute")) {
                const pgmcg_token *aat = CUR(p);
                char *an = pgmcg__cat_name1(p);
                if (!an)
                    return -1;
                long k = pgmcg__cat_find_col(t->attrs, t->n_attrs, an);
                free(an);
                if (k < 0) {
                    pgmcg__cat_error(p, aat, "attribute does not exist");
                    return -1;
                }
                if (pgmcg__cat_expect_word(p, "to"))
                    return -1;
                char *to = pgmcg__cat_name1(p);
                if (!to)
                    return -1;
                free(t->attrs[k].name);
                t->attrs[k].name = to;
            } else {
                pgmcg__cat_skip_expr(p, NULL);
            }
            while (!PUNCT(p, ',') && p->i < p->n)
                pgmcg__cat_skip_group(p);
            if (!ACCEPT_PUNCT(p, ','))
                return 0;
        }
    }
    return 0; /* OWNER TO, SET (...) ... */
}

int pgmcg__cat_alter_domain(P *p)
{
    pgmcg_cat_type *t;
    int r = alter_type_head(p, &t);
    if (r <= 0)
        return r;
    /* the same constraint parser and DEFAULT rule as CREATE DOMAIN */
    if (SEQ(p, "set not null"))
        t->not_null = 1;
    else if (SEQ(p, "drop not null"))
        t->not_null = 0;
    else if (SEQ(p, "set default"))
        t->has_default = pgmcg__cat_default_expr(p, &t->base, NULL);
    else if (SEQ(p, "drop default"))
        t->has_default = 0;
    else if (ACCEPT(p, "add"))
        return pgmcg__cat_domain_constraints(p, &t->base, &t->not_null, &t->has_default);
    return 0;
}
