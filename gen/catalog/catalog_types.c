/* catalog_types.c - type names as the DDL writes them, resolved and spelled
 * the way PostgreSQL's format_type() prints them with search_path = public:
 * built-in aliases (int4 -> integer, timestamptz -> timestamp with time
 * zone...), typmods, arrays, extension types, and this catalog's own enums,
 * domains, composites and table row types. See catalog_int.h.
 */
#include "catalog/catalog_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How a built-in family prints its typmod. */
typedef enum family {
    F_PLAIN,    /* name, typmods (if any) printed as (a[,b]) */
    F_VARCHAR,  /* character varying[(n)] */
    F_CHAR,     /* char/character: (n), default 1 */
    F_BPCHAR,   /* bpchar: character(n), or bpchar */
    F_BIT,      /* bit: (n), default 1 */
    F_VARBIT,   /* bit varying[(n)] */
    F_NUMERIC,  /* numeric[(p,s)], (p) means (p,0) */
    F_FLOAT,    /* float[(p)] */
    F_TS,       /* timestamp[(p)] without time zone */
    F_TSTZ,     /* timestamp[(p)] with time zone */
    F_TIME,     /* time[(p)] without time zone */
    F_TIMETZ,   /* time[(p)] with time zone */
    F_INTERVAL, /* interval [fields][(p)] */
    F_SERIAL    /* serial types: canon is the integer type */
} family;

typedef struct builtin {
    const char *name;  /* as written (lower case) or the pg_type name */
    const char *canon; /* format_type name without typmod */
    family fam;
} builtin;

static const builtin builtins[] = {
    {"int", "integer", F_PLAIN},
    {"integer", "integer", F_PLAIN},
    {"int4", "integer", F_PLAIN},
    {"smallint", "smallint", F_PLAIN},
    {"int2", "smallint", F_PLAIN},
    {"bigint", "bigint", F_PLAIN},
    {"int8", "bigint", F_PLAIN},
    {"real", "real", F_PLAIN},
    {"float4", "real", F_PLAIN},
    {"float8", "double precision", F_PLAIN},
    {"float", "double precision", F_FLOAT},
    {"boolean", "boolean", F_PLAIN},
    {"bool", "boolean", F_PLAIN},
    {"serial", "integer", F_SERIAL},
    {"serial4", "integer", F_SERIAL},
    {"bigserial", "bigint", F_SERIAL},
    {"serial8", "bigint", F_SERIAL},
    {"smallserial", "smallint", F_SERIAL},
    {"serial2", "smallint", F_SERIAL},
    {"varchar", "character varying", F_VARCHAR},
    {"char", "character", F_CHAR},
    {"character", "character", F_CHAR},
    {"nchar", "character", F_CHAR},
    {"bpchar", "character", F_BPCHAR},
    {"bit", "bit", F_BIT},
    {"varbit", "bit varying", F_VARBIT},
    {"numeric", "numeric", F_NUMERIC},
    {"decimal", "numeric", F_NUMERIC},
    {"dec", "numeric", F_NUMERIC},
    {"timestamp", "timestamp without time zone", F_TS},
    {"timestamptz", "timestamp with time zone", F_TSTZ},
    {"time", "time without time zone", F_TIME},
    {"timetz", "time with time zone", F_TIMETZ},
    {"interval", "interval", F_INTERVAL},
    {"text", "text", F_PLAIN},
    {"bytea", "bytea", F_PLAIN},
    {"json", "json", F_PLAIN},
    {"jsonb", "jsonb", F_PLAIN},
    {"jsonpath", "jsonpath", F_PLAIN},
    {"uuid", "uuid", F_PLAIN},
    {"date", "date", F_PLAIN},
    {"inet", "inet", F_PLAIN},
    {"cidr", "cidr", F_PLAIN},
    {"macaddr", "macaddr", F_PLAIN},
    {"macaddr8", "macaddr8", F_PLAIN},
    {"money", "money", F_PLAIN},
    {"oid", "oid", F_PLAIN},
    {"xml", "xml", F_PLAIN},
    {"name", "name", F_PLAIN},
    {"tsvector", "tsvector", F_PLAIN},
    {"tsquery", "tsquery", F_PLAIN},
    {"point", "point", F_PLAIN},
    {"line", "line", F_PLAIN},
    {"lseg", "lseg", F_PLAIN},
    {"box", "box", F_PLAIN},
    {"path", "path", F_PLAIN},
    {"polygon", "polygon", F_PLAIN},
    {"circle", "circle", F_PLAIN},
    {"int4range", "int4range", F_PLAIN},
    {"int8range", "int8range", F_PLAIN},
    {"numrange", "numrange", F_PLAIN},
    {"tsrange", "tsrange", F_PLAIN},
    {"tstzrange", "tstzrange", F_PLAIN},
    {"daterange", "daterange", F_PLAIN},
    {"int4multirange", "int4multirange", F_PLAIN},
    {"int8multirange", "int8multirange", F_PLAIN},
    {"nummultirange", "nummultirange", F_PLAIN},
    {"tsmultirange", "tsmultirange", F_PLAIN},
    {"tstzmultirange", "tstzmultirange", F_PLAIN},
    {"datemultirange", "datemultirange", F_PLAIN},
    {"regclass", "regclass", F_PLAIN},
    {"regtype", "regtype", F_PLAIN},
    {"regproc", "regproc", F_PLAIN},
    {"regprocedure", "regprocedure", F_PLAIN},
    {"regnamespace", "regnamespace", F_PLAIN},
    {"regrole", "regrole", F_PLAIN},
    {"regconfig", "regconfig", F_PLAIN},
    {"pg_lsn", "pg_lsn", F_PLAIN},
    {"txid_snapshot", "txid_snapshot", F_PLAIN},
    {"pg_snapshot", "pg_snapshot", F_PLAIN},
    {"xid", "xid", F_PLAIN},
    {"xid8", "xid8", F_PLAIN},
    {"cid", "cid", F_PLAIN},
    {"tid", "tid", F_PLAIN},
};

/* Types that extensions add, by extension. */
typedef struct ext_type {
    const char *ext, *type;
} ext_type;

static const ext_type ext_types[] = {
    {"citext", "citext"},
    {"hstore", "hstore"},
    {"ltree", "ltree"},
    {"ltree", "lquery"},
    {"ltree", "ltxtquery"},
    {"cube", "cube"},
    {"earthdistance", "earth"},
    {"isn", "ean13"},
    {"isn", "isbn"},
    {"isn", "isbn13"},
    {"isn", "ismn"},
    {"isn", "ismn13"},
    {"isn", "issn"},
    {"isn", "issn13"},
    {"isn", "upc"},
    {"seg", "seg"},
    {"intarray", "query_int"},
    {"vector", "vector"},
    {"vector", "halfvec"},
    {"vector", "sparsevec"},
    {"postgis", "geometry"},
    {"postgis", "geography"},
    {"postgis", "box2d"},
    {"postgis", "box3d"},
};

/* Extensions known to add no column types. */
static const char *const plain_exts[] = {"pg_trgm",
                                         "uuid-ossp",
                                         "pgcrypto",
                                         "btree_gin",
                                         "btree_gist",
                                         "plpgsql",
                                         "pg_stat_statements",
                                         "unaccent",
                                         "fuzzystrmatch",
                                         "tablefunc",
                                         "dblink",
                                         "postgres_fdw",
                                         "timescaledb",
                                         "citus",
                                         "pg_partman",
                                         "pgrowlocks",
                                         "pg_buffercache",
                                         "tsm_system_rows",
                                         "tsm_system_time",
                                         "pg_cron",
                                         "pgstattuple",
                                         "lo",
                                         "moddatetime",
                                         "intagg",
                                         "dict_int",
                                         "pg_prewarm",
                                         NULL};

int pgmcg__cat_ext_known(const char *ext)
{
    for (size_t i = 0; i < sizeof ext_types / sizeof ext_types[0]; i++)
        if (!strcmp(ext_types[i].ext, ext))
            return 1;
    for (const char *const *e = plain_exts; *e; e++)
        if (!strcmp(*e, ext))
            return 1;
    return 0;
}

/* quote_identifier's keywords: every keyword that is not unreserved. */
static const char *const quoted_keywords[] = {"all",
                                              "analyse",
                                              "analyze",
                                              "and",
                                              "any",
                                              "array",
                                              "as",
                                              "asc",
                                              "asymmetric",
                                              "authorization",
                                              "between",
                                              "bigint",
                                              "binary",
                                              "bit",
                                              "boolean",
                                              "both",
                                              "case",
                                              "cast",
                                              "char",
                                              "character",
                                              "check",
                                              "coalesce",
                                              "collate",
                                              "collation",
                                              "column",
                                              "concurrently",
                                              "constraint",
                                              "create",
                                              "cross",
                                              "current_catalog",
                                              "current_date",
                                              "current_role",
                                              "current_schema",
                                              "current_time",
                                              "current_timestamp",
                                              "current_user",
                                              "dec",
                                              "decimal",
                                              "default",
                                              "deferrable",
                                              "desc",
                                              "distinct",
                                              "do",
                                              "else",
                                              "end",
                                              "except",
                                              "exists",
                                              "extract",
                                              "false",
                                              "fetch",
                                              "float",
                                              "for",
                                              "foreign",
                                              "freeze",
                                              "from",
                                              "full",
                                              "grant",
                                              "greatest",
                                              "group",
                                              "grouping",
                                              "having",
                                              "ilike",
                                              "in",
                                              "initially",
                                              "inner",
                                              "inout",
                                              "int",
                                              "integer",
                                              "intersect",
                                              "interval",
                                              "into",
                                              "is",
                                              "isnull",
                                              "join",
                                              "lateral",
                                              "leading",
                                              "least",
                                              "left",
                                              "like",
                                              "limit",
                                              "localtime",
                                              "localtimestamp",
                                              "national",
                                              "natural",
                                              "nchar",
                                              "none",
                                              "normalize",
                                              "not",
                                              "notnull",
                                              "null",
                                              "nullif",
                                              "numeric",
                                              "offset",
                                              "on",
                                              "only",
                                              "or",
                                              "order",
                                              "out",
                                              "outer",
                                              "overlaps",
                                              "overlay",
                                              "placing",
                                              "position",
                                              "precision",
                                              "primary",
                                              "real",
                                              "references",
                                              "returning",
                                              "right",
                                              "row",
                                              "select",
                                              "session_user",
                                              "setof",
                                              "similar",
                                              "smallint",
                                              "some",
                                              "substring",
                                              "symmetric",
                                              "table",
                                              "tablesample",
                                              "then",
                                              "time",
                                              "timestamp",
                                              "to",
                                              "trailing",
                                              "treat",
                                              "trim",
                                              "true",
                                              "union",
                                              "unique",
                                              "user",
                                              "using",
                                              "values",
                                              "varchar",
                                              "variadic",
                                              "verbose",
                                              "when",
                                              "where",
                                              "window",
                                              "with",
                                              "xmlattributes",
                                              "xmlconcat",
                                              "xmlelement",
                                              "xmlexists",
                                              "xmlforest",
                                              "xmlnamespaces",
                                              "xmlparse",
                                              "xmlpi",
                                              "xmlroot",
                                              "xmlserialize",
                                              "xmltable",
                                              NULL};

/* Append s as quote_identifier() writes it. */
static void put_qi(pgmcg_buf *b, const char *s)
{
    int safe = (s[0] >= 'a' && s[0] <= 'z') || s[0] == '_';
    for (const char *c = s; *c && safe; c++)
        safe = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_' || *c == '$';
    for (const char *const *k = quoted_keywords; safe && *k; k++)
        if (!strcmp(*k, s))
            safe = 0;
    if (safe) {
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

/* Take ownership of b's text as a NUL-terminated string (NULL on OOM). */
static char *take(pgmcg_buf *b)
{
    pgmcg_buf_putc(b, '\0');
    if (b->oom) {
        pgmcg_buf_free(b);
        return NULL;
    }
    /* the buffer starts at 4 KiB: keep only what the string needs */
    char *s = realloc(b->p, b->len);
    if (!s)
        s = b->p;
    b->p = NULL;
    b->len = b->cap = 0;
    return s;
}

int pgmcg__cat_spell_user(pgmcg_cat_typeref *t)
{
    pgmcg_buf b = {0};
    if (t->schema && strcmp(t->schema, "public") && strcmp(t->schema, "pg_catalog")) {
        put_qi(&b, t->schema);
        pgmcg_buf_putc(&b, '.');
    }
    put_qi(&b, t->name ? t->name : (t->builtin ? t->builtin : "?"));
    if (t->ndims)
        pgmcg_buf_puts(&b, "[]");
    char *s = take(&b);
    if (!s)
        return -1;
    free(t->spelling);
    t->spelling = s;
    return 0;
}

static const builtin *find_builtin(const char *name)
{
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        if (!strcmp(builtins[i].name, name))
            return &builtins[i];
    return NULL;
}

/* Extension-provided type `name` in `schema` (NULL: any schema on the
 * search_path), if its extension was created; sets *ext_schema. */
static const char *find_ext_type(const pgmcg_catalog *cat, const char *schema, const char *name,
                                 const char **ext_schema)
{
    for (size_t i = 0; i < sizeof ext_types / sizeof ext_types[0]; i++) {
        if (strcmp(ext_types[i].type, name))
            continue;
        long e = pgmcg__cat_find_str(cat->extensions, cat->n_extensions, ext_types[i].ext);
        if (e < 0)
            continue;
        const char *es = cat->extension_schemas[e];
        if (schema ? !strcmp(schema, es)
                   : pgmcg__cat_find_str(cat->search_path, cat->n_search_path, es) >= 0) {
            *ext_schema = es;
            return ext_types[i].type;
        }
    }
    return NULL;
}

/* Read "( n [, m] )" typmods at the cursor if there. Returns the count
 * (0..2), or -1 after an error. */
static int typmods(pgmcg_cat_parser *p, int32_t *a, int32_t *b)
{
    *a = *b = -1;
    if (!pgmcg__cat_is_punct(pgmcg__cat_cur(p), '('))
        return 0;
    p->i++;
    int n = 0;
    for (;;) {
        const pgmcg_token *t = pgmcg__cat_cur(p);
        int neg = 0;
        if (pgmcg__cat_is_punct(t, '-')) {
            neg = 1;
            p->i++;
            t = pgmcg__cat_cur(p);
        }
        if (t->kind != PGMC_TOK_NUMBER || n == 2) {
            char buf[48];
            pgmcg__cat_error(p, t, "expected a type modifier (a number), found %s",
                             pgmcg__cat_tokstr(t, buf, sizeof buf));
            return -1;
        }
        long v = strtol(t->start, NULL, 10);
        if (neg)
            v = -v;
        if (n == 0)
            *a = (int32_t)v;
        else
            *b = (int32_t)v;
        n++;
        p->i++;
        if (pgmcg__cat_accept_punct(p, ','))
            continue;
        if (pgmcg__cat_accept_punct(p, ')'))
            return n;
        t = pgmcg__cat_cur(p);
        char buf[48];
        pgmcg__cat_error(p, t, "expected ',' or ')' in type modifiers, found %s",
                         pgmcg__cat_tokstr(t, buf, sizeof buf));
        return -1;
    }
}

/* [WITH|WITHOUT TIME ZONE] after time/timestamp: 1 with, 0 without, -1 absent. */
static int time_zone(pgmcg_cat_parser *p)
{
    if (pgmcg__cat_accept_seq(p, "with time zone"))
        return 1;
    if (pgmcg__cat_accept_seq(p, "without time zone"))
        return 0;
    return -1;
}

static const char *const interval_fields[] = {"year",   "month",  "day", "hour",
                                              "minute", "second", NULL};

static int is_interval_field(const pgmcg_token *t)
{
    for (const char *const *f = interval_fields; *f; f++)
        if (pgmcg__cat_is_word(t, *f))
            return 1;
    return 0;
}

/* Parse a built-in (grammar keyword or pg_catalog name) into out; `first`
 * is the lower-case word already consumed. Returns 0/-1. */
static int parse_builtin(pgmcg_cat_parser *p, const builtin *bi, pgmcg_cat_typeref *out,
                         int *serial)
{
    pgmcg_buf b = {0};
    int32_t ma, mb;
    int nm;
    family fam = bi->fam;
    const char *canon = bi->canon;
    out->kind = PGMC_CAT_BUILTIN;
    if (fam == F_CHAR && pgmcg__cat_accept(p, "varying")) {
        fam = F_VARCHAR;
        canon = "character varying";
    } else if (fam == F_BIT && pgmcg__cat_accept(p, "varying")) {
        fam = F_VARBIT;
        canon = "bit varying";
    }
    if (fam == F_INTERVAL) {
        /* interval [fields] [(p)] ; fields: YEAR [TO MONTH], DAY TO SECOND... */
        char fields[48] = "";
        if (is_interval_field(pgmcg__cat_cur(p))) {
            const pgmcg_token *t = pgmcg__cat_cur(p);
            snprintf(fields, sizeof fields, " %.*s", (int)t->len, t->start);
            p->i++;
            if (pgmcg__cat_accept(p, "to") && is_interval_field(pgmcg__cat_cur(p))) {
                t = pgmcg__cat_cur(p);
                size_t l = strlen(fields);
                snprintf(fields + l, sizeof fields - l, " to %.*s", (int)t->len, t->start);
                p->i++;
            }
            for (char *c = fields; *c; c++)
                if (*c >= 'A' && *c <= 'Z')
                    *c = (char)(*c - 'A' + 'a');
        }
        if ((nm = typmods(p, &ma, &mb)) < 0)
            return -1;
        pgmcg_buf_puts(&b, "interval");
        pgmcg_buf_puts(&b, fields);
        if (nm)
            pgmcg_buf_printf(&b, "(%d)", (int)ma);
        out->typmod_a = ma;
        out->typmod_b = -1;
        out->builtin = "interval";
        out->spelling = take(&b);
        return out->spelling ? 0 : -1;
    }
    if ((nm = typmods(p, &ma, &mb)) < 0)
        return -1;
    switch (fam) {
    case F_SERIAL:
        *serial = 1;
        /* fall through */
    case F_PLAIN:
        pgmcg_buf_puts(&b, canon);
        if (nm == 1)
            pgmcg_buf_printf(&b, "(%d)", (int)ma);
        else if (nm == 2)
            pgmcg_buf_printf(&b, "(%d,%d)", (int)ma, (int)mb);
        break;
    case F_VARCHAR:
    case F_VARBIT:
        pgmcg_buf_puts(&b, canon);
        if (nm)
            pgmcg_buf_printf(&b, "(%d)", (int)ma);
        mb = -1;
        break;
    case F_CHAR:
    case F_BIT:
        if (!nm)
            ma = 1;
        pgmcg_buf_printf(&b, "%s(%d)", canon, (int)ma);
        mb = -1;
        break;
    case F_BPCHAR:
        if (nm)
            pgmcg_buf_printf(&b, "character(%d)", (int)ma);
        else
            pgmcg_buf_puts(&b, "bpchar");
        mb = -1;
        break;
    case F_NUMERIC:
        if (nm == 1)
            mb = 0;
        pgmcg_buf_puts(&b, "numeric");
        if (nm)
            pgmcg_buf_printf(&b, "(%d,%d)", (int)ma, (int)mb);
        break;
    case F_FLOAT:
        if (nm && (ma < 1 || ma > 53)) {
            pgmcg__cat_error(p, pgmcg__cat_peek(p, (size_t)-1),
                             "precision for type float must be between 1 and 53");
            return -1;
        }
        canon = (nm && ma <= 24) ? "real" : "double precision";
        pgmcg_buf_puts(&b, canon);
        ma = mb = -1;
        break;
    case F_TS:
    case F_TSTZ:
    case F_TIME:
    case F_TIMETZ: {
        int tz = time_zone(p);
        int with = tz == 1 || (tz < 0 && (fam == F_TSTZ || fam == F_TIMETZ));
        int ts = fam == F_TS || fam == F_TSTZ;
        pgmcg_buf_puts(&b, ts ? "timestamp" : "time");
        if (nm)
            pgmcg_buf_printf(&b, "(%d)", (int)ma);
        pgmcg_buf_puts(&b, with ? " with time zone" : " without time zone");
        canon = ts ? (with ? "timestamp with time zone" : "timestamp without time zone")
                   : (with ? "time with time zone" : "time without time zone");
        mb = -1;
        break;
    }
    case F_INTERVAL:
        break;
    }
    out->builtin = canon;
    out->typmod_a = ma;
    out->typmod_b = mb;
    out->spelling = take(&b);
    return out->spelling ? 0 : -1;
}

/* Multi-word names: DOUBLE PRECISION, NATIONAL CHAR[ACTER] [VARYING]. */
static const builtin *multiword(pgmcg_cat_parser *p)
{
    static const builtin dbl = {"double precision", "double precision", F_PLAIN};
    if (pgmcg__cat_accept_seq(p, "double precision"))
        return &dbl;
    if (pgmcg__cat_accept_seq(p, "national character") || pgmcg__cat_accept_seq(p, "national char"))
        return find_builtin("character");
    return NULL;
}

static int array_suffix(pgmcg_cat_parser *p, pgmcg_cat_typeref *out)
{
    if (pgmcg__cat_accept(p, "array")) {
        out->ndims = 1;
        if (pgmcg__cat_accept_punct(p, '[')) {
            if (pgmcg__cat_cur(p)->kind == PGMC_TOK_NUMBER)
                p->i++;
            if (!pgmcg__cat_accept_punct(p, ']')) {
                pgmcg__cat_error(p, pgmcg__cat_cur(p), "expected ']' after ARRAY[");
                return -1;
            }
        }
        return 0;
    }
    while (pgmcg__cat_accept_punct(p, '[')) {
        if (pgmcg__cat_cur(p)->kind == PGMC_TOK_NUMBER)
            p->i++;
        if (!pgmcg__cat_accept_punct(p, ']')) {
            pgmcg__cat_error(p, pgmcg__cat_cur(p), "expected ']' in array type");
            return -1;
        }
        out->ndims++;
    }
    return 0;
}

int pgmcg__cat_parse_type(pgmcg_cat_parser *p, pgmcg_cat_typeref *out, int *serial)
{
    memset(out, 0, sizeof *out);
    out->typmod_a = out->typmod_b = -1;
    *serial = 0;
    const pgmcg_token *start = pgmcg__cat_cur(p);
    if (pgmcg__cat_accept(p, "setof")) {
        pgmcg__cat_error(p, start, "SETOF is not a column type");
        return -1;
    }
    const builtin *mw = multiword(p);
    if (mw) {
        if (parse_builtin(p, mw, out, serial) || array_suffix(p, out))
            goto fail;
        goto done;
    }
    char *schema = NULL, *name = NULL;
    if (pgmcg__cat_qname(p, &schema, &name))
        return -1;
    /* a bare keyword-typed name or a pg_catalog one: the built-ins */
    const builtin *bi = NULL;
    if (!schema || !strcmp(schema, "pg_catalog")) {
        if (start->kind == PGMC_TOK_QUOTED_IDENT && !strcmp(name, "char") && !schema) {
            static const builtin qchar = {"\"char\"", "\"char\"", F_PLAIN};
            bi = &qchar;
        } else if (!strcmp(name, "char") && start->kind == PGMC_TOK_QUOTED_IDENT) {
            static const builtin qchar = {"\"char\"", "\"char\"", F_PLAIN};
            bi = &qchar;
        } else {
            bi = find_builtin(name);
        }
    }
    if (bi) {
        free(schema);
        free(name);
        if (parse_builtin(p, bi, out, serial) || array_suffix(p, out))
            goto fail;
        goto done;
    }
    /* search the schemas in order: user types, row types, extension types */
    pgmcg_catalog *cat = p->cat;
    size_t n_sp = schema ? 1 : cat->n_search_path;
    for (size_t i = 0; i < n_sp; i++) {
        const char *s = schema ? schema : cat->search_path[i];
        const pgmcg_cat_type *ut = pgmcg__cat_type(cat, s, name);
        const pgmcg_cat_relation *rt = ut ? NULL : pgmcg__cat_rel(cat, s, name);
        const char *es = NULL;
        const char *ext = (ut || rt) ? NULL : find_ext_type(cat, s, name, &es);
        if (!ut && !rt && !ext)
            continue;
        if (ut || rt) {
            out->kind = ut ? ut->kind : PGMC_CAT_COMPOSITE;
            out->schema = pgmcg__cat_strdup(s);
            out->name = name;
            name = NULL;
        } else {
            out->kind = PGMC_CAT_BUILTIN;
            out->builtin = ext;
            out->schema = pgmcg__cat_strdup(es);
        }
        free(schema);
        free(name);
        int32_t a, b;
        int nm = typmods(p, &a, &b);
        if (nm < 0 || array_suffix(p, out))
            goto fail;
        if (pgmcg__cat_spell_user(out))
            goto fail;
        if (out->kind == PGMC_CAT_BUILTIN) {
            free(out->schema);
            out->schema = NULL;
        }
        if (nm) {
            /* e.g. vector(3): the typmod goes before any [] */
            out->typmod_a = a;
            out->typmod_b = b;
            pgmcg_buf bb = {0};
            size_t base = strlen(out->spelling) - (out->ndims ? 2 : 0);
            pgmcg_buf_add(&bb, out->spelling, base);
            if (nm == 1)
                pgmcg_buf_printf(&bb, "(%d)", (int)a);
            else
                pgmcg_buf_printf(&bb, "(%d,%d)", (int)a, (int)b);
            if (out->ndims)
                pgmcg_buf_puts(&bb, "[]");
            char *sp = take(&bb);
            if (!sp)
                goto fail;
            free(out->spelling);
            out->spelling = sp;
        }
        goto done;
    }
    /* not known: keep the name as written, never guess */
    out->kind = PGMC_CAT_UNKNOWN;
    out->schema = schema;
    out->name = name;
    {
        int32_t a, b;
        if (typmods(p, &a, &b) < 0 || array_suffix(p, out))
            goto fail;
    }
    if (pgmcg__cat_spell_user(out))
        goto fail;
    pgmcg__cat_note(p, start,
                    "type '%s' is not known to pgmc (not built in, not created by these "
                    "migrations, not from a known extension); recorded as unknown",
                    out->spelling);
done:
    if (*serial && out->ndims) {
        pgmcg__cat_error(p, start, "array of serial is not implemented");
        goto fail;
    }
    if (out->ndims && out->spelling && out->kind == PGMC_CAT_BUILTIN && !out->schema) {
        size_t l = strlen(out->spelling);
        if (l < 2 || strcmp(out->spelling + l - 2, "[]")) {
            char *s = malloc(l + 3);
            if (!s)
                goto fail;
            memcpy(s, out->spelling, l);
            memcpy(s + l, "[]", 3);
            free(out->spelling);
            out->spelling = s;
        }
    }
    return 0;
fail:
    pgmcg__cat_typeref_free(out);
    return -1;
}
