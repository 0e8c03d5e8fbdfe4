/* main.c - the pgmc command line: argument parsing around pgmcg_gen_run
 * and pgmcg_create_run. */
#include "cli/args.h"
#include "cli/create.h"
#include "gen.h"
#include "cli/verify_cli.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
    fputs("usage: pgmc gen --migrations DIR --prefix NAME --out-dir DIR\n"
          "                [--format auto|golang-migrate|sqlx|goose|dbmate|diesel|flyway]\n"
          "                [--depfile FILE]\n"
          "       pgmc create NAME --migrations DIR\n"
          "                [--format auto|golang-migrate|sqlx|goose|dbmate|diesel|flyway]\n"
          "                [--timestamp|--sequential] [--no-down]\n"
          "       pgmc verify --migrations DIR [--format F] [--database-url URL] [--table T]\n"
          "                [--prelude FILE]... [-q]\n"
          "       pgmc schema --migrations DIR [--json|--flat] [--prelude FILE]...\n"
          "                [--format auto|golang-migrate|sqlx|goose|dbmate|diesel|flyway]\n"
          "       pgmc --version\n"
          "       pgmc help\n"
          "\n"
          "pgmc gen compiles a folder of SQL migrations into NAME.h and NAME.c, for\n"
          "linking with libpgmc. Output is written only when there are no errors, and\n"
          "only when it changed. --depfile FILE also writes a Makefile-syntax depfile:\n"
          "the two outputs depend on every file read and every directory listed.\n"
          "\n"
          "pgmc create writes the folder's next migration, in the folder's own format and\n"
          "numbering, and prints the paths it created.\n"
          "\n"
          "pgmc verify compares the schema the migrations describe with a database that\n"
          "is at the newest migration; it exits 1 on any difference.\n"
          "\n"
          "pgmc schema replays the folder's up migrations and prints the schema they\n"
          "leave (tables, views, columns, types) as JSON, or one fact per line (--flat).\n"
          "--prelude FILE replays FILE first: SQL for objects the migrations assume exist.\n",
          f);
}

static int cmd_gen(int argc, char **argv)
{
    pgmcg_gen_options o;
    memset(&o, 0, sizeof o);
    const char *depfile = NULL;
    for (int i = 0; i < argc; i++) {
        const char *q = NULL;
        int r;
        if ((r = pgmcg_cli_option(argc, argv, &i, "--migrations", &o.migrations_dir)) ||
            (r = pgmcg_cli_option(argc, argv, &i, "--prefix", &o.prefix)) ||
            (r = pgmcg_cli_option(argc, argv, &i, "--out-dir", &o.out_dir)) ||
            (r = pgmcg_cli_option(argc, argv, &i, "--format", &o.format)) ||
            (r = pgmcg_cli_option(argc, argv, &i, "--depfile", &depfile)) ||
            (r = pgmcg_cli_option(argc, argv, &i, "--queries", &q))) {
            if (r < 0) {
                fprintf(stderr, "pgmc: error: %s needs a value\n", argv[i]);
                return PGMC_GEN_USAGE;
            }
            if (q)
                o.n_queries++;
            continue;
        }
        fprintf(stderr, "pgmc: error: unknown argument '%s'\n", argv[i]);
        usage(stderr);
        return PGMC_GEN_USAGE;
    }
    if (!o.migrations_dir || !o.prefix || !o.out_dir) {
        fputs("pgmc: error: gen needs --migrations, --prefix and --out-dir\n", stderr);
        usage(stderr);
        return PGMC_GEN_USAGE;
    }
    pgmcg_diag diag;
    pgmcg_diag_init(&diag, stderr);
    int rc = pgmcg_gen_run_depfile(&o, depfile, &diag);
    pgmcg_diag_free(&diag);
    return rc;
}

static int cmd_create(int argc, char **argv)
{
    pgmcg_create_options o;
    memset(&o, 0, sizeof o);
    for (int i = 0; i < argc; i++) {
        int r;
        if ((r = pgmcg_cli_option(argc, argv, &i, "--migrations", &o.migrations_dir)) ||
            (r = pgmcg_cli_option(argc, argv, &i, "--format", &o.format))) {
            if (r < 0) {
                fprintf(stderr, "pgmc: error: %s needs a value\n", argv[i]);
                return PGMC_GEN_USAGE;
            }
            continue;
        }
        const char *a = argv[i];
        int style = !strcmp(a, "--timestamp")    ? PGMC_CREATE_TIMESTAMP
                    : !strcmp(a, "--sequential") ? PGMC_CREATE_SEQUENTIAL
                                                 : 0;
        if (style) {
            if (o.style && o.style != style) {
                fputs("pgmc: error: --timestamp and --sequential exclude each other\n", stderr);
                return PGMC_GEN_USAGE;
            }
            o.style = style;
            continue;
        }
        if (!strcmp(a, "--no-down")) {
            o.no_down = 1;
            continue;
        }
        if (a[0] == '-' && a[1]) {
            fprintf(stderr, "pgmc: error: unknown argument '%s'\n", a);
            usage(stderr);
            return PGMC_GEN_USAGE;
        }
        if (o.name) {
            fprintf(stderr,
                    "pgmc: error: create takes one NAME, got '%s' and '%s' (quote a name with "
                    "spaces)\n",
                    o.name, a);
            return PGMC_GEN_USAGE;
        }
        o.name = a;
    }
    if (!o.name || !o.migrations_dir) {
        fputs("pgmc: error: create needs NAME and --migrations\n", stderr);
        usage(stderr);
        return PGMC_GEN_USAGE;
    }
    pgmcg_diag diag;
    pgmcg_diag_init(&diag, stderr);
    pgmcg_create_result res;
    int rc = pgmcg_create_run(&o, &diag, &res);
    for (size_t i = 0; i < res.n_paths; i++)
        puts(res.paths[i]);
    pgmcg_create_result_free(&res);
    pgmcg_diag_free(&diag);
    return rc;
}

static int cmd_schema(int argc, char **argv)
{
    pgmcg_cli_schema_args a;
    memset(&a, 0, sizeof a);
    int flat = 0;
    for (int i = 0; i < argc; i++) {
        int r = pgmcg_cli_schema_option(argc, argv, &i, &a);
        if (r < 0)
            return PGMC_GEN_USAGE;
        if (r)
            continue;
        if (!strcmp(argv[i], "--json") || !strcmp(argv[i], "--flat")) {
            flat = argv[i][2] == 'f';
            continue;
        }
        fprintf(stderr, "pgmc: error: unknown argument '%s'\n", argv[i]);
        usage(stderr);
        return PGMC_GEN_USAGE;
    }
    if (!a.dir) {
        fputs("pgmc: error: schema needs --migrations\n", stderr);
        usage(stderr);
        return PGMC_GEN_USAGE;
    }
    pgmcg_diag diag;
    pgmcg_diag_init(&diag, stderr);
    pgmcg_buf out = {0};
    int rc = pgmcg_schema_render(a.dir, a.format, a.preludes, a.n_preludes, flat, &diag, &out);
    if (rc == PGMC_GEN_OK && fwrite(out.p, 1, out.len, stdout) != out.len)
        rc = PGMC_GEN_FAILED;
    pgmcg_buf_free(&out);
    pgmcg_diag_free(&diag);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return PGMC_GEN_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V") || !strcmp(cmd, "version")) {
        puts("pgmc " PGMC_VERSION_STRING);
        return 0;
    }
    if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(cmd, "gen"))
        return cmd_gen(argc - 2, argv + 2);
    if (!strcmp(cmd, "schema"))
        return cmd_schema(argc - 2, argv + 2);
    if (!strcmp(cmd, "create"))
        return cmd_create(argc - 2, argv + 2);
    if (!strcmp(cmd, "verify"))
        return pgmcg_verify_cli(argc - 2, argv + 2);
    fprintf(stderr, "pgmc: error: unknown command '%s'\n", cmd);
    usage(stderr);
    return PGMC_GEN_USAGE;
}
