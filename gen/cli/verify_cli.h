/* verify_cli.h - `pgmc verify`: the migrations' catalog against a live
 * database. Lives in bin/pgmc only (it needs libpq and libpgmc); the
 * pgmcgen library stays free of libpq. */
#ifndef PGMC_VERIFY_CLI_H
#define PGMC_VERIFY_CLI_H

/* Run `pgmc verify` with the arguments after the verb:
 *   --migrations DIR [--format F] [--database-url URL] [--table NAME] [-q]
 * Replays DIR's up migrations into a catalog (pgmcg_catalog_replay), writes
 * its flat form, connects (URL, else $DATABASE_URL, else libpq defaults)
 * and compares with pgmc_verify_flat, printing each difference as a
 * warning on stderr. The database must already be at the newest
 * migration: nothing is applied. Returns the exit code: 0 the schemas
 * match, 1 differences, replay errors or a connection/query failure, 2
 * usage error. */
int pgmcg_verify_cli(int argc, char **argv);

#endif
