/* lease.c - the lease lock (PGMC_LOCK_LEASE), for PgBouncer in transaction
 * pooling mode. Not implemented yet: every call fails clearly. */
#define _POSIX_C_SOURCE 200809L

#include "pgmc_internal.h"

int pgmc__lease_acquire(pgmc_ctx *c)
{
    return pgmc__fail(c, PGMC_ERR_USAGE, "lease lock mode is not implemented yet");
}

void pgmc__lease_release(pgmc_ctx *c)
{
    c->locked = 0;
}

int pgmc__lease_fence(pgmc_ctx *c)
{
    (void)c;
    return PGMC_OK;
}
