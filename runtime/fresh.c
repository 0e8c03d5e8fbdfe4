/* fresh.c - pgmc_fresh(): drop every user schema of the database (and with
 * it the history), recreate `public` as a new database has it, then apply
 * every migration. For development and CI databases; it refuses unless the
 * caller names the database it is connected to. */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>

#include "pgmc_internal.h"

/* One query: the database name, whether we may create a schema owned by
 * pg_database_owner (PostgreSQL 15's `public`), and every user schema with
 * how many relations, functions and types it holds. pg_catalog,
 * information_schema, pg_toast and the temporary schemas (pg_temp_N,
 * pg_toast_temp_N) are never listed: user schemas cannot start with "pg_". */
static PGresult *survey(pgmc_ctx *c)
{
    return pgmc__exec(
        c, "SELECT current_database(),"
           " coalesce((SELECT pg_has_role('pg_database_owner', 'MEMBER')"
           "           WHERE current_setting('server_version_num')::int >= 150000), false),"
           " n.nspname,"
           " (SELECT count(*) FROM pg_class WHERE relnamespace = n.oid),"
           " (SELECT count(*) FROM pg_proc WHERE pronamespace = n.oid),"
           " (SELECT count(*) FROM pg_type t WHERE typnamespace = n.oid AND typrelid = 0"
           "  AND typelem = 0)"
           " FROM (SELECT NULL) AS one LEFT JOIN pg_namespace n"
           " ON n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'"
           " ORDER BY n.nspname");
}

/* BEGIN; DROP SCHEMA ... CASCADE; recreate public; COMMIT. */
static int wipe(pgmc_ctx *c, const PGresult *r, int owner_role)
{
    int i, n = PQntuples(r), rc;
    size_t cap = 64, len;
    char *sql = NULL;

    for (i = 0; i < n; i++)
        if (!PQgetisnull(r, i, 2))
            cap += 2 * strlen(PQgetvalue(r, i, 2)) + 8;
    sql = malloc(cap);
    if (!sql)
        return pgmc__fail(c, PGMC_ERR_NOMEM, "out of memory");
    strcpy(sql, "DROP SCHEMA");
    for (i = 0, len = strlen(sql); i < n; i++) {
        char *q, name[300];
        if (PQgetisnull(r, i, 2))
            continue;
        q = PQescapeIdentifier(c->conn, PQgetvalue(r, i, 2), strlen(PQgetvalue(r, i, 2)));
        if (!q) {
            free(sql);
            return pgmc__fail(c, PGMC_ERR_NOMEM, "cannot quote a schema name");
        }
        pgmc__fmt(sql + len, cap - len, "%s %s", len > 11 ? "," : "", q);
        len = strlen(sql);
        PQfreemem(q);
        pgmc__log(c, PGMC_LOG_WARN,
                  "fresh: dropping schema %s with everything in it (%s relations, %s functions, "
                  "%s types)",
                  pgmc__esc(name, sizeof name, PQgetvalue(r, i, 2)), PQgetvalue(r, i, 3),
                  PQgetvalue(r, i, 4), PQgetvalue(r, i, 5));
    }
    pgmc__fmt(sql + len, cap - len, " CASCADE");
    rc = pgmc__admin_run(c, "BEGIN", 0, NULL, "BEGIN failed");
    /* Check the lock now, inside the transaction: in lease mode this holds
     * the lease row until COMMIT, and the lease table itself may be about to
     * be dropped with its schema, so it cannot be checked after. */
    if (rc == PGMC_OK)
        rc = pgmc__lock_fence(c);
    if (rc == PGMC_OK && len > 11)
        rc = pgmc__admin_run(c, sql, 0, NULL, "cannot drop the schemas; nothing was dropped");
    free(sql);
    /* What initdb gives a new database: PostgreSQL 15+ `public` owned by
     * pg_database_owner, USAGE for everyone (no CREATE); before 15 owned by
     * the bootstrap superuser with CREATE and USAGE for everyone, here
     * owned by the current user. */
    if (rc == PGMC_OK)
        rc = pgmc__admin_run(c,
                             owner_role ? "CREATE SCHEMA public AUTHORIZATION pg_database_owner"
                                        : "CREATE SCHEMA public",
                             0, NULL, "cannot recreate schema public");
    if (rc == PGMC_OK)
        rc = pgmc__admin_run(c,
                             PQserverVersion(c->conn) >= 150000
                                 ? "GRANT USAGE ON SCHEMA public TO PUBLIC"
                                 : "GRANT ALL ON SCHEMA public TO PUBLIC",
                             0, NULL, "cannot grant on schema public");
    if (rc == PGMC_OK)
        rc = pgmc__admin_run(c, "COMMENT ON SCHEMA public IS 'standard public schema'", 0, NULL,
                             "cannot comment on schema public");
    if (rc == PGMC_OK)
        rc = pgmc__admin_run(c, "COMMIT", 0, NULL, "COMMIT failed; nothing was dropped");
    if (PQstatus(c->conn) == CONNECTION_OK && PQtransactionStatus(c->conn) != PQTRANS_IDLE)
        PQclear(pgmc__exec(c, "ROLLBACK"));
    return rc;
}

static void drop_message(void *ctx, pgmc_log_level level, const char *msg)
{
    (void)ctx;
    (void)level;
    (void)msg;
}

/* Lease mode, after the drop committed: the lease table went with its
 * schema, and the lease row with it, so nothing is left to release. Stop the
 * heartbeat and forget the lease; pgmc__unlock's DELETE from the dropped
 * table fails, and its warning ("could not release the migration lease")
 * would not be true, so it is not shown. */
static void forget_dropped_lease(pgmc_ctx *c)
{
    pgmc_log_fn log = c->opt.log;
    void *log_ctx = c->opt.log_ctx;

    c->opt.log = drop_message;
    c->opt.log_ctx = NULL;
    pgmc__unlock(c);
    c->opt.log = log;
    c->opt.log_ctx = log_ctx;
}

int pgmc_fresh(PGconn *conn, const pgmc_schema *s, const char *confirm_dbname,
               const pgmc_options *opt, pgmc_result *res)
{
    pgmc_ctx c;
    PGresult *r = NULL;
    uint32_t queries;
    int rc, owner_role = 0, n;

    if (pgmc__begin(&c, conn, s, opt, res) != PGMC_OK)
        return pgmc__end(&c, c.res->code);
    if (!s)
        return pgmc__end(&c, pgmc__fail(&c, PGMC_ERR_USAGE, "no schema given"));
    rc = pgmc__lock(&c);
    if (rc == PGMC_OK) {
        r = survey(&c);
        if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) < 1)
            rc = pgmc__sql_error(&c, PGMC_ERR_SQL, r, "cannot list the database's schemas");
    }
    if (rc == PGMC_OK && (!confirm_dbname || strcmp(confirm_dbname, PQgetvalue(r, 0, 0)) != 0)) {
        char given[120], db[120];
        pgmc__esc(db, sizeof db, PQgetvalue(r, 0, 0));
        pgmc__fmt(c.res->hint, sizeof c.res->hint,
                  "fresh drops everything in the database; confirm with the name of the "
                  "database it is connected to: %s",
                  db);
        rc = pgmc__fail(&c, PGMC_ERR_REFUSED,
                        "refusing to drop everything: the confirmation \"%s\" is not the name "
                        "of the connected database \"%s\"",
                        pgmc__esc(given, sizeof given, confirm_dbname ? confirm_dbname : ""), db);
    }
    if (rc == PGMC_OK) {
        char db[300];
        n = PQntuples(r);
        owner_role = PQgetvalue(r, 0, 1)[0] == 't';
        pgmc__log(&c, PGMC_LOG_WARN, "fresh: dropping every schema of database %s",
                  pgmc__esc(db, sizeof db, PQgetvalue(r, 0, 0)));
        if (n == 1 && PQgetisnull(r, 0, 2))
            pgmc__log(&c, PGMC_LOG_WARN, "fresh: the database has no user schemas");
        if (PQserverVersion(conn) >= 150000 && !owner_role)
            pgmc__log(&c, PGMC_LOG_WARN,
                      "fresh: not a member of pg_database_owner: the new public schema will be "
                      "owned by the current user");
        rc = wipe(&c, r, owner_role);
        if (rc == PGMC_OK)
            pgmc__log(&c, PGMC_LOG_WARN,
                      "fresh: dropped; the history table went with its schema; recreated "
                      "schema public; applying every migration");
    }
    PQclear(r);
    if (rc != PGMC_OK)
        return pgmc__end(&c, rc);
    /* Advisory mode: session locks nest, so pgmc_up takes the same lock
     * again while we still hold ours; no other migrator gets in between.
     * Lease mode: the lease table went with its schema; pgmc_up takes a
     * new lease. */
    if (c.opt.lock_mode == PGMC_LOCK_LEASE)
        forget_dropped_lease(&c);
    queries = c.res->queries;
    rc = pgmc_up(conn, s, PGMC_ALL, opt, c.res); /* resets the result */
    pgmc__end(&c, rc);                           /* our unlock counts too */
    c.res->queries += queries;
    return rc;
}
