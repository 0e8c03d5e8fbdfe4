/* admin_util.c - what the repairing and adopting verbs (admin.c, adopt.c,
 * fresh.c) share: the lock-read-BEGIN-write-COMMIT frame that makes each of
 * them all-or-nothing, and a one-statement helper (never for the history
 * table: its rows are history.c's). */
#define _POSIX_C_SOURCE 200809L

#include <string.h>

#include "pgmc_internal.h"

int pgmc__admin_run(pgmc_ctx *c, const char *sql, int n, const char *const *params,
                    const char *what)
{
    PGresult *r = n ? pgmc__execp(c, sql, n, params) : pgmc__exec(c, sql);
    int rc = PGMC_OK;

    if (!pgmc__ok(r))
        rc = pgmc__sql_error(c, PGMC_ERR_HISTORY, r, what);
    PQclear(r);
    return rc;
}

int pgmc__admin_lock_read(pgmc_ctx *c, pgmc_history *h)
{
    int rc;

    memset(h, 0, sizeof *h);
    rc = pgmc__lock(c);
    if (rc != PGMC_OK)
        return rc;
    rc = pgmc__history_read(c, h);
    if (rc == PGMC_OK)
        pgmc__copy(c->res->current_version, sizeof c->res->current_version, pgmc__history_max(h));
    return rc;
}

int pgmc__admin_tx_begin(pgmc_ctx *c, const pgmc_history *h, int create)
{
    int rc = pgmc__admin_run(c, "BEGIN", 0, NULL, "BEGIN failed");

    if (rc == PGMC_OK && create && h->missing)
        rc = pgmc__history_create(c);
    return rc;
}

int pgmc__admin_tx_end(pgmc_ctx *c, int rc)
{
    if (rc == PGMC_OK)
        rc = pgmc__lock_fence(c);
    if (rc == PGMC_OK)
        rc = pgmc__admin_run(c, "COMMIT", 0, NULL, "COMMIT failed; nothing was changed");
    pgmc__rollback(c);
    return rc;
}
