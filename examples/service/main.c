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
#include <time.h>

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

/* SELECT every column of `t` WHERE <key columns> = $1.., binary results.
 * Returns the result (caller PQclears) with its row map, or NULL. */
static PGresult *select_row(PGconn *conn, const pgmc_table_desc *t, const char *where, int n,
                            const char *const *values, pgmc_row_map *map)
{
    char sql[2048];
    snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE %s", t->select_list, t->qualified, where);
    PGresult *r = PQexecParams(conn, sql, n, NULL, values, NULL, NULL, 1 /* binary */);
    pgmc_result res;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        fprintf(stderr, "example-service: %s", PQresultErrorMessage(r));
    } else if (PQntuples(r) != 1) {
        fprintf(stderr, "example-service: %s: expected one row, got %d\n", t->name, PQntuples(r));
    } else if (pgmc_row_map_init(map, r, t, &res) != PGMC_OK) {
        pgmc_print_error(stderr, &res);
    } else {
        return r;
    }
    PQclear(r);
    return NULL;
}

/* Read a user into example_users, record a login from the struct's fields
 * (as query parameters), and print it. Returns 0 on success. */
static int show_user(PGconn *conn, const char *user_id)
{
    pgmc_row_map map;
    pgmc_result res;
    PGresult *r = select_row(conn, &example_users_table, "id = $1", 1, &user_id, &map);
    if (!r)
        return 1;
    example_users u;
    int rc = pgmc_decode_row(&map, r, 0, &u, PGMC_ROWS_BORROW, NULL, &res);
    if (rc != PGMC_OK) {
        pgmc_print_error(stderr, &res);
        PQclear(r);
        return 1;
    }
    /* Writing: the new values come from the struct, as text parameters. */
    char count[24], when[48], id[24];
    struct timespec now;
    timespec_get(&now, TIME_UTC);
    snprintf(id, sizeof id, "%lld", (long long)u.id);
    snprintf(count, sizeof count, "%d", u.login_count + 1);
    pgmc_timestamp_format(pgmc_timestamp_from_timespec(&now), when, sizeof when);
    const char *upd_args[] = {id, count, when};
    PGresult *upd =
        exec_params(conn,
                    "UPDATE users SET login_count = $2, last_login_at = $3::timestamptz\n"
                    "WHERE id = $1",
                    3, upd_args);
    char created[48];
    printf("user %lld: %.*s (%s), created %s, login #%s\n", (long long)u.id, (int)u.email.len,
           u.email.ptr, u.display_name_null ? "no display name" : u.display_name.ptr,
           pgmc_timestamp_format(u.created_at, created, sizeof created), count);
    PQclear(upd);
    PQclear(r); /* BORROW mode: u's strings pointed into r */
    return upd ? 0 : 1;
}

/* Read a config into example_configs (jsonb content as text) and print it,
 * with its revision count. Returns 0 on success. */
static int show_config(PGconn *conn, const char *project, const char *key)
{
    const char *args[] = {project, key};
    pgmc_row_map map;
    pgmc_result res;
    PGresult *r =
        select_row(conn, &example_configs_table, "project_id = $1 AND key = $2", 2, args, &map);
    if (!r)
        return 1;
    unsigned char mem[8192]; /* COPY mode: the row outlives r */
    pgmc_arena arena;
    pgmc_arena_init(&arena, mem, sizeof mem);
    example_configs cf;
    int rc = pgmc_decode_row(&map, r, 0, &cf, PGMC_ROWS_COPY, &arena, &res);
    PQclear(r);
    if (rc != PGMC_OK) {
        pgmc_print_error(stderr, &res);
        return 1;
    }
    PGresult *rev = exec_params(conn,
                                "SELECT count(*) FROM config_revisions\n"
                                "WHERE project_id = $1 AND config_key = $2",
                                2, args);
    if (!rev)
        return 1;
    printf("config %s/%s: %s, version %lld, %s revision(s)\n", cf.project_id.ptr, cf.key.ptr,
           cf.content.ptr, (long long)cf.version, PQgetvalue(rev, 0, 0));
    PQclear(rev);
    return 0;
}

/* Write a user, a project, a config and an event, then read the config
 * back. Returns 0 on success. */
static int do_work(PGconn *conn)
{
    int rc = 1;
    PGresult *user = NULL, *cfg = NULL, *ev = NULL, *proj = NULL;

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

    /* Read the rows back into the structs pgmc generated from the schema
     * (example.h), in binary format, and write through them. */
    if (show_user(conn, user_id) || show_config(conn, "demo", "feature_flags"))
        goto out;
    printf("event %s: service.started\n", PQgetvalue(ev, 0, 0));
    rc = 0;
out:
    PQclear(user);
    PQclear(proj);
    PQclear(cfg);
    PQclear(ev);
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
