/* main.c - the example service.
 *
 *   example-service migrate <verb> ...   the pgmc migrate CLI (see README)
 *   example-service run                  migrate at startup, then write and
 *                                        read a few rows
 *
 * Its schema (migrations/) is compiled into the binary by pgmc_generate, so
 * it runs from anywhere with no files beside it. The database comes from
 * --database-url, DATABASE_URL, or libpq's PG* defaults.
 */
#include "example.h"
#include "pgmc.h"

#include <libpq-fe.h>

#include <stdio.h>
#include <string.h>

/* Run one parameterised statement (values are never pasted into SQL) and
 * return its result, or NULL after printing the server's error. The caller
 * PQclear()s the result. */
static PGresult *exec_params(PGconn *conn, const char *sql, int n, const char *const *values)
{
    PGresult *r = PQexecParams(conn, sql, n, NULL, values, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        fprintf(stderr, "example-service: %s", PQresultErrorMessage(r));
        PQclear(r);
        return NULL;
    }
    return r;
}

/* Write a user, a project, a config and an event, then read the config
 * back. Returns 0 on success. */
static int do_work(PGconn *conn)
{
    int rc = 1;
    PGresult *user = NULL, *cfg = NULL, *read = NULL, *ev = NULL, *proj = NULL;

    const char *user_args[] = {"alice@example.com", "alice", "Alice", "not-a-real-hash"};
    user = exec_params(
        conn,
        "INSERT INTO users (email, username, display_name, password_hash)\n"
        "VALUES ($1, $2, $3, $4)\n"
        "ON CONFLICT ((lower(email))) DO UPDATE SET display_name = EXCLUDED.display_name\n"
        "RETURNING id",
        4, user_args);
    if (!user)
        goto out;
    const char *user_id = PQgetvalue(user, 0, 0);

    const char *proj_args[] = {"demo", "Demo project", "demo-key-0123456789abcdef", user_id};
    proj = exec_params(conn,
                       "INSERT INTO projects (id, name, api_key, owner_user_id)\n"
                       "VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING",
                       4, proj_args);
    if (!proj)
        goto out;

    const char *cfg_args[] = {"demo", "feature_flags", "{\"dark_mode\": true, \"beta\": false}",
                              "feature-flags", user_id};
    cfg = exec_params(
        conn,
        "INSERT INTO configs (project_id, key, content, schema_id, updated_by_user_id)\n"
        "VALUES ($1, $2, $3::jsonb, $4, $5)\n"
        "ON CONFLICT (project_id, key) DO UPDATE\n"
        "   SET content = EXCLUDED.content, version = configs.version + 1,\n"
        "       updated_by_user_id = EXCLUDED.updated_by_user_id\n"
        "RETURNING version",
        5, cfg_args);
    if (!cfg)
        goto out;

    const char *ev_args[] = {"demo", "example-service", "service.started", "{\"pid\": 1}"};
    ev = exec_params(conn,
                     "INSERT INTO events (project_id, source, event_type, payload)\n"
                     "VALUES ($1, $2, $3, $4::jsonb) RETURNING id",
                     4, ev_args);
    if (!ev)
        goto out;

    const char *read_args[] = {"demo", "feature_flags"};
    read = exec_params(conn,
                       "SELECT c.content->>'dark_mode', c.version,\n"
                       "       (SELECT count(*) FROM config_revisions r\n"
                       "         WHERE r.project_id = c.project_id AND r.config_key = c.key)\n"
                       "FROM configs c WHERE c.project_id = $1 AND c.key = $2",
                       2, read_args);
    if (!read || PQntuples(read) != 1)
        goto out;

    printf("user %s: alice@example.com\n", user_id);
    printf("config demo/feature_flags: dark_mode=%s, version %s, %s revision(s)\n",
           PQgetvalue(read, 0, 0), PQgetvalue(read, 0, 1), PQgetvalue(read, 0, 2));
    printf("event %s: service.started\n", PQgetvalue(ev, 0, 0));
    rc = 0;
out:
    PQclear(user);
    PQclear(proj);
    PQclear(cfg);
    PQclear(ev);
    PQclear(read);
    return rc;
}

/* `run`: connect, migrate at startup, do the work. Many replicas may start
 * at once: one migrates, the others wait for it, then find nothing to do. */
static int run(void)
{
    pgmc_options opt;
    pgmc_result res;
    pgmc_options_init(&opt);
    opt.out = stdout;
    opt.err = stderr;
    opt.connect_wait_ms = 30000; /* the database may still be starting */
    opt.lock_timeout_ms = 5000;  /* never queue behind production locks for long */

    PGconn *conn = pgmc_connect(NULL, &opt, &res);
    if (!conn) {
        pgmc_print_error(stderr, &res);
        return 1;
    }
    int rc = 1;
    if (pgmc_up(conn, &example_schema, PGMC_ALL, &opt, &res) != PGMC_OK) {
        pgmc_print_error(stderr, &res);
        goto out;
    }
    printf("schema at version %s (%u migration(s) applied now, %u round trip(s))\n",
           res.current_version, res.applied, res.queries);
    /* A newer replica got there first: its migrations are additive, so this
     * older build runs on (pgmc already logged a warning). A service that
     * cannot run against a newer schema sets opt.fail_on_unknown instead. */
    if (res.unknown)
        printf("the database has %u migration(s) newer than this build\n", res.unknown);
    rc = do_work(conn);
out:
    PQfinish(conn);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "migrate"))
        return pgmc_main(argc - 1, argv + 1, &example_schema);
    if (argc == 2 && !strcmp(argv[1], "run"))
        return run();
    fprintf(stderr, "usage: %s migrate <verb> [options] | run\n",
            argc > 0 ? argv[0] : "example-service");
    return 2;
}
