/* ddl_schema.c - schemas and extensions: CREATE SCHEMA, ALTER SCHEMA ...
 * RENAME TO, CREATE EXTENSION (which adds column types).
 */
#include "catalog/catalog_int.h"

#include <stdlib.h>
#include <string.h>

typedef pgmcg_cat_parser P;

int pgmcg__cat_create_schema(P *p)
{
    int if_not = SEQ(p, "if not exists");
    const pgmcg_token *at = CUR(p);
    char *name = NULL;
    if (ACCEPT(p, "authorization")) {
        name = pgmcg__cat_name1(p); /* the schema is named after the role */
    } else {
        name = pgmcg__cat_name1(p);
        if (name && ACCEPT(p, "authorization")) {
            char *role = pgmcg__cat_name1(p);
            if (!role) {
                free(name);
                return -1;
            }
            free(role);
        }
    }
    if (!name)
        return -1;
    if (CUR(p)->kind != PGMC_TOK_EOF)
        pgmcg__cat_note(p, CUR(p), "schema elements inside CREATE SCHEMA are not replayed");
    if (pgmcg__cat_schema_exists(p->cat, name)) {
        if (!if_not)
            pgmcg__cat_error(p, at, "schema \"%s\" already exists", name);
        free(name);
        return if_not ? 0 : -1;
    }
    return pgmcg__cat_push(&p->cat->schemas, &p->cat->n_schemas, &p->cat->cap_schemas, name);
}

int pgmcg__cat_create_extension(P *p)
{
    int if_not = SEQ(p, "if not exists");
    const pgmcg_token *at = CUR(p);
    char *name = pgmcg__cat_name1(p);
    if (!name)
        return -1;
    ACCEPT(p, "with");
    char *schema = NULL;
    while (CUR(p)->kind != PGMC_TOK_EOF) {
        if (ACCEPT(p, "schema")) {
            free(schema);
            if (!(schema = pgmcg__cat_name1(p)))
                break;
        } else if (ACCEPT(p, "version")) {
            p->i++;
        } else if (ACCEPT(p, "cascade")) {
        } else {
            pgmcg__cat_unexpected(p, "CREATE EXTENSION");
            break;
        }
    }
    if (pgmcg__cat_find_str(p->cat->extensions, p->cat->n_extensions, name) >= 0) {
        if (!if_not)
            pgmcg__cat_error(p, at, "extension \"%s\" already exists", name);
        free(name);
        free(schema);
        return 0;
    }
    if (!schema) {
        const char *s = pgmcg__cat_creation_schema(p->cat);
        schema = pgmcg__cat_strdup(s ? s : "public");
    }
    if (!pgmcg__cat_ext_known(name))
        pgmcg__cat_note(p, at,
                        "extension \"%s\" is not known to pgmc: column types it adds will be "
                        "recorded as unknown",
                        name);
    size_t cap = p->cat->cap_extensions;
    if (pgmcg__cat_push(&p->cat->extensions, &p->cat->n_extensions, &p->cat->cap_extensions,
                        name)) {
        free(schema);
        return -1;
    }
    if (cap != p->cat->cap_extensions || !p->cat->extension_schemas) {
        char **q = realloc(p->cat->extension_schemas, p->cat->cap_extensions * sizeof *q);
        if (!q) {
            free(schema);
            p->cat->n_extensions--;
            free(p->cat->extensions[p->cat->n_extensions]);
            return -1;
        }
        p->cat->extension_schemas = q;
    }
    p->cat->extension_schemas[p->cat->n_extensions - 1] = schema;
    return 0;
}

/* ALTER SCHEMA name RENAME TO new (other actions change nothing). */
int pgmcg__cat_alter_schema(P *p)
{
    const pgmcg_token *at = CUR(p);
    char *s = pgmcg__cat_name1(p);
    if (!s)
        return -1;
    long k = pgmcg__cat_find_str(p->cat->schemas, p->cat->n_schemas, s);
    if (k < 0) {
        pgmcg__cat_error(p, at, "schema \"%s\" does not exist", s);
        free(s);
        return -1;
    }
    if (SEQ(p, "rename to")) {
        char *to = pgmcg__cat_name1(p);
        if (!to) {
            free(s);
            return -1;
        }
        pgmcg_catalog *cat = p->cat;
        for (size_t i = 0; i < cat->n_rels; i++)
            if (!strcmp(cat->rels[i].schema, s)) {
                pgmcg__cat_retarget_types(cat, PGMC_CAT_COMPOSITE, s, cat->rels[i].name, to,
                                          cat->rels[i].name);
                free(cat->rels[i].schema);
                cat->rels[i].schema = pgmcg__cat_strdup(to);
                pgmcg__cat_rels_moved(cat);
            }
        for (size_t i = 0; i < cat->n_types; i++)
            if (!strcmp(cat->types[i].schema, s)) {
                pgmcg__cat_retarget_types(cat, cat->types[i].kind, s, cat->types[i].name, to,
                                          cat->types[i].name);
                free(cat->types[i].schema);
                cat->types[i].schema = pgmcg__cat_strdup(to);
            }
        free(cat->schemas[k]);
        cat->schemas[k] = to;
    }
    free(s);
    return 0;
}
