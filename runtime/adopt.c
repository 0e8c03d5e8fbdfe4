/* adopt.c - pgmc_adopt(): import, in place, the history another migration
 * tool (golang-migrate, sqlx, goose, dbmate) keeps in its own table, so a
 * database it migrated continues under pgmc without re-running anything.
 * The foreign table is detected from the catalog (one query), read (one
 * query), checked, and its applied versions recorded in pgmc's history in
 * one transaction under the migration lock. The foreign table is not
 * changed. */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>

#include "pgmc_internal.h"

typedef enum tool { T_GOLANG_MIGRATE, T_SQLX, T_GOOSE, T_DBMATE, T_NTOOLS } tool;

static const char *const tool_names[T_NTOOLS] = {"golang-migrate", "sqlx", "goose", "dbmate"};
static const char *const default_tables[T_NTOOLS] = {"schema_migrations", "_sqlx_migrations",
                                                     "goose_db_version", "schema_migrations"};

/* One applied version of the foreign history. */
typedef struct fver {
    const char *version; /* into the PGresult */
    const char *epoch;   /* applied_at as seconds since 1970, NULL if not recorded */
} fver;

/* Quote "name" or "schema.name" (validated like the history table: letters,
 * digits, '_', at most one '.') into dst. */
static int quote_table(pgmc_ctx *c, const char *name, char *dst, size_t cap)
{
    const char *dot = strchr(name, '.'), *p;
    size_t n = strlen(name);
    char *a, *b = NULL;

    for (p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '.'))
            break;
    if (*p || n == 0 || n > 127 || (dot && (dot == name || !dot[1] || strchr(dot + 1, '.'))))
        return pgmc__fail(c, PGMC_ERR_USAGE,
                          "invalid source table name \"%.100s\": use letters, digits and _, "
                          "optionally schema.table",
                          name);
    a = PQescapeIdentifier(c->conn, name, dot ? (size_t)(dot - name) : n);
    if (dot)
        b = PQescapeIdentifier(c->conn, dot + 1, strlen(dot + 1));
    if (!a || (dot && !b)) {
        PQfreemem(a);
        PQfreemem(b);
        return pgmc__fail(c, PGMC_ERR_NOMEM, "cannot quote the source table name");
    }
    pgmc__fmt(dst, cap, "%s%s%s", a, b ? "." : "", b ? b : "");
    PQfreemem(a);
    PQfreemem(b);
    return PGMC_OK;
}

/* Does the column list (name/type pairs) of a table look like `t`'s? */
static int has_col(const PGresult *r, int from, int to, const char *name, const char *type_prefix)
{
    int i;

    for (i = from; i < to; i++)
        if (!strcmp(PQgetvalue(r, i, 1), name) &&
            !strncmp(PQgetvalue(r, i, 2), type_prefix, strlen(type_prefix)))
            return 1;
    return 0;
}

static int looks_like(tool t, const PGresult *r, int from, int to)
{
    switch (t) {
    case T_GOLANG_MIGRATE:
        return has_col(r, from, to, "version", "bigint") &&
               has_col(r, from, to, "dirty", "boolean");
    case T_SQLX:
        return has_col(r, from, to, "version", "bigint") &&
               has_col(r, from, to, "success", "boolean") &&
               has_col(r, from, to, "checksum", "bytea") &&
               has_col(r, from, to, "installed_on", "timestamp");
    case T_GOOSE:
        return has_col(r, from, to, "id", "integer") &&
               has_col(r, from, to, "version_id", "bigint") &&
               has_col(r, from, to, "is_applied", "boolean");
    case T_DBMATE: /* version varchar (any length) or text, and nothing of golang-migrate's */
        return (has_col(r, from, to, "version", "character varying") ||
                has_col(r, from, to, "version", "text")) &&
               !has_col(r, from, to, "dirty", "");
    case T_NTOOLS:
        break;
    }
    return 0;
}

/* Look at the catalog once: which candidate tables exist and whose are
 * they. Sets *t and the quoted table name, or refuses. */
static int detect(pgmc_ctx *c, int want, const char *table, tool *t, char *qtable, size_t cap)
{
    char names[4][300], arr[1300];
    const char *params[1];
    tool cand_tool[4];
    int n = 0, i, found = 0, row, start, rc = PGMC_OK;
    char seen[600] = "";
    PGresult *r;

    if (want >= 0) {
        if (quote_table(c, table ? table : default_tables[want], names[0], sizeof names[0]))
            return c->res->code;
        cand_tool[n++] = (tool)want;
    } else {
        const char *cands[3] = {"schema_migrations", "_sqlx_migrations", "goose_db_version"};
        for (i = 0; i < 3; i++) {
            if (table && i > 0)
                break;
            if (quote_table(c, table ? table : cands[i], names[n], sizeof names[n]))
                return c->res->code;
            cand_tool[n++] = T_NTOOLS; /* decided by the columns */
        }
    }
    /* The names are validated and quoted identifiers; they travel as one
     * text[] parameter value (never pasted into the SQL text). */
    arr[0] = '\0';
    for (i = 0; i < n; i++) {
        size_t len = strlen(arr), k;
        const char *p;
        pgmc__fmt(arr + len, sizeof arr - len, "%s\"", i ? "," : "{");
        len = strlen(arr);
        for (p = names[i], k = len; *p && k + 3 < sizeof arr; p++) {
            if (*p == '"' || *p == '\\')
                arr[k++] = '\\';
            arr[k++] = *p;
        }
        arr[k] = '\0';
        pgmc__fmt(arr + k, sizeof arr - k, "\"");
    }
    pgmc__fmt(arr + strlen(arr), sizeof arr - strlen(arr), "}");
    params[0] = arr;
    r = pgmc__execp(c,
                    "SELECT t.ord::int - 1, a.attname, format_type(a.atttypid, a.atttypmod)"
                    " FROM unnest($1::text[]) WITH ORDINALITY AS t(name, ord)"
                    " JOIN pg_class cl ON cl.oid = to_regclass(t.name) AND cl.relkind IN ('r', 'p')"
                    " JOIN pg_attribute a ON a.attrelid = cl.oid AND a.attnum > 0"
                    " AND NOT a.attisdropped ORDER BY t.ord, a.attnum",
                    1, params);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        rc = pgmc__sql_error(c, PGMC_ERR_HISTORY, r, "cannot look for foreign history tables");
        PQclear(r);
        return rc;
    }
    for (row = 0; row < PQntuples(r); row = start) {
        int idx = atoi(PQgetvalue(r, row, 0));
        tool which = T_NTOOLS;
        for (start = row; start < PQntuples(r) && atoi(PQgetvalue(r, start, 0)) == idx; start++)
            ;
        if (idx < 0 || idx >= n)
            continue;
        if (cand_tool[idx] != T_NTOOLS) {
            if (looks_like(cand_tool[idx], r, row, start))
                which = cand_tool[idx];
        } else {
            for (i = 0; i < T_NTOOLS; i++)
                if (looks_like((tool)i, r, row, start))
                    which = (tool)i;
        }
        pgmc__fmt(seen + strlen(seen), sizeof seen - strlen(seen), "%s%s (%s)", seen[0] ? ", " : "",
                  names[idx], which == T_NTOOLS ? "unrecognized columns" : tool_names[which]);
        if (which == T_NTOOLS)
            continue;
        if (found++ == 0) {
            *t = which;
            pgmc__copy(qtable, cap, names[idx]);
        }
    }
    PQclear(r);
    if (found == 1)
        return PGMC_OK;
    if (found > 1) {
        pgmc__copy(c->res->hint, sizeof c->res->hint,
                   "Choose one with --from TOOL (and --source-table T).");
        return pgmc__fail(c, PGMC_ERR_REFUSED,
                          "refusing to adopt: more than one foreign history found: %s", seen);
    }
    if (want >= 0)
        return pgmc__fail(c, PGMC_ERR_REFUSED,
                          "refusing to adopt: no %s history table %s found in the search_path%s%s",
                          tool_names[want], names[0], seen[0] ? "; found " : "", seen);
    pgmc__copy(c->res->hint, sizeof c->res->hint,
               "Name the tool with --from and its table with --source-table if it is not "
               "the tool's default or not in the search_path.");
    return pgmc__fail(c, PGMC_ERR_REFUSED,
                      "refusing to adopt: no golang-migrate, sqlx, goose or dbmate history found "
                      "(looked for %s)%s%s",
                      table ? table : "schema_migrations, _sqlx_migrations, goose_db_version",
                      seen[0] ? "; found " : "", seen);
}

/* List up to 5 versions into buf: "1, 2, 3, 4, 5 and 7 more". */
static void list_versions(char *buf, size_t cap, const char *const *v, size_t n)
{
    size_t i;

    buf[0] = '\0';
    for (i = 0; i < n && i < 5; i++)
        pgmc__fmt(buf + strlen(buf), cap - strlen(buf), "%s%s", i ? ", " : "", v[i]);
    if (n > 5)
        pgmc__fmt(buf + strlen(buf), cap - strlen(buf), " and %zu more", n - 5);
}

/* Read the foreign table (one query) into the applied set. *pg owns the
 * strings; *out (malloc'd) the entries. golang-migrate yields its single
 * current version; the caller expands it. */
static int read_foreign(pgmc_ctx *c, tool t, const char *qtable, PGresult **pg, fver **out,
                        size_t *n)
{
    char sql[700], list[400];
    const char *bad[8];
    size_t nbad = 0, i, rows;
    PGresult *r;

    *pg = NULL;
    *out = NULL;
    *n = 0;
    switch (t) {
    case T_GOLANG_MIGRATE:
        snprintf(sql, sizeof sql, "SELECT version::text, NULL, dirty FROM %s", qtable);
        break;
    case T_SQLX:
        snprintf(sql, sizeof sql,
                 "SELECT version::text, extract(epoch FROM installed_on)::text, NOT success"
                 " FROM %s ORDER BY version",
                 qtable);
        break;
    case T_GOOSE: /* the latest row of each version decides (goose's own rule) */
        snprintf(sql, sizeof sql,
                 "SELECT version_id::text, extract(epoch FROM tstamp::timestamptz)::text, false"
                 " FROM (SELECT DISTINCT ON (version_id) version_id, is_applied, tstamp"
                 " FROM %s ORDER BY version_id, id DESC) AS latest"
                 " WHERE is_applied AND version_id <> 0 ORDER BY version_id",
                 qtable);
        break;
    default:
        snprintf(sql, sizeof sql, "SELECT version::text, NULL, false FROM %s ORDER BY version",
                 qtable);
        break;
    }
    r = pgmc__exec(c, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        int rc = pgmc__sql_error(c, PGMC_ERR_HISTORY, r, "cannot read the foreign history");
        PQclear(r);
        return rc;
    }
    rows = (size_t)PQntuples(r);
    for (i = 0; i < rows; i++)
        if (PQgetvalue(r, (int)i, 2)[0] == 't' && nbad < sizeof bad / sizeof bad[0])
            bad[nbad++] = PQgetvalue(r, (int)i, 0);
    if (t == T_GOLANG_MIGRATE && (rows > 1 || nbad)) {
        if (nbad) {
            pgmc__fmt(c->res->hint, sizeof c->res->hint,
                      "Find out how far migration %s really got and repair the database by "
                      "hand. Then either record the truth with golang-migrate (`migrate force "
                      "N`) and adopt again, or skip adopting: `force N` records the same state "
                      "in pgmc's history.",
                      bad[0]);
            pgmc__fail(c, PGMC_ERR_REFUSED,
                       "refusing to adopt: golang-migrate's %s is dirty at version %s (that "
                       "migration failed part way; what it changed is unknown)",
                       qtable, bad[0]);
        } else {
            pgmc__fail(c, PGMC_ERR_REFUSED,
                       "refusing to adopt: golang-migrate's %s has %zu rows, it keeps exactly one",
                       qtable, rows);
        }
        PQclear(r);
        return c->res->code;
    }
    if (nbad) {
        list_versions(list, sizeof list, bad, nbad);
        pgmc__copy(c->res->hint, sizeof c->res->hint,
                   "Repair the database by hand, then fix or delete those rows with sqlx "
                   "(`sqlx migrate` refuses them too) and adopt again.");
        pgmc__fail(c, PGMC_ERR_REFUSED,
                   "refusing to adopt: sqlx's %s records failed migration%s %s", qtable,
                   nbad == 1 ? "" : "s", list);
        PQclear(r);
        return c->res->code;
    }
    if (rows) {
        *out = calloc(rows, sizeof **out);
        if (!*out) {
            PQclear(r);
            return pgmc__fail(c, PGMC_ERR_NOMEM, "out of memory");
        }
    }
    for (i = 0; i < rows; i++) {
        (*out)[i].version = PQgetvalue(r, (int)i, 0);
        (*out)[i].epoch = PQgetisnull(r, (int)i, 1) ? NULL : PQgetvalue(r, (int)i, 1);
    }
    *n = rows;
    *pg = r;
    return PGMC_OK;
}

/* Every foreign version must be one the build knows. */
static int check_known(pgmc_ctx *c, tool t, const char *qtable, const fver *f, size_t n)
{
    const char **bad = n ? calloc(n, sizeof *bad) : NULL;
    char list[400];
    size_t i, nbad = 0;

    if (n && !bad)
        return pgmc__fail(c, PGMC_ERR_NOMEM, "out of memory");
    for (i = 0; i < n; i++)
        if (!pgmc__schema_find(c->schema, f[i].version))
            bad[nbad++] = f[i].version;
    if (nbad) {
        list_versions(list, sizeof list, bad, nbad);
        pgmc__copy(c->res->hint, sizeof c->res->hint,
                   "Build with every migration the other tool applied (same version numbers), "
                   "or remove the versions that were never meant to be there.");
        pgmc__fail(c, PGMC_ERR_REFUSED,
                   "refusing to adopt: %s's %s records version%s this build lacks: %s",
                   tool_names[t], qtable, nbad == 1 ? "" : "s", list);
    }
    free(bad);
    return nbad ? c->res->code : PGMC_OK;
}

/* Insert one pgmc row per adopted migration; warn about gaps. */
static int write_rows(pgmc_ctx *c, tool t, const fver *f, size_t n)
{
    const pgmc_schema *s = c->schema;
    const char *top = NULL;
    char method[64];
    size_t i;
    uint32_t k;
    int rc = PGMC_OK;

    pgmc__fmt(method, sizeof method, "adopt %s", tool_names[t]);
    if (t == T_GOLANG_MIGRATE) { /* one version: everything up to it is applied */
        top = n ? pgmc__schema_find(s, f[0].version)->version : NULL;
        for (k = 0; rc == PGMC_OK && top && k < s->n_migrations; k++) {
            const pgmc_migration *m = &s->migrations[k];
            if (m->kind != PGMC_VERSIONED || pgmc_version_cmp(m->version, top) > 0)
                continue;
            rc = pgmc__history_insert(c, m, method);
            if (rc == PGMC_OK) {
                c->res->applied++;
                pgmc__log(c, PGMC_LOG_VERBOSE, "adopt: migration %s %s", m->version, m->name);
            }
        }
        if (rc == PGMC_OK)
            pgmc__copy(c->res->current_version, sizeof c->res->current_version, top);
        return rc;
    }
    for (i = 0; rc == PGMC_OK && i < n; i++) {
        const pgmc_migration *m = pgmc__schema_find(s, f[i].version);
        rc = pgmc__history_insert_at(c, m, method, f[i].epoch);
        if (rc == PGMC_OK) {
            c->res->applied++;
            pgmc__log(c, PGMC_LOG_VERBOSE, "adopt: migration %s %s", m->version, m->name);
            if (!top || pgmc_version_cmp(m->version, top) > 0)
                top = m->version;
        }
    }
    for (k = 0; rc == PGMC_OK && top && k < s->n_migrations; k++) {
        const pgmc_migration *m = &s->migrations[k];
        int applied = 0;
        if (m->kind != PGMC_VERSIONED || pgmc_version_cmp(m->version, top) >= 0)
            continue;
        for (i = 0; i < n && !applied; i++)
            applied = pgmc_version_cmp(f[i].version, m->version) == 0;
        if (!applied)
            pgmc__log(c, PGMC_LOG_WARN,
                      "adopt: migration %s %s was not applied by %s although the newer %s was: "
                      "up will refuse it as out of order (see --allow-out-of-order)",
                      m->version, m->name, tool_names[t], top);
    }
    if (rc == PGMC_OK)
        pgmc__copy(c->res->current_version, sizeof c->res->current_version, top);
    return rc;
}

int pgmc_adopt(PGconn *conn, const pgmc_schema *s, const char *from, const char *table,
               const pgmc_options *opt, pgmc_result *res)
{
    pgmc_ctx c;
    pgmc_history h;
    PGresult *fpg = NULL;
    fver *f = NULL;
    size_t nf = 0;
    char qtable[300];
    tool t = T_NTOOLS;
    int want = -1, i, rc;

    memset(&h, 0, sizeof h);
    if (pgmc__begin(&c, conn, s, opt, res) != PGMC_OK)
        return pgmc__end(&c, c.res->code);
    if (!s)
        return pgmc__end(&c, pgmc__fail(&c, PGMC_ERR_USAGE, "no schema given"));
    if (from && strcmp(from, "auto") != 0) {
        for (i = 0; i < T_NTOOLS; i++)
            if (!strcmp(from, tool_names[i]))
                want = i;
        if (want < 0)
            return pgmc__end(&c, pgmc__fail(&c, PGMC_ERR_USAGE,
                                            "unknown tool \"%.40s\": adopt knows golang-migrate, "
                                            "sqlx, goose and dbmate",
                                            from));
    }
    if (table && quote_table(&c, table, qtable, sizeof qtable) != PGMC_OK)
        return pgmc__end(&c, c.res->code);
    rc = pgmc__admin_lock_read(&c, &h);
    if (rc == PGMC_OK && h.n_ver)
        rc = pgmc__fail(&c, PGMC_ERR_REFUSED,
                        "refusing to adopt: pgmc's history %s already records %u versioned "
                        "migration%s (current version %s)",
                        c.table_name, (unsigned)h.n_ver, h.n_ver == 1 ? "" : "s",
                        pgmc__vname(pgmc__history_max(&h)));
    if (rc == PGMC_OK)
        rc = detect(&c, want, table, &t, qtable, sizeof qtable);
    if (rc == PGMC_OK)
        rc = read_foreign(&c, t, qtable, &fpg, &f, &nf);
    if (rc == PGMC_OK)
        rc = check_known(&c, t, qtable, f, nf);
    if (rc == PGMC_OK) {
        pgmc__log(&c, PGMC_LOG_INFO, "adopting the %s history in %s", tool_names[t], qtable);
        rc = pgmc__admin_tx_begin(&c, &h, 1);
        if (rc == PGMC_OK)
            rc = write_rows(&c, t, f, nf);
        rc = pgmc__admin_tx_end(&c, rc);
        if (rc == PGMC_OK)
            pgmc__log(&c, PGMC_LOG_INFO,
                      "adopted %u migration%s from %s; the database is at version %s (%s is "
                      "left as it was)",
                      (unsigned)c.res->applied, c.res->applied == 1 ? "" : "s", tool_names[t],
                      pgmc__vname(c.res->current_version), qtable);
        else
            c.res->applied = 0;
    }
    free(f);
    PQclear(fpg);
    pgmc__history_free(&h);
    return pgmc__end(&c, rc);
}
