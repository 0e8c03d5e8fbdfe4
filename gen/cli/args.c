/* args.c - see args.h. */
#include "cli/args.h"

#include <stdio.h>
#include <string.h>

int pgmcg_cli_option(int argc, char **argv, int *i, const char *name, const char **val)
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

int pgmcg_cli_schema_option(int argc, char **argv, int *i, pgmcg_cli_schema_args *a)
{
    const char *prelude = NULL;
    int r;

    if (!(r = pgmcg_cli_option(argc, argv, i, "--migrations", &a->dir)) &&
        !(r = pgmcg_cli_option(argc, argv, i, "--format", &a->format)) &&
        !(r = pgmcg_cli_option(argc, argv, i, "--prelude", &prelude)))
        return 0;
    if (r < 0) {
        fprintf(stderr, "pgmc: error: %s needs a value\n", argv[*i]);
        return -1;
    }
    if (prelude) {
        if (a->n_preludes == PGMCG_CLI_PRELUDES) {
            fprintf(stderr, "pgmc: error: at most %d --prelude files\n", PGMCG_CLI_PRELUDES);
            return -1;
        }
        a->preludes[a->n_preludes++] = prelude;
    }
    return 1;
}
