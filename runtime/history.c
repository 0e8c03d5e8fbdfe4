/* history.c - the history table: name validation and quoting, creation,
 * reading it in one query, and lookups; plus sanity checks of the schema. */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>

#include "pgmc_internal.h"

static int valid_part(const char *p, size_t n)
{
    size_t i;

    if (n == 0 || n > 63 || (p[0] >= '0' && p[0] <= '9'))
        return 0;
    for (i = 0; i < n; i++) {
        char ch = p[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '_'))
            return 0;
    }
    return 1;
}

static int quote_part(pgmc_ctx *c, const char *p, size_t n, char *dst, size_t cap)
{
    char *q = PQescapeIdentifier(c->conn, p, n);

    if (!q)
        return pgmc__fail(c, PGMC_ERR_NOMEM, "cannot quote the history table name");
    if (strlen(q) + strlen(dst) + 1 >= cap) {
        PQfreemem(q);
        return pgmc__fail(c, PGMC_ERR_USAGE, "history table name too long");
    }
    strcat(dst, q);
    PQfreemem(q);
    return PGMC_OK;
}

/* FNV-1a over a namespace and the table name: the advisory lock key. */
int64_t pgmc__lock_key(const char *name)
{
    const char *ns = "pgmc-migration-lock:";
    uint64_t h = 14695981039346656037ULL;
    const char *p;

    for (p = ns; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    for (p = name; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    return (int64_t)(h & 0x7fffffffffffffffULL);
}

int pgmc__table_setup(pgmc_ctx *c)
{
    const char *name = c->opt.history_table;
    const char *dot = strchr(name, '.');
    size_t n = strlen(name);

    if ((dot && (strchr(dot + 1, '.') || !valid_part(name, (size_t)(dot - name)) ||
                 !valid_part(dot + 1, strlen(dot + 1)))) ||
        (!dot && !valid_part(name, n)))
        return pgmc__fail(c, PGMC_ERR_USAGE,
                          "invalid history table name \"%.100s\": use letters, digits and _, "
                          "optionally schema.table",
                          name);
    pgmc__copy(c->table_name, sizeof c->table_name, name);
    c->table[0] = '\0';
    if (dot) {
        if (quote_part(c, name, (size_t)(dot - name), c->table, sizeof c->table) != PGMC_OK)
            return c->res->code;
        strcat(c->table, ".");
        name = dot + 1;
        n = strlen(name);
    }
    if (quote_part(c, name, n, c->table, sizeof c->table) != PGMC_OK)
        return c->res->code;
    /* The lease table sits beside the history table: "<table>_lock". */
    {
        char lname[80];
        const char *full = c->opt.history_table;
        c->lock_table[0] = '\0';
        if (n + 5 > 63)
            return pgmc__fail(c, PGMC_ERR_USAGE,
                              "history table name too long (at most 58 characters)");
        if (dot && quote_part(c, full, (size_t)(dot - full), c->lock_table, sizeof c->lock_table) !=
                       PGMC_OK)
            return c->res->code;
        if (dot)
            strcat(c->lock_table, ".");
        snprintf(lname, sizeof lname, "%s_lock", name);
        if (quote_part(c, lname, strlen(lname), c->lock_table, sizeof c->lock_table) != PGMC_OK)
            return c->res->code;
    }
    /* what pgmc before issue 9 locked: the name as spelled */
    c->lock_key_legacy = pgmc__lock_key(c->opt.history_table);
    return PGMC_OK;
}

static int script_ok(const pgmc_script *s)
{
    uint32_t i;

    if (!s->sql)
        return s->n_statements == 0;
    if (s->n_statements && !s->statements)
        return 0;
    for (i = 0; i < s->n_statements; i++)
        if (s->statements[i].offset > s->sql_len ||
            s->statements[i].length > s->sql_len - s->statements[i].offset)
            return 0;
    return 1;
}

int pgmc__check_schema(pgmc_ctx *c)
{
    const pgmc_schema *s = c->schema;
    const pgmc_migration *prev = NULL;
    uint32_t i;
    int seen_rep = 0;

    if (s->abi_version != PGMC_ABI_VERSION)
        return pgmc__fail(c, PGMC_ERR_SCHEMA,
                          "schema was generated for runtime ABI %u, this runtime is ABI %d; "
                          "regenerate it",
                          (unsigned)s->abi_version, PGMC_ABI_VERSION);
    if (s->n_migrations && !s->migrations)
        return pgmc__fail(c, PGMC_ERR_SCHEMA, "schema has no migration table");
    for (i = 0; i < s->n_migrations; i++) {
        const pgmc_migration *m = &s->migrations[i];
        if (!m->name || !m->checksum_hex || !script_ok(&m->up) || !script_ok(&m->down))
            return pgmc__fail(c, PGMC_ERR_SCHEMA, "schema entry %u is malformed", (unsigned)i);
        if (m->kind == PGMC_REPEATABLE) {
            if (prev && prev->kind == PGMC_REPEATABLE && strcmp(prev->name, m->name) >= 0)
                return pgmc__fail(c, PGMC_ERR_SCHEMA,
                                  "repeatable migrations are not sorted by name at \"%s\"",
                                  m->name);
            seen_rep = 1;
        } else {
            if (seen_rep || !m->version || !m->version[0] ||
                (prev && pgmc_version_cmp(prev->version, m->version) >= 0))
                return pgmc__fail(c, PGMC_ERR_SCHEMA,
                                  "versioned migrations are not sorted or unique at %s",
                                  m->version ? m->version : "(null)");
        }
        prev = m;
    }
    return PGMC_OK;
}

int pgmc__history_upgrade(pgmc_ctx *c)
{
    char sql[400];
    PGresult *r;
    int rc = PGMC_OK;

    snprintf(sql, sizeof sql, "ALTER TABLE %s ADD COLUMN IF NOT EXISTS backend text", c->table);
    r = pgmc__exec(c, sql);
    if (!pgmc__ok(r))
        rc = pgmc__sql_error(c, PGMC_ERR_HISTORY, r,
                             "cannot add column \"backend\" to the history table (made by an "
                             "older pgmc)");
    else
        c->history_old = 0;
    PQclear(r);
    return rc;
}

int pgmc__history_create(pgmc_ctx *c)
{
    char sql[1024];
    PGresult *r;
    int rc = PGMC_OK;

    snprintf(sql, sizeof sql,
             "CREATE TABLE IF NOT EXISTS %s (\n"
             "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n"
             "  version text UNIQUE,\n"
             "  name text NOT NULL,\n"
             "  kind text NOT NULL CHECK (kind IN ('versioned', 'repeatable')),\n"
             "  checksum text NOT NULL,\n"
             "  applied_at timestamptz NOT NULL DEFAULT now(),\n"
             "  execution_ms bigint NOT NULL DEFAULT 0,\n"
             "  success boolean NOT NULL DEFAULT true,\n"
             "  error text,\n"
             "  installed_by text NOT NULL DEFAULT current_user,\n"
             "  method text NOT NULL DEFAULT 'applied',\n"
             "  progress integer,\n"
             "  progress_hash text,\n"
             "  direction text CHECK (direction IN ('up', 'down')),\n"
             "  repaired_from text,\n"
             "  backend text,\n"
             "  CHECK ((kind = 'versioned') = (version IS NOT NULL)),\n"
             "  CHECK ((progress IS NULL) = (direction IS NULL))\n"
             ")",
             c->table);
    r = pgmc__exec(c, sql);
    if (!pgmc__ok(r))
        rc = pgmc__sql_error(c, PGMC_ERR_HISTORY, r, "cannot create the history table");
    PQclear(r);
    if (rc == PGMC_OK)
        pgmc__log(c, PGMC_LOG_VERBOSE, "created history table %s", c->table_name);
    return rc;
}

static int cmp_ver(const void *a, const void *b)
{
    const pgmc_hrow *x = *(pgmc_hrow *const *)a, *y = *(pgmc_hrow *const *)b;

    return pgmc_version_cmp(x->version, y->version);
}

static int cmp_rep(const void *a, const void *b)
{
    const pgmc_hrow *x = *(pgmc_hrow *const *)a, *y = *(pgmc_hrow *const *)b;
    int k = strcmp(x->name, y->name);

    if (k)
        return k;
    return x->id < y->id ? -1 : x->id > y->id;
}

void pgmc__history_free(pgmc_history *h)
{
    PQclear(h->pg);
    free(h->rows);
    free(h->ver);
    memset(h, 0, sizeof *h);
}

static PGresult *read_rows(pgmc_ctx *c, int old_shape)
{
    char sql[768];

    snprintf(sql, sizeof sql,
             "SELECT id, version, name, kind, checksum,"
             " to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),"
             " execution_ms, success, coalesce(error, ''), method, coalesce(progress, -1),"
             " coalesce(progress_hash, ''), coalesce(direction, ''), %s FROM %s ORDER BY id",
             old_shape ? "''::text" : "coalesce(backend, '')", c->table);
    return pgmc__exec(c, sql);
}

int pgmc__history_read(pgmc_ctx *c, pgmc_history *h)
{
    PGresult *r;
    size_t i;
    const char *st;

    memset(h, 0, sizeof *h);
    r = read_rows(c, 0);
    st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    if (st && strcmp(st, "42703") == 0) {
        /* a table made by an older pgmc: no backend column yet */
        PQclear(r);
        c->history_old = 1;
        r = read_rows(c, 1);
    } else {
        c->history_old = 0;
    }
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
        if (st && (strcmp(st, "42P01") == 0 || strcmp(st, "3F000") == 0)) {
            PQclear(r);
            h->missing = 1;
            return PGMC_OK;
        }
        pgmc__sql_error(c, PGMC_ERR_HISTORY, r, "cannot read the history table");
        PQclear(r);
        return c->res->code;
    }
    if (PQnfields(r) != 14) {
        PQclear(r);
        return pgmc__fail(c, PGMC_ERR_HISTORY, "history table %s has an unexpected shape",
                          c->table_name);
    }
    h->pg = r;
    h->n = (size_t)PQntuples(r);
    if (h->n) {
        h->rows = calloc(h->n, sizeof *h->rows);
        h->ver = calloc(h->n, sizeof *h->ver);
        if (!h->rows || !h->ver) {
            pgmc__history_free(h);
            return pgmc__fail(c, PGMC_ERR_NOMEM, "out of memory reading history");
        }
    }
    for (i = 0; i < h->n; i++) {
        pgmc_hrow *w = &h->rows[i];
        int t = (int)i;
        w->id = strtoll(PQgetvalue(r, t, 0), NULL, 10);
        w->version = PQgetisnull(r, t, 1) ? NULL : PQgetvalue(r, t, 1);
        w->name = PQgetvalue(r, t, 2);
        w->repeatable = strcmp(PQgetvalue(r, t, 3), "repeatable") == 0 || !w->version;
        w->checksum = PQgetvalue(r, t, 4);
        w->applied_at = PQgetvalue(r, t, 5);
        w->duration_ms = strtoll(PQgetvalue(r, t, 6), NULL, 10);
        w->success = PQgetvalue(r, t, 7)[0] == 't';
        w->error = PQgetvalue(r, t, 8);
        w->method = PQgetvalue(r, t, 9);
        w->progress = atol(PQgetvalue(r, t, 10));
        w->progress_hash = PQgetvalue(r, t, 11);
        w->down = strcmp(PQgetvalue(r, t, 12), "down") == 0;
        w->backend = PQgetvalue(r, t, 13);
    }
    /* versioned rows fill `ver` from the front, repeatable ones from the back */
    for (i = 0; i < h->n; i++) {
        if (h->rows[i].repeatable)
            h->ver[h->n - 1 - h->n_rep++] = &h->rows[i];
        else
            h->ver[h->n_ver++] = &h->rows[i];
    }
    h->rep = h->ver ? h->ver + h->n_ver : NULL;
    if (h->n_ver)
        qsort(h->ver, h->n_ver, sizeof *h->ver, cmp_ver);
    if (h->n_rep)
        qsort(h->rep, h->n_rep, sizeof *h->rep, cmp_rep);
    return PGMC_OK;
}

const pgmc_hrow *pgmc__history_find(const pgmc_history *h, const char *version)
{
    size_t lo = 0, hi = h->n_ver;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int k = pgmc_version_cmp(h->ver[mid]->version, version);
        if (k == 0)
            return h->ver[mid];
        if (k < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const pgmc_hrow *pgmc__history_last_rep(const pgmc_history *h, const char *name)
{
    size_t lo = 0, hi = h->n_rep;

    /* first row with name >= `name`, then walk to the last one equal */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(h->rep[mid]->name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo >= h->n_rep || strcmp(h->rep[lo]->name, name) != 0)
        return NULL;
    while (lo + 1 < h->n_rep && strcmp(h->rep[lo + 1]->name, name) == 0)
        lo++;
    return h->rep[lo];
}

int pgmc__history_insert(pgmc_ctx *c, const pgmc_migration *m, const char *method)
{
    char sql[512];
    const char *params[5];
    int rep = m->kind == PGMC_REPEATABLE;
    PGresult *r;
    int rc = PGMC_OK;

    snprintf(sql, sizeof sql,
             "INSERT INTO %s (version, name, kind, checksum, method)"
             " VALUES ($1, $2, $3, $4, $5)",
             c->table);
    params[0] = rep ? NULL : m->version;
    params[1] = m->name;
    params[2] = rep ? "repeatable" : "versioned";
    params[3] = m->checksum_hex;
    params[4] = method ? method : "applied";
    r = pgmc__execp(c, sql, 5, params);
    if (!pgmc__ok(r))
        rc = pgmc__sql_error(c, PGMC_ERR_HISTORY, r, "cannot write the history table");
    PQclear(r);
    return rc;
}

int pgmc__history_delete(pgmc_ctx *c, const char *version)
{
    char sql[300];
    const char *params[1];
    PGresult *r;
    int rc = PGMC_OK;

    snprintf(sql, sizeof sql, "DELETE FROM %s WHERE version = $1", c->table);
    params[0] = version;
    r = pgmc__execp(c, sql, 1, params);
    if (!pgmc__ok(r))
        rc = pgmc__sql_error(c, PGMC_ERR_HISTORY, r, "cannot write the history table");
    PQclear(r);
    return rc;
}

uint64_t pgmc__stmt_hash(uint64_t h, const pgmc_script *sc, uint32_t i)
{
    const pgmc_statement *st = &sc->statements[i];
    const unsigned char *p = (const unsigned char *)sc->sql + st->offset;
    const unsigned char *end = p + st->length;

    if (h == 0)
        h = 14695981039346656037ULL;
    for (; p < end; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return (h ^ 0xffu) * 1099511628211ULL; /* a statement boundary */
}

void pgmc__progress_hash(const pgmc_script *sc, uint32_t k, char out[17])
{
    uint64_t h = 0;
    uint32_t i;

    for (i = 0; i < k && i < sc->n_statements; i++)
        h = pgmc__stmt_hash(h, sc, i);
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

int pgmc__resumable(const pgmc_hrow *w, const pgmc_script *sc)
{
    char hex[17];

    if (w->success || w->progress < 0 || !sc || !sc->sql ||
        (uint32_t)w->progress > sc->n_statements)
        return 0;
    pgmc__progress_hash(sc, (uint32_t)w->progress, hex);
    return strcmp(hex, w->progress_hash) == 0;
}

const char *pgmc__history_max(const pgmc_history *h)
{
    size_t i;

    for (i = h->n_ver; i > 0; i--)
        if (h->ver[i - 1]->success)
            return h->ver[i - 1]->version;
    return NULL;
}

const pgmc_migration *pgmc__schema_find(const pgmc_schema *s, const char *version)
{
    size_t lo = 0, hi = s->n_migrations;

    while (lo < hi && s->migrations[hi - 1].kind == PGMC_REPEATABLE)
        hi--;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int k = pgmc_version_cmp(s->migrations[mid].version, version);
        if (k == 0)
            return &s->migrations[mid];
        if (k < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
