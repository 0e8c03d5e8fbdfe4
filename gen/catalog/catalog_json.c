/* catalog_json.c - print a catalog: the `pgmc schema --json` document and
 * the line-per-fact "flat" form that `verify` compares with pg_catalog,
 * and its compact form. JSON is specified in README.md, the flat form in
 * runtime/pgmc_schema.h.
 */
#include "catalog/catalog_int.h"

#include <stdlib.h>
#include <string.h>

static void json_str(pgmcg_buf *b, const char *s)
{
    if (!s) {
        pgmcg_buf_puts(b, "null");
        return;
    }
    pgmcg_buf_putc(b, '"');
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '"' || *c == '\\') {
            pgmcg_buf_putc(b, '\\');
            pgmcg_buf_putc(b, (char)*c);
        } else if (*c == '\n') {
            pgmcg_buf_puts(b, "\\n");
        } else if (*c == '\t') {
            pgmcg_buf_puts(b, "\\t");
        } else if (*c == '\r') {
            pgmcg_buf_puts(b, "\\r");
        } else if (*c < 0x20) {
            pgmcg_buf_printf(b, "\\u%04x", *c);
        } else {
            pgmcg_buf_putc(b, (char)*c);
        }
    }
    pgmcg_buf_putc(b, '"');
}

/* "schema": "...", "name": "..." */
static void json_qname(pgmcg_buf *b, const char *schema, const char *name)
{
    pgmcg_buf_puts(b, "\"schema\": ");
    json_str(b, schema);
    pgmcg_buf_puts(b, ", \"name\": ");
    json_str(b, name);
}

static void json_strs(pgmcg_buf *b, char *const *v, size_t n)
{
    pgmcg_buf_putc(b, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            pgmcg_buf_puts(b, ", ");
        json_str(b, v[i]);
    }
    pgmcg_buf_putc(b, ']');
}

static const char *kind_name(pgmcg_cat_relkind k)
{
    switch (k) {
    case PGMC_REL_PARTITIONED:
        return "partitioned table";
    case PGMC_REL_VIEW:
        return "view";
    case PGMC_REL_MATVIEW:
        return "materialized view";
    default:
        return "table";
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A sorted shallow copy of a string array (NULL when empty or on OOM). */
static char **sorted(char *const *v, size_t n)
{
    if (!n)
        return NULL;
    char **s = malloc(n * sizeof *s);
    if (!s)
        return NULL;
    memcpy(s, v, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_str);
    return s;
}

void pgmcg_catalog_json(const pgmcg_catalog *cat, pgmcg_buf *out)
{
    char **sch = sorted(cat->schemas, cat->n_schemas);
    char **ext = sorted(cat->extensions, cat->n_extensions);
    pgmcg_buf_puts(out, "{\n  \"schemas\": ");
    json_strs(out, sch, sch ? cat->n_schemas : 0);
    pgmcg_buf_puts(out, ",\n  \"extensions\": ");
    json_strs(out, ext, ext ? cat->n_extensions : 0);
    free(sch);
    free(ext);
    pgmcg_buf_puts(out, ",\n  \"relations\": [");
    for (size_t i = 0; i < cat->n_rels; i++) {
        const pgmcg_cat_relation *r = &cat->rels[i];
        pgmcg_buf_puts(out, i ? ",\n    {" : "\n    {");
        json_qname(out, r->schema, r->name);
        pgmcg_buf_puts(out, ", \"kind\": ");
        json_str(out, kind_name(r->kind));
        pgmcg_buf_puts(out, ", \"partition_of\": ");
        json_str(out, r->partition_of);
        pgmcg_buf_puts(out, r->opaque ? ", \"opaque\": true" : ", \"opaque\": false");
        pgmcg_buf_puts(out, ", \"comment\": ");
        json_str(out, r->comment);
        pgmcg_buf_puts(out, ",\n     \"columns\": [");
        for (size_t j = 0; j < r->n_cols; j++) {
            const pgmcg_cat_column *c = &r->cols[j];
            pgmcg_buf_puts(out, j ? ",\n       {" : "\n       {");
            pgmcg_buf_puts(out, "\"name\": ");
            json_str(out, c->name);
            pgmcg_buf_puts(out, ", \"type\": ");
            json_str(out, c->type.spelling);
            pgmcg_buf_puts(out, c->not_null ? ", \"not_null\": true" : ", \"not_null\": false");
            pgmcg_buf_puts(out,
                           c->has_default ? ", \"has_default\": true" : ", \"has_default\": false");
            pgmcg_buf_puts(out, ", \"identity\": ");
            json_str(out, c->identity == 'a' ? "always" : c->identity == 'd' ? "by default" : NULL);
            pgmcg_buf_puts(out, ", \"generated\": ");
            json_str(out, c->generated == 's' ? "stored" : NULL);
            pgmcg_buf_puts(out, ", \"comment\": ");
            json_str(out, c->comment);
            pgmcg_buf_putc(out, '}');
        }
        pgmcg_buf_puts(out, r->n_cols ? "\n     ]}" : "]}");
    }
    pgmcg_buf_puts(out, cat->n_rels ? "\n  ],\n  \"enums\": [" : "],\n  \"enums\": [");
    size_t k = 0;
    for (size_t i = 0; i < cat->n_types; i++) {
        const pgmcg_cat_type *t = &cat->types[i];
        if (t->kind != PGMC_CAT_ENUM)
            continue;
        pgmcg_buf_puts(out, k++ ? ",\n    {" : "\n    {");
        json_qname(out, t->schema, t->name);
        pgmcg_buf_puts(out, ", \"labels\": ");
        json_strs(out, t->labels, t->n_labels);
        pgmcg_buf_putc(out, '}');
    }
    pgmcg_buf_puts(out, k ? "\n  ],\n  \"domains\": [" : "],\n  \"domains\": [");
    k = 0;
    for (size_t i = 0; i < cat->n_types; i++) {
        const pgmcg_cat_type *t = &cat->types[i];
        if (t->kind != PGMC_CAT_DOMAIN)
            continue;
        pgmcg_buf_puts(out, k++ ? ",\n    {" : "\n    {");
        json_qname(out, t->schema, t->name);
        pgmcg_buf_puts(out, ", \"type\": ");
        json_str(out, t->base.spelling);
        pgmcg_buf_puts(out, t->not_null ? ", \"not_null\": true" : ", \"not_null\": false");
        pgmcg_buf_puts(out,
                       t->has_default ? ", \"has_default\": true}" : ", \"has_default\": false}");
    }
    pgmcg_buf_puts(out, k ? "\n  ],\n  \"composites\": [" : "],\n  \"composites\": [");
    k = 0;
    for (size_t i = 0; i < cat->n_types; i++) {
        const pgmcg_cat_type *t = &cat->types[i];
        if (t->kind != PGMC_CAT_COMPOSITE)
            continue;
        pgmcg_buf_puts(out, k++ ? ",\n    {" : "\n    {");
        json_qname(out, t->schema, t->name);
        pgmcg_buf_puts(out, ", \"columns\": [");
        for (size_t j = 0; j < t->n_attrs; j++) {
            pgmcg_buf_puts(out, j ? ", {\"name\": " : "{\"name\": ");
            json_str(out, t->attrs[j].name);
            pgmcg_buf_puts(out, ", \"type\": ");
            json_str(out, t->attrs[j].type.spelling);
            pgmcg_buf_putc(out, '}');
        }
        pgmcg_buf_puts(out, "]}");
    }
    pgmcg_buf_puts(out, k ? "\n  ]\n}\n" : "]\n}\n");
}

void pgmcg__cat_put_ident(pgmcg_buf *b, const char *s)
{
    if (!s)
        s = "?";
    int bare = (s[0] >= 'a' && s[0] <= 'z') || s[0] == '_';
    for (const char *c = s; *c && bare; c++)
        bare = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_';
    if (bare) {
        pgmcg_buf_puts(b, s);
        return;
    }
    pgmcg_buf_putc(b, '"');
    for (const char *c = s; *c; c++) {
        if (*c == '"')
            pgmcg_buf_putc(b, '"');
        pgmcg_buf_putc(b, *c);
    }
    pgmcg_buf_putc(b, '"');
}

static void qname(pgmcg_buf *b, const char *schema, const char *name)
{
    pgmcg__cat_put_ident(b, schema);
    pgmcg_buf_putc(b, '.');
    pgmcg__cat_put_ident(b, name);
}

static void flags(pgmcg_buf *b, int not_null, int has_default, char identity, char generated)
{
    int any = 0;
    if (not_null) {
        pgmcg_buf_puts(b, "not_null");
        any = 1;
    }
    if (has_default) {
        pgmcg_buf_puts(b, any ? ",default" : "default");
        any = 1;
    }
    if (identity) {
        pgmcg_buf_puts(b, any ? ",identity=" : "identity=");
        pgmcg_buf_putc(b, identity);
        any = 1;
    }
    if (generated) {
        pgmcg_buf_puts(b, any ? ",generated=" : "generated=");
        pgmcg_buf_putc(b, generated);
        any = 1;
    }
    if (!any)
        pgmcg_buf_putc(b, '-');
}

/* Lines are collected whole, then sorted bytewise. */
typedef struct lines {
    char **v;
    size_t n, cap;
} lines;

static void line_done(lines *ls, pgmcg_buf *b)
{
    pgmcg_buf_putc(b, '\0');
    if (b->oom) {
        pgmcg_buf_free(b);
        return;
    }
    /* the buffer starts at 4 KiB: keep only what the line needs */
    char *s = realloc(b->p, b->len);
    if (!s)
        s = b->p;
    memset(b, 0, sizeof *b);
    pgmcg__cat_push(&ls->v, &ls->n, &ls->cap, s);
}

static void nnnn(pgmcg_buf *b, size_t i)
{
    char tmp[16];
    size_t v = i + 1;
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (int k = n; k < 4; k++)
        pgmcg_buf_putc(b, '0');
    while (n)
        pgmcg_buf_putc(b, tmp[--n]);
}

void pgmcg_catalog_flat(const pgmcg_catalog *cat, pgmcg_buf *out)
{
    lines ls = {0};
    pgmcg_buf b = {0};
    for (size_t i = 0; i < cat->n_schemas; i++) {
        pgmcg_buf_puts(&b, "schema ");
        pgmcg__cat_put_ident(&b, cat->schemas[i]);
        line_done(&ls, &b);
    }
    for (size_t i = 0; i < cat->n_extensions; i++) {
        pgmcg_buf_puts(&b, "extension ");
        pgmcg__cat_put_ident(&b, cat->extensions[i]);
        line_done(&ls, &b);
    }
    for (size_t i = 0; i < cat->n_rels; i++) {
        const pgmcg_cat_relation *r = &cat->rels[i];
        if (r->temp)
            continue;
        pgmcg_buf_puts(&b, "relation ");
        qname(&b, r->schema, r->name);
        const char *k = r->kind == PGMC_REL_PARTITIONED ? "partitioned"
                        : r->kind == PGMC_REL_VIEW      ? "view"
                        : r->kind == PGMC_REL_MATVIEW   ? "matview"
                                                        : "table";
        if (r->opaque && (r->kind == PGMC_REL_VIEW || r->kind == PGMC_REL_MATVIEW))
            k = "opaque-view";
        pgmcg_buf_putc(&b, ' ');
        pgmcg_buf_puts(&b, k);
        line_done(&ls, &b);
        if (r->partition_of) {
            const char *dot = strchr(r->partition_of, '.');
            pgmcg_buf_puts(&b, "partition ");
            qname(&b, r->schema, r->name);
            pgmcg_buf_putc(&b, ' ');
            if (dot) {
                char *ps = malloc((size_t)(dot - r->partition_of) + 1);
                if (ps) {
                    memcpy(ps, r->partition_of, (size_t)(dot - r->partition_of));
                    ps[dot - r->partition_of] = '\0';
                    qname(&b, ps, dot + 1);
                    free(ps);
                }
            }
            line_done(&ls, &b);
        }
        if (r->opaque)
            continue;
        for (size_t j = 0; j < r->n_cols; j++) {
            const pgmcg_cat_column *c = &r->cols[j];
            pgmcg_buf_puts(&b, "column ");
            qname(&b, r->schema, r->name);
            pgmcg_buf_putc(&b, ' ');
            nnnn(&b, j);
            pgmcg_buf_putc(&b, ' ');
            pgmcg__cat_put_ident(&b, c->name);
            pgmcg_buf_putc(&b, ' ');
            flags(&b, c->not_null, c->has_default, c->identity, c->generated);
            pgmcg_buf_putc(&b, ' ');
            pgmcg_buf_puts(&b, c->type.spelling ? c->type.spelling : "?");
            line_done(&ls, &b);
        }
    }
    for (size_t i = 0; i < cat->n_types; i++) {
        const pgmcg_cat_type *t = &cat->types[i];
        if (t->kind == PGMC_CAT_ENUM) {
            for (size_t j = 0; j < t->n_labels; j++) {
                pgmcg_buf_puts(&b, "enum ");
                qname(&b, t->schema, t->name);
                pgmcg_buf_putc(&b, ' ');
                nnnn(&b, j);
                pgmcg_buf_putc(&b, ' ');
                pgmcg__cat_put_ident(&b, t->labels[j]);
                line_done(&ls, &b);
            }
        } else if (t->kind == PGMC_CAT_DOMAIN) {
            pgmcg_buf_puts(&b, "domain ");
            qname(&b, t->schema, t->name);
            pgmcg_buf_putc(&b, ' ');
            flags(&b, t->not_null, t->has_default, 0, 0);
            pgmcg_buf_putc(&b, ' ');
            pgmcg_buf_puts(&b, t->base.spelling ? t->base.spelling : "?");
            line_done(&ls, &b);
        } else if (t->kind == PGMC_CAT_COMPOSITE) {
            for (size_t j = 0; j < t->n_attrs; j++) {
                pgmcg_buf_puts(&b, "attribute ");
                qname(&b, t->schema, t->name);
                pgmcg_buf_putc(&b, ' ');
                nnnn(&b, j);
                pgmcg_buf_putc(&b, ' ');
                pgmcg__cat_put_ident(&b, t->attrs[j].name);
                pgmcg_buf_puts(&b, " - ");
                pgmcg_buf_puts(&b, t->attrs[j].type.spelling ? t->attrs[j].type.spelling : "?");
                line_done(&ls, &b);
            }
        }
    }
    if (ls.n > 1)
        qsort(ls.v, ls.n, sizeof *ls.v, cmp_str);
    for (size_t i = 0; i < ls.n; i++) {
        pgmcg_buf_puts(out, ls.v[i]);
        pgmcg_buf_putc(out, '\n');
        free(ls.v[i]);
    }
    free(ls.v);
}

/* Where the token at p ends (a double-quoted part may hold spaces). */
static const char *flat_token_end(const char *p, const char *end)
{
    int q = 0;
    while (p < end && (q || *p != ' ')) {
        if (*p == '"')
            q = !q;
        p++;
    }
    return p;
}

void pgmcg_catalog_flat_compact(const char *flat, pgmcg_buf *out)
{
    const char *key = NULL; /* the last full line's "kind name" */
    size_t key_n = 0;
    for (const char *p = flat; *p;) {
        const char *nl = strchr(p, '\n');
        const char *end = nl ? nl : p + strlen(p);
        const char *k = flat_token_end(p, end);
        if (k < end)
            k = flat_token_end(k + 1, end);
        size_t kn = (size_t)(k - p);
        if (key && kn == key_n && k < end && !memcmp(p, key, kn)) {
            pgmcg_buf_add(out, k, (size_t)(end - k)); /* from the space on */
        } else {
            pgmcg_buf_add(out, p, (size_t)(end - p));
            key = p;
            key_n = kn;
        }
        pgmcg_buf_putc(out, '\n');
        p = nl ? nl + 1 : end;
    }
}
