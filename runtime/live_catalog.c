/* live_catalog.c - pgmc_live_catalog_flat(): the live database's schema in
 * the "flat" form of pgmc_schema.h (one fact per line, sorted bytewise),
 * computed by one query against pg_catalog so that `verify` can compare it
 * with the catalog the generator replays from the migrations. */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>

#include "pgmc_internal.h"

/* A name as the flat form writes it: bare when it matches
 * ^[a-z_][a-z0-9_]*$, else double-quoted with inner quotes doubled. This is
 * pgmc_schema.h's fixed rule, not quote_ident() (which also quotes keywords).
 * X is a constant SQL expression of this file, never a value. */
#define QI(x)                                                                                      \
    "(CASE WHEN (" x ")::text COLLATE \"C\" ~ '^[a-z_][a-z0-9_]*$' THEN (" x                       \
    ")::text ELSE '\"' || replace((" x ")::text, '\"', '\"\"') || '\"' END)"

/* A 1-based position, zero-padded to at least 4 digits. */
#define POS(n) "lpad((" n ")::text, greatest(4, length((" n ")::text)), '0')"

/* Not an extension's member: pg_depend deptype 'e' on (catalog, oid). */
#define NOT_EXT(cat, oid)                                                                          \
    "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '" cat "'::regclass"                  \
    " AND d.objid = " oid " AND d.deptype = 'e')"

/* "-" or the ordered, comma-separated flags. */
#define FLAGS(...) "coalesce(nullif(concat_ws(','," __VA_ARGS__ "), ''), '-')"

/* $1: oids of relations to leave out (pgmc's history and lease tables), as
 * an oid[] literal. Runs with search_path = public so that format_type()
 * qualifies exactly the types outside public and pg_catalog. */
// clang-format off
static const char *const live_sql[] = {
    "WITH ns AS ("
    "  SELECT n.oid, " QI("n.nspname") " AS q FROM pg_namespace n"
    "  WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'"
    "    AND n.nspname !~ '^_?timescaledb_' AND " NOT_EXT("pg_namespace", "n.oid")
    "), rel AS ("
    "  SELECT c.oid, ns.q || '.' || " QI("c.relname") " AS q, c.relkind, c.relispartition"
    "  FROM pg_class c JOIN ns ON ns.oid = c.relnamespace"
    "  WHERE c.relkind IN ('r', 'p', 'v', 'm') AND c.oid <> ALL ($1::oid[])"
    "    AND " NOT_EXT("pg_class", "c.oid")
    "), typ AS ("
    "  SELECT t.oid, ns.q || '.' || " QI("t.typname") " AS q, t.typtype, t.typrelid,"
    "    t.typbasetype, t.typtypmod, t.typnotnull,"
    "    (t.typdefault IS NOT NULL OR t.typdefaultbin IS NOT NULL) AS hasdef"
    "  FROM pg_type t JOIN ns ON ns.oid = t.typnamespace"
    "  WHERE (t.typtype IN ('e', 'd') OR (t.typtype = 'c' AND"
    "         (SELECT k.relkind FROM pg_class k WHERE k.oid = t.typrelid) = 'c'))"
    "    AND " NOT_EXT("pg_type", "t.oid")
    "), lines(l) AS (",
    "  SELECT 'schema ' || q FROM ns"
    "  UNION ALL"
    "  SELECT 'extension ' || " QI("x.extname") " FROM pg_extension x"
    "  WHERE x.extname <> 'plpgsql'"
    "  UNION ALL"
    "  SELECT 'relation ' || q || ' ' || CASE relkind WHEN 'r' THEN 'table'"
    "    WHEN 'p' THEN 'partitioned' WHEN 'v' THEN 'view' ELSE 'matview' END FROM rel"
    "  UNION ALL"
    "  SELECT 'partition ' || r.q || ' ' || " QI("pn.nspname") " || '.' || " QI("pc.relname")
    "  FROM rel r JOIN pg_inherits i ON i.inhrelid = r.oid"
    "    JOIN pg_class pc ON pc.oid = i.inhparent"
    "    JOIN pg_namespace pn ON pn.oid = pc.relnamespace"
    "  WHERE r.relispartition"
    "  UNION ALL"
    ,
    "  SELECT 'column ' || r.q || ' '"
    "    || " POS("row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum)")
    "    || ' ' || " QI("a.attname") " || ' ' || " FLAGS(
    "      CASE WHEN a.attnotnull THEN 'not_null' END,"
    "      CASE WHEN a.atthasdef THEN 'default' END,"
    "      CASE WHEN a.attidentity <> '' THEN 'identity=' || a.attidentity::text END,"
    "      CASE WHEN a.attgenerated <> '' THEN 'generated=' || a.attgenerated::text END")
    "    || ' ' || format_type(a.atttypid, a.atttypmod)"
    "  FROM rel r JOIN pg_attribute a ON a.attrelid = r.oid"
    "  WHERE a.attnum > 0 AND NOT a.attisdropped"
    "  UNION ALL"
    ,
    "  SELECT 'enum ' || t.q || ' '"
    "    || " POS("row_number() OVER (PARTITION BY e.enumtypid ORDER BY e.enumsortorder)")
    "    || ' ' || " QI("e.enumlabel")
    "  FROM typ t JOIN pg_enum e ON e.enumtypid = t.oid"
    "  UNION ALL"
    "  SELECT 'domain ' || q || ' ' || " FLAGS(
    "      CASE WHEN typnotnull THEN 'not_null' END,"
    "      CASE WHEN hasdef THEN 'default' END")
    "    || ' ' || format_type(typbasetype, typtypmod)"
    "  FROM typ WHERE typtype = 'd'"
    "  UNION ALL"
    "  SELECT 'attribute ' || t.q || ' '"
    "    || " POS("row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum)")
    "    || ' ' || " QI("a.attname") " || ' - ' || format_type(a.atttypid, a.atttypmod)"
    "  FROM typ t JOIN pg_attribute a ON a.attrelid = t.typrelid"
    "  WHERE t.typtype = 'c' AND a.attnum > 0 AND NOT a.attisdropped"
    ") SELECT l FROM lines ORDER BY l COLLATE \"C\""};
// clang-format on

/* The oids of the history and lease tables, resolved through the caller's
 * search_path (before verify switches it), as an oid[] literal in buf. */
static int excluded_oids(pgmc_ctx *c, char *buf, size_t cap)
{
    const char *params[2] = {c->table, c->lock_table};
    PGresult *r = pgmc__execp(c,
                              "SELECT array_remove(ARRAY[to_regclass($1)::oid, "
                              "to_regclass($2)::oid], NULL)::text",
                              2, params);
    int rc = PGMC_OK;

    if (!pgmc__ok(r) || PQntuples(r) != 1)
        rc = pgmc__sql_error(c, PGMC_ERR_SQL, r, "resolving the history table");
    else
        pgmc__copy(buf, cap, PQgetvalue(r, 0, 0));
    PQclear(r);
    return rc;
}

/* Run the catalog query in a read-only transaction with search_path =
 * public; on success *out is a malloc'd text (caller frees). */
static int run_query(pgmc_ctx *c, const char *oids, char **out, size_t *len)
{
    const char *params[1] = {oids};
    char sql[8192];
    PGresult *r;
    int rc = PGMC_OK, i, n;
    size_t total = 0, at = 0, k;
    char *text;

    /* The parts are each within C's 4095-byte string limit. */
    sql[0] = '\0';
    for (k = 0; k < sizeof live_sql / sizeof live_sql[0]; k++) {
        if (strlen(sql) + strlen(live_sql[k]) >= sizeof sql)
            return pgmc__fail(c, PGMC_ERR_USAGE, "internal: catalog query too long");
        strcat(sql, live_sql[k]);
    }
    r = pgmc__exec(c, "BEGIN READ ONLY; SET LOCAL search_path = public");

    if (!pgmc__ok(r)) {
        rc = pgmc__sql_error(c, PGMC_ERR_SQL, r, "starting the catalog query");
        PQclear(r);
        PQclear(pgmc__exec(c, "ROLLBACK"));
        return rc;
    }
    PQclear(r);
    r = pgmc__execp(c, sql, 1, params);
    PQclear(pgmc__exec(c, "ROLLBACK"));
    if (!pgmc__ok(r) || PQnfields(r) != 1) {
        rc = pgmc__sql_error(c, PGMC_ERR_SQL, r, "reading pg_catalog");
        PQclear(r);
        return rc;
    }
    n = PQntuples(r);
    for (i = 0; i < n; i++)
        total += (size_t)PQgetlength(r, i, 0) + 1;
    text = malloc(total + 1);
    if (!text) {
        PQclear(r);
        return pgmc__fail(c, PGMC_ERR_NOMEM, "out of memory for the live catalog");
    }
    for (i = 0; i < n; i++) {
        size_t l = (size_t)PQgetlength(r, i, 0);
        memcpy(text + at, PQgetvalue(r, i, 0), l);
        at += l;
        text[at++] = '\n';
    }
    text[at] = '\0';
    PQclear(r);
    *out = text;
    if (len)
        *len = at;
    return PGMC_OK;
}

int pgmc__live_flat(pgmc_ctx *c, char **out, size_t *len)
{
    char oids[128];
    int rc = excluded_oids(c, oids, sizeof oids);

    if (rc != PGMC_OK)
        return rc;
    return run_query(c, oids, out, len);
}

int pgmc_live_catalog_flat(PGconn *conn, const pgmc_options *opt, char **out, size_t *len,
                           pgmc_result *res)
{
    pgmc_ctx c;
    int rc;

    if (out)
        *out = NULL;
    if (len)
        *len = 0;
    rc = pgmc__begin(&c, conn, NULL, opt, res);
    if (rc == PGMC_OK && !out)
        rc = pgmc__fail(&c, PGMC_ERR_USAGE, "pgmc_live_catalog_flat: out is NULL");
    if (rc == PGMC_OK)
        rc = pgmc__live_flat(&c, out, len);
    return pgmc__end(&c, rc);
}
