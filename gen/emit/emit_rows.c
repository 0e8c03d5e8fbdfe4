/* emit_rows.c - see emit_rows.h. Two passes over the catalog: first name
 * everything (C identifiers, collisions resolved in catalog order) and
 * resolve every column's type to a pgmc_ckind, then print the header part
 * and the source part from that plan. */
#define _POSIX_C_SOURCE 200809L

#include "emit/emit_rows.h"

#include "emit/c_literal.h"
#include "emit/c_names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the plan ---- */

typedef struct pcol {
    const pgmcg_cat_column *c;
    char *field;
    pgmc_ckind kind, elem;
    int unknown;     /* not mapped: read as text (cast in select_list) */
    const char *why; /* unknown: what it is */
    int en;          /* ENUM kinds: index into plan.enums */
} pcol;

typedef struct prel {
    const pgmcg_cat_relation *r;
    char *cname;
    pcol *cols;
} prel;

typedef struct penum {
    const pgmcg_cat_type *t;
    char *cname, *upper; /* "example_role_level", "EXAMPLE_ROLE_LEVEL" */
    char **consts;       /* per label: EXAMPLE_ROLE_LEVEL_VIEWER */
} penum;

typedef struct plan {
    const pgmcg_catalog *cat;
    const char *prefix;
    prel *rels;
    size_t n_rels;
    penum *enums;
    size_t n_enums;
    int oom;
} plan;

static int builtin_kind(const char *b, pgmc_ckind *k)
{
    static const struct {
        const char *name;
        pgmc_ckind kind;
    } map[] = {
        {"smallint", PGMC_C_INT16},
        {"integer", PGMC_C_INT32},
        {"bigint", PGMC_C_INT64},
        {"real", PGMC_C_FLOAT},
        {"double precision", PGMC_C_DOUBLE},
        {"boolean", PGMC_C_BOOL},
        {"text", PGMC_C_TEXT},
        {"character varying", PGMC_C_TEXT},
        {"character", PGMC_C_TEXT},
        {"citext", PGMC_C_TEXT},
        {"name", PGMC_C_TEXT},
        {"\"char\"", PGMC_C_TEXT},
        {"bytea", PGMC_C_BYTES},
        {"uuid", PGMC_C_UUID},
        {"timestamp with time zone", PGMC_C_TIMESTAMP},
        {"timestamp without time zone", PGMC_C_TIMESTAMP},
        {"date", PGMC_C_DATE},
        {"time without time zone", PGMC_C_TIME},
        {"interval", PGMC_C_INTERVAL},
        {"numeric", PGMC_C_NUMERIC},
        {"json", PGMC_C_JSON},
        {"jsonb", PGMC_C_JSONB},
        {"inet", PGMC_C_INET},
        {"cidr", PGMC_C_INET},
    };
    if (!b)
        return -1;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        if (!strcmp(map[i].name, b)) {
            *k = map[i].kind;
            return 0;
        }
    }
    return -1;
}

/* The catalog's type by exact name (the catalog's own lookup lives in
 * catalog.c; the emitter needs only the data model). */
static const pgmcg_cat_type *find_type(const pgmcg_catalog *cat, const char *schema,
                                       const char *name)
{
    if (!schema || !name)
        return NULL;
    for (size_t i = 0; i < cat->n_types; i++)
        if (!strcmp(cat->types[i].schema, schema) && !strcmp(cat->types[i].name, name))
            return &cat->types[i];
    return NULL;
}

static int find_enum(const plan *p, const pgmcg_cat_type *t)
{
    for (size_t i = 0; i < p->n_enums; i++)
        if (p->enums[i].t == t)
            return (int)i;
    return -1;
}

/* Resolve a type reference to (kind, elem). Domains resolve to their base
 * (recursively, at most 16 deep). Returns 0, or -1 when not mapped. */
static int resolve(const plan *p, const pgmcg_cat_typeref *tr, int depth, pcol *out, int *is_array)
{
    pgmc_ckind k;
    *is_array = tr->ndims > 0;
    switch (tr->kind) {
    case PGMC_CAT_BUILTIN:
        if (builtin_kind(tr->builtin, &k))
            return -1;
        out->elem = k;
        return 0;
    case PGMC_CAT_ENUM: {
        const pgmcg_cat_type *t = find_type(p->cat, tr->schema, tr->name);
        int e = t ? find_enum(p, t) : -1;
        if (e < 0)
            return -1;
        out->elem = PGMC_C_ENUM;
        out->en = e;
        return 0;
    }
    case PGMC_CAT_DOMAIN: {
        const pgmcg_cat_type *t = find_type(p->cat, tr->schema, tr->name);
        int base_array;
        if (!t || t->kind != PGMC_CAT_DOMAIN || depth > 16 ||
            resolve(p, &t->base, depth + 1, out, &base_array))
            return -1;
        if (base_array && *is_array)
            return -1; /* an array of a domain over an array */
        *is_array |= base_array;
        return 0;
    }
    case PGMC_CAT_COMPOSITE:
    case PGMC_CAT_UNKNOWN:
        return -1;
    }
    return -1;
}

static char *upper_dup(const char *s)
{
    char *u = strdup(s);
    if (u)
        for (char *q = u; *q; q++)
            if (*q >= 'a' && *q <= 'z')
                *q = (char)(*q - 'a' + 'A');
    return u;
}

/* "<prefix>_" + ("<schema>_" unless public) + name, as a C identifier. */
static void c_type_name(const char *prefix, const char *schema, const char *name, char *out,
                        size_t cap)
{
    char s[120], n[120];
    pgmcg_rows_c_ident(schema, s, sizeof s);
    pgmcg_rows_c_ident(name, n, sizeof n);
    int w = !strcmp(schema, "public") ? snprintf(out, cap, "%s_%s", prefix, n)
                                      : snprintf(out, cap, "%s_%s_%s", prefix, s, n);
    (void)w; /* prefix <= 64 and names < 120 bytes: 400 bytes always fit */
}

static int emitted_rel(const pgmcg_cat_relation *r)
{
    if (r->partition_of)
        return 0; /* a partition has its parent's columns: the parent's struct serves */
    if (r->n_cols == 0)
        return 0; /* C has no empty structs; CREATE TABLE AS leaves columns unknown */
    if (r->kind == PGMC_REL_VIEW || r->kind == PGMC_REL_MATVIEW)
        return !r->opaque;
    return 1;
}

static void plan_build(plan *p)
{
    const pgmcg_catalog *cat = p->cat;
    pgmcg_nameset global = {0};
    char buf[400];
    /* Names the generated files already use. */
    snprintf(buf, sizeof buf, "%s_schema", p->prefix);
    pgmcg_nameset_add(&global, buf);
    snprintf(buf, sizeof buf, "%s_table_list", p->prefix);
    pgmcg_nameset_add(&global, buf);
    snprintf(buf, sizeof buf, "%s_enum_list", p->prefix);
    pgmcg_nameset_add(&global, buf);
    snprintf(buf, sizeof buf, "%s_migrations", p->prefix);
    pgmcg_nameset_add(&global, buf);
    snprintf(buf, sizeof buf, "%s_statements", p->prefix);
    pgmcg_nameset_add(&global, buf);
    snprintf(buf, sizeof buf, "%s_sql", p->prefix);
    pgmcg_nameset_add(&global, buf);
    snprintf(buf, sizeof buf, "%s_columns", p->prefix);
    pgmcg_nameset_add(&global, buf);

    p->enums = calloc(cat->n_types ? cat->n_types : 1, sizeof *p->enums);
    p->rels = calloc(cat->n_rels ? cat->n_rels : 1, sizeof *p->rels);
    if (!p->enums || !p->rels) {
        p->oom = 1;
        pgmcg_nameset_free(&global);
        return;
    }
    for (size_t i = 0; i < cat->n_types; i++) {
        const pgmcg_cat_type *t = &cat->types[i];
        if (t->kind != PGMC_CAT_ENUM)
            continue;
        penum *e = &p->enums[p->n_enums++];
        e->t = t;
        c_type_name(p->prefix, t->schema, t->name, buf, sizeof buf);
        /* The enum type, its descriptor, and its two helpers. */
        e->cname = pgmcg_nameset_unique(&global, buf, "_enum");
        e->upper = e->cname ? upper_dup(e->cname) : NULL;
        e->consts = calloc(t->n_labels ? t->n_labels : 1, sizeof *e->consts);
        if (!e->cname || !e->upper || !e->consts) {
            p->oom = 1;
            continue;
        }
        pgmcg_nameset labels = {0};
        char base[400], lab[200];
        snprintf(base, sizeof base, "%s__UNKNOWN", e->upper);
        pgmcg_nameset_add(&labels, base);
        for (size_t l = 0; l < t->n_labels; l++) {
            pgmcg_rows_c_ident(t->labels[l], lab, sizeof lab);
            char *u = upper_dup(lab);
            snprintf(base, sizeof base, "%s_%s", e->upper, u ? u : "");
            free(u);
            e->consts[l] = pgmcg_nameset_unique(&labels, base, NULL);
            if (!e->consts[l])
                p->oom = 1;
        }
        p->oom |= labels.oom;
        pgmcg_nameset_free(&labels);
        char fn[420];
        snprintf(fn, sizeof fn, "%s_to_string", e->cname);
        pgmcg_nameset_add(&global, fn);
        snprintf(fn, sizeof fn, "%s_from_string", e->cname);
        pgmcg_nameset_add(&global, fn);
    }
    for (size_t i = 0; i < cat->n_rels; i++) {
        const pgmcg_cat_relation *r = &cat->rels[i];
        if (!emitted_rel(r))
            continue;
        prel *pr = &p->rels[p->n_rels++];
        pr->r = r;
        c_type_name(p->prefix, r->schema, r->name, buf, sizeof buf);
        pr->cname = pgmcg_nameset_unique(&global, buf, "_table");
        pr->cols = calloc(r->n_cols ? r->n_cols : 1, sizeof *pr->cols);
        if (!pr->cname || !pr->cols) {
            p->oom = 1;
            continue;
        }
        pgmcg_nameset fields = {0};
        for (size_t c = 0; c < r->n_cols; c++) {
            pcol *pc = &pr->cols[c];
            pc->c = &r->cols[c];
            pc->en = -1;
            int is_array = 0;
            if (resolve(p, &pc->c->type, 0, pc, &is_array)) {
                pc->unknown = 1;
                pc->kind = pc->elem = PGMC_C_TEXT;
                pc->en = -1;
                pc->why = pc->c->type.kind == PGMC_CAT_COMPOSITE ? "composite type"
                          : pc->c->type.kind == PGMC_CAT_UNKNOWN ? "type unknown to pgmc"
                                                                 : "type not mapped by pgmc";
            } else {
                pc->kind = is_array ? PGMC_C_ARRAY : pc->elem;
            }
            char f[200];
            pgmcg_rows_c_ident(pc->c->name, f, sizeof f);
            pc->field = pgmcg_nameset_unique(&fields, f, pc->c->not_null ? NULL : "_null");
            if (!pc->field)
                p->oom = 1;
        }
        p->oom |= fields.oom;
        pgmcg_nameset_free(&fields);
    }
    p->oom |= global.oom;
    pgmcg_nameset_free(&global);
}

static void plan_free(plan *p)
{
    for (size_t i = 0; i < p->n_enums; i++) {
        penum *e = &p->enums[i];
        if (e->consts)
            for (size_t l = 0; l < e->t->n_labels; l++)
                free(e->consts[l]);
        free(e->consts);
        free(e->cname);
        free(e->upper);
    }
    for (size_t i = 0; i < p->n_rels; i++) {
        prel *r = &p->rels[i];
        if (r->cols)
            for (size_t c = 0; c < r->r->n_cols; c++)
                free(r->cols[c].field);
        free(r->cols);
        free(r->cname);
    }
    free(p->enums);
    free(p->rels);
}

/* ---- printing ---- */

static const char *kind_enum_name(pgmc_ckind k)
{
    static const char *const names[] = {
        "PGMC_C_TEXT",   "PGMC_C_INT16", "PGMC_C_INT32",    "PGMC_C_INT64",   "PGMC_C_FLOAT",
        "PGMC_C_DOUBLE", "PGMC_C_BOOL",  "PGMC_C_BYTES",    "PGMC_C_UUID",    "PGMC_C_TIMESTAMP",
        "PGMC_C_DATE",   "PGMC_C_TIME",  "PGMC_C_INTERVAL", "PGMC_C_NUMERIC", "PGMC_C_JSON",
        "PGMC_C_JSONB",  "PGMC_C_INET",  "PGMC_C_ENUM",     "PGMC_C_ARRAY"};
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "PGMC_C_TEXT";
}

static const char *scalar_ctype(const plan *p, pgmc_ckind k, int en)
{
    switch (k) {
    case PGMC_C_INT16:
        return "int16_t";
    case PGMC_C_INT32:
        return "int32_t";
    case PGMC_C_INT64:
        return "int64_t";
    case PGMC_C_FLOAT:
        return "float";
    case PGMC_C_DOUBLE:
        return "double";
    case PGMC_C_BOOL:
        return "bool";
    case PGMC_C_BYTES:
        return "pgmc_bytes";
    case PGMC_C_UUID:
        return "pgmc_uuid";
    case PGMC_C_TIMESTAMP:
        return "pgmc_timestamp";
    case PGMC_C_DATE:
        return "pgmc_date";
    case PGMC_C_TIME:
        return "pgmc_time";
    case PGMC_C_INTERVAL:
        return "pgmc_interval";
    case PGMC_C_ENUM:
        return en >= 0 ? p->enums[en].cname : "int";
    case PGMC_C_ARRAY:
        return "pgmc_array";
    case PGMC_C_TEXT:
    case PGMC_C_NUMERIC:
    case PGMC_C_JSON:
    case PGMC_C_JSONB:
    case PGMC_C_INET:
        return "pgmc_text";
    }
    return "pgmc_text";
}

/* What a field's comment adds after the SQL type. */
static void field_note(pgmcg_buf *b, const plan *p, const pcol *pc)
{
    if (pc->unknown) {
        pgmcg_buf_puts(b, " (");
        pgmcg_buf_puts(b, pc->why);
        pgmcg_buf_puts(b, ": read as text)");
    } else if (pc->kind == PGMC_C_ARRAY) {
        pgmcg_buf_puts(b, " (items: ");
        pgmcg_buf_puts(b, pc->elem == PGMC_C_ENUM ? "int" : scalar_ctype(p, pc->elem, pc->en));
        pgmcg_buf_puts(b, ")");
    } else if (pc->kind == PGMC_C_NUMERIC) {
        pgmcg_buf_puts(b, " (exact decimal text)");
    } else if (pc->c->type.kind == PGMC_CAT_DOMAIN) {
        pgmcg_buf_puts(b, " (a domain: its base type)");
    }
}

static void sql_quote_ident(pgmcg_buf *b, const char *s)
{
    pgmcg_buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            pgmcg_buf_putc(b, '"');
        pgmcg_buf_putc(b, *s);
    }
    pgmcg_buf_putc(b, '"');
}

static void pad(pgmcg_buf *b, size_t n)
{
    if (pgmcg_buf_reserve(b, n))
        return;
    memset(b->p + b->len, ' ', n);
    b->len += n;
}

/* "s1" "s2" ... without printf: the emitter's hot loops. */
static void puts2(pgmcg_buf *b, const char *a, const char *c)
{
    pgmcg_buf_puts(b, a);
    pgmcg_buf_puts(b, c);
}

static void emit_h(const plan *p, pgmcg_buf *h)
{
    if (p->n_enums)
        pgmcg_buf_puts(
            h, "\n/* ---- Enums: C values are 0..n-1 in label order; a label this build\n"
               " * does not know (added by a newer migration) decodes as __UNKNOWN. ---- */\n");
    for (size_t i = 0; i < p->n_enums; i++) {
        const penum *e = &p->enums[i];
        pgmcg_buf_puts(h, "\n/* ");
        pgmcg_c_comment(h, e->t->schema, strlen(e->t->schema), 64);
        pgmcg_buf_putc(h, '.');
        pgmcg_c_comment(h, e->t->name, strlen(e->t->name), 64);
        if (e->t->comment) {
            pgmcg_buf_puts(h, ": ");
            pgmcg_c_comment(h, e->t->comment, strlen(e->t->comment), 200);
        }
        pgmcg_buf_printf(h, " */\ntypedef enum %s {\n    %s__UNKNOWN = -1,\n", e->cname, e->upper);
        for (size_t l = 0; l < e->t->n_labels; l++) {
            pgmcg_buf_printf(h, "    %s = %zu, /* '", e->consts[l], l);
            pgmcg_c_comment(h, e->t->labels[l], strlen(e->t->labels[l]), 64);
            pgmcg_buf_puts(h, "' */\n");
        }
        pgmcg_buf_printf(h,
                         "} %s;\n"
                         "/* The label of v, or NULL for a value that is not one. */\n"
                         "const char *%s_to_string(%s v);\n"
                         "/* The value of label s, or %s__UNKNOWN. */\n"
                         "%s %s_from_string(const char *s);\n"
                         "extern const pgmc_enum_desc %s_enum;\n",
                         e->cname, e->cname, e->cname, e->upper, e->cname, e->cname, e->cname);
    }
    if (p->n_rels)
        pgmcg_buf_puts(h,
                       "\n/* ---- Row structs: one field per column, in column order. A nullable\n"
                       " * column has a `bool <field>_null` right after it; text, bytes and\n"
                       " * arrays borrow from the PGresult or live in a pgmc_arena (see\n"
                       " * pgmc_decode_row in pgmc.h). ---- */\n");
    for (size_t i = 0; i < p->n_rels; i++) {
        const prel *pr = &p->rels[i];
        const pgmcg_cat_relation *r = pr->r;
        pgmcg_buf_puts(h, "\n/* ");
        pgmcg_c_comment(h, r->schema, strlen(r->schema), 64);
        pgmcg_buf_putc(h, '.');
        pgmcg_c_comment(h, r->name, strlen(r->name), 64);
        pgmcg_buf_puts(h, r->kind == PGMC_REL_VIEW          ? " (view)"
                          : r->kind == PGMC_REL_MATVIEW     ? " (materialized view)"
                          : r->kind == PGMC_REL_PARTITIONED ? " (partitioned table)"
                                                            : " (table)");
        if (r->comment) {
            pgmcg_buf_puts(h, "\n * ");
            pgmcg_c_comment(h, r->comment, strlen(r->comment), 300);
        }
        puts2(h, " */\ntypedef struct ", pr->cname);
        pgmcg_buf_puts(h, " {\n");
        size_t w = 0;
        for (size_t c = 0; c < r->n_cols; c++) {
            const pcol *pc = &pr->cols[c];
            size_t l = strlen(scalar_ctype(p, pc->kind, pc->en)) + 1 + strlen(pc->field) + 1;
            size_t ln = pc->c->not_null ? 0 : 5 + strlen(pc->field) + 6;
            if (l > w)
                w = l;
            if (ln > w)
                w = ln;
        }
        for (size_t c = 0; c < r->n_cols; c++) {
            const pcol *pc = &pr->cols[c];
            const char *t = scalar_ctype(p, pc->kind, pc->en);
            size_t l = strlen(t) + 1 + strlen(pc->field) + 1;
            pgmcg_buf_puts(h, "    ");
            puts2(h, t, " ");
            puts2(h, pc->field, ";");
            pad(h, w - l);
            pgmcg_buf_puts(h, " /* ");
            pgmcg_c_comment(h, pc->c->type.spelling, strlen(pc->c->type.spelling), 80);
            pgmcg_buf_puts(h, pc->c->not_null ? " NOT NULL" : ", nullable");
            field_note(h, p, pc);
            if (pc->c->comment) {
                pgmcg_buf_puts(h, ": ");
                pgmcg_c_comment(h, pc->c->comment, strlen(pc->c->comment), 120);
            }
            pgmcg_buf_puts(h, " */\n");
            if (!pc->c->not_null) {
                size_t ln = 5 + strlen(pc->field) + 6;
                puts2(h, "    bool ", pc->field);
                pgmcg_buf_puts(h, "_null;");
                pad(h, w - ln);
                pgmcg_buf_puts(h, " /* ");
                pgmcg_c_comment(h, pc->c->name, strlen(pc->c->name), 64);
                pgmcg_buf_puts(h, " IS NULL */\n");
            }
        }
        puts2(h, "} ", pr->cname);
        puts2(h, ";\nextern const pgmc_table_desc ", pr->cname);
        pgmcg_buf_puts(h, "_table;\n");
    }
}

/* A short string as one C literal. Literals are cheaper for the compiler
 * than `<table> + offset` pointers into one array (measured: 6.7 s against
 * 11.1 s for 680,000 of them), so only long texts go into the string table. */
static void lit(pgmcg_buf *b, const char *s)
{
    pgmcg_c_string1(b, s, strlen(s));
}

static void emit_enums_c(const plan *p, pgmcg_buf *c)
{
    char num[32];
    for (size_t i = 0; i < p->n_enums; i++) {
        const penum *e = &p->enums[i];
        pgmcg_buf_printf(c,
                         "\n/* The decoder stores enum values as int. */\n"
                         "_Static_assert(sizeof(%s) == sizeof(int), \"enum is not int-sized\");\n\n"
                         "static const char *const %s_labels[] = {\n",
                         e->cname, e->cname);
        for (size_t l = 0; l < e->t->n_labels; l++) {
            pgmcg_buf_puts(c, "    ");
            lit(c, e->t->labels[l]);
            pgmcg_buf_puts(c, ",\n");
        }
        if (!e->t->n_labels)
            pgmcg_buf_puts(c, "    NULL,\n");
        snprintf(num, sizeof num, "%zu", e->t->n_labels);
        pgmcg_buf_printf(c,
                         "};\n\n/* {schema, name, c_name, labels, n_labels} */\n"
                         "const pgmc_enum_desc %s_enum = {\n    ",
                         e->cname);
        lit(c, e->t->schema);
        pgmcg_buf_puts(c, ", ");
        lit(c, e->t->name);
        pgmcg_buf_puts(c, ", ");
        lit(c, e->cname);
        pgmcg_buf_printf(c, ",\n    %s_labels, %s};\n\n", e->cname, num);
        pgmcg_buf_printf(c,
                         "const char *%s_to_string(%s v)\n{\n"
                         "    return (int)v >= 0 && (int)v < %s ? %s_labels[v] : NULL;\n}\n\n"
                         "%s %s_from_string(const char *s)\n{\n"
                         "    for (int i = 0; i < %s; i++)\n"
                         "        if (!strcmp(s, %s_labels[i]))\n"
                         "            return (%s)i;\n"
                         "    return %s__UNKNOWN;\n}\n",
                         e->cname, e->cname, num, e->cname, e->cname, e->cname, num, e->cname,
                         e->cname, e->upper);
    }
}

/* The descriptor's strings of one table: names, its quoted name and its
 * select list, as literals. */
static void rel_strings(const prel *pr, pgmcg_buf *tmp, pgmcg_buf *c)
{
    const pgmcg_cat_relation *r = pr->r;
    lit(c, r->schema);
    pgmcg_buf_add(c, ", ", 2);
    lit(c, r->name);
    pgmcg_buf_add(c, ", ", 2);
    tmp->len = 0;
    sql_quote_ident(tmp, r->schema);
    pgmcg_buf_putc(tmp, '.');
    sql_quote_ident(tmp, r->name);
    pgmcg_c_string1(c, tmp->p ? tmp->p : "", tmp->len);
    pgmcg_buf_puts(c, ",\n    ");
    tmp->len = 0;
    for (size_t k = 0; k < r->n_cols; k++) {
        const pcol *pc = &pr->cols[k];
        if (k)
            pgmcg_buf_add(tmp, ", ", 2);
        sql_quote_ident(tmp, pc->c->name);
        if (pc->unknown) {
            pgmcg_buf_puts(tmp, "::text AS ");
            sql_quote_ident(tmp, pc->c->name);
        }
    }
    pgmcg_c_string1(c, tmp->p ? tmp->p : "", tmp->len);
    pgmcg_buf_puts(c, ",\n    ");
    lit(c, pr->cname);
}

/* offsetof(<struct>, <field><suffix>) */
static void put_offsetof(pgmcg_buf *c, const char *cname, const char *field, const char *suffix)
{
    puts2(c, "offsetof(", cname);
    puts2(c, ", ", field);
    puts2(c, suffix, ")");
}

static void emit_c(const plan *p, pgmcg_buf *c)
{
    emit_enums_c(p, c);
    if (!p->n_rels)
        return;
    pgmcg_buf tmp = {0};
    /* All columns of all tables in one array, like the statements: one
     * object instead of one per table keeps gcc's work linear. */
    pgmcg_buf_puts(c,
                   "\n/* Every table's columns, in column order: {name, sql_type, c_field, kind,\n"
                   " * elem_kind, offset, null_offset, enum_desc}. */\n"
                   "static const pgmc_column_desc ");
    puts2(c, p->prefix, "_columns[] = {\n");
    size_t n_cols = 0;
    for (size_t i = 0; i < p->n_rels; i++) {
        const prel *pr = &p->rels[i];
        const pgmcg_cat_relation *r = pr->r;
        pgmcg_buf_puts(c, "    /* ");
        pgmcg_c_comment(c, r->schema, strlen(r->schema), 64);
        pgmcg_buf_putc(c, '.');
        pgmcg_c_comment(c, r->name, strlen(r->name), 64);
        pgmcg_buf_puts(c, ": ");
        pgmcg_buf_puts(c, p->prefix);
        pgmcg_buf_puts(c, "_columns + ");
        pgmcg_buf_putu(c, n_cols, 0);
        pgmcg_buf_puts(c, " */\n");
        n_cols += r->n_cols;
        for (size_t k = 0; k < r->n_cols; k++) {
            const pcol *pc = &pr->cols[k];
            pgmcg_buf_puts(c, "    {");
            lit(c, pc->c->name);
            pgmcg_buf_add(c, ", ", 2);
            lit(c, pc->c->type.spelling);
            pgmcg_buf_add(c, ", ", 2);
            lit(c, pc->field);
            puts2(c, ", ", kind_enum_name(pc->kind));
            puts2(c, ", ", kind_enum_name(pc->elem));
            pgmcg_buf_puts(c, ",\n     ");
            put_offsetof(c, pr->cname, pc->field, "");
            pgmcg_buf_add(c, ", ", 2);
            if (pc->c->not_null)
                pgmcg_buf_puts(c, "PGMC_NOT_NULL");
            else
                put_offsetof(c, pr->cname, pc->field, "_null");
            if (pc->en >= 0) {
                puts2(c, ", &", p->enums[pc->en].cname);
                pgmcg_buf_puts(c, "_enum},\n");
            } else {
                pgmcg_buf_puts(c, ", NULL},\n");
            }
        }
    }
    pgmcg_buf_puts(c,
                   "};\n\n/* {schema, name, qualified, select_list, c_name, columns, n_columns,\n"
                   " * size} of every table. */\n");
    n_cols = 0;
    for (size_t i = 0; i < p->n_rels; i++) {
        const prel *pr = &p->rels[i];
        puts2(c, "const pgmc_table_desc ", pr->cname);
        pgmcg_buf_puts(c, "_table = {\n    ");
        rel_strings(pr, &tmp, c);
        pgmcg_buf_puts(c, ",\n    ");
        puts2(c, p->prefix, "_columns + ");
        pgmcg_buf_putu(c, n_cols, 0);
        pgmcg_buf_add(c, ", ", 2);
        pgmcg_buf_putu(c, pr->r->n_cols, 0);
        puts2(c, ", sizeof(", pr->cname);
        pgmcg_buf_puts(c, ")};\n");
        n_cols += pr->r->n_cols;
    }
    if (tmp.oom)
        c->oom = 1;
    pgmcg_buf_free(&tmp);
    pgmcg_buf_puts(c, "\nstatic const pgmc_table_desc *const ");
    puts2(c, p->prefix, "_table_list[] = {\n");
    for (size_t i = 0; i < p->n_rels; i++) {
        puts2(c, "    &", p->rels[i].cname);
        pgmcg_buf_puts(c, "_table,\n");
    }
    pgmcg_buf_puts(c, "};\n");
}

static void emit_lists(const plan *p, pgmcg_buf *c)
{
    if (p->n_enums) {
        pgmcg_buf_printf(c, "\nstatic const pgmc_enum_desc *const %s_enum_list[] = {\n", p->prefix);
        for (size_t i = 0; i < p->n_enums; i++) {
            puts2(c, "    &", p->enums[i].cname);
            pgmcg_buf_puts(c, "_enum,\n");
        }
        pgmcg_buf_puts(c, "};\n");
    }
}

int pgmcg_emit_rows(const pgmcg_catalog *cat, const char *prefix, pgmcg_buf *h, pgmcg_buf *c,
                    size_t *n_tables, size_t *n_enums)
{
    *n_tables = *n_enums = 0;
    if (!cat)
        return 0;
    plan p;
    memset(&p, 0, sizeof p);
    p.cat = cat;
    p.prefix = prefix;
    plan_build(&p);
    if (!p.oom) {
        emit_h(&p, h);
        emit_c(&p, c);
        emit_lists(&p, c);
        *n_tables = p.n_rels;
        *n_enums = p.n_enums;
    }
    int oom = p.oom;
    plan_free(&p);
    return oom || h->oom || c->oom ? -1 : 0;
}
