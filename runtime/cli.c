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
    const char *arg; /* N of up/down, V of goto/force/baseline */
    const char *url;
    const char *table;
    const char *from;         /* adopt --from */
    const char *source_table; /* adopt --source-table */
    const char *confirm;      /* fresh --confirm */
    pgmc_lock_mode lock_mode;
    long lock_wait_ms, lease_ttl_ms, lock_timeout_ms, statement_timeout_ms, wait_ms;
    int lock_wait_given; /* --lock-wait was given (0 then means: try once) */
    int lock_retries;
    int json, all, verbose, quiet, help, yes, out_of_order, single_tx, fail_on_unknown;
} cli;

static void usage(FILE *f, const char *prog)
{
    fprintf(
        f,
        "usage: %s <command> [options]\n"
        "\n"
        "commands:\n"
        "  up [N]             apply all pending migrations (or the next N)\n"
        "  down [N]           revert the last N applied migrations (default 1)\n"
        "  down --all         revert every applied migration\n"
        "  goto V             migrate up or down to version V (0 or none: all down)\n"
        "  redo               revert the newest migration and apply it again\n"
        "  status [--json]    list migrations: \xe2\x9c\x93 applied, \xe2\x97\x8b pending, "
        "\xe2\x9c\x97 failed/incomplete/invalid,\n"
        "                     ! modified, ? unknown or missing\n"
        "  version [--json]   print the current version, or \"none\"\n"
        "  validate           exit 1 on any modified, missing, unknown, failed or\n"
        "                     out-of-order migration, or inconsistent history rows\n"
        "                     (two rows of one version, progress out of range...)\n"
        "  force V            record that the database is at V (none: nothing applied);\n"
        "                     resolves a failed or incomplete migration\n"
        "  repair --yes       accept the current checksums of modified migrations\n"
        "  baseline V         mark migrations up to V as applied without running them\n"
        "  adopt [--from TOOL] [--source-table T]\n"
        "                     import history from golang-migrate, sqlx, goose or dbmate\n"
        "  fresh --confirm DB drop everything in database DB and apply all migrations\n"
        "  verify             exit 1 if the database's schema differs from the migrations'\n"
        "  help               show this text\n"
        "\n"
        "options:\n"
        "  --database-url URL      connection URL or key=value string (default: $DATABASE_URL,\n"
        "                          else libpq defaults and PG* environment variables)\n"
        "  --table NAME            history table, [schema.]name (default %s)\n"
        "  --lock-mode MODE        advisory (default) or lease (correct behind PgBouncer\n"
        "                          in transaction pooling mode)\n"
        "  --lock-wait DUR         give up waiting for another migrator after DUR (0: try\n"
        "                          once; default: wait)\n"
        "  --lease-ttl DUR         lease mode: lease lifetime without heartbeat (default 30s)\n"
        "  --lock-timeout DUR      PostgreSQL lock_timeout for migration statements\n"
        "  --statement-timeout DUR PostgreSQL statement_timeout for migration statements\n"
        "  --lock-retries N        retries after a lock_timeout, with backoff (default 3)\n"
        "  --allow-out-of-order    apply pending migrations older than the newest applied\n"
        "  --single-transaction    up, goto: apply the pending migrations in one transaction\n"
        "  --fail-on-unknown       up: fail if the database has versions newer than this build\n"
        "  --wait [DUR]            retry connecting for DUR (default 60s) before giving up;\n"
        "                          an argument after --wait that is a duration is its DUR\n"
        "                          (up --wait 30s; down --wait 2 waits 2s, it is not N),\n"
        "                          another option or a verb leaves the default, anything\n"
        "                          else is an error\n"
        "  -v, --verbose           show server notices and each statement\n"
        "  -q, --quiet             only warnings and errors\n"
        "\n"
        "Options take their value as --opt VALUE or --opt=VALUE (a VALUE that looks\n"
        "like an option, --x or -x, only in the second form). DUR is a number with an\n"
        "optional unit: ms, s (default), m, h.\n"
        "exit status: 0 success, 1 failure (or validate found problems), 2 usage error.\n"
        "pgmc %s\n",
        prog, PGMC_DEFAULT_HISTORY_TABLE, PGMC_VERSION_STRING);
}

static int bad_usage(const cli *a, const char *what, const char *arg)
{
    fprintf(stderr, "%s: %s%s", a->prog, what, arg ? " " : "");
    if (arg)
        pgmc__fputs_esc(stderr, arg, 0);
    fprintf(stderr, "\nrun '%s help' for usage\n", a->prog);
    return 2;
}

/* The verbs, what they accept, and whether they change the database. */
enum { ARG_NONE, ARG_COUNT, ARG_VERSION };
typedef struct verb {
    const char *name;
    int arg;     /* ARG_* */
    int needs;   /* the argument is required */
    int changes; /* prints the target database first */
} verb;

static const verb verbs[] = {
    {"up", ARG_COUNT, 0, 1},         {"down", ARG_COUNT, 0, 1},    {"goto", ARG_VERSION, 1, 1},
    {"redo", ARG_NONE, 0, 1},        {"status", ARG_NONE, 0, 0},   {"version", ARG_NONE, 0, 0},
    {"validate", ARG_NONE, 0, 0},    {"force", ARG_VERSION, 1, 1}, {"repair", ARG_NONE, 0, 1},
    {"baseline", ARG_VERSION, 1, 1}, {"adopt", ARG_NONE, 0, 1},    {"fresh", ARG_NONE, 0, 1},
    {"verify", ARG_NONE, 0, 0},      {"help", ARG_NONE, 0, 0},
};

static const verb *find_verb(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
        if (!strcmp(verbs[i].name, name))
            return &verbs[i];
    return NULL;
}

/* "--x" or "-x" with a letter: an option, never an option's value ("-1" is
 * a value). */
static int looks_like_option(const char *s)
{
    return s[0] == '-' &&
           (s[1] == '-' || (s[1] >= 'a' && s[1] <= 'z') || (s[1] >= 'A' && s[1] <= 'Z'));
}

/* argv[*i] is `name` or "name=...": 1 if so. */
static int is_opt(const char *a, const char *name)
{
    size_t n = strlen(name);

    return strncmp(a, name, n) == 0 && (a[n] == '\0' || a[n] == '=');
}

/* The value of option `name` at argv[*i]: "--opt=value", or "--opt value"
 * (the next argument, consumed). A next argument that looks like an option
 * is not taken: "--table --json" is a missing value, not a table named
 * "--json" (write --table=--json to mean that). Returns 0, or prints the
 * usage error and returns 2. */
static int opt_value(const cli *a, int argc, char **argv, int *i, const char *name,
                     const char **out)
{
    const char *s = argv[*i];
    size_t n = strlen(name);

    if (s[n] == '=') {
        *out = s + n + 1;
        return 0;
    }
    if (*i + 1 >= argc || looks_like_option(argv[*i + 1])) {
        fprintf(stderr, "%s: %s needs a value (%s VALUE or %s=VALUE)%s", a->prog, name, name, name,
                *i + 1 < argc ? "; got the option " : "");
        if (*i + 1 < argc)
            pgmc__fputs_esc(stderr, argv[*i + 1], 0);
        fprintf(stderr, "\nrun '%s help' for usage\n", a->prog);
        return 2;
    }
    *out = argv[++*i];
    return 0;
}

/* A duration: digits with an optional unit ms, s, m or h (default s), at
 * most a year. Returns milliseconds, or -1 if malformed. */
static long parse_duration(const char *v)
{
    char *end;
    long n, mult = 1000;

    if (!v || v[0] < '0' || v[0] > '9')
        return -1;
    errno = 0;
    n = strtol(v, &end, 10);
    if (errno)
        return -1;
    if (!strcmp(end, "ms"))
        mult = 1;
    else if (!strcmp(end, "s") || !*end)
        mult = 1000;
    else if (!strcmp(end, "m"))
        mult = 60000;
    else if (!strcmp(end, "h"))
        mult = 3600000;
    else
        return -1;
    if (n > 86400L * 365 * 1000 / mult)
        return -1;
    return n * mult;
}

static int duration_opt(const cli *a, int argc, char **argv, int *i, const char *name, long *out)
{
    const char *v;

    if (opt_value(a, argc, argv, i, name, &v))
        return 2;
    if ((*out = parse_duration(v)) < 0) {
        char what[96];
        snprintf(what, sizeof what, "%s wants a duration like 30s, 500ms or 2m, got", name);
        return bad_usage(a, what, v);
    }
    return 0;
}

/* --wait[=DUR]: "--wait=DUR" must be a duration. Bare "--wait" takes the
 * next argument as its value if that parses as a duration ("--wait 30s",
 * "--wait 2": never N of up/down); if the next argument is another option
 * or a verb, or there is none, it waits the default 60 s; anything else
 * after it is an error, so that nothing is silently misread. */
static int wait_opt(cli *a, int argc, char **argv, int *i)
{
    const char *s = argv[*i], *next = *i + 1 < argc ? argv[*i + 1] : NULL;

    if (s[6] == '=') {
        if ((a->wait_ms = parse_duration(s + 7)) < 0)
            return bad_usage(a, "--wait wants a duration like 30s, 500ms or 2m, got", s + 7);
        return 0;
    }
    a->wait_ms = 60000;
    if (!next || looks_like_option(next) || (!a->verb && find_verb(next)))
        return 0;
    if ((a->wait_ms = parse_duration(next)) < 0)
        return bad_usage(a,
                         "--wait takes an optional duration (30s, 500ms, 2m; default 60s), "
                         "and this is not one:",
                         next);
    ++*i;
    return 0;
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
        } else if (!strcmp(s, "--yes") || !strcmp(s, "-y")) {
            a->yes = 1;
        } else if (!strcmp(s, "--allow-out-of-order")) {
            a->out_of_order = 1;
        } else if (!strcmp(s, "--single-transaction")) {
            a->single_tx = 1;
        } else if (!strcmp(s, "--fail-on-unknown")) {
            a->fail_on_unknown = 1;
        } else if (is_opt(s, "--wait")) {
            if (wait_opt(a, argc, argv, &i))
                return 2;
        } else if (is_opt(s, "--database-url")) {
            if (opt_value(a, argc, argv, &i, "--database-url", &a->url))
                return 2;
        } else if (is_opt(s, "--table")) {
            if (opt_value(a, argc, argv, &i, "--table", &a->table))
                return 2;
        } else if (is_opt(s, "--from")) {
            if (opt_value(a, argc, argv, &i, "--from", &a->from))
                return 2;
        } else if (is_opt(s, "--source-table")) {
            if (opt_value(a, argc, argv, &i, "--source-table", &a->source_table))
                return 2;
        } else if (is_opt(s, "--confirm")) {
            if (opt_value(a, argc, argv, &i, "--confirm", &a->confirm))
                return 2;
        } else if (is_opt(s, "--lock-mode")) {
            const char *v;
            if (opt_value(a, argc, argv, &i, "--lock-mode", &v))
                return 2;
            if (!strcmp(v, "advisory"))
                a->lock_mode = PGMC_LOCK_ADVISORY;
            else if (!strcmp(v, "lease"))
                a->lock_mode = PGMC_LOCK_LEASE;
            else
                return bad_usage(a, "--lock-mode wants advisory or lease, got", v);
        } else if (is_opt(s, "--lock-wait")) {
            if (duration_opt(a, argc, argv, &i, "--lock-wait", &a->lock_wait_ms))
                return 2;
            a->lock_wait_given = 1;
        } else if (is_opt(s, "--lease-ttl")) {
            if (duration_opt(a, argc, argv, &i, "--lease-ttl", &a->lease_ttl_ms))
                return 2;
            if (a->lease_ttl_ms < 1000)
                return bad_usage(a, "--lease-ttl must be at least 1s, got", argv[i]);
        } else if (is_opt(s, "--lock-timeout")) {
            if (duration_opt(a, argc, argv, &i, "--lock-timeout", &a->lock_timeout_ms))
                return 2;
        } else if (is_opt(s, "--statement-timeout")) {
            if (duration_opt(a, argc, argv, &i, "--statement-timeout", &a->statement_timeout_ms))
                return 2;
        } else if (is_opt(s, "--lock-retries")) {
            const char *v;
            char *end;
            long n;
            if (opt_value(a, argc, argv, &i, "--lock-retries", &v))
                return 2;
            errno = 0;
            n = strtol(v, &end, 10);
            if (errno || *end || end == v || n < 0 || n > 100)
                return bad_usage(a, "--lock-retries wants a number from 0 to 100, got", v);
            a->lock_retries = (int)n;
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
    case PGMC_STATE_INCOMPLETE:
        return "\xe2\x9c\x97"; /* ✗ */
    case PGMC_STATE_CHANGED:
        return "!";
    case PGMC_STATE_UNKNOWN:
    case PGMC_STATE_MISSING:
        return "?";
    case PGMC_STATE_INVALID:
        return "\xe2\x9c\x97"; /* ✗ */
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
        if (m->state == PGMC_STATE_FAILED || m->state == PGMC_STATE_INCOMPLETE) {
            fprintf(stdout,
                    ", \"direction\": \"%s\", \"statements_done\": %u, \"statements\": %u"
                    ", \"resumable\": %s, \"lock_held\": %s",
                    m->down ? "down" : "up", (unsigned)m->statements_done,
                    (unsigned)m->n_statements, m->resumable ? "true" : "false",
                    m->lock_held ? "true" : "false");
            if (m->in_flight_pid)
                fprintf(stdout, ", \"in_flight_pid\": %d", m->in_flight_pid);
            if (m->stopped_file[0]) {
                fputs(", \"stopped_at\": ", stdout);
                pgmc__json_string(stdout, m->stopped_file);
                fprintf(stdout, ", \"stopped_line\": %u", (unsigned)m->stopped_line);
            }
        }
        if (m->state == PGMC_STATE_PENDING)
            fprintf(stdout, ", \"lock_held\": %s", m->lock_held ? "true" : "false");
        if (m->error[0]) {
            fputs(", \"error\": ", stdout);
            pgmc__json_string(stdout, m->error);
        }
        fputs("}", stdout);
    }
    fputs(n ? "\n]\n" : "]\n", stdout);
}

/* Text from the database or the build (names, versions, file names, the
 * recorded error), printed with control characters escaped. */
static void put(const char *text)
{
    pgmc__fputs_esc(stdout, text, 0);
}

/* "statements 1-2 of 4 completed; statement 3 (f.sql:12) did not" */
static void print_stopped(const pgmc_migration_status *m)
{
    if (m->n_statements && m->statements_done > m->n_statements) {
        printf("%u statements completed, but the script now has %u: it was edited since, so it "
               "cannot resume",
               (unsigned)m->statements_done, (unsigned)m->n_statements);
        return;
    }
    if (m->n_statements && m->statements_done == m->n_statements && !m->resumable) {
        printf("all %u statements completed, but this build cannot resume the run (its "
               "statements or transaction mode changed since)",
               (unsigned)m->n_statements);
        return;
    }
    if (m->n_statements && m->statements_done == m->n_statements) {
        printf("all %u statements completed, but the run was not recorded as finished; `%s` "
               "records it",
               (unsigned)m->n_statements, m->down ? "down" : "up");
        return;
    }
    if (m->statements_done == 1)
        printf("statement 1 of %u completed; ", (unsigned)m->n_statements);
    else if (m->statements_done)
        printf("statements 1-%u of %u completed; ", (unsigned)m->statements_done,
               (unsigned)m->n_statements);
    else if (m->n_statements)
        printf("no statement of %u completed; ", (unsigned)m->n_statements);
    else
        printf("no statement completed; ");
    printf("statement %u", (unsigned)m->statements_done + 1);
    if (m->stopped_file[0]) {
        printf(" (");
        put(m->stopped_file);
        printf(":%u)", (unsigned)m->stopped_line);
    }
    printf(" did not complete");
    if (m->resumable)
        printf("; `%s` resumes there", m->down ? "down" : "up");
    else if (m->n_statements)
        printf("; the completed statements differ from this build, so it cannot resume");
}

static void print_human_status(const pgmc_migration_status *e, size_t n, const char *target,
                               const char *current)
{
    size_t i, w = 1, pending = 0, invalid = 0;
    char v[sizeof e->version * 4];

    for (i = 0; i < n; i++)
        if (strlen(pgmc__esc(v, sizeof v, e[i].version)) > w)
            w = strlen(v);
    printf("database: ");
    put(target);
    printf("\n");
    for (i = 0; i < n; i++) {
        const pgmc_migration_status *m = &e[i];
        pgmc__esc(v, sizeof v, m->repeatable ? "R" : m->version);
        printf("%s %-*s ", mark(m->state), (int)w, v);
        put(m->name);
        printf("  ");
        switch (m->state) {
        case PGMC_STATE_APPLIED:
            printf("(applied %s+00, %lld ms)\n", m->applied_at, (long long)m->duration_ms);
            break;
        case PGMC_STATE_PENDING:
            pending++;
            if (m->applied_at[0])
                printf("pending (changed since %s+00)", m->applied_at);
            else
                printf("pending");
            printf("%s\n", m->lock_held ? " (a migrator holds the lock now: it may be applying "
                                          "this one)"
                                        : "");
            break;
        case PGMC_STATE_FAILED:
            printf("FAILED %s %s+00: ", m->down ? "reverting" : "applying", m->applied_at);
            print_stopped(m);
            printf(": ");
            put(m->error);
            printf("\n");
            break;
        case PGMC_STATE_INCOMPLETE:
            printf("INCOMPLETE %s since %s+00 (%s): ", m->down ? "reverting" : "applying",
                   m->applied_at,
                   m->lock_held ? "a migrator holds the lock: it may still be running"
                                : "the migrator stopped");
            print_stopped(m);
            if (m->in_flight_pid)
                printf("; that statement is still running on server backend %d (the next run "
                       "waits for it)",
                       m->in_flight_pid);
            printf("\n");
            break;
        case PGMC_STATE_CHANGED:
            printf("(applied %s+00, %lld ms) MODIFIED since it was applied (checksum ",
                   m->applied_at, (long long)m->duration_ms);
            pgmc__esc(v, 13, m->checksum);
            put(v);
            printf("...)\n");
            break;
        case PGMC_STATE_UNKNOWN:
            printf("(applied %s+00, %lld ms) unknown: newer than this build\n", m->applied_at,
                   (long long)m->duration_ms);
            break;
        case PGMC_STATE_MISSING:
            printf("(applied %s+00, %lld ms) missing from this build\n", m->applied_at,
                   (long long)m->duration_ms);
            break;
        case PGMC_STATE_INVALID:
            invalid++;
            printf("INVALID HISTORY: ");
            put(m->error);
            printf("\n");
            break;
        }
    }
    printf("version ");
    put(current[0] ? current : "none");
    printf(", %zu pending\n", pending);
    if (invalid)
        printf("the history table is inconsistent (%zu migration%s): `migrate validate` says how "
               "to fix it; up, down, goto and redo refuse until then\n",
               invalid, invalid == 1 ? "" : "s");
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

static int cmd_version(const cli *a, PGconn *conn, const pgmc_options *o, pgmc_result *res)
{
    char ver[64];
    int rc = pgmc_current_version(conn, o, ver, sizeof ver, res);

    if (rc == PGMC_OK && a->json) {
        fputs("{\"version\": ", stdout);
        if (ver[0])
            pgmc__json_string(stdout, ver);
        else
            fputs("null", stdout);
        fputs("}\n", stdout);
    } else if (rc == PGMC_OK) {
        put(ver[0] ? ver : "none");
        printf("\n");
    }
    return rc;
}

static int is(const verb *v, const char *name)
{
    return strcmp(v->name, name) == 0;
}

/* Flags that only some verbs take. Returns 0 or prints and returns 2. */
static int check_flags(const cli *a, const verb *v)
{
    if (a->all && !is(v, "down"))
        return bad_usage(a, "--all only applies to down", NULL);
    if (a->all && a->arg)
        return bad_usage(a, "give either N or --all, not both", NULL);
    if (a->json && !is(v, "status") && !is(v, "version"))
        return bad_usage(a, "--json only applies to status and version", NULL);
    if (a->yes && !is(v, "repair"))
        return bad_usage(a, "--yes only applies to repair", NULL);
    if ((a->from || a->source_table) && !is(v, "adopt"))
        return bad_usage(a, "--from and --source-table only apply to adopt", NULL);
    if (a->confirm && !is(v, "fresh"))
        return bad_usage(a, "--confirm only applies to fresh", NULL);
    if (a->single_tx && !is(v, "up") && !is(v, "goto"))
        return bad_usage(a, "--single-transaction only applies to up and goto", NULL);
    if (a->verbose && a->quiet)
        return bad_usage(a, "-v and -q are exclusive", NULL);
    if (is(v, "fresh") && !a->confirm)
        return bad_usage(a,
                         "fresh drops everything in the database: confirm with --confirm "
                         "DBNAME (the name of the database)",
                         NULL);
    return 0;
}

static int dispatch(const cli *a, const verb *v, PGconn *conn, const pgmc_schema *s,
                    pgmc_options *o, pgmc_result *res, int n)
{
    if (is(v, "up"))
        return pgmc_up(conn, s, n, o, res);
    if (is(v, "down"))
        return pgmc_down(conn, s, n, o, res);
    if (is(v, "goto"))
        return pgmc_goto(conn, s, a->arg, o, res);
    if (is(v, "redo"))
        return pgmc_redo(conn, s, o, res);
    if (is(v, "status"))
        return cmd_status(a, conn, s, o, res);
    if (is(v, "version"))
        return cmd_version(a, conn, o, res);
    if (is(v, "validate"))
        return pgmc_validate(conn, s, o, res);
    if (is(v, "force"))
        return pgmc_force(conn, s, a->arg, o, res);
    if (is(v, "repair")) {
        if (!a->yes) {
            /* Show what would change, change nothing. */
            int rc = pgmc_validate(conn, s, o, res);
            fprintf(stderr,
                    "repair rewrites the recorded checksums of the modified migrations listed "
                    "above%s; rerun with --yes to do it\n",
                    rc == PGMC_OK ? " (there are none)" : "");
            return rc == PGMC_OK ? PGMC_OK : PGMC_ERR_REFUSED;
        }
        return pgmc_repair(conn, s, o, res);
    }
    if (is(v, "baseline"))
        return pgmc_baseline(conn, s, a->arg, o, res);
    if (is(v, "verify"))
        return pgmc_verify(conn, s, o, res);
    if (is(v, "adopt"))
        return pgmc_adopt(conn, s, a->from, a->source_table, o, res);
    return pgmc_fresh(conn, s, a->confirm, o, res);
}

/* Every message of the library, as session.c would print it to out/err,
 * but with control characters escaped: a message is one line, so a newline
 * or ESC in it came from a file name or the database. */
static void cli_log(void *ctx, pgmc_log_level level, const char *msg)
{
    FILE *f = level == PGMC_LOG_WARN ? stderr : stdout;

    (void)ctx;
    if (level == PGMC_LOG_WARN)
        fputs("warning: ", f);
    pgmc__fputs_esc(f, msg, 0);
    fputc('\n', f);
    fflush(f);
}

int pgmc_main(int argc, char **argv, const pgmc_schema *schema)
{
    cli a;
    pgmc_options opt;
    pgmc_result res;
    int sig;
    PGconn *conn;
    const verb *v = NULL;
    char target[512];
    int n = 1, rc;
    size_t i;

    memset(&a, 0, sizeof a);
    a.lock_retries = -1;
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
    for (i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
        if (is(&verbs[i], a.verb))
            v = &verbs[i];
    if (!v)
        return bad_usage(&a, "unknown command", a.verb);
    if (a.arg && v->arg == ARG_NONE)
        return bad_usage(&a, "unexpected argument", a.arg);
    if (!a.arg && v->needs)
        return bad_usage(&a, v->name, "needs a version");
    if (check_flags(&a, v))
        return 2;
    if (a.arg && v->arg == ARG_COUNT && parse_count(&a, &n) != 0)
        return 2;
    if (is(v, "up") && !a.arg)
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
    opt.log = cli_log;
    opt.lock_mode = a.lock_mode;
    /* --lock-wait 0: try once (without the option: wait for ever) */
    opt.lock_wait_ms =
        a.lock_wait_given && a.lock_wait_ms == 0 ? PGMC_LOCK_WAIT_ONCE : a.lock_wait_ms;
    opt.lease_ttl_ms = a.lease_ttl_ms;
    opt.lock_timeout_ms = a.lock_timeout_ms;
    opt.statement_timeout_ms = a.statement_timeout_ms;
    if (a.lock_retries >= 0)
        opt.lock_retries = a.lock_retries;
    opt.allow_out_of_order = a.out_of_order;
    opt.single_transaction = a.single_tx;
    opt.fail_on_unknown = a.fail_on_unknown;
    opt.connect_wait_ms = a.wait_ms;

    /* SIGINT / SIGTERM: cancel the statement in flight, roll back, release
     * the lock, say where the database stands, exit 128 + signal */
    pgmc__signals_install();
    conn = pgmc_connect(a.url, &opt, &res);
    if (!conn) {
        sig = pgmc__signals_restore();
        fprintf(stderr, "error: cannot connect to the database: ");
        pgmc__fputs_lines(stderr, res.message, "  ");
        fputc('\n', stderr);
        return sig ? 128 + sig : 1;
    }
    if (v->changes && !a.quiet) {
        printf("database: ");
        put(pgmc_describe_target(conn, target, sizeof target));
        printf("\n");
    }
    rc = dispatch(&a, v, conn, schema, &opt, &res, n);
    fflush(stdout);
    if (rc != PGMC_OK && res.code != PGMC_OK)
        pgmc_print_error(stderr, &res);
    PQfinish(conn);
    if ((sig = pgmc__signals_restore()) != 0) {
        if (rc == PGMC_OK)
            fprintf(stderr,
                    "interrupted by signal %d after the %s completed; the database is "
                    "at version %s\n",
                    sig, v->name, res.current_version[0] ? res.current_version : "none");
        fflush(stderr);
        return 128 + sig;
    }
    return exit_code(rc);
}
