/* verify_cli.c - `pgmc verify` (see verify_cli.h): load the project,
 * replay its catalog, flatten it, and hand the text to libpgmc's
 * pgmc_verify_flat against a live database. */
#include "cli/verify_cli.h"

#include "util/buf.h"
#include "catalog/catalog.h"
#include "util/diag.h"
#include "formats/formats.h"
#include "gen.h"
#include "formats/project.h"

#include "pgmc.h"

#include <stdio.h>
#include <string.h>

/* "--name VALUE" or "--name=VALUE": 1 with *val set, -1 when the value is
 * missing, 0 when argv[*i] is another argument. */
static int option(int argc, char **argv, int *i, const char *name, const char **val)
{
    size_t n = strlen(name);
    const char *a = argv[*i];

    if (strncmp(a, name, n))
        return 0;
    if (a[n] == '=') {
        *val = a + n + 1;
        return 1;
    }
    if (a[n])
        return 0;
    if (*i + 1 >= argc)
        return -1;
    *val = argv[++*i];
    return 1;
}

/* Replay the preludes and `dir` into its flat form (*flat, NUL-terminated,
 * caller frees with pgmcg_buf_free). Returns 0, or 1 after printing the
 * errors. */
static int expected_flat(const char *dir, const char *format, const char *const *preludes,
                         size_t n_preludes, pgmcg_buf *flat)
{
    pgmcg_catalog cat;
    pgmcg_diag diag;
    int rc = 1;

    pgmcg_diag_init(&diag, stderr);
    pgmcg_catalog_init(&cat);
    if (pgmcg_schema_load(dir, format, preludes, n_preludes, &cat, &diag) != PGMC_GEN_OK) {
        fprintf(stderr, "pgmc: error: cannot verify: replaying the migrations failed (above)\n");
        goto out;
    }
    pgmcg_catalog_flat(&cat, flat);
    pgmcg_buf_putc(flat, '\0');
    if (flat->oom) {
        fputs("pgmc: error: out of memory\n", stderr);
        goto out;
    }
    rc = 0;
out:
    pgmcg_catalog_free(&cat);
    pgmcg_diag_free(&diag);
    return rc;
}

int pgmcg_verify_cli(int argc, char **argv)
{
    const char *dir = NULL, *format = NULL, *url = NULL, *table = NULL, *prelude = NULL;
    const char *preludes[16];
    size_t n_preludes = 0;
    int quiet = 0, rc;
    pgmcg_buf flat = {0};
    pgmc_options opt;
    pgmc_result res;
    PGconn *conn;

    for (int i = 0; i < argc; i++) {
        int r;
        if ((r = option(argc, argv, &i, "--migrations", &dir)) ||
            (r = option(argc, argv, &i, "--format", &format)) ||
            (r = option(argc, argv, &i, "--database-url", &url)) ||
            (r = option(argc, argv, &i, "--table", &table)) ||
            (r = option(argc, argv, &i, "--prelude", &prelude))) {
            if (r < 0) {
                fprintf(stderr, "pgmc: error: %s needs a value\n", argv[i]);
                return PGMC_GEN_USAGE;
            }
            if (prelude) {
                if (n_preludes == sizeof preludes / sizeof preludes[0]) {
                    fputs("pgmc: error: at most 16 --prelude files\n", stderr);
                    return PGMC_GEN_USAGE;
                }
                preludes[n_preludes++] = prelude;
                prelude = NULL;
            }
            continue;
        }
        if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet")) {
            quiet = 1;
            continue;
        }
        fprintf(stderr, "pgmc: error: unknown argument '%s'\n", argv[i]);
        return PGMC_GEN_USAGE;
    }
    if (!dir) {
        fputs("pgmc: error: verify needs --migrations DIR\n", stderr);
        return PGMC_GEN_USAGE;
    }
    {
        pgmcg_diag d;
        int bad;
        pgmcg_diag_init(&d, stderr);
        bad = pgmcg_format_check(format, &d);
        pgmcg_diag_free(&d);
        if (bad)
            return PGMC_GEN_USAGE;
    }
    if (expected_flat(dir, format, preludes, n_preludes, &flat) != 0) {
        pgmcg_buf_free(&flat);
        return PGMC_GEN_FAILED;
    }
    pgmc_options_init(&opt);
    opt.history_table = table;
    opt.verbosity = quiet ? PGMC_LOG_WARN : PGMC_LOG_INFO;
    opt.out = stdout;
    opt.err = stderr;
    conn = pgmc_connect(url, &opt, &res);
    if (!conn) {
        fprintf(stderr, "pgmc: error: cannot connect to the database: %s\n", res.message);
        pgmcg_buf_free(&flat);
        return PGMC_GEN_FAILED;
    }
    rc = pgmc_verify_flat(conn, flat.p, &opt, &res);
    if (rc != PGMC_OK)
        pgmc_print_error(stderr, &res);
    PQfinish(conn);
    pgmcg_buf_free(&flat);
    if (rc == PGMC_ERR_USAGE)
        return PGMC_GEN_USAGE;
    return rc == PGMC_OK ? PGMC_GEN_OK : PGMC_GEN_FAILED;
}
