/* ddl_index.c - unique indexes by name (CREATE UNIQUE INDEX), which ADD
 * PRIMARY KEY USING INDEX names; other indexes change no row type.
 */
#include "catalog/catalog_int.h"

#include <stdlib.h>
#include <string.h>

typedef pgmcg_cat_parser P;

int pgmcg__cat_create_index(P *p, int unique)
{
    ACCEPT(p, "concurrently");
    SEQ(p, "if not exists");
    char *iname = NULL;
    if (!AT(p, "on")) {
        if (!(iname = pgmcg__cat_name1(p)))
            return -1;
    }
    if (pgmcg__cat_expect_word(p, "on")) {
        free(iname);
        return -1;
    }
    ACCEPT(p, "only");
    const pgmcg_token *at = CUR(p);
    char *s = NULL, *n = NULL;
    if (pgmcg__cat_qname(p, &s, &n)) {
        free(iname);
        return -1;
    }
    pgmcg_cat_relation *r = pgmcg__cat_lookup_rel(p->cat, s, n);
    free(s);
    free(n);
    (void)at;
    if (!unique || !iname || !r) {
        free(iname);
        return 0;
    }
    if (ACCEPT(p, "using"))
        p->i++;
    pgmcg_cat_index x;
    memset(&x, 0, sizeof x);
    size_t cap = 0;
    /* expressions make the index unusable as a primary key: skip those */
    pgmcg_diag quiet;
    pgmcg_diag_init(&quiet, NULL);
    pgmcg_diag *saved = p->diag;
    int failed = p->failed;
    p->diag = &quiet;
    int bad = pgmcg__cat_name_list(p, &x.cols, &x.n_cols, &cap);
    p->diag = saved;
    p->failed = failed;
    pgmcg_diag_free(&quiet);
    pgmcg_catalog *cat = p->cat;
    if (bad || cat->n_indexes == cat->cap_indexes) {
        size_t c = cat->cap_indexes ? cat->cap_indexes * 2 : 8;
        pgmcg_cat_index *q = bad ? NULL : realloc(cat->indexes, c * sizeof *q);
        if (!q) {
            pgmcg__cat_free_list(x.cols, x.n_cols);
            free(iname);
            return bad ? 0 : -1;
        }
        cat->indexes = q;
        cat->cap_indexes = c;
    }
    x.schema = pgmcg__cat_strdup(r->schema);
    x.name = iname;
    x.rel_schema = pgmcg__cat_strdup(r->schema);
    x.rel_name = pgmcg__cat_strdup(r->name);
    cat->indexes[cat->n_indexes++] = x;
    return 0;
}

const pgmcg_cat_index *pgmcg__cat_find_index(const pgmcg_catalog *cat, const pgmcg_cat_relation *r,
                                             const char *name)
{
    const pgmcg_cat_index *x = NULL;
    for (size_t i = 0; i < cat->n_indexes; i++)
        if (!strcmp(cat->indexes[i].name, name) && !strcmp(cat->indexes[i].rel_schema, r->schema) &&
            !strcmp(cat->indexes[i].rel_name, r->name))
            x = &cat->indexes[i];
    return x;
}
