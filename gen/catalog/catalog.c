/* catalog.c - the catalog model: init, free, lookups and name resolution,
 * adding and removing objects, sorting, and fixing up type references after
 * renames. See catalog.h and catalog_int.h.
 */
#include "catalog/catalog_int.h"

#include <stdlib.h>
#include <string.h>

char *pgmcg__cat_strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s);
    char *o = malloc(n + 1);
    if (o)
        memcpy(o, s, n + 1);
    return o;
}

int pgmcg__cat_push(char ***v, size_t *n, size_t *cap, char *s)
{
    if (!s)
        return -1;
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 8;
        char **q = realloc(*v, c * sizeof *q);
        if (!q) {
            free(s);
            return -1;
        }
        *v = q;
        *cap = c;
    }
    (*v)[(*n)++] = s;
    return 0;
}

void pgmcg__cat_remove_str(char **v, size_t *n, size_t i)
{
    free(v[i]);
    memmove(v + i, v + i + 1, (*n - i - 1) * sizeof *v);
    (*n)--;
}

long pgmcg__cat_find_str(char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i], s))
            return (long)i;
    return -1;
}

static void free_strs(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void pgmcg_catalog_init(pgmcg_catalog *cat)
{
    memset(cat, 0, sizeof *cat);
    pgmcg__cat_push(&cat->schemas, &cat->n_schemas, &cat->cap_schemas, pgmcg__cat_strdup("public"));
    pgmcg__cat_push(&cat->search_path, &cat->n_search_path, &cat->cap_search_path,
                    pgmcg__cat_strdup("$user"));
    pgmcg__cat_push(&cat->search_path, &cat->n_search_path, &cat->cap_search_path,
                    pgmcg__cat_strdup("public"));
}

void pgmcg__cat_typeref_free(pgmcg_cat_typeref *t)
{
    free(t->spelling);
    free(t->schema);
    free(t->name);
    memset(t, 0, sizeof *t);
}

int pgmcg__cat_typeref_copy(pgmcg_cat_typeref *dst, const pgmcg_cat_typeref *src)
{
    *dst = *src;
    dst->spelling = pgmcg__cat_strdup(src->spelling);
    dst->schema = pgmcg__cat_strdup(src->schema);
    dst->name = pgmcg__cat_strdup(src->name);
    if ((src->spelling && !dst->spelling) || (src->schema && !dst->schema) ||
        (src->name && !dst->name)) {
        pgmcg__cat_typeref_free(dst);
        return -1;
    }
    return 0;
}

void pgmcg__cat_col_free(pgmcg_cat_column *c)
{
    free(c->name);
    pgmcg__cat_typeref_free(&c->type);
    free(c->collation);
    free(c->comment);
    memset(c, 0, sizeof *c);
}

int pgmcg__cat_col_copy(pgmcg_cat_column *dst, const pgmcg_cat_column *src)
{
    *dst = *src;
    dst->name = pgmcg__cat_strdup(src->name);
    dst->collation = pgmcg__cat_strdup(src->collation);
    dst->comment = pgmcg__cat_strdup(src->comment);
    int rc = pgmcg__cat_typeref_copy(&dst->type, &src->type);
    if (rc || !dst->name || (src->collation && !dst->collation) ||
        (src->comment && !dst->comment)) {
        if (rc)
            memset(&dst->type, 0, sizeof dst->type);
        pgmcg__cat_col_free(dst);
        return -1;
    }
    return 0;
}

pgmcg_cat_column *pgmcg__cat_add_col(pgmcg_cat_column **v, size_t *n, size_t *cap)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 8;
        pgmcg_cat_column *q = realloc(*v, c * sizeof *q);
        if (!q)
            return NULL;
        *v = q;
        *cap = c;
    }
    pgmcg_cat_column *c = &(*v)[(*n)++];
    memset(c, 0, sizeof *c);
    return c;
}

long pgmcg__cat_find_col(const pgmcg_cat_column *v, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].name && !strcmp(v[i].name, name))
            return (long)i;
    return -1;
}

void pgmcg__cat_remove_col(pgmcg_cat_column *v, size_t *n, size_t i)
{
    pgmcg__cat_col_free(&v[i]);
    memmove(v + i, v + i + 1, (*n - i - 1) * sizeof *v);
    (*n)--;
}

static void rel_free(pgmcg_cat_relation *r)
{
    free(r->schema);
    free(r->name);
    for (size_t i = 0; i < r->n_cols; i++)
        pgmcg__cat_col_free(&r->cols[i]);
    free(r->cols);
    free(r->partition_of);
    free(r->comment);
    free_strs(r->deps, r->n_deps);
    memset(r, 0, sizeof *r);
}

static void type_free(pgmcg_cat_type *t)
{
    free(t->schema);
    free(t->name);
    free_strs(t->labels, t->n_labels);
    pgmcg__cat_typeref_free(&t->base);
    for (size_t i = 0; i < t->n_attrs; i++)
        pgmcg__cat_col_free(&t->attrs[i]);
    free(t->attrs);
    free(t->comment);
    memset(t, 0, sizeof *t);
}

static void index_free(pgmcg_cat_index *x)
{
    free(x->schema);
    free(x->name);
    free(x->rel_schema);
    free(x->rel_name);
    free_strs(x->cols, x->n_cols);
}

void pgmcg_catalog_free(pgmcg_catalog *cat)
{
    free_strs(cat->schemas, cat->n_schemas);
    free_strs(cat->extensions, cat->n_extensions);
    free_strs(cat->extension_schemas, cat->n_extensions);
    for (size_t i = 0; i < cat->n_rels; i++)
        rel_free(&cat->rels[i]);
    free(cat->rels);
    for (size_t i = 0; i < cat->n_types; i++)
        type_free(&cat->types[i]);
    free(cat->types);
    free_strs(cat->search_path, cat->n_search_path);
    for (size_t i = 0; i < cat->n_indexes; i++)
        index_free(&cat->indexes[i]);
    free(cat->indexes);
    free(cat->rel_slots);
    memset(cat, 0, sizeof *cat);
}

int pgmcg__cat_schema_exists(const pgmcg_catalog *cat, const char *name)
{
    return pgmcg__cat_find_str(cat->schemas, cat->n_schemas, name) >= 0;
}

/* FNV-1a over schema '\0' name. */
static size_t rel_hash(const char *schema, const char *name)
{
    uint64_t h = 14695981039346656037ULL;
    const unsigned char *p;

    for (p = (const unsigned char *)schema; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    h = (h ^ 0xffu) * 1099511628211ULL;
    for (p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return (size_t)(h ^ (h >> 29));
}

static void slot_insert(pgmcg_catalog *cat, size_t i)
{
    size_t mask = cat->n_rel_slots - 1;
    size_t k = rel_hash(cat->rels[i].schema, cat->rels[i].name) & mask;

    while (cat->rel_slots[k])
        k = (k + 1) & mask;
    cat->rel_slots[k] = i + 1;
}

/* (Re)build the index with room for twice the relations. Returns 0, or -1
 * out of memory (lookups then scan linearly). */
static int slots_rebuild(pgmcg_catalog *cat)
{
    size_t want = 64;

    while (want < cat->n_rels * 2 + 2)
        want *= 2;
    if (want != cat->n_rel_slots) {
        size_t *q = realloc(cat->rel_slots, want * sizeof *q);
        if (!q) {
            cat->rel_slots_valid = 0;
            return -1;
        }
        cat->rel_slots = q;
        cat->n_rel_slots = want;
    }
    memset(cat->rel_slots, 0, cat->n_rel_slots * sizeof *cat->rel_slots);
    for (size_t i = 0; i < cat->n_rels; i++)
        slot_insert(cat, i);
    cat->rel_slots_valid = 1;
    return 0;
}

void pgmcg__cat_rels_moved(pgmcg_catalog *cat)
{
    cat->rel_slots_valid = 0;
}

pgmcg_cat_relation *pgmcg__cat_rel(pgmcg_catalog *cat, const char *schema, const char *name)
{
    if (cat->rel_slots_valid || slots_rebuild(cat) == 0) {
        size_t mask = cat->n_rel_slots - 1, k = rel_hash(schema, name) & mask;
        for (; cat->rel_slots[k]; k = (k + 1) & mask) {
            pgmcg_cat_relation *r = &cat->rels[cat->rel_slots[k] - 1];
            if (!strcmp(r->name, name) && !strcmp(r->schema, schema))
                return r;
        }
        return NULL;
    }
    for (size_t i = 0; i < cat->n_rels; i++)
        if (!strcmp(cat->rels[i].name, name) && !strcmp(cat->rels[i].schema, schema))
            return &cat->rels[i];
    return NULL;
}

pgmcg_cat_type *pgmcg__cat_type(pgmcg_catalog *cat, const char *schema, const char *name)
{
    for (size_t i = 0; i < cat->n_types; i++)
        if (!strcmp(cat->types[i].name, name) && !strcmp(cat->types[i].schema, schema))
            return &cat->types[i];
    return NULL;
}

const pgmcg_cat_relation *pgmcg_catalog_find_rel(const pgmcg_catalog *cat, const char *schema,
                                                 const char *name)
{
    return pgmcg__cat_rel((pgmcg_catalog *)cat, schema, name);
}

const pgmcg_cat_type *pgmcg_catalog_find_type(const pgmcg_catalog *cat, const char *schema,
                                              const char *name)
{
    return pgmcg__cat_type((pgmcg_catalog *)cat, schema, name);
}

pgmcg_cat_relation *pgmcg__cat_lookup_rel(pgmcg_catalog *cat, const char *schema, const char *name)
{
    if (schema) {
        if (!strcmp(schema, "pg_temp")) {
            for (size_t i = 0; cat->n_temp_rels && i < cat->n_rels; i++)
                if (cat->rels[i].temp && !strcmp(cat->rels[i].name, name))
                    return &cat->rels[i];
            return NULL;
        }
        return pgmcg__cat_rel(cat, schema, name);
    }
    for (size_t i = 0; cat->n_temp_rels && i < cat->n_rels; i++)
        if (cat->rels[i].temp && !strcmp(cat->rels[i].name, name))
            return &cat->rels[i];
    for (size_t i = 0; i < cat->n_search_path; i++) {
        pgmcg_cat_relation *r = pgmcg__cat_rel(cat, cat->search_path[i], name);
        if (r && !r->temp)
            return r;
    }
    return NULL;
}

pgmcg_cat_type *pgmcg__cat_lookup_type(pgmcg_catalog *cat, const char *schema, const char *name)
{
    if (schema)
        return pgmcg__cat_type(cat, schema, name);
    for (size_t i = 0; i < cat->n_search_path; i++) {
        pgmcg_cat_type *t = pgmcg__cat_type(cat, cat->search_path[i], name);
        if (t)
            return t;
    }
    return NULL;
}

const char *pgmcg__cat_creation_schema(const pgmcg_catalog *cat)
{
    for (size_t i = 0; i < cat->n_search_path; i++)
        if (pgmcg__cat_schema_exists(cat, cat->search_path[i]))
            return cat->search_path[i];
    return NULL;
}

pgmcg_cat_relation *pgmcg__cat_add_rel(pgmcg_catalog *cat, const char *schema, const char *name)
{
    if (cat->n_rels == cat->cap_rels) {
        size_t c = cat->cap_rels ? cat->cap_rels * 2 : 16;
        pgmcg_cat_relation *q = realloc(cat->rels, c * sizeof *q);
        if (!q)
            return NULL;
        cat->rels = q;
        cat->cap_rels = c;
    }
    pgmcg_cat_relation *r = &cat->rels[cat->n_rels];
    memset(r, 0, sizeof *r);
    r->schema = pgmcg__cat_strdup(schema);
    r->name = pgmcg__cat_strdup(name);
    if (!r->schema || !r->name) {
        rel_free(r);
        return NULL;
    }
    r->kind = PGMC_REL_TABLE;
    cat->n_rels++;
    if (cat->rel_slots_valid) {
        if (cat->n_rels * 2 + 2 > cat->n_rel_slots)
            slots_rebuild(cat);
        else
            slot_insert(cat, cat->n_rels - 1);
    }
    return r;
}

pgmcg_cat_type *pgmcg__cat_add_type(pgmcg_catalog *cat, const char *schema, const char *name)
{
    if (cat->n_types == cat->cap_types) {
        size_t c = cat->cap_types ? cat->cap_types * 2 : 16;
        pgmcg_cat_type *q = realloc(cat->types, c * sizeof *q);
        if (!q)
            return NULL;
        cat->types = q;
        cat->cap_types = c;
    }
    pgmcg_cat_type *t = &cat->types[cat->n_types];
    memset(t, 0, sizeof *t);
    t->schema = pgmcg__cat_strdup(schema);
    t->name = pgmcg__cat_strdup(name);
    if (!t->schema || !t->name) {
        type_free(t);
        return NULL;
    }
    cat->n_types++;
    return t;
}

void pgmcg__cat_drop_rel(pgmcg_catalog *cat, size_t i)
{
    if (cat->rels[i].temp && cat->n_temp_rels)
        cat->n_temp_rels--;
    rel_free(&cat->rels[i]);
    memmove(cat->rels + i, cat->rels + i + 1, (cat->n_rels - i - 1) * sizeof *cat->rels);
    cat->n_rels--;
    cat->rel_slots_valid = 0;
}

void pgmcg__cat_drop_type(pgmcg_catalog *cat, size_t i)
{
    type_free(&cat->types[i]);
    memmove(cat->types + i, cat->types + i + 1, (cat->n_types - i - 1) * sizeof *cat->types);
    cat->n_types--;
}

static int names(const pgmcg_cat_typeref *t, pgmcg_cat_typekind kind, const char *schema,
                 const char *name)
{
    return t->kind == kind && t->schema && t->name && !strcmp(t->schema, schema) &&
           !strcmp(t->name, name);
}

static void retarget(pgmcg_cat_typeref *t, pgmcg_cat_typekind kind, const char *os, const char *on,
                     const char *ns, const char *nn)
{
    if (!names(t, kind, os, on))
        return;
    char *s = pgmcg__cat_strdup(ns), *n = pgmcg__cat_strdup(nn);
    if (!s || !n) {
        free(s);
        free(n);
        return;
    }
    free(t->schema);
    free(t->name);
    t->schema = s;
    t->name = n;
    pgmcg__cat_spell_user(t);
}

void pgmcg__cat_retarget_types(pgmcg_catalog *cat, pgmcg_cat_typekind kind, const char *old_schema,
                               const char *old_name, const char *new_schema, const char *new_name)
{
    for (size_t i = 0; i < cat->n_rels; i++)
        for (size_t j = 0; j < cat->rels[i].n_cols; j++)
            retarget(&cat->rels[i].cols[j].type, kind, old_schema, old_name, new_schema, new_name);
    for (size_t i = 0; i < cat->n_types; i++) {
        pgmcg_cat_type *t = &cat->types[i];
        retarget(&t->base, kind, old_schema, old_name, new_schema, new_name);
        for (size_t j = 0; j < t->n_attrs; j++)
            retarget(&t->attrs[j].type, kind, old_schema, old_name, new_schema, new_name);
    }
}

static int user_type_is(const pgmcg_cat_typeref *t, const char *schema, const char *name)
{
    return t->kind != PGMC_CAT_BUILTIN && t->kind != PGMC_CAT_UNKNOWN && t->schema && t->name &&
           !strcmp(t->schema, schema) && !strcmp(t->name, name);
}

void pgmcg__cat_drop_columns_of_type(pgmcg_catalog *cat, const char *schema, const char *name)
{
    for (size_t i = 0; i < cat->n_rels; i++) {
        pgmcg_cat_relation *r = &cat->rels[i];
        for (size_t j = r->n_cols; j-- > 0;)
            if (user_type_is(&r->cols[j].type, schema, name))
                pgmcg__cat_remove_col(r->cols, &r->n_cols, j);
    }
    for (size_t i = 0; i < cat->n_types; i++) {
        pgmcg_cat_type *t = &cat->types[i];
        for (size_t j = t->n_attrs; j-- > 0;)
            if (user_type_is(&t->attrs[j].type, schema, name))
                pgmcg__cat_remove_col(t->attrs, &t->n_attrs, j);
    }
}

static int cmp_rel(const void *a, const void *b)
{
    const pgmcg_cat_relation *x = a, *y = b;
    int c = strcmp(x->schema, y->schema);
    return c ? c : strcmp(x->name, y->name);
}

static int cmp_type(const void *a, const void *b)
{
    const pgmcg_cat_type *x = a, *y = b;
    int c = strcmp(x->schema, y->schema);
    return c ? c : strcmp(x->name, y->name);
}

void pgmcg_catalog_finish(pgmcg_catalog *cat)
{
    /* temporary tables are gone when the session ends */
    for (size_t i = cat->n_rels; i-- > 0;)
        if (cat->rels[i].temp)
            pgmcg__cat_drop_rel(cat, i);
    if (cat->n_rels > 1)
        qsort(cat->rels, cat->n_rels, sizeof *cat->rels, cmp_rel);
    cat->rel_slots_valid = 0;
    if (cat->n_types > 1)
        qsort(cat->types, cat->n_types, sizeof *cat->types, cmp_type);
}
