/* catalog_ddl.c - replay DDL statements into a catalog: lex each statement,
 * dispatch on its leading words, and apply CREATE/ALTER/DROP of schemas,
 * tables, views, types, domains and extensions, COMMENT ON and search_path
 * changes. Statements that cannot change a row type are skipped; ones whose
 * effect pgmc cannot see (DO, EXECUTE, CALL) get a note. See catalog.h.
 */
#include "catalog/catalog_int.h"

#include "syntax/split.h"

#include <stdlib.h>
#include <string.h>

typedef pgmcg_cat_parser P;

#define CUR(p)             pgmcg__cat_cur(p)
#define AT(p, w)           pgmcg__cat_at((p), 0, (w))
#define ACCEPT(p, w)       pgmcg__cat_accept((p), (w))
#define SEQ(p, w)          pgmcg__cat_accept_seq((p), (w))
#define PUNCT(p, c)        pgmcg__cat_is_punct(CUR(p), (c))
#define ACCEPT_PUNCT(p, c) pgmcg__cat_accept_punct((p), (c))

static void unexpected(P *p, const char *where)
{
    char b[64];
    pgmcg__cat_error(p, CUR(p),
                     "unexpected %s in %s (pgmc's catalog does not understand this form)",
                     pgmcg__cat_tokstr(CUR(p), b, sizeof b), where);
}

static int expect_word(P *p, const char *w)
{
    if (ACCEPT(p, w))
        return 0;
    char b[64];
    pgmcg__cat_error(p, CUR(p), "expected %s, found %s", w, pgmcg__cat_tokstr(CUR(p), b, sizeof b));
    return -1;
}

static int expect_punct(P *p, char c)
{
    if (ACCEPT_PUNCT(p, c))
        return 0;
    char b[64];
    pgmcg__cat_error(p, CUR(p), "expected '%c', found %s", c,
                     pgmcg__cat_tokstr(CUR(p), b, sizeof b));
    return -1;
}

/* A single (unqualified) name; malloc'd or NULL after an error. */
static char *name1(P *p)
{
    char *n = pgmcg__cat_ident(CUR(p));
    if (!n) {
        char b[64];
        pgmcg__cat_error(p, CUR(p), "expected a name, found %s",
                         pgmcg__cat_tokstr(CUR(p), b, sizeof b));
        return NULL;
    }
    p->i++;
    return n;
}

/* Skip to the next ',' at depth 0 (or ')' or the end). */
static void skip_item(P *p)
{
    pgmcg__cat_skip_expr(p, NULL);
}

/* "(a, b, ...)" of names into a string array. Returns 0/-1. */
static int name_list(P *p, char ***v, size_t *n, size_t *cap)
{
    if (expect_punct(p, '('))
        return -1;
    for (;;) {
        char *s = name1(p);
        if (!s || pgmcg__cat_push(v, n, cap, s))
            return -1;
        /* index elements may carry opclass / ordering: skip them */
        while (!PUNCT(p, ',') && !PUNCT(p, ')') && p->i < p->n)
            pgmcg__cat_skip_group(p);
        if (ACCEPT_PUNCT(p, ','))
            continue;
        return expect_punct(p, ')');
    }
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* Resolve "schema" for a new object: explicit (must exist) or the creation
 * schema. Returns a malloc'd name or NULL after an error at `at`. */
static char *target_schema(P *p, char *schema, const pgmcg_token *at)
{
    if (schema) {
        if (!pgmcg__cat_schema_exists(p->cat, schema)) {
            pgmcg__cat_error(p, at, "schema \"%s\" does not exist", schema);
            free(schema);
            return NULL;
        }
        return schema;
    }
    const char *s = pgmcg__cat_creation_schema(p->cat);
    if (!s) {
        pgmcg__cat_error(p, at, "no schema has been selected to create in (search_path)");
        return NULL;
    }
    return pgmcg__cat_strdup(s);
}

/* Look up a relation by parsed name; errors unless if_exists. */
static pgmcg_cat_relation *need_rel(P *p, const char *schema, const char *name,
                                    const pgmcg_token *at, int if_exists)
{
    pgmcg_cat_relation *r = pgmcg__cat_lookup_rel(p->cat, schema, name);
    if (!r && !if_exists)
        pgmcg__cat_error(p, at, "relation \"%s%s%s\" does not exist", schema ? schema : "",
                         schema ? "." : "", name);
    return r;
}

static void set_pos(P *p, const pgmcg_token *t, const char **file, uint32_t *line, uint32_t *col)
{
    *file = p->file;
    *line = t->line;
    *col = t->col;
}

/* ---------------------------------------------------------------- columns */

static const char *const col_stops[] = {"constraint", "not",        "null",  "default",   "primary",
                                        "unique",     "references", "check", "generated", "collate",
                                        "deferrable", "initially",  NULL};

/* REFERENCES qname [(cols)] [MATCH x] [ON DELETE|UPDATE action]... */
static int references_tail(P *p)
{
    char *s = NULL, *n = NULL;
    if (pgmcg__cat_qname(p, &s, &n))
        return -1;
    free(s);
    free(n);
    if (PUNCT(p, '('))
        pgmcg__cat_skip_group(p);
    for (;;) {
        if (ACCEPT(p, "match")) {
            p->i++;
        } else if (AT(p, "on") &&
                   (pgmcg__cat_at(p, 1, "delete") || pgmcg__cat_at(p, 1, "update"))) {
            p->i += 2;
            if (SEQ(p, "no action") || ACCEPT(p, "restrict") || ACCEPT(p, "cascade")) {
            } else if (SEQ(p, "set null") || SEQ(p, "set default")) {
                if (PUNCT(p, '('))
                    pgmcg__cat_skip_group(p);
            } else {
                unexpected(p, "a foreign key action");
                return -1;
            }
        } else {
            return 0;
        }
    }
}

/* [INCLUDE (..)] [WITH (..)] [USING INDEX TABLESPACE x] of PRIMARY KEY/UNIQUE. */
static void index_params(P *p)
{
    for (;;) {
        if (ACCEPT(p, "include") || ACCEPT(p, "with")) {
            pgmcg__cat_skip_group(p);
        } else if (SEQ(p, "using index tablespace")) {
            p->i++;
        } else {
            return;
        }
    }
}

/* 1 if the expression at the cursor is NULL or NULL::type (a default
 * PostgreSQL does not store). */
static int null_at(const P *p)
{
    if (!pgmcg__cat_is_word(pgmcg__cat_cur(p), "null"))
        return 0;
    const pgmcg_token *n = pgmcg__cat_peek(p, 1);
    return n->kind == PGMC_TOK_EOF || n->kind == PGMC_TOK_TYPECAST || pgmcg__cat_is_punct(n, ',') ||
           pgmcg__cat_is_punct(n, ')') || n->kind == PGMC_TOK_IDENT;
}

/* The constraints of a column definition, into c. Returns 0/-1. */
static int column_constraints(P *p, pgmcg_cat_column *c)
{
    for (;;) {
        const pgmcg_token *t = CUR(p);
        if (PUNCT(p, ',') || PUNCT(p, ')') || t->kind == PGMC_TOK_EOF)
            return 0;
        if (ACCEPT(p, "constraint")) {
            char *n = name1(p);
            if (!n)
                return -1;
            free(n);
        } else if (SEQ(p, "not null")) {
            c->not_null = 1;
        } else if (SEQ(p, "not deferrable")) {
        } else if (ACCEPT(p, "null")) {
        } else if (ACCEPT(p, "default")) {
            int null_default = null_at(p);
            pgmcg__cat_skip_expr(p, col_stops);
            /* PostgreSQL stores no default for a plain DEFAULT NULL, unless
             * a domain or a typmod coercion wraps the NULL */
            c->has_default =
                !null_default || c->type.kind == PGMC_CAT_DOMAIN || c->type.typmod_a >= 0;
        } else if (SEQ(p, "primary key")) {
            c->not_null = 1;
            index_params(p);
        } else if (ACCEPT(p, "unique")) {
            if (SEQ(p, "nulls not distinct") || SEQ(p, "nulls distinct")) {
            }
            index_params(p);
        } else if (ACCEPT(p, "check")) {
            pgmcg__cat_skip_group(p);
            SEQ(p, "no inherit");
        } else if (ACCEPT(p, "references")) {
            if (references_tail(p))
                return -1;
        } else if (ACCEPT(p, "generated")) {
            char kind = 0;
            if (ACCEPT(p, "always"))
                kind = 'a';
            else if (SEQ(p, "by default"))
                kind = 'd';
            if (!kind || expect_word(p, "as"))
                return kind ? -1 : (unexpected(p, "GENERATED"), -1);
            if (ACCEPT(p, "identity")) {
                c->identity = kind;
                c->not_null = 1;
                if (PUNCT(p, '('))
                    pgmcg__cat_skip_group(p);
            } else if (kind == 'a' && PUNCT(p, '(')) {
                pgmcg__cat_skip_group(p);
                if (expect_word(p, "stored"))
                    return -1;
                c->generated = 's';
                c->has_default = 1;
            } else {
                unexpected(p, "GENERATED");
                return -1;
            }
        } else if (ACCEPT(p, "collate")) {
            char *s = NULL, *n = NULL;
            if (pgmcg__cat_qname(p, &s, &n))
                return -1;
            free(s);
            free(c->collation);
            c->collation = n;
        } else if (ACCEPT(p, "deferrable")) {
        } else if (ACCEPT(p, "initially")) {
            p->i++;
        } else if (ACCEPT(p, "storage") || ACCEPT(p, "compression")) {
            p->i++;
        } else {
            unexpected(p, "a column definition");
            return -1;
        }
    }
}

/* name type [constraints]: a new column (c zeroed by the caller). With
 * `typed` 0 (PARTITION OF / OF type), there is no type: only options. */
static int column_def(P *p, pgmcg_cat_column *c, int typed)
{
    const pgmcg_token *at = CUR(p);
    c->name = name1(p);
    if (!c->name)
        return -1;
    set_pos(p, at, &c->file, &c->line, &c->col);
    if (!typed) {
        SEQ(p, "with options");
        return column_constraints(p, c);
    }
    int serial = 0;
    if (pgmcg__cat_parse_type(p, &c->type, &serial))
        return -1;
    if (serial) {
        c->not_null = 1;
        c->has_default = 1;
    }
    return column_constraints(p, c);
}

/* ------------------------------------------------------------ CREATE TABLE */

/* The table being built: columns, and primary-key column names to mark. */
typedef struct build {
    pgmcg_cat_relation r;
    char **pk;
    size_t n_pk, cap_pk;
    const pgmcg_token *pk_at;
} build;

static void build_free(build *b)
{
    for (size_t i = 0; i < b->r.n_cols; i++)
        pgmcg__cat_col_free(&b->r.cols[i]);
    free(b->r.cols);
    free(b->r.partition_of);
    free_list(b->r.deps, b->r.n_deps);
    free_list(b->pk, b->n_pk);
    memset(b, 0, sizeof *b);
}

/* Add (or merge into an existing same-named) column. Takes c's contents. */
static int add_merged(build *b, pgmcg_cat_column *c, int inherited)
{
    long k = pgmcg__cat_find_col(b->r.cols, b->r.n_cols, c->name);
    if (k >= 0) {
        pgmcg_cat_column *e = &b->r.cols[k];
        e->not_null |= c->not_null;
        if (c->has_default || !inherited) {
            e->has_default = c->has_default || e->has_default;
            if (c->generated)
                e->generated = c->generated;
        }
        if (c->identity)
            e->identity = c->identity;
        pgmcg__cat_col_free(c);
        return 0;
    }
    pgmcg_cat_column *d = pgmcg__cat_add_col(&b->r.cols, &b->r.n_cols, &b->r.cap_cols);
    if (!d) {
        pgmcg__cat_col_free(c);
        return -1;
    }
    *d = *c;
    memset(c, 0, sizeof *c);
    return 0;
}

/* Copy a parent's columns the way inheritance and partitions get them:
 * NOT NULL, defaults and generation kept, identity not. */
static int inherit_from(build *b, const pgmcg_cat_relation *parent)
{
    for (size_t i = 0; i < parent->n_cols; i++) {
        pgmcg_cat_column c;
        if (pgmcg__cat_col_copy(&c, &parent->cols[i]))
            return -1;
        c.identity = 0;
        free(c.comment);
        c.comment = NULL;
        if (add_merged(b, &c, 1))
            return -1;
    }
    return 0;
}

/* LIKE source [INCLUDING|EXCLUDING option]... */
static int like_clause(P *p, build *b)
{
    const pgmcg_token *at = CUR(p);
    char *s = NULL, *n = NULL;
    if (pgmcg__cat_qname(p, &s, &n))
        return -1;
    pgmcg_cat_relation *src = need_rel(p, s, n, at, 0);
    free(s);
    free(n);
    int defaults = 0, identity = 0, generated = 0, comments = 0;
    for (;;) {
        int inc;
        if (ACCEPT(p, "including"))
            inc = 1;
        else if (ACCEPT(p, "excluding"))
            inc = 0;
        else
            break;
        const pgmcg_token *o = CUR(p);
        if (pgmcg__cat_is_word(o, "all"))
            defaults = identity = generated = comments = inc;
        else if (pgmcg__cat_is_word(o, "defaults"))
            defaults = inc;
        else if (pgmcg__cat_is_word(o, "identity"))
            identity = inc;
        else if (pgmcg__cat_is_word(o, "generated"))
            generated = inc;
        else if (pgmcg__cat_is_word(o, "comments"))
            comments = inc;
        else if (!pgmcg__cat_is_word(o, "constraints") && !pgmcg__cat_is_word(o, "indexes") &&
                 !pgmcg__cat_is_word(o, "storage") && !pgmcg__cat_is_word(o, "statistics") &&
                 !pgmcg__cat_is_word(o, "compression")) {
            unexpected(p, "LIKE options");
            return -1;
        }
        p->i++;
    }
    if (!src)
        return -1;
    for (size_t i = 0; i < src->n_cols; i++) {
        pgmcg_cat_column c;
        if (pgmcg__cat_col_copy(&c, &src->cols[i]))
            return -1;
        if (c.generated) {
            if (!generated)
                c.generated = 0, c.has_default = 0;
        } else if (!defaults) {
            c.has_default = 0;
        }
        if (!identity)
            c.identity = 0;
        if (!comments) {
            free(c.comment);
            c.comment = NULL;
        }
        set_pos(p, at, &c.file, &c.line, &c.col);
        if (add_merged(b, &c, 0))
            return -1;
    }
    return 0;
}

/* PRIMARY KEY (cols) as a table constraint; remembered in b->pk. */
static int table_constraint(P *p, build *b)
{
    if (ACCEPT(p, "constraint")) {
        char *n = name1(p);
        if (!n)
            return -1;
        free(n);
    }
    if (AT(p, "primary")) {
        b->pk_at = CUR(p);
        p->i += 2;
        if (name_list(p, &b->pk, &b->n_pk, &b->cap_pk))
            return -1;
        index_params(p);
    }
    skip_item(p);
    return 0;
}

static int starts_table_constraint(P *p)
{
    return AT(p, "constraint") || (AT(p, "primary") && pgmcg__cat_at(p, 1, "key")) ||
           (AT(p, "unique") && !pgmcg__cat_is_ident(pgmcg__cat_peek(p, 1))) ||
           (AT(p, "unique") && (pgmcg__cat_at(p, 1, "nulls") || pgmcg__cat_at(p, 1, "using"))) ||
           AT(p, "check") || (AT(p, "foreign") && pgmcg__cat_at(p, 1, "key")) || AT(p, "exclude");
}

/* The parenthesised element list. `typed` 0: PARTITION OF / OF (options only). */
static int elements(P *p, build *b, int typed)
{
    if (expect_punct(p, '('))
        return -1;
    if (ACCEPT_PUNCT(p, ')'))
        return 0;
    for (;;) {
        if (starts_table_constraint(p)) {
            if (table_constraint(p, b))
                return -1;
        } else if (ACCEPT(p, "like")) {
            if (like_clause(p, b))
                return -1;
        } else {
            pgmcg_cat_column c;
            memset(&c, 0, sizeof c);
            if (column_def(p, &c, typed)) {
                pgmcg__cat_col_free(&c);
                return -1;
            }
            if (!typed) {
                long k = pgmcg__cat_find_col(b->r.cols, b->r.n_cols, c.name);
                if (k < 0) {
                    pgmcg__cat_error(p, pgmcg__cat_peek(p, 0), "column \"%s\" does not exist",
                                     c.name);
                    pgmcg__cat_col_free(&c);
                    return -1;
                }
                b->r.cols[k].not_null |= c.not_null;
                if (c.has_default)
                    b->r.cols[k].has_default = 1;
                if (c.identity)
                    b->r.cols[k].identity = c.identity;
                pgmcg__cat_col_free(&c);
            } else if (add_merged(b, &c, 0)) {
                return -1;
            }
        }
        if (ACCEPT_PUNCT(p, ','))
            continue;
        return expect_punct(p, ')');
    }
}

/* The options after the element list. */
static int table_options(P *p, build *b)
{
    for (;;) {
        if (CUR(p)->kind == PGMC_TOK_EOF)
            return 0;
        if (ACCEPT(p, "inherits")) {
            if (expect_punct(p, '('))
                return -1;
            do {
                const pgmcg_token *at = CUR(p);
                char *s = NULL, *n = NULL;
                if (pgmcg__cat_qname(p, &s, &n))
                    return -1;
                pgmcg_cat_relation *par = need_rel(p, s, n, at, 0);
                free(s);
                free(n);
                if (!par)
                    return -1;
                /* parents' columns go first: rebuild with them in front */
                build nb;
                memset(&nb, 0, sizeof nb);
                if (inherit_from(&nb, par))
                    return build_free(&nb), -1;
                for (size_t i = 0; i < b->r.n_cols; i++)
                    if (add_merged(&nb, &b->r.cols[i], 0))
                        return build_free(&nb), -1;
                b->r.n_cols = 0;
                free(b->r.cols);
                b->r.cols = nb.r.cols;
                b->r.n_cols = nb.r.n_cols;
                b->r.cap_cols = nb.r.cap_cols;
            } while (ACCEPT_PUNCT(p, ','));
            if (expect_punct(p, ')'))
                return -1;
        } else if (SEQ(p, "partition by")) {
            b->r.kind = PGMC_REL_PARTITIONED;
            p->i++; /* RANGE | LIST | HASH */
            pgmcg__cat_skip_group(p);
        } else if (ACCEPT(p, "using") || ACCEPT(p, "tablespace")) {
            p->i++;
        } else if (ACCEPT(p, "with")) {
            pgmcg__cat_skip_group(p);
        } else if (SEQ(p, "without oids")) {
        } else if (SEQ(p, "on commit")) {
            if (!SEQ(p, "preserve rows") && !SEQ(p, "delete rows") && !ACCEPT(p, "drop")) {
                unexpected(p, "ON COMMIT");
                return -1;
            }
        } else {
            unexpected(p, "CREATE TABLE options");
            return -1;
        }
    }
}

/* Move a finished build into the catalog. */
static int commit_rel(P *p, build *b, const char *schema, const char *name, const pgmcg_token *at)
{
    for (size_t i = 0; i < b->n_pk; i++) {
        long k = pgmcg__cat_find_col(b->r.cols, b->r.n_cols, b->pk[i]);
        if (k < 0) {
            pgmcg__cat_error(p, b->pk_at ? b->pk_at : at,
                             "column \"%s\" named in key does not exist", b->pk[i]);
            return -1;
        }
        b->r.cols[k].not_null = 1;
    }
    pgmcg_cat_relation *r = pgmcg__cat_add_rel(p->cat, schema, name);
    if (!r)
        return -1;
    r->kind = b->r.kind ? b->r.kind : PGMC_REL_TABLE;
    r->cols = b->r.cols;
    r->n_cols = b->r.n_cols;
    r->cap_cols = b->r.cap_cols;
    r->partition_of = b->r.partition_of;
    r->unlogged = b->r.unlogged;
    r->temp = b->r.temp;
    if (r->temp)
        p->cat->n_temp_rels++;
    r->opaque = b->r.opaque;
    r->deps = b->r.deps;
    r->n_deps = b->r.n_deps;
    r->cap_deps = b->r.cap_deps;
    set_pos(p, at, &r->file, &r->line, &r->col);
    memset(&b->r, 0, sizeof b->r);
    return 0;
}

static char *qualified(const char *s, const char *n)
{
    size_t a = strlen(s), c = strlen(n);
    char *o = malloc(a + c + 2);
    if (!o)
        return NULL;
    memcpy(o, s, a);
    o[a] = '.';
    memcpy(o + a + 1, n, c + 1);
    return o;
}

/* Is there a depth-0 AS from the cursor on (CREATE TABLE ... AS)? */
static int has_top_as(const P *p)
{
    size_t depth = 0;
    for (size_t i = p->i; i < p->n; i++) {
        const pgmcg_token *t = &p->t[i];
        if (pgmcg__cat_is_punct(t, '('))
            depth++;
        else if (pgmcg__cat_is_punct(t, ')') && depth)
            depth--;
        else if (!depth && pgmcg__cat_is_word(t, "as"))
            return 1;
    }
    return 0;
}

static int create_table(P *p, int temp, int unlogged)
{
    int if_not = SEQ(p, "if not exists");
    const pgmcg_token *at = CUR(p);
    char *schema = NULL, *name = NULL;
    if (pgmcg__cat_qname(p, &schema, &name))
        return -1;
    if (schema && !strcmp(schema, "pg_temp"))
        temp = 1;
    if (temp) {
        free(schema);
        schema = pgmcg__cat_strdup("pg_temp");
    } else if (!(schema = target_schema(p, schema, at))) {
        free(name);
        return -1;
    }
    int rc = -1;
    build b;
    memset(&b, 0, sizeof b);
    b.r.temp = temp;
    b.r.unlogged = unlogged;
    b.r.kind = PGMC_REL_TABLE;
    pgmcg_cat_relation *old = temp ? pgmcg__cat_lookup_rel(p->cat, "pg_temp", name)
                                   : pgmcg__cat_rel(p->cat, schema, name);
    if (old || (!temp && pgmcg__cat_type(p->cat, schema, name))) {
        if (if_not)
            rc = 0;
        else
            pgmcg__cat_error(p, at, "relation \"%s\" already exists", name);
        goto out;
    }
    if (has_top_as(p)) {
        char **cols = NULL;
        size_t n_cols = 0, cap = 0;
        if (PUNCT(p, '(') && name_list(p, &cols, &n_cols, &cap)) {
            free_list(cols, n_cols);
            goto out;
        }
        while (!AT(p, "as") && p->i < p->n)
            pgmcg__cat_skip_group(p);
        p->i++;
        rc = pgmcg__cat_derive_view(p, &b.r, cols, n_cols);
        free_list(cols, n_cols);
        if (rc == 0)
            rc = commit_rel(p, &b, schema, name, at);
        goto out;
    }
    if (ACCEPT(p, "of")) {
        const pgmcg_token *tat = CUR(p);
        char *ts = NULL, *tn = NULL;
        if (pgmcg__cat_qname(p, &ts, &tn))
            goto out;
        pgmcg_cat_type *ty = pgmcg__cat_lookup_type(p->cat, ts, tn);
        free(ts);
        free(tn);
        if (!ty || ty->kind != PGMC_CAT_COMPOSITE) {
            pgmcg__cat_error(p, tat, "type is not a composite type known to pgmc");
            goto out;
        }
        for (size_t i = 0; i < ty->n_attrs; i++) {
            pgmcg_cat_column c;
            if (pgmcg__cat_col_copy(&c, &ty->attrs[i]) || add_merged(&b, &c, 1))
                goto out;
        }
        if (PUNCT(p, '(') && elements(p, &b, 0))
            goto out;
    } else if (SEQ(p, "partition of")) {
        const pgmcg_token *pat = CUR(p);
        char *ps = NULL, *pn = NULL;
        if (pgmcg__cat_qname(p, &ps, &pn))
            goto out;
        pgmcg_cat_relation *par = need_rel(p, ps, pn, pat, 0);
        free(ps);
        free(pn);
        if (!par)
            goto out;
        if (!(b.r.partition_of = qualified(par->schema, par->name)) || inherit_from(&b, par))
            goto out;
        if (PUNCT(p, '(') && elements(p, &b, 0))
            goto out;
        if (SEQ(p, "for values")) {
            if (ACCEPT(p, "in") || (ACCEPT(p, "with"))) {
                pgmcg__cat_skip_group(p);
            } else if (ACCEPT(p, "from")) {
                pgmcg__cat_skip_group(p);
                if (expect_word(p, "to"))
                    goto out;
                pgmcg__cat_skip_group(p);
            } else {
                unexpected(p, "FOR VALUES");
                goto out;
            }
        } else if (!ACCEPT(p, "default")) {
            unexpected(p, "PARTITION OF (expected FOR VALUES or DEFAULT)");
            goto out;
        }
    } else if (elements(p, &b, 1)) {
        goto out;
    }
    if (table_options(p, &b))
        goto out;
    rc = commit_rel(p, &b, schema, name, at);
out:
    build_free(&b);
    free(schema);
    free(name);
    return rc;
}

/* ------------------------------------------------------------ CREATE VIEW */

static int create_view(P *p, pgmcg_cat_relkind kind, int or_replace, int temp)
{
    int if_not = SEQ(p, "if not exists");
    const pgmcg_token *at = CUR(p);
    char *schema = NULL, *name = NULL;
    if (pgmcg__cat_qname(p, &schema, &name))
        return -1;
    if (temp) {
        free(schema);
        schema = pgmcg__cat_strdup("pg_temp");
    } else if (!(schema = target_schema(p, schema, at))) {
        free(name);
        return -1;
    }
    int rc = -1;
    char **cols = NULL;
    size_t n_cols = 0, cap = 0;
    build b;
    memset(&b, 0, sizeof b);
    b.r.kind = kind;
    b.r.temp = temp;
    pgmcg_cat_relation *old = temp ? pgmcg__cat_lookup_rel(p->cat, "pg_temp", name)
                                   : pgmcg__cat_rel(p->cat, schema, name);
    if (old && !or_replace) {
        if (if_not)
            rc = 0;
        else
            pgmcg__cat_error(p, at, "relation \"%s\" already exists", name);
        goto out;
    }
    if (PUNCT(p, '(') && name_list(p, &cols, &n_cols, &cap))
        goto out;
    while (!AT(p, "as") && p->i < p->n)
        pgmcg__cat_skip_group(p); /* USING, WITH (...), TABLESPACE */
    if (expect_word(p, "as"))
        goto out;
    if (pgmcg__cat_derive_view(p, &b.r, cols, n_cols))
        goto out;
    if (old) {
        /* OR REPLACE: the comment stays */
        char *comment = old->comment;
        old->comment = NULL;
        pgmcg__cat_drop_rel(p->cat, (size_t)(old - p->cat->rels));
        rc = commit_rel(p, &b, schema, name, at);
        pgmcg_cat_relation *r = pgmcg__cat_rel(p->cat, schema, name);
        if (r)
            r->comment = comment;
        else
            free(comment);
    } else {
        rc = commit_rel(p, &b, schema, name, at);
    }
out:
    free_list(cols, n_cols);
    build_free(&b);
    free(schema);
    free(name);
    return rc;
}

/* -------------------------------------------------- schemas and extensions */

static int create_schema(P *p)
{
    int if_not = SEQ(p, "if not exists");
    const pgmcg_token *at = CUR(p);
    char *name = NULL;
    if (ACCEPT(p, "authorization")) {
        name = name1(p); /* the schema is named after the role */
    } else {
        name = name1(p);
        if (name && ACCEPT(p, "authorization")) {
            char *role = name1(p);
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

static int create_extension(P *p)
{
    int if_not = SEQ(p, "if not exists");
    const pgmcg_token *at = CUR(p);
    char *name = name1(p);
    if (!name)
        return -1;
    ACCEPT(p, "with");
    char *schema = NULL;
    while (CUR(p)->kind != PGMC_TOK_EOF) {
        if (ACCEPT(p, "schema")) {
            free(schema);
            if (!(schema = name1(p)))
                break;
        } else if (ACCEPT(p, "version")) {
            p->i++;
        } else if (ACCEPT(p, "cascade")) {
        } else {
            unexpected(p, "CREATE EXTENSION");
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

/* -------------------------------------------------------- types, domains */

static int create_type(P *p)
{
    const pgmcg_token *at = CUR(p);
    char *schema = NULL, *name = NULL;
    if (pgmcg__cat_qname(p, &schema, &name))
        return -1;
    if (!AT(p, "as")) {
        free(schema);
        free(name);
        return 0; /* shell type, base type, RANGE: no row type changes */
    }
    p->i++;
    int is_enum = ACCEPT(p, "enum"), is_comp = PUNCT(p, '(');
    if (!is_enum && !is_comp) {
        free(schema);
        free(name);
        return 0; /* AS RANGE */
    }
    if (!(schema = target_schema(p, schema, at))) {
        free(name);
        return -1;
    }
    if (pgmcg__cat_type(p->cat, schema, name) || pgmcg__cat_rel(p->cat, schema, name)) {
        pgmcg__cat_error(p, at, "type \"%s\" already exists", name);
        free(schema);
        free(name);
        return -1;
    }
    pgmcg_cat_type *t = pgmcg__cat_add_type(p->cat, schema, name);
    free(schema);
    free(name);
    if (!t)
        return -1;
    set_pos(p, at, &t->file, &t->line, &t->col);
    t->kind = is_enum ? PGMC_CAT_ENUM : PGMC_CAT_COMPOSITE;
    if (expect_punct(p, '('))
        goto bad;
    if (ACCEPT_PUNCT(p, ')'))
        return 0;
    for (;;) {
        if (is_enum) {
            char *l = pgmcg__cat_string(CUR(p));
            if (!l) {
                char b[64];
                pgmcg__cat_error(p, CUR(p), "expected an enum label (a string), found %s",
                                 pgmcg__cat_tokstr(CUR(p), b, sizeof b));
                goto bad;
            }
            p->i++;
            if (pgmcg__cat_push(&t->labels, &t->n_labels, &t->cap_labels, l))
                goto bad;
        } else {
            pgmcg_cat_column *c = pgmcg__cat_add_col(&t->attrs, &t->n_attrs, &t->cap_attrs);
            if (!c)
                goto bad;
            c->type.kind = PGMC_CAT_UNKNOWN;
            const pgmcg_token *cat_at = CUR(p);
            int serial;
            if (!(c->name = name1(p)) || pgmcg__cat_parse_type(p, &c->type, &serial))
                goto bad;
            set_pos(p, cat_at, &c->file, &c->line, &c->col);
            if (ACCEPT(p, "collate")) {
                char *s = NULL, *n = NULL;
                if (pgmcg__cat_qname(p, &s, &n))
                    goto bad;
                free(s);
                c->collation = n;
            }
        }
        if (ACCEPT_PUNCT(p, ','))
            continue;
        if (expect_punct(p, ')'))
            goto bad;
        return 0;
    }
bad:
    /* PostgreSQL creates nothing for a failed statement */
    pgmcg__cat_drop_type(p->cat, p->cat->n_types - 1);
    return -1;
}

static int create_domain(P *p)
{
    const pgmcg_token *at = CUR(p);
    char *schema = NULL, *name = NULL;
    if (pgmcg__cat_qname(p, &schema, &name))
        return -1;
    if (!(schema = target_schema(p, schema, at))) {
        free(name);
        return -1;
    }
    if (pgmcg__cat_type(p->cat, schema, name) || pgmcg__cat_rel(p->cat, schema, name)) {
        pgmcg__cat_error(p, at, "type \"%s\" already exists", name);
        free(schema);
        free(name);
        return -1;
    }
    ACCEPT(p, "as");
    pgmcg_cat_typeref base;
    int serial;
    if (pgmcg__cat_parse_type(p, &base, &serial)) {
        free(schema);
        free(name);
        return -1;
    }
    pgmcg_cat_type *t = pgmcg__cat_add_type(p->cat, schema, name);
    free(schema);
    free(name);
    if (!t) {
        pgmcg__cat_typeref_free(&base);
        return -1;
    }
    t->kind = PGMC_CAT_DOMAIN;
    t->base = base;
    set_pos(p, at, &t->file, &t->line, &t->col);
    pgmcg_cat_column c;
    memset(&c, 0, sizeof c);
    int rc = column_constraints(p, &c);
    t->not_null = c.not_null;
    t->has_default = c.has_default;
    pgmcg__cat_col_free(&c);
    return rc;
}

/* ------------------------------------------------------------ CREATE INDEX */

static int create_index(P *p, int unique)
{
    ACCEPT(p, "concurrently");
    SEQ(p, "if not exists");
    char *iname = NULL;
    if (!AT(p, "on")) {
        if (!(iname = name1(p)))
            return -1;
    }
    if (expect_word(p, "on")) {
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
    int bad = name_list(p, &x.cols, &x.n_cols, &cap);
    p->diag = saved;
    p->failed = failed;
    pgmcg_diag_free(&quiet);
    pgmcg_catalog *cat = p->cat;
    if (bad || cat->n_indexes == cat->cap_indexes) {
        size_t c = cat->cap_indexes ? cat->cap_indexes * 2 : 8;
        pgmcg_cat_index *q = bad ? NULL : realloc(cat->indexes, c * sizeof *q);
        if (!q) {
            free_list(x.cols, x.n_cols);
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

/* -------------------------------------------------------------- CREATE */

static int create_stmt(P *p)
{
    int or_replace = SEQ(p, "or replace");
    int temp = 0, unlogged = 0;
    (void)(ACCEPT(p, "global") || ACCEPT(p, "local"));
    if (ACCEPT(p, "temp") || ACCEPT(p, "temporary"))
        temp = 1;
    if (ACCEPT(p, "unlogged"))
        unlogged = 1;
    if (ACCEPT(p, "table"))
        return create_table(p, temp, unlogged);
    ACCEPT(p, "recursive");
    if (ACCEPT(p, "view"))
        return create_view(p, PGMC_REL_VIEW, or_replace, temp);
    if (SEQ(p, "materialized view"))
        return create_view(p, PGMC_REL_MATVIEW, 0, 0);
    if (ACCEPT(p, "schema"))
        return create_schema(p);
    if (ACCEPT(p, "type"))
        return create_type(p);
    if (ACCEPT(p, "domain"))
        return create_domain(p);
    if (ACCEPT(p, "extension"))
        return create_extension(p);
    if (ACCEPT(p, "index"))
        return create_index(p, 0);
    if (SEQ(p, "unique index"))
        return create_index(p, 1);
    return 0; /* functions, triggers, sequences, roles...: no row types */
}

/* ------------------------------------------------------------ ALTER TABLE */

static pgmcg_cat_column *need_col(P *p, pgmcg_cat_relation *r, const char *name,
                                  const pgmcg_token *at, int if_exists)
{
    long k = pgmcg__cat_find_col(r->cols, r->n_cols, name);
    if (k < 0) {
        if (!if_exists)
            pgmcg__cat_error(p, at, "column \"%s\" of relation \"%s\" does not exist", name,
                             r->name);
        return NULL;
    }
    return &r->cols[k];
}

/* ALTER [COLUMN] x ... */
static int alter_column(P *p, pgmcg_cat_relation *r)
{
    const pgmcg_token *at = CUR(p);
    char *cn = name1(p);
    if (!cn)
        return -1;
    pgmcg_cat_column *c = need_col(p, r, cn, at, 0);
    free(cn);
    if (!c)
        return -1;
    if (SEQ(p, "set data type") || ACCEPT(p, "type")) {
        pgmcg_cat_typeref t;
        int serial;
        if (pgmcg__cat_parse_type(p, &t, &serial))
            return -1;
        pgmcg__cat_typeref_free(&c->type);
        c->type = t;
        if (ACCEPT(p, "collate")) {
            char *s = NULL, *n = NULL;
            if (pgmcg__cat_qname(p, &s, &n))
                return -1;
            free(s);
            free(c->collation);
            c->collation = n;
        }
        if (ACCEPT(p, "using"))
            skip_item(p);
        return 0;
    }
    if (SEQ(p, "set not null")) {
        c->not_null = 1;
    } else if (SEQ(p, "drop not null")) {
        c->not_null = 0;
    } else if (SEQ(p, "set default")) {
        int null_default = null_at(p);
        skip_item(p);
        c->has_default = !null_default || c->type.kind == PGMC_CAT_DOMAIN || c->type.typmod_a >= 0;
    } else if (SEQ(p, "drop default")) {
        if (!c->generated)
            c->has_default = 0;
    } else if (SEQ(p, "drop expression")) {
        SEQ(p, "if exists");
        if (c->generated) {
            c->generated = 0;
            c->has_default = 0;
        }
    } else if (SEQ(p, "add generated")) {
        char kind = ACCEPT(p, "always") ? 'a' : SEQ(p, "by default") ? 'd' : 0;
        if (!kind || expect_word(p, "as") || expect_word(p, "identity"))
            return kind ? -1 : (unexpected(p, "ADD GENERATED"), -1);
        c->identity = kind;
        c->not_null = 1;
        if (PUNCT(p, '('))
            pgmcg__cat_skip_group(p);
    } else if (SEQ(p, "drop identity")) {
        SEQ(p, "if exists");
        c->identity = 0;
    } else if (AT(p, "set") || AT(p, "restart") || AT(p, "reset")) {
        /* SET GENERATED ..., SET sequence options, RESTART, SET STATISTICS,
         * SET STORAGE, SET COMPRESSION, SET (...), RESET (...) */
        while (!PUNCT(p, ',') && p->i < p->n) {
            if (SEQ(p, "set generated always"))
                c->identity = c->identity ? 'a' : 0;
            else if (SEQ(p, "set generated by default"))
                c->identity = c->identity ? 'd' : 0;
            else
                pgmcg__cat_skip_group(p);
        }
    } else if (ACCEPT(p, "options")) {
        pgmcg__cat_skip_group(p);
    } else {
        unexpected(p, "ALTER COLUMN");
        return -1;
    }
    return 0;
}

/* ADD [CONSTRAINT n] PRIMARY KEY ... and other table constraints. */
static int add_constraint(P *p, pgmcg_cat_relation *r)
{
    if (ACCEPT(p, "constraint")) {
        char *n = name1(p);
        if (!n)
            return -1;
        free(n);
    }
    if (!SEQ(p, "primary key")) {
        skip_item(p);
        return 0;
    }
    const pgmcg_token *at = CUR(p);
    char **cols = NULL;
    size_t n = 0, cap = 0;
    if (SEQ(p, "using index")) {
        at = CUR(p);
        char *iname = name1(p);
        if (!iname)
            return -1;
        const pgmcg_cat_index *x = NULL;
        for (size_t i = 0; i < p->cat->n_indexes; i++)
            if (!strcmp(p->cat->indexes[i].name, iname) &&
                !strcmp(p->cat->indexes[i].rel_schema, r->schema) &&
                !strcmp(p->cat->indexes[i].rel_name, r->name))
                x = &p->cat->indexes[i];
        if (!x) {
            pgmcg__cat_error(p, at, "unique index \"%s\" on \"%s\" is not known to pgmc", iname,
                             r->name);
            free(iname);
            return -1;
        }
        free(iname);
        for (size_t i = 0; i < x->n_cols; i++)
            if (pgmcg__cat_push(&cols, &n, &cap, pgmcg__cat_strdup(x->cols[i])))
                return free_list(cols, n), -1;
    } else if (name_list(p, &cols, &n, &cap)) {
        free_list(cols, n);
        return -1;
    }
    skip_item(p);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        pgmcg_cat_column *c = need_col(p, r, cols[i], at, 0);
        if (!c) {
            rc = -1;
            break;
        }
        c->not_null = 1;
    }
    free_list(cols, n);
    return rc;
}

static int rename_rel(P *p, pgmcg_cat_relation *r, char *to)
{
    if (pgmcg__cat_rel(p->cat, r->schema, to)) {
        pgmcg__cat_error(p, pgmcg__cat_peek(p, (size_t)-1), "relation \"%s\" already exists", to);
        free(to);
        return -1;
    }
    char *old = r->name;
    r->name = to;
    pgmcg__cat_rels_moved(p->cat);
    pgmcg__cat_retarget_types(p->cat, PGMC_CAT_COMPOSITE, r->schema, old, r->schema, to);
    free(old);
    return 0;
}

static int set_rel_schema(P *p, pgmcg_cat_relation *r)
{
    const pgmcg_token *at = CUR(p);
    char *s = name1(p);
    if (!s)
        return -1;
    if (!pgmcg__cat_schema_exists(p->cat, s)) {
        pgmcg__cat_error(p, at, "schema \"%s\" does not exist", s);
        free(s);
        return -1;
    }
    char *old = r->schema;
    r->schema = s;
    pgmcg__cat_rels_moved(p->cat);
    pgmcg__cat_retarget_types(p->cat, PGMC_CAT_COMPOSITE, old, r->name, s, r->name);
    free(old);
    return 0;
}

static int alter_action(P *p, pgmcg_cat_relation *r)
{
    if (ACCEPT(p, "add")) {
        const pgmcg_token *n1 = pgmcg__cat_peek(p, 1);
        if (AT(p, "constraint") || (AT(p, "primary") && pgmcg__cat_is_word(n1, "key")) ||
            AT(p, "check") || (AT(p, "foreign") && pgmcg__cat_is_word(n1, "key")) ||
            AT(p, "exclude") ||
            (AT(p, "unique") && (pgmcg__cat_is_punct(n1, '(') || pgmcg__cat_is_word(n1, "nulls") ||
                                 pgmcg__cat_is_word(n1, "using"))))
            return add_constraint(p, r);
        ACCEPT(p, "column");
        int if_not = SEQ(p, "if not exists");
        pgmcg_cat_column c;
        memset(&c, 0, sizeof c);
        if (column_def(p, &c, 1)) {
            pgmcg__cat_col_free(&c);
            return -1;
        }
        if (pgmcg__cat_find_col(r->cols, r->n_cols, c.name) >= 0) {
            if (!if_not)
                pgmcg__cat_error(p, pgmcg__cat_peek(p, 0),
                                 "column \"%s\" of relation \"%s\" already exists", c.name,
                                 r->name);
            pgmcg__cat_col_free(&c);
            return if_not ? 0 : -1;
        }
        pgmcg_cat_column *d = pgmcg__cat_add_col(&r->cols, &r->n_cols, &r->cap_cols);
        if (!d) {
            pgmcg__cat_col_free(&c);
            return -1;
        }
        *d = c;
        return 0;
    }
    if (ACCEPT(p, "drop")) {
        if (ACCEPT(p, "constraint")) {
            skip_item(p);
            return 0;
        }
        ACCEPT(p, "column");
        int if_exists = SEQ(p, "if exists");
        const pgmcg_token *at = CUR(p);
        char *cn = name1(p);
        if (!cn)
            return -1;
        long k = pgmcg__cat_find_col(r->cols, r->n_cols, cn);
        if (k < 0 && !if_exists)
            pgmcg__cat_error(p, at, "column \"%s\" of relation \"%s\" does not exist", cn, r->name);
        free(cn);
        if (k >= 0)
            pgmcg__cat_remove_col(r->cols, &r->n_cols, (size_t)k);
        (void)(ACCEPT(p, "cascade") || ACCEPT(p, "restrict"));
        return k >= 0 || if_exists ? 0 : -1;
    }
    if (ACCEPT(p, "alter")) {
        if (ACCEPT(p, "constraint")) {
            skip_item(p);
            return 0;
        }
        ACCEPT(p, "column");
        return alter_column(p, r);
    }
    if (ACCEPT(p, "rename")) {
        if (ACCEPT(p, "constraint")) {
            skip_item(p);
            return 0;
        }
        if (ACCEPT(p, "to")) {
            char *to = name1(p);
            return to ? rename_rel(p, r, to) : -1;
        }
        ACCEPT(p, "column");
        const pgmcg_token *at = CUR(p);
        char *from = name1(p);
        if (!from)
            return -1;
        pgmcg_cat_column *c = need_col(p, r, from, at, 0);
        free(from);
        if (!c || expect_word(p, "to"))
            return -1;
        char *to = name1(p);
        if (!to)
            return -1;
        if (pgmcg__cat_find_col(r->cols, r->n_cols, to) >= 0) {
            pgmcg__cat_error(p, at, "column \"%s\" of relation \"%s\" already exists", to, r->name);
            free(to);
            return -1;
        }
        free(c->name);
        c->name = to;
        return 0;
    }
    if (SEQ(p, "set schema"))
        return set_rel_schema(p, r);
    if (SEQ(p, "set logged")) {
        r->unlogged = 0;
        return 0;
    }
    if (SEQ(p, "set unlogged")) {
        r->unlogged = 1;
        return 0;
    }
    if (SEQ(p, "attach partition")) {
        const pgmcg_token *at = CUR(p);
        char *s = NULL, *n = NULL;
        if (pgmcg__cat_qname(p, &s, &n))
            return -1;
        pgmcg_cat_relation *part = need_rel(p, s, n, at, 0);
        free(s);
        free(n);
        if (!part)
            return -1;
        char *q = qualified(r->schema, r->name);
        if (!q)
            return -1;
        free(part->partition_of);
        part->partition_of = q;
        skip_item(p);
        return 0;
    }
    if (SEQ(p, "detach partition")) {
        const pgmcg_token *at = CUR(p);
        char *s = NULL, *n = NULL;
        if (pgmcg__cat_qname(p, &s, &n))
            return -1;
        pgmcg_cat_relation *part = need_rel(p, s, n, at, 0);
        free(s);
        free(n);
        if (!part)
            return -1;
        free(part->partition_of);
        part->partition_of = NULL;
        skip_item(p);
        return 0;
    }
    static const char *const ignored[] = {"owner",   "enable",   "disable", "set",   "reset",
                                          "cluster", "validate", "inherit", "no",    "of",
                                          "not",     "replica",  "force",   "alter", NULL};
    for (const char *const *w = ignored; *w; w++)
        if (AT(p, *w)) {
            skip_item(p);
            return 0;
        }
    unexpected(p, "ALTER TABLE");
    return -1;
}

static int alter_table(P *p, int is_view)
{
    if (SEQ(p, "all in tablespace"))
        return 0;
    int if_exists = SEQ(p, "if exists");
    ACCEPT(p, "only");
    const pgmcg_token *at = CUR(p);
    char *s = NULL, *n = NULL;
    if (pgmcg__cat_qname(p, &s, &n))
        return -1;
    ACCEPT_PUNCT(p, '*');
    pgmcg_cat_relation *r = need_rel(p, s, n, at, if_exists);
    free(s);
    free(n);
    if (!r)
        return if_exists ? 0 : -1;
    (void)is_view;
    for (;;) {
        size_t idx = (size_t)(r - p->cat->rels);
        if (alter_action(p, &p->cat->rels[idx]))
            return -1;
        if (!ACCEPT_PUNCT(p, ','))
            break;
        r = &p->cat->rels[idx];
    }
    if (CUR(p)->kind != PGMC_TOK_EOF) {
        unexpected(p, "ALTER TABLE");
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------ ALTER TYPE */

static pgmcg_cat_type *need_type(P *p, const char *s, const char *n, const pgmcg_token *at,
                                 int if_exists)
{
    pgmcg_cat_type *t = pgmcg__cat_lookup_type(p->cat, s, n);
    if (!t && !if_exists)
        pgmcg__cat_error(p, at, "type \"%s%s%s\" does not exist", s ? s : "", s ? "." : "", n);
    return t;
}

static int type_rename_or_schema(P *p, pgmcg_cat_type *t)
{
    const pgmcg_token *at = CUR(p);
    if (SEQ(p, "rename to")) {
        char *to = name1(p);
        if (!to)
            return -1;
        if (pgmcg__cat_type(p->cat, t->schema, to)) {
            pgmcg__cat_error(p, at, "type \"%s\" already exists", to);
            free(to);
            return -1;
        }
        char *old = t->name;
        t->name = to;
        pgmcg__cat_retarget_types(p->cat, t->kind, t->schema, old, t->schema, to);
        free(old);
        return 0;
    }
    if (SEQ(p, "set schema")) {
        at = CUR(p);
        char *s = name1(p);
        if (!s)
            return -1;
        if (!pgmcg__cat_schema_exists(p->cat, s)) {
            pgmcg__cat_error(p, at, "schema \"%s\" does not exist", s);
            free(s);
            return -1;
        }
        char *old = t->schema;
        t->schema = s;
        pgmcg__cat_retarget_types(p->cat, t->kind, old, t->name, s, t->name);
        free(old);
        return 0;
    }
    return 1; /* not handled */
}

/* ALTER TYPE / ALTER DOMAIN name, then RENAME TO or SET SCHEMA if that is
 * the action: 1 with *t set when another action follows, 0 when done, -1
 * on error (reported). */
static int alter_type_head(P *p, pgmcg_cat_type **t)
{
    const pgmcg_token *at = CUR(p);
    char *s = NULL, *n = NULL;
    if (pgmcg__cat_qname(p, &s, &n))
        return -1;
    *t = need_type(p, s, n, at, 0);
    free(s);
    free(n);
    if (!*t)
        return -1;
    return type_rename_or_schema(p, *t);
}

static int alter_type(P *p)
{
    pgmcg_cat_type *t;
    int r = alter_type_head(p, &t);
    if (r <= 0)
        return r;
    if (SEQ(p, "add value")) {
        int if_not = SEQ(p, "if not exists");
        const pgmcg_token *lat = CUR(p);
        char *l = pgmcg__cat_string(CUR(p));
        if (!l) {
            unexpected(p, "ALTER TYPE ADD VALUE");
            return -1;
        }
        p->i++;
        if (pgmcg__cat_find_str(t->labels, t->n_labels, l) >= 0) {
            if (!if_not)
                pgmcg__cat_error(p, lat, "enum label \"%s\" already exists", l);
            free(l);
            return if_not ? 0 : -1;
        }
        size_t pos = t->n_labels;
        int before = ACCEPT(p, "before"), after = !before && ACCEPT(p, "after");
        if (before || after) {
            const pgmcg_token *nat = CUR(p);
            char *nb = pgmcg__cat_string(CUR(p));
            long k = nb ? pgmcg__cat_find_str(t->labels, t->n_labels, nb) : -1;
            if (k < 0) {
                pgmcg__cat_error(p, nat, "\"%s\" is not an existing enum label", nb ? nb : "?");
                free(nb);
                free(l);
                return -1;
            }
            free(nb);
            p->i++;
            pos = (size_t)k + (after ? 1 : 0);
        }
        if (pgmcg__cat_push(&t->labels, &t->n_labels, &t->cap_labels, l))
            return -1;
        memmove(t->labels + pos + 1, t->labels + pos, (t->n_labels - 1 - pos) * sizeof *t->labels);
        t->labels[pos] = l;
        return 0;
    }
    if (SEQ(p, "rename value")) {
        const pgmcg_token *lat = CUR(p);
        char *from = pgmcg__cat_string(CUR(p));
        long k = from ? pgmcg__cat_find_str(t->labels, t->n_labels, from) : -1;
        if (k < 0) {
            pgmcg__cat_error(p, lat, "\"%s\" is not an existing enum label", from ? from : "?");
            free(from);
            return -1;
        }
        free(from);
        p->i++;
        if (expect_word(p, "to"))
            return -1;
        char *to = pgmcg__cat_string(CUR(p));
        if (!to) {
            unexpected(p, "RENAME VALUE");
            return -1;
        }
        p->i++;
        free(t->labels[k]);
        t->labels[k] = to;
        return 0;
    }
    if (t->kind == PGMC_CAT_COMPOSITE) {
        for (;;) {
            if (SEQ(p, "add attribute")) {
                pgmcg_cat_column c;
                memset(&c, 0, sizeof c);
                int serial;
                const pgmcg_token *cat_at = CUR(p);
                if (!(c.name = name1(p)) || pgmcg__cat_parse_type(p, &c.type, &serial)) {
                    pgmcg__cat_col_free(&c);
                    return -1;
                }
                set_pos(p, cat_at, &c.file, &c.line, &c.col);
                pgmcg_cat_column *d = pgmcg__cat_add_col(&t->attrs, &t->n_attrs, &t->cap_attrs);
                if (!d) {
                    pgmcg__cat_col_free(&c);
                    return -1;
                }
                *d = c;
            } else if (SEQ(p, "drop attribute")) {
                int ie = SEQ(p, "if exists");
                const pgmcg_token *aat = CUR(p);
                char *an = name1(p);
                if (!an)
                    return -1;
                long k = pgmcg__cat_find_col(t->attrs, t->n_attrs, an);
                if (k < 0 && !ie)
                    pgmcg__cat_error(p, aat, "attribute \"%s\" does not exist", an);
                free(an);
                if (k >= 0)
                    pgmcg__cat_remove_col(t->attrs, &t->n_attrs, (size_t)k);
                else if (!ie)
                    return -1;
            } else if (SEQ(p, "alter attribute")) {
                const pgmcg_token *aat = CUR(p);
                char *an = name1(p);
                if (!an)
                    return -1;
                long k = pgmcg__cat_find_col(t->attrs, t->n_attrs, an);
                free(an);
                if (k < 0) {
                    pgmcg__cat_error(p, aat, "attribute does not exist");
                    return -1;
                }
                SEQ(p, "set data");
                if (expect_word(p, "type"))
                    return -1;
                pgmcg_cat_typeref ty;
                int serial;
                if (pgmcg__cat_parse_type(p, &ty, &serial))
                    return -1;
                pgmcg__cat_typeref_free(&t->attrs[k].type);
                t->attrs[k].type = ty;
            } else if (SEQ(p, "rename attribute")) {
                const pgmcg_token *aat = CUR(p);
                char *an = name1(p);
                if (!an)
                    return -1;
                long k = pgmcg__cat_find_col(t->attrs, t->n_attrs, an);
                free(an);
                if (k < 0) {
                    pgmcg__cat_error(p, aat, "attribute does not exist");
                    return -1;
                }
                if (expect_word(p, "to"))
                    return -1;
                char *to = name1(p);
                if (!to)
                    return -1;
                free(t->attrs[k].name);
                t->attrs[k].name = to;
            } else {
                skip_item(p);
            }
            while (!PUNCT(p, ',') && p->i < p->n)
                pgmcg__cat_skip_group(p);
            if (!ACCEPT_PUNCT(p, ','))
                return 0;
        }
    }
    return 0; /* OWNER TO, SET (...) ... */
}

static int alter_domain(P *p)
{
    pgmcg_cat_type *t;
    int r = alter_type_head(p, &t);
    if (r <= 0)
        return r;
    if (SEQ(p, "set not null"))
        t->not_null = 1;
    else if (SEQ(p, "drop not null"))
        t->not_null = 0;
    else if (SEQ(p, "set default"))
        t->has_default = 1;
    else if (SEQ(p, "drop default"))
        t->has_default = 0;
    return 0;
}

static int alter_stmt(P *p)
{
    if (ACCEPT(p, "table"))
        return alter_table(p, 0);
    if (ACCEPT(p, "view") || SEQ(p, "materialized view")) {
        /* RENAME TO, SET SCHEMA, RENAME COLUMN, ALTER COLUMN SET DEFAULT... */
        return alter_table(p, 1);
    }
    if (ACCEPT(p, "type"))
        return alter_type(p);
    if (ACCEPT(p, "domain"))
        return alter_domain(p);
    if (ACCEPT(p, "schema")) {
        const pgmcg_token *at = CUR(p);
        char *s = name1(p);
        if (!s)
            return -1;
        long k = pgmcg__cat_find_str(p->cat->schemas, p->cat->n_schemas, s);
        if (k < 0) {
            pgmcg__cat_error(p, at, "schema \"%s\" does not exist", s);
            free(s);
            return -1;
        }
        if (SEQ(p, "rename to")) {
            char *to = name1(p);
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
    return 0;
}

/* ------------------------------------------------------------------ DROP */

static void drop_dependent_views(pgmcg_catalog *cat, const char *schema, const char *name)
{
    char *q = qualified(schema, name);
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

static int drop_stmt(P *p)
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
            pgmcg_cat_relation *r = need_rel(p, s, n, at, if_exists);
            if (r) {
                char *rs = pgmcg__cat_strdup(r->schema), *rn = pgmcg__cat_strdup(r->name);
                pgmcg__cat_drop_rel(cat, (size_t)(r - cat->rels));
                if (rs && rn) {
                    if (cascade) {
                        pgmcg__cat_drop_columns_of_type(cat, rs, rn);
                        drop_dependent_views(cat, rs, rn);
                    }
                    for (size_t i = 0; i < cat->n_rels; i++) {
                        char *q = qualified(rs, rn);
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
            pgmcg_cat_type *t = need_type(p, s, n, at, if_exists);
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
                    free_list(cat->indexes[i].cols, cat->indexes[i].n_cols);
                    cat->indexes[i] = cat->indexes[--cat->n_indexes];
                    break;
                }
        }
        free(s);
        free(n);
    } while (ACCEPT_PUNCT(p, ','));
    return rc;
}

/* ------------------------------------------------------------- COMMENT ON */

static int comment_stmt(P *p)
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
            unexpected(p, "COMMENT ON");
            goto fail;
        }
        np++;
        p->i++;
        if (!ACCEPT_PUNCT(p, '.'))
            break;
    }
    if (expect_word(p, "is"))
        goto fail;
    char *text = NULL;
    if (!ACCEPT(p, "null")) {
        text = pgmcg__cat_string(CUR(p));
        if (!text) {
            unexpected(p, "COMMENT ON ... IS");
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

/* ------------------------------------------------------------ search_path */

static void path_clear(pgmcg_catalog *cat)
{
    for (size_t i = 0; i < cat->n_search_path; i++)
        free(cat->search_path[i]);
    cat->n_search_path = 0;
}

static int path_default(pgmcg_catalog *cat)
{
    path_clear(cat);
    if (pgmcg__cat_push(&cat->search_path, &cat->n_search_path, &cat->cap_search_path,
                        pgmcg__cat_strdup("$user")))
        return -1;
    return pgmcg__cat_push(&cat->search_path, &cat->n_search_path, &cat->cap_search_path,
                           pgmcg__cat_strdup("public"));
}

/* Parse a search_path string value ("a, \"B\", $user") into the catalog. */
static int path_from_string(pgmcg_catalog *cat, const char *v)
{
    path_clear(cat);
    const char *s = v;
    while (*s) {
        while (*s == ' ' || *s == '\t' || *s == ',')
            s++;
        if (!*s)
            break;
        char *o = malloc(strlen(s) + 1), *w = o;
        if (!o)
            return -1;
        if (*s == '"') {
            s++;
            while (*s && !(*s == '"' && s[1] != '"')) {
                if (*s == '"')
                    s++;
                *w++ = *s++;
            }
            if (*s)
                s++;
        } else {
            while (*s && *s != ',' && *s != ' ' && *s != '\t') {
                char c = *s++;
                *w++ = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
            }
        }
        *w = '\0';
        if (pgmcg__cat_push(&cat->search_path, &cat->n_search_path, &cat->cap_search_path, o))
            return -1;
    }
    return 0;
}

static int set_stmt(P *p)
{
    (void)(ACCEPT(p, "session") || ACCEPT(p, "local"));
    if (ACCEPT(p, "schema")) {
        char *v = pgmcg__cat_string(CUR(p));
        if (!v)
            return 0;
        path_clear(p->cat);
        return pgmcg__cat_push(&p->cat->search_path, &p->cat->n_search_path,
                               &p->cat->cap_search_path, v);
    }
    if (!ACCEPT(p, "search_path"))
        return 0;
    if (!ACCEPT(p, "to") && !ACCEPT_PUNCT(p, '=')) {
        unexpected(p, "SET search_path");
        return -1;
    }
    if (ACCEPT(p, "default"))
        return path_default(p->cat);
    path_clear(p->cat);
    do {
        const pgmcg_token *t = CUR(p);
        char *v = t->kind == PGMC_TOK_STRING ? pgmcg__cat_string(t) : pgmcg__cat_ident(t);
        if (!v) {
            unexpected(p, "SET search_path");
            return -1;
        }
        p->i++;
        if (pgmcg__cat_push(&p->cat->search_path, &p->cat->n_search_path, &p->cat->cap_search_path,
                            v))
            return -1;
    } while (ACCEPT_PUNCT(p, ','));
    return 0;
}

/* Function calls a bare SELECT may make without changing any table. */
static const char *const harmless_calls[] = {"set_config",
                                             "setval",
                                             "nextval",
                                             "pg_advisory_lock",
                                             "pg_advisory_unlock",
                                             "pg_advisory_xact_lock",
                                             "pg_sleep",
                                             "now",
                                             "current_setting",
                                             "version",
                                             "pg_notify",
                                             "create_hypertable",
                                             "add_retention_policy",
                                             "add_compression_policy",
                                             "add_continuous_aggregate_policy",
                                             "set_chunk_time_interval",
                                             "create_distributed_table",
                                             "create_reference_table",
                                             "pg_reload_conf",
                                             "pg_try_advisory_lock",
                                             "count",
                                             NULL};

static int select_stmt(P *p)
{
    /* SELECT [pg_catalog.]set_config('search_path', '...', bool) */
    int has_from = 0;
    for (size_t i = p->i; i < p->n; i++)
        if (pgmcg__cat_is_word(&p->t[i], "from"))
            has_from = 1;
    if (has_from)
        return 0; /* a query, or DML through functions over rows: skip */
    for (size_t i = p->i; i + 1 < p->n; i++) {
        const pgmcg_token *t = &p->t[i];
        if (t->kind != PGMC_TOK_IDENT || !pgmcg__cat_is_punct(&p->t[i + 1], '('))
            continue;
        if (pgmcg__cat_is_word(t, "set_config") && i + 3 < p->n) {
            char *k = pgmcg__cat_string(&p->t[i + 2]);
            char *v = pgmcg__cat_string(&p->t[i + 4 < p->n ? i + 4 : p->n]);
            int is_path = k && !strcmp(k, "search_path");
            free(k);
            if (is_path && v) {
                int rc = path_from_string(p->cat, v);
                free(v);
                return rc;
            }
            if (is_path)
                pgmcg__cat_note(p, t,
                                "set_config('search_path', ...) with a computed value: "
                                "pgmc keeps the previous search_path");
            free(v);
            continue;
        }
        int ok = 0;
        for (const char *const *h = harmless_calls; *h && !ok; h++)
            ok = pgmcg__cat_is_word(t, *h);
        if (!ok) {
            char b[64];
            pgmcg__cat_note(p, t,
                            "pgmc cannot see inside function %s; if it changes tables, the "
                            "catalog will be wrong",
                            pgmcg__cat_tokstr(t, b, sizeof b));
        }
    }
    return 0;
}

int pgmcg__cat_stmt(pgmcg_cat_parser *p)
{
    const pgmcg_token *first = CUR(p);
    if (ACCEPT(p, "create"))
        return create_stmt(p);
    if (ACCEPT(p, "alter"))
        return alter_stmt(p);
    if (ACCEPT(p, "drop"))
        return drop_stmt(p);
    if (ACCEPT(p, "comment"))
        return comment_stmt(p);
    if (ACCEPT(p, "set"))
        return set_stmt(p);
    if (ACCEPT(p, "reset")) {
        if (ACCEPT(p, "search_path") || ACCEPT(p, "all"))
            return path_default(p->cat);
        return 0;
    }
    if (ACCEPT(p, "select"))
        return select_stmt(p);
    if (pgmcg__cat_is_word(first, "do")) {
        pgmcg__cat_note(p, first,
                        "pgmc cannot see inside a DO block; if it changes tables, the "
                        "catalog will be wrong");
        return 0;
    }
    if (pgmcg__cat_is_word(first, "execute") || pgmcg__cat_is_word(first, "call")) {
        pgmcg__cat_note(
            p, first, "pgmc cannot see inside %s; if it changes tables, the catalog will be wrong",
            pgmcg__cat_is_word(first, "call") ? "a procedure call" : "EXECUTE");
        return 0;
    }
    return 0;
}
