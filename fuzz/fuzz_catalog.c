/* fuzz_catalog.c - libFuzzer target for the DDL replay (lexer + splitter +
 * catalog): replays arbitrary bytes as one script, twice into the same
 * catalog (so everything meets "already exists", renames and drops of its
 * own objects), then prints JSON and the flat form. Checks that every
 * relation and type has a name and every column a type spelling, that the
 * flat form is sorted and newline-terminated, and (via ASan) that nothing
 * leaks or is touched after free.
 */
#include "catalog/catalog.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    pgmcg_catalog cat;
    pgmcg_diag d;
    pgmcg_catalog_init(&cat);
    pgmcg_diag_init(&d, NULL);
    int rc = pgmcg_catalog_apply(&cat, "f.sql", buf, size, &d);
    if (rc != 0 && d.errors == 0)
        abort(); /* a failure always says why */
    pgmcg_catalog_apply(&cat, "f.sql", buf, size, &d);
    pgmcg_catalog_finish(&cat);
    for (size_t i = 0; i < cat.n_rels; i++) {
        const pgmcg_cat_relation *r = &cat.rels[i];
        if (!r->schema || !r->name || (i && strcmp(cat.rels[i - 1].schema, r->schema) > 0))
            abort();
        for (size_t j = 0; j < r->n_cols; j++)
            if (!r->cols[j].name || !r->cols[j].type.spelling)
                abort();
    }
    for (size_t i = 0; i < cat.n_types; i++)
        if (!cat.types[i].schema || !cat.types[i].name)
            abort();
    pgmcg_buf out = {0};
    pgmcg_catalog_json(&cat, &out);
    pgmcg_buf_free(&out);
    pgmcg_catalog_flat(&cat, &out);
    if (out.len && out.p[out.len - 1] != '\n')
        abort();
    pgmcg_buf_free(&out);
    pgmcg_catalog_free(&cat);
    pgmcg_diag_free(&d);
    free(buf);
    return 0;
}
