/* args.h - the command-line argument helpers `pgmc`'s commands share
 * (main.c's gen/schema/create, verify_cli.c's verify).
 */
#ifndef PGMC_CLI_ARGS_H
#define PGMC_CLI_ARGS_H

#include <stddef.h>

/* "--name VALUE" or "--name=VALUE" at argv[*i]: returns 1 with *val set to
 * the value (a pointer into argv; *i moves past a separate value), -1 when
 * the value is missing, 0 when argv[*i] is another argument. */
int pgmcg_cli_option(int argc, char **argv, int *i, const char *name, const char **val);

/* What a schema-reading command (schema, verify) takes: --migrations DIR,
 * --format F and --prelude FILE (repeatable, at most PGMCG_CLI_PRELUDES). */
#define PGMCG_CLI_PRELUDES 16
typedef struct pgmcg_cli_schema_args {
    const char *dir, *format;
    const char *preludes[PGMCG_CLI_PRELUDES];
    size_t n_preludes;
} pgmcg_cli_schema_args;

/* Take argv[*i] if it is one of those options, into *a (values point into
 * argv). Returns 1 if taken, 0 if argv[*i] is another argument, -1 after
 * printing the usage error ("needs a value", too many preludes) to stderr. */
int pgmcg_cli_schema_option(int argc, char **argv, int *i, pgmcg_cli_schema_args *a);

#endif
