/* ddl.c - the DDL replay's entry: dispatch a statement on its leading words
 * to the family that applies it (ddl_table.c, ddl_alter.c, ddl_type.c,
 * ddl_schema.c, ddl_index.c, ddl_drop.c, ddl_comment.c), replay SET/RESET
 * search_path and SELECT set_config(), note what pgmc cannot see into (DO,
 * EXECUTE, CALL, functions); and the parsing helpers the families share.
 */
#include "catalog/catalog_int.h"

#include <stdlib.h>
#include <string.h>

typedef pgmcg_cat_parser P;

void pgmcg__cat_unexpected(P *p, const char *where)
{
    char b[64];
    pgmcg__cat_error(p, CUR(p),
                     "unexpected %s in %s (pgmc's catalog does not understand this form)",
                     pgmcg__cat_tokstr(CUR(p), b, sizeof b), where);
}

int pgmcg__cat_expect_word(P *p, const char *w)
{
    if (ACCEPT(p, w))
        return 0;
    char b[64];
    pgmcg__cat_error(p, CUR(p), "expected %s, found %s", w, pgmcg__cat_tokstr(CUR(p), b, sizeof b));
    return -1;
}

int pgmcg__cat_expect_punct(P *p, char c)
{
    if (ACCEPT_PUNCT(p, c))
        return 0;
    char b[64];
    pgmcg__cat_error(p, CUR(p), "expected '%c', found %s", c,
                     pgmcg__cat_tokstr(CUR(p), b, sizeof b));
    return -1;
}

/* A single (unqualified) name; malloc'd or NULL after an error. */
char *pgmcg__cat_name1(P *p)
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

/* "(a, b, ...)" of names into a string array. Returns 0/-1. */
int pgmcg__cat_name_list(P *p, char ***v, size_t *n, size_t *cap)
{
    if (pgmcg__cat_expect_punct(p, '('))
        return -1;
    for (;;) {
        char *s = pgmcg__cat_name1(p);
        if (!s || pgmcg__cat_push(v, n, cap, s))
            return -1;
        /* index elements may carry opclass / ordering: skip them */
        while (!PUNCT(p, ',') && !PUNCT(p, ')') && p->i < p->n)
            pgmcg__cat_skip_group(p);
        if (ACCEPT_PUNCT(p, ','))
            continue;
        return pgmcg__cat_expect_punct(p, ')');
    }
}

void pgmcg__cat_free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* Resolve "schema" for a new object: explicit (must exist) or the creation
 * schema. Returns a malloc'd name or NULL after an error at `at`. */
char *pgmcg__cat_target_schema(P *p, char *schema, const pgmcg_token *at)
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
pgmcg_cat_relation *pgmcg__cat_need_rel(P *p, const char *schema, const char *name,
                                        const pgmcg_token *at, int if_exists)
{
    pgmcg_cat_relation *r = pgmcg__cat_lookup_rel(p->cat, schema, name);
    if (!r && !if_exists)
        pgmcg__cat_error(p, at, "relation \"%s%s%s\" does not exist", schema ? schema : "",
                         schema ? "." : "", name);
    return r;
}

pgmcg_cat_relation *pgmcg__cat_parse_rel(P *p)
{
    const pgmcg_token *at = CUR(p);
    char *s = NULL, *n = NULL;
    if (pgmcg__cat_qname(p, &s, &n))
        return NULL;
    pgmcg_cat_relation *r = pgmcg__cat_need_rel(p, s, n, at, 0);
    free(s);
    free(n);
    return r;
}

void pgmcg__cat_set_pos(P *p, const pgmcg_token *t, const char **file, uint32_t *line,
                        uint32_t *col)
{
    *file = p->file;
    *line = t->line;
    *col = t->col;
}

char *pgmcg__cat_qualified(const char *s, const char *n)
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
        return pgmcg__cat_create_table(p, temp, unlogged);
    ACCEPT(p, "recursive");
    if (ACCEPT(p, "view"))
        return pgmcg__cat_create_view(p, PGMC_REL_VIEW, or_replace, temp);
    if (SEQ(p, "materialized view"))
        return pgmcg__cat_create_view(p, PGMC_REL_MATVIEW, 0, 0);
    if (ACCEPT(p, "schema"))
        return pgmcg__cat_create_schema(p);
    if (ACCEPT(p, "type"))
        return pgmcg__cat_create_type(p);
    if (ACCEPT(p, "domain"))
        return pgmcg__cat_create_domain(p);
    if (ACCEPT(p, "extension"))
        return pgmcg__cat_create_extension(p);
    if (ACCEPT(p, "index"))
        return pgmcg__cat_create_index(p, 0);
    if (SEQ(p, "unique index"))
        return pgmcg__cat_create_index(p, 1);
    return 0; /* functions, triggers, sequences, roles...: no row types */
}

static int alter_stmt(P *p)
{
    if (ACCEPT(p, "table"))
        return pgmcg__cat_alter_table(p, 0);
    if (ACCEPT(p, "view") || SEQ(p, "materialized view")) {
        /* RENAME TO, SET SCHEMA, RENAME COLUMN, ALTER COLUMN SET DEFAULT... */
        return pgmcg__cat_alter_table(p, 1);
    }
    if (ACCEPT(p, "type"))
        return pgmcg__cat_alter_type(p);
    if (ACCEPT(p, "domain"))
        return pgmcg__cat_alter_domain(p);
    if (ACCEPT(p, "schema"))
        return pgmcg__cat_alter_schema(p);
    return 0;
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
        pgmcg__cat_unexpected(p, "SET search_path");
        return -1;
    }
    if (ACCEPT(p, "default"))
        return path_default(p->cat);
    path_clear(p->cat);
    do {
        const pgmcg_token *t = CUR(p);
        char *v = t->kind == PGMC_TOK_STRING ? pgmcg__cat_string(t) : pgmcg__cat_ident(t);
        if (!v) {
            pgmcg__cat_unexpected(p, "SET search_path");
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
        return pgmcg__cat_drop(p);
    if (ACCEPT(p, "comment"))
        return pgmcg__cat_comment(p);
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
