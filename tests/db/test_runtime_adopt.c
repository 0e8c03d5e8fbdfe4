/* test_runtime_adopt.c - pgmc_adopt against history tables created exactly
 * as golang-migrate, sqlx, goose and dbmate create them on PostgreSQL (the
 * DDL of their postgres drivers), with rows as those tools write them:
 * import, auto-detection, refusals (dirty, failed, unknown versions,
 * ambiguous, nothing found, pgmc history present), then up continues with
 * only the rest. */
#define _POSIX_C_SOURCE 200809L

#include "test_runtime_fixture.h"

static pgmc_migration seq[4], ts[3];
static pgmc_schema sseq, sts;

/* golang-migrate database/postgres ensureVersionTable */
#define GOLANG_MIGRATE_DDL                                                                         \
    "CREATE TABLE IF NOT EXISTS \"public\".\"schema_migrations\" (version bigint not null "        \
    "primary key, dirty boolean not null)"
/* sqlx-postgres migrate.rs ensure_migrations_table */
#define SQLX_DDL                                                                                   \
    "CREATE TABLE IF NOT EXISTS _sqlx_migrations (\n"                                              \
    "    version BIGINT PRIMARY KEY,\n"                                                            \
    "    description TEXT NOT NULL,\n"                                                             \
    "    installed_on TIMESTAMPTZ NOT NULL DEFAULT now(),\n"                                       \
    "    success BOOLEAN NOT NULL,\n"                                                              \
    "    checksum BYTEA NOT NULL,\n"                                                               \
    "    execution_time BIGINT NOT NULL\n"                                                         \
    ");"
/* goose internal/dialect/dialectquery/postgres.go CreateTable, then the
   version-0 row goose inserts in the same transaction */
#define GOOSE_DDL                                                                                  \
    "CREATE TABLE goose_db_version (\n"                                                            \
    "\t\tid serial NOT NULL,\n"                                                                    \
    "\t\tversion_id bigint NOT NULL,\n"                                                            \
    "\t\tis_applied boolean NOT NULL,\n"                                                           \
    "\t\ttstamp timestamp NULL default now(),\n"                                                   \
    "\t\tPRIMARY KEY(id)\n"                                                                        \
    "\t)"
#define GOOSE_INSERT "INSERT INTO goose_db_version (version_id, is_applied) VALUES "
/* dbmate pkg/driver/postgres CreateMigrationsTable (current; older releases
   used varchar(255)) */
#define DBMATE_DDL                                                                                 \
    "create table if not exists \"public\".\"schema_migrations\" (version varchar primary key)"

static void build(void)
{
    fx_mig(&seq[0], "1", "create_a", "CREATE TABLE a (id int);\n", NULL, PGMC_TX_TRANSACTION);
    fx_mig(&seq[1], "2", "create_b", "CREATE TABLE b (id int);\n", NULL, PGMC_TX_TRANSACTION);
    fx_mig(&seq[2], "3", "create_c", "CREATE TABLE c (id int);\n", NULL, PGMC_TX_TRANSACTION);
    fx_mig(&seq[3], "4", "create_d", "CREATE TABLE d (id int);\n", NULL, PGMC_TX_TRANSACTION);
    fx_schema(&sseq, seq, 4);
    fx_mig(&ts[0], "20240101120000", "create_a", "CREATE TABLE a (id int);\n", NULL,
           PGMC_TX_TRANSACTION);
    fx_mig(&ts[1], "20240102000000", "create_b", "CREATE TABLE b (id int);\n", NULL,
           PGMC_TX_TRANSACTION);
    fx_mig(&ts[2], "20240103000000", "create_c", "CREATE TABLE c (id int);\n", NULL,
           PGMC_TX_TRANSACTION);
    fx_schema(&sts, ts, 3);
}

static long q(PGconn *c, const char *sql)
{
    return fx_int(c, sql);
}

/* An empty database again; then the objects the other tool's first n
   migrations created. */
static void reset(PGconn *c, int n)
{
    static const char *const objs[] = {"CREATE TABLE a (id int)", "CREATE TABLE b (id int)",
                                       "CREATE TABLE c (id int)"};
    int i;

    fx_exec(c, "SET client_min_messages = warning");
    fx_exec(c, "DROP TABLE IF EXISTS pgmc_schema_history, schema_migrations, _sqlx_migrations,"
               " goose_db_version, a, b, c, d CASCADE");
    for (i = 0; i < n; i++)
        fx_exec(c, objs[i]);
}

static long history(PGconn *c, const char *where)
{
    char sql[512];

    snprintf(sql, sizeof sql, "SELECT count(*) FROM pgmc_schema_history WHERE %s", where);
    return q(c, sql);
}

static int no_history_table(PGconn *c)
{
    return q(c, "SELECT count(*) FROM pg_class WHERE relname = 'pgmc_schema_history'") == 0;
}

static void test_golang_migrate(PGconn *c)
{
    pgmc_result res;

    reset(c, 2);
    fx_exec(c, GOLANG_MIGRATE_DDL);
    fx_exec(c, "INSERT INTO schema_migrations (version, dirty) VALUES (2, false)");
    CHECK_RC(pgmc_adopt(c, &sseq, NULL, NULL, NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 2);
    CHECK_STR(res.current_version, "2");
    CHECK(history(c, "method = 'adopt golang-migrate' AND success AND version IN ('1', '2')") == 2);
    {
        char sql[256];
        snprintf(sql, sizeof sql, "version = '2' AND name = 'create_b' AND checksum = '%s'",
                 seq[1].checksum_hex);
        CHECK(history(c, sql) == 1);
    }
    /* the foreign table is left as it was */
    CHECK(q(c, "SELECT count(*) FROM schema_migrations WHERE version = 2 AND NOT dirty") == 1);
    CHECK(q(c, "SELECT count(*) FROM schema_migrations") == 1);
    /* up applies only 3 and 4 */
    CHECK_RC(pgmc_up(c, &sseq, PGMC_ALL, NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 2);
    CHECK_STR(res.current_version, "4");
    /* adopting again: pgmc's history is no longer empty */
    CHECK_RC(pgmc_adopt(c, &sseq, "golang-migrate", NULL, NULL, &res), PGMC_ERR_REFUSED, &res);
    CHECK(strstr(res.message, "already records 4 versioned migrations") != NULL);

    /* dirty: refused, nothing written */
    reset(c, 2);
    fx_exec(c, GOLANG_MIGRATE_DDL);
    fx_exec(c, "INSERT INTO schema_migrations (version, dirty) VALUES (2, true)");
    CHECK_RC(pgmc_adopt(c, &sseq, "golang-migrate", NULL, NULL, &res), PGMC_ERR_REFUSED, &res);
    CHECK(strstr(res.message, "dirty at version 2") != NULL);
    CHECK(strstr(res.hint, "force") != NULL);
    CHECK(no_history_table(c));

    /* a version the build lacks */
    reset(c, 2);
    fx_exec(c, GOLANG_MIGRATE_DDL);
    fx_exec(c, "INSERT INTO schema_migrations (version, dirty) VALUES (9, false)");
    CHECK_RC(pgmc_adopt(c, &sseq, NULL, NULL, NULL, &res), PGMC_ERR_REFUSED, &res);
    CHECK(strstr(res.message, "this build lacks: 9") != NULL);
    CHECK(no_history_table(c));

    /* the table given by name, here in another schema */
    reset(c, 1);
    fx_exec(c, "DROP SCHEMA IF EXISTS gm CASCADE");
    fx_exec(c, "CREATE SCHEMA gm");
    fx_exec(c, "CREATE TABLE IF NOT EXISTS \"gm\".\"schema_migrations\" (version bigint not null "
               "primary key, dirty boolean not null)");
    fx_exec(c, "INSERT INTO gm.schema_migrations VALUES (1, false)");
    CHECK_RC(pgmc_adopt(c, &sseq, NULL, NULL, NULL, &res), PGMC_ERR_REFUSED, &res);
    CHECK(strstr(res.message, "no golang-migrate, sqlx, goose or dbmate history found") != NULL);
    CHECK_RC(pgmc_adopt(c, &sseq, "golang-migrate", "gm.schema_migrations", NULL, &res), PGMC_OK,
             &res);
    CHECK(res.applied == 1);
    CHECK_RC(pgmc_adopt(c, &sseq, "golang-migrate", "gm;drop", NULL, &res), PGMC_ERR_USAGE, &res);
    fx_exec(c, "DROP SCHEMA gm CASCADE");
}

static void test_sqlx(PGconn *c)
{
    pgmc_result res;

    reset(c, 2);
    fx_exec(c, SQLX_DDL);
    /* as sqlx writes them: checksum is its own SHA-384, execution_time ns */
    fx_exec(c, "INSERT INTO _sqlx_migrations (version, description, installed_on, success,"
               " checksum, execution_time) VALUES"
               " (1, 'create a', '2023-05-01 10:00:00.123456+00', true, '\\x0102', 1500000),"
               " (2, 'create b', '2023-06-01 10:00:00+00', true, '\\x0304', 2500000)");
    CHECK_RC(pgmc_adopt(c, &sseq, NULL, NULL, NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 2);
    CHECK_STR(res.current_version, "2");
    CHECK(history(c, "method = 'adopt sqlx'") == 2);
    /* applied_at is sqlx's installed_on */
    CHECK(q(c, "SELECT count(*) FROM pgmc_schema_history h JOIN _sqlx_migrations s"
               " ON s.version::text = h.version WHERE h.applied_at = s.installed_on") == 2);
    CHECK_RC(pgmc_up(c, &sseq, PGMC_ALL, NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 2);
    CHECK_STR(res.current_version, "4");

    /* a failed migration recorded by sqlx (no_tx migration that failed) */
    reset(c, 2);
    fx_exec(c, SQLX_DDL);
    fx_exec(c, "INSERT INTO _sqlx_migrations (version, description, success, checksum,"
               " execution_time) VALUES (1, 'create a', true, '\\x01', 1),"
               " (2, 'create b', false, '\\x02', -1)");
    CHECK_RC(pgmc_adopt(c, &sseq, "sqlx", NULL, NULL, &res), PGMC_ERR_REFUSED, &res);
    CHECK(strstr(res.message, "records failed migration 2") != NULL);
    CHECK(no_history_table(c));
}

static void test_goose(PGconn *c)
{
    pgmc_result res;

    reset(c, 2);
    fx_exec(c, GOOSE_DDL);
    fx_exec(c, GOOSE_INSERT "(0, true)");
    /* 1 and 2 applied; 3 applied then rolled back (goose < 3.16 wrote an
       is_applied = false row; later goose deletes the row instead) */
    fx_exec(c, GOOSE_INSERT "(1, true), (2, true), (3, true), (3, false)");
    fx_exec(c, "UPDATE goose_db_version SET tstamp = '2022-02-02 02:02:02' WHERE version_id = 2");
    CHECK_RC(pgmc_adopt(c, &sseq, NULL, NULL, NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 2);
    CHECK_STR(res.current_version, "2");
    CHECK(history(c, "method = 'adopt goose'") == 2);
    CHECK(history(c, "version = '3'") == 0);
    CHECK(history(c, "version = '2' AND applied_at = '2022-02-02 02:02:02'::timestamp") == 1);
    CHECK_RC(pgmc_up(c, &sseq, PGMC_ALL, NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 2); /* 3 and 4 */
    CHECK_STR(res.current_version, "4");

    /* re-applied after a rollback: the latest row decides */
    reset(c, 2);
    fx_exec(c, GOOSE_DDL);
    fx_exec(c, GOOSE_INSERT "(0, true)");
    fx_exec(c, GOOSE_INSERT "(1, true), (2, true), (2, false), (2, true)");
    CHECK_RC(pgmc_adopt(c, &sseq, "goose", NULL, NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 2);
    CHECK_STR(res.current_version, "2");

    /* an unknown version, even rolled back ones do not matter */
    reset(c, 2);
    fx_exec(c, GOOSE_DDL);
    fx_exec(c, GOOSE_INSERT "(0, true)");
    fx_exec(c, GOOSE_INSERT "(1, true), (7, true), (8, true), (9, true), (9, false)");
    CHECK_RC(pgmc_adopt(c, &sseq, "goose", NULL, NULL, &res), PGMC_ERR_REFUSED, &res);
    CHECK(strstr(res.message, "versions this build lacks: 7, 8") != NULL);
    CHECK(strstr(res.message, "9") == NULL);
    CHECK(no_history_table(c));
}

static void test_dbmate(PGconn *c)
{
    pgmc_result res;

    reset(c, 2);
    fx_exec(c, DBMATE_DDL);
    fx_exec(c, "insert into \"public\".\"schema_migrations\" (version) values ('20240101120000')");
    fx_exec(c, "insert into \"public\".\"schema_migrations\" (version) values ('20240102000000')");
    CHECK_RC(pgmc_adopt(c, &sts, NULL, NULL, NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 2);
    CHECK_STR(res.current_version, "20240102000000");
    CHECK(history(c, "method = 'adopt dbmate'") == 2);
    CHECK_RC(pgmc_up(c, &sts, PGMC_ALL, NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 1);
    CHECK_STR(res.current_version, "20240103000000");

    /* dbmate keeps the file's digits: "0001" is version 1 */
    reset(c, 1);
    fx_exec(c, "create table if not exists \"public\".\"schema_migrations\" (version varchar(255) "
               "primary key)");
    fx_exec(c, "insert into schema_migrations (version) values ('0001')");
    CHECK_RC(pgmc_adopt(c, &sseq, "dbmate", NULL, NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 1);
    CHECK(history(c, "version = '1' AND method = 'adopt dbmate'") == 1);

    /* unknown versions are listed, the first five */
    reset(c, 0);
    fx_exec(c, DBMATE_DDL);
    fx_exec(c, "insert into schema_migrations (version) values ('20240101120000'), ('5'), ('6'),"
               " ('7'), ('8'), ('9'), ('10'), ('11')");
    CHECK_RC(pgmc_adopt(c, &sts, "dbmate", NULL, NULL, &res), PGMC_ERR_REFUSED, &res);
    CHECK(strstr(res.message, "lacks: 10, 11, 5, 6, 7 and 2 more") != NULL);
    CHECK(no_history_table(c));
}

static void test_detection(PGconn *c)
{
    pgmc_result res;

    /* nothing there */
    reset(c, 0);
    CHECK_RC(pgmc_adopt(c, &sseq, NULL, NULL, NULL, &res), PGMC_ERR_REFUSED, &res);
    CHECK(strstr(res.message, "no golang-migrate, sqlx, goose or dbmate history found") != NULL);
    CHECK(res.queries == 5); /* lock (resolve, try), history read, catalog, unlock */
    CHECK_RC(pgmc_adopt(c, &sseq, "auto", NULL, NULL, &res), PGMC_ERR_REFUSED, &res);
    CHECK_RC(pgmc_adopt(c, &sseq, "sqlx", NULL, NULL, &res), PGMC_ERR_REFUSED, &res);
    CHECK(strstr(res.message, "no sqlx history table") != NULL);
    CHECK_RC(pgmc_adopt(c, &sseq, "flyway", NULL, NULL, &res), PGMC_ERR_USAGE, &res);

    /* two tools: ambiguous */
    fx_exec(c, SQLX_DDL);
    fx_exec(c, GOOSE_DDL);
    fx_exec(c, GOOSE_INSERT "(0, true)");
    CHECK_RC(pgmc_adopt(c, &sseq, NULL, NULL, NULL, &res), PGMC_ERR_REFUSED, &res);
    CHECK(strstr(res.message, "more than one") != NULL);
    CHECK(strstr(res.message, "sqlx") != NULL && strstr(res.message, "goose") != NULL);
    CHECK(no_history_table(c));
    /* --from settles it (an empty goose history adopts nothing) */
    CHECK_RC(pgmc_adopt(c, &sseq, "goose", NULL, NULL, &res), PGMC_OK, &res);
    CHECK(res.applied == 0);
    CHECK_STR(res.current_version, "");

    /* a schema_migrations that is neither golang-migrate's nor dbmate's */
    reset(c, 0);
    fx_exec(c, "CREATE TABLE schema_migrations (id int, applied date)");
    CHECK_RC(pgmc_adopt(c, &sseq, NULL, NULL, NULL, &res), PGMC_ERR_REFUSED, &res);
    CHECK(strstr(res.message, "unrecognized columns") != NULL);
    CHECK_RC(pgmc_adopt(c, &sseq, "dbmate", NULL, NULL, &res), PGMC_ERR_REFUSED, &res);
    fx_exec(c, "DROP TABLE schema_migrations");
}

int main(void)
{
    PGconn *c;

    build();
    c = fx_connect();
    test_golang_migrate(c);
    test_sqlx(c);
    test_goose(c);
    test_dbmate(c);
    test_detection(c);
    PQfinish(c);
    return fx_done("test_runtime_adopt");
}
