/* ddl_comment.c - COMMENT ON TABLE / VIEW / COLUMN / TYPE / DOMAIN: the
 * comments the catalog keeps; others are noted and ignored.
 */
#include "catalog/catalog_int.h"

#include <stdlib.h>
#include <string.h>

typedef pgmcg_cat_parser P;

int pgmcg__cat_comment(P *p)
{
    if (!ACCEPT(p, "on"))
        return 0;
    int what = 0; /* 1 relation, 2 column, 3 type */
    if (ACCEPT(p, "table") || ACCEPT(p, "view") || SEQ(p, "materialized view"))
        what = 1;
    else if (ACCEPT(p, "column"))
        what = 2;
    else if (ACCEPT(p, "type") || ACCEPT(p, "domain"))
        what = 3;
    else
        return 0;
    const pgmcg_token *at = CUR(p);
    char *parts[3] = {0};
    size_t np = 0;
    for (;;) {
        if (np == 3 || !(parts[np] = pgmcg__cat_ident(CUR(p)))) {
            pgmcg__cat_unexpected(p, "COMMENT ON");
            goto fail;
        }
        np++;
        p->i++;
        if (!ACCEPT_PUNCT(p, '.'))
            break;
    }
    if (pgmcg__cat_expect_word(p, "is"))
        goto fail;
    char *text = NULL;
    if (!ACCEPT(p, "null")) {
        text = pgmcg__cat_string(CUR(p));
        if (!text) {
            pgmcg__cat_unexpected(p, "COMMENT ON ... IS");
            goto fail;
        }
        p->i++;
    }
    char **slot = NULL;
    if (what == 2) {
        if (np < 2) {
            pgmcg__cat_error(p, at, "column name must be qualified");
            free(text);
            goto fail;
        }
        pgmcg_cat_relation *r =
            pgmcg__cat_lookup_rel(p->cat, np == 3 ? parts[0] : NULL, parts[np - 2]);
        long k = r ? pgmcg__cat_find_col(r->cols, r->n_cols, parts[np - 1]) : -1;
        if (k >= 0)
            slot = &r->cols[k].comment;
    } else if (what == 1) {
        pgmcg_cat_relation *r =
            pgmcg__cat_lookup_rel(p->cat, np == 2 ? parts[0] : NULL, parts[np - 1]);
        if (r)
            slot = &r->comment;
    } else {
        pgmcg_cat_type *t =
            pgmcg__cat_lookup_type(p->cat, np == 2 ? parts[0] : NULL, parts[np - 1]);
        if (t)
            slot = &t->comment;
    }
    if (!slot) {
        /* a comment changes no row type: a note, not an error */
        pgmcg__cat_note(p, at, "COMMENT ON an object pgmc's catalog does not have; ignored");
        free(text);
    } else {
        free(*slot);
        *slot = text;
    }
    for (size_t i = 0; i < np; i++)
        free(parts[i]);
    return 0;
fail:
    for (size_t i = 0; i < np; i++)
        free(parts[i]);
    return -1;
}
