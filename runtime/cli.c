/* cli.c - pgmc_main(): the `migrate` command line of a service binary:
 * argument parsing, connecting, and human/JSON output. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pgmc_internal.h"

#ifndef PGMC_VERSION_STRING
#define PGMC_VERSION_STRING "unknown"
#endif

typedef struct cli {
    const char *prog;
    const char *verb;
    const char *arg; /* N of up/down */
    const char *url;
    const char *table;
    long lock_timeout_s;
    int json, all, verbose, quiet, help;
} cli;

static void usage(FILE *f, const char *prog)
{
    fprintf(f,
            "usage: %s <command> [options]\n"
            "\n"
            "commands:\n"
            "  up [N]            apply all pending migrations (or the next N)\n"
            "  down [N]          revert the last N applied migrations (default 1)\n"
            "  down --all        revert every applied migration\n"
            "  status [--json]   list migrations with their state\n"
            "  version [--json]  print the current version, or \"none\"\n"
            "  help              show this text\n"
            "\n"
            "options:\n"
            "  --database-url URL   connection URL or key=value string (default: $DATABASE_URL,\n"
            "                       else libpq defaults and PG* environment variables)\n"
            "  --table NAME         history table, [schema.]name (default %s)\n"
            "  --lock-timeout SECS  give up waiting for another migrator (default: wait)\n"
            "  -v, --verbose        show server notices and each statement\n"
            "  -q, --quiet          only warnings and errors\n"
            "\n"
            "exit status: 0 success, 1 failure, 2 usage error. pgmc %s\n",
            prog, PGMC_DEFAULT_HISTORY_TABLE, PGMC_VERSION_STRING);
}

static int bad_usage(const cli *a, const char *what, const char *arg)
{
    fprintf(stderr, "%s: %s%s%s\n", a->prog, what, arg ? " " : "", arg ? arg : "");
    fprintf(stderr, "run '%s help' for usage\n", a->prog);
    return 2;
}

/* Option value: "--opt=value" or "--opt value". Returns NULL if missing. */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    const char *a = argv[*i];

    if (strncmp(a, name, n) != 0)
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (a[n] == '\0' && *i + 1 < argc)
        return argv[++*i];
    return NULL;
}

static int is_opt(const char *a, const char *name)
{
    size_t n = strlen(name);

    return strncmp(a, name, n) == 0 && (a[n] == '\0' || a[n] == '=');
}

static int parse(cli *a, int argc, char **argv)
{
    int i;

    for (i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
            a->help = 1;
        } else if (!strcmp(s, "-v") || !strcmp(s, "--verbose")) {
            a->verbose = 1;
        } else if (!strcmp(s, "-q") || !strcmp(s, "--quiet")) {
            a->quiet = 1;
        } else if (!strcmp(s, "--json")) {
            a->json = 1;
        } else if (!strcmp(s, "--all")) {
            a->all = 1;
        } else if (is_opt(s, "--database-url")) {
            if (!(a->url = opt_value(argc, argv, &i, "--database-url")))
                return bad_usage(a, "--database-url needs a value", NULL);
        } else if (is_opt(s, "--table")) {
            if (!(a->table = opt_value(argc, argv, &i, "--table")))
                return bad_usage(a, "--table needs a value", NULL);
        } else if (is_opt(s, "--lock-timeout")) {
            const char *v = opt_value(argc, argv, &i, "--lock-timeout");
            char *end;
            if (!v)
                return bad_usage(a, "--lock-timeout needs a value", NULL);
            errno = 0;
            a->lock_timeout_s = strtol(v, &end, 10);
            if (errno || *end || end == v || a->lock_timeout_s < 0 ||
                a->lock_timeout_s > 86400L * 365)
                return bad_usage(a, "--lock-timeout wants whole seconds, got", v);
        } else if (s[0] == '-' && s[1] != '\0') {
            return bad_usage(a, "unknown option", s);
        } else if (!a->verb) {
            a->verb = s;
        } else if (!a->arg) {
            a->arg = s;
        } else {
            return bad_usage(a, "unexpected argument", s);
        }
    }
    return 0;
}

/* Parse N of up/down: a positive decimal integer. */
static int parse_count(const cli *a, int *n)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(a->arg, &end, 10);
    if (errno || *end || end == a->arg || a->arg[0] == '+' || v < 1 || v > 1000000000L) {
        bad_usage(a, "expected a positive number of migrations, got", a->arg);
        return -1;
    }
    *n = (int)v;
    return 0;
}

static int exit_code(int code)
{
    return code == PGMC_OK ? 0 : code == PGMC_ERR_USAGE ? 2 : 1;
}

static const char *mark(pgmc_state st)
{
    switch (st) {
    case PGMC_STATE_APPLIED:
        return "\xe2\x9c\x93"; /* ✓ */
    case PGMC_STATE_PENDING:
        return "\xe2\x97\x8b"; /* ○ */
    case PGMC_STATE_FAILED:
        return "\xe2\x9c\x97"; /* ✗ */
    case PGMC_STATE_CHANGED:
        return "!";
    case PGMC_STATE_UNKNOWN:
        return "?";
    }
    return "?";
}

static void print_json_status(const pgmc_migration_status *e, size_t n)
{
    size_t i;

    fputs("[", stdout);
    for (i = 0; i < n; i++) {
        const pgmc_migration_status *m = &e[i];
        fputs(i ? ",\n  {" : "\n  {", stdout);
        fputs("\"version\": ", stdout);
        if (m->repeatable)
            fputs("null", stdout);
        else
            pgmc__json_string(stdout, m->version);
        fputs(", \"name\": ", stdout);
        pgmc__json_string(stdout, m->name);
        fprintf(stdout, ", \"kind\": \"%s\", \"state\": \"%s\", \"applied_at\": ",
                m->repeatable ? "repeatable" : "versioned", pgmc_state_name(m->state));
        if (m->applied_at[0] && strlen(m->applied_at) == 19)
            fprintf(stdout, "\"%.10sT%.8sZ\"", m->applied_at, m->applied_at + 11);
        else
            fputs("null", stdout);
        if (m->duration_ms >= 0)
            fprintf(stdout, ", \"duration_ms\": %lld", (long long)m->duration_ms);
        else
            fputs(", \"duration_ms\": null", stdout);
        fputs(", \"checksum\": ", stdout);
        pgmc__json_string(stdout, m->checksum);
        if (m->error[0]) {
            fputs(", \"error\": ", stdout);
            pgmc__json_string(stdout, m->error);
        }
        fputs("}", stdout);
    }
    fputs(n ? "\n]\n" : "]\n", stdout);
}

static void print_human_status(const pgmc_migration_status *e, size_t n, const char *target,
                               const char *current)
{
    size_t i, w = 1, pending = 0;

    for (i = 0; i < n; i++)
        if (strlen(e[i].version) > w)
            w = strlen(e[i].version);
    printf("database: %s\n", target);
    for (i = 0; i < n; i++) {
        const pgmc_migration_status *m = &e[i];
        const char *v = m->repeatable ? "R" : m->version;
        printf("%s %-*s %s  ", mark(m->state), (int)w, v, m->name);
        switch (m->state) {
        case PGMC_STATE_APPLIED:
            printf("(applied %s+00, %lld ms)\n", m->applied_at, (long long)m->duration_ms);
            break;
        case PGMC_STATE_PENDING:
            pending++;
            if (m->applied_at[0])
                printf("pending (changed since %s+00)\n", m->applied_at);
            else
                printf("pending\n");
            break;
        case PGMC_STATE_FAILED:
            printf("FAILED %s+00: %s\n", m->applied_at, m->error);
            break;
        case PGMC_STATE_CHANGED:
            printf("(applied %s+00, %lld ms) CHANGED since it was applied\n", m->applied_at,
                   (long long)m->duration_ms);
            break;
        case PGMC_STATE_UNKNOWN:
            printf("(applied %s+00, %lld ms) not in this build\n", m->applied_at,
                   (long long)m->duration_ms);
            break;
        }
    }
    printf("version %s, %zu pending\n", current[0] ? current : "none", pending);
}

static int cmd_status(const cli *a, PGconn *conn, const pgmc_schema *s, const pgmc_options *o,
                      pgmc_result *res)
{
    size_t cap = (size_t)s->n_migrations + 16, count = 0;
    pgmc_migration_status *e = NULL;
    char target[512];
    int rc;

    for (;;) {
        pgmc_migration_status *ne = realloc(e, cap * sizeof *e);
        if (!ne) {
            free(e);
            fprintf(stderr, "error: out of memory\n");
            return 1;
        }
        e = ne;
        rc = pgmc_status(conn, s, o, e, cap, &count, res);
        if (rc != PGMC_OK || count <= cap)
            break;
        cap = count;
    }
    if (rc == PGMC_OK) {
        if (a->json)
            print_json_status(e, count);
        else
            print_human_status(e, count, pgmc_describe_target(conn, target, sizeof target),
                               res->current_version);
    }
    free(e);
    return rc;
}

int pgmc_main(int argc, char **argv, const pgmc_schema *schema)
{
    cli a;
    pgmc_options opt;
    pgmc_result res;
    PGconn *conn;
    char target[512], ver[64];
    int n = 1, rc, verb_up, verb_down, verb_status, verb_version;

    memset(&a, 0, sizeof a);
    a.prog = argc > 0 && argv && argv[0] ? argv[0] : "migrate";
    if (argc > 0 && parse(&a, argc, argv) != 0)
        return 2;
    if (a.help || (a.verb && !strcmp(a.verb, "help"))) {
        usage(stdout, a.prog);
        return 0;
    }
    if (!a.verb) {
        usage(stderr, a.prog);
        return 2;
    }
    verb_up = !strcmp(a.verb, "up");
    verb_down = !strcmp(a.verb, "down");
    verb_status = !strcmp(a.verb, "status");
    verb_version = !strcmp(a.verb, "version");
    if (!verb_up && !verb_down && !verb_status && !verb_version)
        return bad_usage(&a, "unknown command", a.verb);
    if (a.arg && !verb_up && !verb_down)
        return bad_usage(&a, "unexpected argument", a.arg);
    if (a.all && !verb_down)
        return bad_usage(&a, "--all only applies to down", NULL);
    if (a.all && a.arg)
        return bad_usage(&a, "give either N or --all, not both", NULL);
    if (a.json && !verb_status && !verb_version)
        return bad_usage(&a, "--json only applies to status and version", NULL);
    if (a.verbose && a.quiet)
        return bad_usage(&a, "-v and -q are exclusive", NULL);
    if (a.arg && parse_count(&a, &n) != 0)
        return 2;
    if (verb_up && !a.arg)
        n = PGMC_ALL;
    if (a.all)
        n = PGMC_ALL;
    if (!schema) {
        fprintf(stderr, "error: no migrations compiled into this program\n");
        return 1;
    }

    pgmc_options_init(&opt);
    opt.history_table = a.table;
    opt.verbosity = a.verbose ? PGMC_LOG_VERBOSE : a.quiet ? PGMC_LOG_WARN : PGMC_LOG_INFO;
    opt.out = stdout;
    opt.err = stderr;
    opt.lock_timeout_ms = a.lock_timeout_s * 1000;

    conn = pgmc_connect(a.url, &opt, &res);
    if (!conn) {
        fprintf(stderr, "error: cannot connect to the database: %s\n", res.message);
        return 1;
    }
    if ((verb_up || verb_down) && !a.quiet)
        printf("database: %s\n", pgmc_describe_target(conn, target, sizeof target));

    if (verb_up) {
        rc = pgmc_up(conn, schema, n, &opt, &res);
    } else if (verb_down) {
        rc = pgmc_down(conn, schema, n, &opt, &res);
    } else if (verb_status) {
        rc = cmd_status(&a, conn, schema, &opt, &res);
    } else {
        rc = pgmc_current_version(conn, &opt, ver, sizeof ver, &res);
        if (rc == PGMC_OK && a.json) {
            fputs("{\"version\": ", stdout);
            if (ver[0])
                pgmc__json_string(stdout, ver);
            else
                fputs("null", stdout);
            fputs("}\n", stdout);
        } else if (rc == PGMC_OK) {
            printf("%s\n", ver[0] ? ver : "none");
        }
    }
    fflush(stdout);
    if (rc != PGMC_OK)
        pgmc_print_error(stderr, &res);
    PQfinish(conn);
    return exit_code(rc);
}
