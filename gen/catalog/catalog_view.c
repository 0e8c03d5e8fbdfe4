/* catalog_view.c - the columns of a view (or CREATE TABLE AS, or a
 * materialized view) derived from its query, conservatively: a select list
 * of plain column references (t.col, col, t.*, *), optionally cast with
 * ::type or CAST(... AS type), with aliases, over tables and views of the
 * catalog joined simply. Anything else makes the view opaque, with a note.
 * See catalog_int.h.
 */
#include "catalog/catalog_int.h"

#include <stdlib.h>
#include <string.h>

typedef pgmcg_cat_parser P;

/* One select-list item. */
typedef struct item {
    int star;               /* '*' or 'q.*' */
    char *q1, *q2;          /* qualifier: [schema.]rel or alias (q2 is the rel) */
    char *col;              /* column name */
    char *alias;            /* AS alias */
    pgmcg_cat_typeref cast; /* spelling non-NULL when cast */
} item;

/* One FROM item. */
typedef struct from {
    pgmcg_cat_relation *rel;
    char *schema, *name, *alias;
} from;

typedef struct view {
    item *items;
    size_t n_items, cap_items;
    from *froms;
    size_t n_froms, cap_froms;
    int using_join;
} view;

static void view_free(view *v)
{
    for (size_t i = 0; i < v->n_items; i++) {
        free(v->items[i].q1);
        free(v->items[i].q2);
        free(v->items[i].col);
        free(v->items[i].alias);
        pgmcg__cat_typeref_free(&v->items[i].cast);
    }
    free(v->items);
    for (size_t i = 0; i < v->n_froms; i++) {
        free(v->froms[i].schema);
        free(v->froms[i].name);
        free(v->froms[i].alias);
    }
    free(v->froms);
}

static const char *const clause_words[] = {
    "from",  "where",     "group",  "having", "order", "limit",   "offset", "fetch", "window",
    "union", "intersect", "except", "for",    "join",  "inner",   "left",   "right", "full",
    "cross", "natural",   "on",     "using",  "with",  "lateral", NULL};

static int is_clause_word(const pgmcg_token *t)
{
    for (const char *const *w = clause_words; *w; w++)
        if (pgmcg__cat_is_word(t, *w))
            return 1;
    return 0;
}

/* A bare or AS alias at the cursor; malloc'd or NULL. */
static char *alias(P *p)
{
    if (pgmcg__cat_accept(p, "as")) {
        char *a = pgmcg__cat_ident(pgmcg__cat_cur(p));
        if (a)
            p->i++;
        return a;
    }
    const pgmcg_token *t = pgmcg__cat_cur(p);
    if (pgmcg__cat_is_ident(t) && !is_clause_word(t)) {
        p->i++;
        return pgmcg__cat_ident(t);
    }
    return NULL;
}

/* Parse a column reference a[.b[.c]][.*] into it. Returns 0 or 1 (not a
 * plain reference). */
static int colref(P *p, item *it)
{
    char *parts[3] = {0};
    size_t n = 0;
    for (;;) {
        const pgmcg_token *t = pgmcg__cat_cur(p);
        if (pgmcg__cat_is_punct(t, '*') && n > 0) {
            it->star = 1;
            p->i++;
            break;
        }
        if (!pgmcg__cat_is_ident(t) || n == 3 || is_clause_word(t))
            goto no;
        parts[n++] = pgmcg__cat_ident(t);
        p->i++;
        if (pgmcg__cat_is_punct(pgmcg__cat_peek(p, 0), '(')) /* a function call */
            goto no;
        if (!pgmcg__cat_accept_punct(p, '.'))
            break;
    }
    if (it->star) {
        it->q2 = n ? parts[n - 1] : NULL;
        it->q1 = n > 1 ? parts[n - 2] : NULL;
        if (n > 2)
            free(parts[0]);
        return 0;
    }
    it->col = parts[n - 1];
    it->q2 = n > 1 ? parts[n - 2] : NULL;
    it->q1 = n > 2 ? parts[0] : NULL;
    return 0;
no:
    for (size_t i = 0; i < n; i++)
        free(parts[i]);
    return 1;
}

/* Returns 0, 1 for "opaque" (with *why set), -1 on OOM. */
static int parse_query(P *p, view *v, const char **why, const pgmcg_token **where)
{
    *where = pgmcg__cat_cur(p);
    if (!pgmcg__cat_accept(p, "select")) {
        *why = "not a plain SELECT";
        return 1;
    }
    pgmcg__cat_accept(p, "all");
    if (pgmcg__cat_accept(p, "distinct") && pgmcg__cat_accept(p, "on"))
        pgmcg__cat_skip_group(p);
    for (;;) {
        *where = pgmcg__cat_cur(p);
        if (v->n_items == v->cap_items) {
            size_t c = v->cap_items ? v->cap_items * 2 : 16;
            item *q = realloc(v->items, c * sizeof *q);
            if (!q)
                return -1;
            v->items = q;
            v->cap_items = c;
        }
        item *it = &v->items[v->n_items++];
        memset(it, 0, sizeof *it);
        if (pgmcg__cat_accept_punct(p, '*')) {
            it->star = 1;
        } else if (pgmcg__cat_at(p, 0, "cast") && pgmcg__cat_is_punct(pgmcg__cat_peek(p, 1), '(')) {
            p->i += 2;
            int serial;
            if (colref(p, it) || it->star || !pgmcg__cat_accept(p, "as") ||
                pgmcg__cat_parse_type(p, &it->cast, &serial) || !pgmcg__cat_accept_punct(p, ')')) {
                *why = "an expression in the select list";
                return 1;
            }
        } else if (colref(p, it)) {
            *why = "an expression in the select list";
            return 1;
        }
        while (pgmcg__cat_cur(p)->kind == PGMC_TOK_TYPECAST && !it->star) {
            p->i++;
            pgmcg__cat_typeref_free(&it->cast);
            int serial;
            if (pgmcg__cat_parse_type(p, &it->cast, &serial)) {
                *why = "a cast pgmc cannot read";
                return 1;
            }
        }
        if (!it->star)
            it->alias = alias(p);
        if (pgmcg__cat_accept_punct(p, ','))
            continue;
        break;
    }
    *where = pgmcg__cat_cur(p);
    if (!pgmcg__cat_accept(p, "from")) {
        *why = pgmcg__cat_cur(p)->kind == PGMC_TOK_EOF ? "a SELECT without FROM"
                                                       : "an expression in the select list";
        return 1;
    }
    for (;;) {
        *where = pgmcg__cat_cur(p);
        pgmcg__cat_accept(p, "only");
        if (!pgmcg__cat_is_ident(pgmcg__cat_cur(p)) || is_clause_word(pgmcg__cat_cur(p))) {
            *why = "a FROM item that is not a table or view";
            return 1;
        }
        if (v->n_froms == v->cap_froms) {
            size_t c = v->cap_froms ? v->cap_froms * 2 : 8;
            from *q = realloc(v->froms, c * sizeof *q);
            if (!q)
                return -1;
            v->froms = q;
            v->cap_froms = c;
        }
        from *f = &v->froms[v->n_froms++];
        memset(f, 0, sizeof *f);
        const pgmcg_token *at = pgmcg__cat_cur(p);
        if (pgmcg__cat_qname(p, &f->schema, &f->name))
            return -1;
        if (pgmcg__cat_is_punct(pgmcg__cat_cur(p), '(')) {
            *where = at;
            *why = "a function in FROM";
            return 1;
        }
        f->alias = alias(p);
        if (pgmcg__cat_is_punct(pgmcg__cat_cur(p), '(')) {
            *why = "column aliases in FROM";
            return 1;
        }
        f->rel = pgmcg__cat_lookup_rel(p->cat, f->schema, f->name);
        if (!f->rel || f->rel->opaque) {
            *where = at;
            *why = f->rel ? "it reads an opaque view" : "it reads a relation pgmc does not know";
            return 1;
        }
        /* ON / USING conditions */
        if (pgmcg__cat_accept(p, "on")) {
            while (pgmcg__cat_cur(p)->kind != PGMC_TOK_EOF &&
                   !pgmcg__cat_is_punct(pgmcg__cat_cur(p), ',')) {
                const pgmcg_token *t = pgmcg__cat_cur(p);
                if (is_clause_word(t) && !pgmcg__cat_is_word(t, "on") &&
                    !pgmcg__cat_is_word(t, "using"))
                    break;
                pgmcg__cat_skip_group(p);
            }
        } else if (pgmcg__cat_accept(p, "using")) {
            v->using_join = 1;
            pgmcg__cat_skip_group(p);
        }
        *where = pgmcg__cat_cur(p);
        if (pgmcg__cat_accept_punct(p, ','))
            continue;
        if (pgmcg__cat_accept(p, "natural")) {
            *why = "a NATURAL join";
            return 1;
        }
        int join = 0;
        if (pgmcg__cat_accept(p, "inner") || pgmcg__cat_accept(p, "cross"))
            join = 1;
        else if (pgmcg__cat_accept(p, "left") || pgmcg__cat_accept(p, "right") ||
                 pgmcg__cat_accept(p, "full")) {
            pgmcg__cat_accept(p, "outer");
            join = 1;
        }
        if (pgmcg__cat_accept(p, "join"))
            continue;
        if (join) {
            *why = "a join pgmc cannot read";
            return 1;
        }
        break;
    }
    /* the rest (WHERE, GROUP BY, ORDER BY...) keeps the columns, unless a
     * set operation or locking follows */
    int depth = 0;
    for (; p->i < p->n; p->i++) {
        const pgmcg_token *t = pgmcg__cat_cur(p);
        if (pgmcg__cat_is_punct(t, '('))
            depth++;
        else if (pgmcg__cat_is_punct(t, ')'))
            depth--;
        else if (!depth && (pgmcg__cat_is_word(t, "union") || pgmcg__cat_is_word(t, "intersect") ||
                            pgmcg__cat_is_word(t, "except"))) {
            *where = t;
            *why = "a set operation (UNION/INTERSECT/EXCEPT)";
            return 1;
        }
    }
    return 0;
}

static const from *find_from(const view *v, const char *q1, const char *q2)
{
    for (size_t i = 0; i < v->n_froms; i++) {
        const from *f = &v->froms[i];
        if (f->alias ? (!q1 && !strcmp(f->alias, q2))
                     : (!strcmp(f->name, q2) && (!q1 || !strcmp(f->rel->schema, q1))))
            return f;
    }
    return NULL;
}

static int add_col(pgmcg_cat_relation *rel, const pgmcg_cat_column *src, const char *name,
                   const pgmcg_cat_typeref *cast, const pgmcg_token *at, const char *file)
{
    pgmcg_cat_column *c = pgmcg__cat_add_col(&rel->cols, &rel->n_cols, &rel->cap_cols);
    if (!c)
        return -1;
    c->name = pgmcg__cat_strdup(name);
    if (!c->name || pgmcg__cat_typeref_copy(&c->type, cast && cast->spelling ? cast : &src->type)) {
        memset(&c->type, 0, sizeof c->type);
        pgmcg__cat_col_free(c);
        rel->n_cols--;
        return -1;
    }
    c->file = file;
    c->line = at->line;
    c->col = at->col;
    return 0;
}

/* Build rel->cols from the parsed query. 0, 1 (opaque, *why), -1 OOM. */
static int resolve(P *p, view *v, pgmcg_cat_relation *rel, const char **why, const pgmcg_token *at)
{
    for (size_t i = 0; i < v->n_items; i++) {
        const item *it = &v->items[i];
        if (it->star) {
            if (v->using_join) {
                *why = "'*' over a USING join";
                return 1;
            }
            for (size_t k = 0; k < v->n_froms; k++) {
                const from *f = &v->froms[k];
                if (it->q2 && f != find_from(v, it->q1, it->q2))
                    continue;
                for (size_t c = 0; c < f->rel->n_cols; c++)
                    if (add_col(rel, &f->rel->cols[c], f->rel->cols[c].name, NULL, at, p->file))
                        return -1;
            }
            if (it->q2 && !find_from(v, it->q1, it->q2)) {
                *why = "a qualifier that names no FROM item";
                return 1;
            }
            continue;
        }
        const pgmcg_cat_column *src = NULL;
        if (it->q2) {
            const from *f = find_from(v, it->q1, it->q2);
            long k = f ? pgmcg__cat_find_col(f->rel->cols, f->rel->n_cols, it->col) : -1;
            if (k >= 0)
                src = &f->rel->cols[k];
        } else {
            for (size_t k = 0; k < v->n_froms; k++) {
                long c =
                    pgmcg__cat_find_col(v->froms[k].rel->cols, v->froms[k].rel->n_cols, it->col);
                if (c >= 0) {
                    if (src) {
                        *why = "an ambiguous column reference";
                        return 1;
                    }
                    src = &v->froms[k].rel->cols[c];
                }
            }
        }
        if (!src) {
            *why = "a column pgmc cannot find in the FROM items";
            return 1;
        }
        if (add_col(rel, src, it->alias ? it->alias : it->col, &it->cast, at, p->file))
            return -1;
    }
    for (size_t k = 0; k < v->n_froms; k++) {
        size_t a = strlen(v->froms[k].rel->schema), b = strlen(v->froms[k].rel->name);
        char *q = malloc(a + b + 2);
        if (!q)
            return -1;
        memcpy(q, v->froms[k].rel->schema, a);
        q[a] = '.';
        memcpy(q + a + 1, v->froms[k].rel->name, b + 1);
        if (pgmcg__cat_push(&rel->deps, &rel->n_deps, &rel->cap_deps, q))
            return -1;
    }
    return 0;
}

int pgmcg__cat_derive_view(pgmcg_cat_parser *p, pgmcg_cat_relation *rel, char **names,
                           size_t n_names)
{
    view v;
    memset(&v, 0, sizeof v);
    const char *why = NULL;
    const pgmcg_token *where = pgmcg__cat_cur(p);
    const pgmcg_token *start = where;
    /* a nested failure (unknown type in a cast...) must not fail the view */
    pgmcg_diag quiet;
    pgmcg_diag_init(&quiet, NULL);
    pgmcg_diag *saved = p->diag;
    int failed = p->failed;
    p->diag = &quiet;
    int rc = parse_query(p, &v, &why, &where);
    if (rc == 0)
        rc = resolve(p, &v, rel, &why, start);
    p->diag = saved;
    p->failed = failed;
    if (rc == 0 && quiet.notes) {
        rc = 1;
        why = "a type pgmc does not know";
    }
    pgmcg_diag_free(&quiet);
    if (rc == 0 && n_names > rel->n_cols) {
        rc = 1;
        why = "more column names than columns";
    }
    if (rc == 0) {
        for (size_t i = 0; i < n_names; i++) {
            char *n = pgmcg__cat_strdup(names[i]);
            if (!n) {
                rc = -1;
                break;
            }
            free(rel->cols[i].name);
            rel->cols[i].name = n;
        }
    }
    if (rc == 1) {
        for (size_t i = 0; i < rel->n_cols; i++)
            pgmcg__cat_col_free(&rel->cols[i]);
        rel->n_cols = 0;
        for (size_t i = 0; i < rel->n_deps; i++)
            free(rel->deps[i]);
        rel->n_deps = 0;
        rel->opaque = 1;
        pgmcg__cat_note(p, where,
                        "pgmc cannot derive the columns of this query (%s); the relation is "
                        "recorded as opaque",
                        why);
        rc = 0;
    }
    view_free(&v);
    p->i = p->n;
    return rc;
}
