/* call.c - the frame of one API call, above session, history and lock:
 * pgmc__begin opens the session (session.c), names the history and lease
 * tables (history.c), checks the compiled schema (schema.c) and makes the
 * call cancelable (cancel.c); pgmc__end releases the migration lock if
 * it is held (lock.c), unregisters the cancel slot and closes the session.
 * Every public entry point pairs them. */
#define _POSIX_C_SOURCE 200809L

#include "pgmc_internal.h"

int pgmc__begin(pgmc_ctx *c, PGconn *conn, const pgmc_schema *s, const pgmc_options *opt,
                pgmc_result *res)
{
    if (pgmc__session_begin(c, conn, s, opt, res) != PGMC_OK)
        return c->res->code;
    if (pgmc__table_setup(c) != PGMC_OK)
        return c->res->code;
    if (s && pgmc__check_schema(c) != PGMC_OK)
        return c->res->code;
    c->cancel_slot = pgmc__cancel_register(conn);
    if (pgmc__canceled(c))
        return c->res->code;
    return PGMC_OK;
}

int pgmc__end(pgmc_ctx *c, int code)
{
    if (c->conn && c->locked)
        pgmc__unlock(c);
    pgmc__cancel_unregister(c->cancel_slot);
    c->cancel_slot = -1;
    return pgmc__session_end(c, code);
}
