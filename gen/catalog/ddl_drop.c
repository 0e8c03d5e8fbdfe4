/* ddl_drop.c - DROP TABLE / VIEW / MATERIALIZED VIEW / TYPE / DOMAIN /
 * SCHEMA / EXTENSION / INDEX, with what CASCADE and partitions take along.
 */
#include "catalog/catalog_int.h"

#include <stdlib.h>
#include <string.h>

typedef pgmcg_cat_parser P;

static void drop_rels_where(pgmcg_catalog *cat, const char *schema)
{
    for (size_t i = cat->n_rels; i-- > 0;)
        if (!strcmp(cat->rels[i].schema, schema))
            pgmcg__cat_drop_rel(cat, i);
    for (size_t i = cat->n_types; i-- > 0;)
        if (!strcmp(cat->types[i].schema, schema)) {
            pgmcg__cat_drop_columns_of_type(cat, schema, cat->types[i].name);
            pgmcg__cat_drop_type(cat, i);
        }
}

static void drop_dependent_views(pgmcg_catalog *cat, const char *schema, const char *name)
{
    char *q = pgmcg__cat_qualified(schema, name);
    if (!q)
        return;
    for (size_t i = cat->n_rels; i-- > 0;) {
        pgmcg_cat_relation *r = &cat->rels[i];
        if (pgmcg__cat_find_str(r->deps, r->n_deps, q) >= 0) {
            char *s = pgmcg__cat_strdup(r->schema), *n = pgmcg__cat_strdup(r->name);
            pgmcg__cat_drop_rel(cat, i);
            if (s && n)
                drop_dependent_views(cat, s, n);
            free(s);
            free(n);
            i = cat->n_rels; /* indices moved: start over */
        }
    }
    free(q);
}

int pgmcg__cat_drop(P *p)
{
    int what; /* 1 relation, 2 type, 3 schema, 4 extension, 5 index */
    if (ACCEPT(p, "table") || ACCEPT(p, "view") || SEQ(p, "materialized view"))
        what = 1;
    else if (ACCEPT(p, "type") || ACCEPT(p, "domain"))
        what = 2;
    else if (ACCEPT(p, "schema"))
        what = 3;
    else if (ACCEPT(p, "extension"))
        what = 4;
    else if (ACCEPT(p, "index"))
        what = 5;
    else
        return 0;
    ACCEPT(p, "concurrently");
    int if_exists = SEQ(p, "if exists");
    /* names first, CASCADE after them */
    size_t save = p->i;
    while (p->i < p->n)
        p->i++;
    int cascade = p->n && pgmcg__cat_is_word(&p->t[p->n - 1], "cascade");
    p->i = save;
    int rc = 0;
    do {
        const pgmcg_token *at = CUR(p);
        char *s = NULL, *n = NULL;
        if (pgmcg__cat_qname(p, &s, &n))
            return -1;
        pgmcg_catalog *cat = p->cat;
        if (what == 1) {
            pgmcg_cat_relation *r = pgmcg__cat_need_rel(p, s, n, at, if_exists);
            if (r) {
                char *rs = pgmcg__cat_strdup(r->schema), *rn = pgmcg__cat_strdup(r->name);
                pgmcg__cat_drop_rel(cat, (size_t)(r - cat->rels));
                if (rs && rn) {
                    if (cascade) {
                        pgmcg__cat_drop_columns_of_type(cat, rs, rn);
                        drop_dependent_views(cat, rs, rn);
                    }
                    for (size_t i = 0; i < cat->n_rels; i++) {
                        char *q = pgmcg__cat_qualified(rs, rn);
                        if (q && cat->rels[i].partition_of && !strcmp(cat->rels[i].partition_of, q))
                            pgmcg__cat_drop_rel(cat, i--); /* partitions go with their parent */
                        free(q);
                    }
                }
                free(rs);
                free(rn);
            } else if (!if_exists) {
                rc = -1;
            }
        } else if (what == 2) {
            pgmcg_cat_type *t = pgmcg__cat_need_type(p, s, n, at, if_exists);
            if (t) {
                if (cascade)
                    pgmcg__cat_drop_columns_of_type(cat, t->schema, t->name);
                pgmcg__cat_drop_type(cat, (size_t)(t - cat->types));
            } else if (!if_exists) {
                rc = -1;
            }
        } else if (what == 3) {
            long k = pgmcg__cat_find_str(cat->schemas, cat->n_schemas, n);
            if (k < 0 && !if_exists) {
                pgmcg__cat_error(p, at, "schema \"%s\" does not exist", n);
                rc = -1;
            } else if (k >= 0) {
                drop_rels_where(cat, n);
                pgmcg__cat_remove_str(cat->schemas, &cat->n_schemas, (size_t)k);
            }
        } else if (what == 4) {
            long k = pgmcg__cat_find_str(cat->extensions, cat->n_extensions, n);
            if (k >= 0) {
                free(cat->extension_schemas[k]);
                memmove(cat->extension_schemas + k, cat->extension_schemas + k + 1,
                        (cat->n_extensions - (size_t)k - 1) * sizeof(char *));
                pgmcg__cat_remove_str(cat->extensions, &cat->n_extensions, (size_t)k);
            }
        } else {
            for (size_t i = 0; i < cat->n_indexes; i++)
                if (!strcmp(cat->indexes[i].name, n) &&
                    (!s || !strcmp(cat->indexes[i].schema, s))) {
                    free(cat->indexes[i].schema);
                    free(cat->indexes[i].name);
                    free(cat->indexes[i].rel_schema);
                    free(cat->indexes[i].rel_name);
                    pgmcg__cat_free_list(cat->indexes[i].cols, cat->indexes[i].n_cols);
                    cat->indexes[i] = cat->indexes[--cat->n_indexes];
                    break;
                }
        }
        free(s);
        free(n);
    } while (ACCEPT_PUNCT(p, ','));
    return rc;
}
