/* verify_cli.c - `pgmc verify` (see verify_cli.h): load the project,
 * replay its catalog, flatten it, and hand the text to libpgmc's
 * pgmc_verify_flat against a live database. */
#include "cli/verify_cli.h"

#include "cli/args.h"

#include "util/buf.h"
#include "catalog/catalog.h"
#include "util/diag.h"
#include "formats/formats.h"
#include "gen.h"
#include "formats/project.h"

#include "pgmc.h"

#include <stdio.h>
#include <string.h>

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
    const char *url = NULL, *table = NULL;
    pgmcg_cli_schema_args a;
    int quiet = 0, rc;
    pgmcg_buf flat = {0};
    pgmc_options opt;
    pgmc_result res;
    PGconn *conn;

    memset(&a, 0, sizeof a);
    for (int i = 0; i < argc; i++) {
        int r = pgmcg_cli_schema_option(argc, argv, &i, &a);
        if (r < 0)
            return PGMC_GEN_USAGE;
        if (r)
            continue;
        if ((r = pgmcg_cli_option(argc, argv, &i, "--database-url", &url)) ||
            (r = pgmcg_cli_option(argc, argv, &i, "--table", &table))) {
            if (r < 0) {
                fprintf(stderr, "pgmc: error: %s needs a value\n", argv[i]);
                return PGMC_GEN_USAGE;
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
    if (!a.dir) {
        fputs("pgmc: error: verify needs --migrations DIR\n", stderr);
        return PGMC_GEN_USAGE;
    }
    {
        pgmcg_diag d;
        int bad;
        pgmcg_diag_init(&d, stderr);
        bad = pgmcg_format_check(a.format, &d);
        pgmcg_diag_free(&d);
        if (bad)
            return PGMC_GEN_USAGE;
    }
    if (expected_flat(a.dir, a.format, a.preludes, a.n_preludes, &flat) != 0) {
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
