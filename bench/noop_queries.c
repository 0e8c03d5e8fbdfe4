/* noop_queries.c - bench/run.sh's round-trip counter: links a schema that
 * `pgmc gen --prefix corpus` compiled, runs pgmc_up() once in process on
 * $DATABASE_URL and prints "queries=Q applied=A code=C" (pgmc_result
 * fields). Exit status 0 on PGMC_OK, 1 otherwise. */
#include "corpus.h"
#include "pgmc.h"

#include <libpq-fe.h>
#include <stdio.h>

int main(void)
{
    pgmc_options opt;
    pgmc_result res;
    pgmc_options_init(&opt);
    PGconn *conn = pgmc_connect(NULL, &opt, &res);
    if (!conn) {
        fprintf(stderr, "noop_queries: %s\n", res.message);
        return 1;
    }
    int rc = pgmc_up(conn, &corpus_schema, PGMC_ALL, &opt, &res);
    printf("queries=%u applied=%u code=%d\n", (unsigned)res.queries, (unsigned)res.applied,
           (int)res.code);
    if (rc != PGMC_OK)
        fprintf(stderr, "noop_queries: %s\n", res.message);
    PQfinish(conn);
    return rc == PGMC_OK ? 0 : 1;
}
