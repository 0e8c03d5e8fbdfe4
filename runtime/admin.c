/* admin.c - placeholder for the repairing and adopting verbs (validate,
 * force, repair, baseline, adopt, fresh): being written; each fails
 * clearly until then. */
#define _POSIX_C_SOURCE 200809L

#include "pgmc_internal.h"

static int todo(PGconn *conn, const pgmc_options *opt, pgmc_result *res, const char *what)
{
    pgmc_ctx c;

    if (pgmc__begin(&c, conn, NULL, opt, res) != PGMC_OK)
        return pgmc__end(&c, c.res->code);
    return pgmc__end(&c, pgmc__fail(&c, PGMC_ERR_USAGE, "%s is not implemented yet", what));
}

int pgmc_validate(PGconn *conn, const pgmc_schema *s, const pgmc_options *opt, pgmc_result *res)
{
    (void)s;
    return todo(conn, opt, res, "validate");
}

int pgmc_force(PGconn *conn, const pgmc_schema *s, const char *version, const pgmc_options *opt,
               pgmc_result *res)
{
    (void)s, (void)version;
    return todo(conn, opt, res, "force");
}

int pgmc_repair(PGconn *conn, const pgmc_schema *s, const pgmc_options *opt, pgmc_result *res)
{
    (void)s;
    return todo(conn, opt, res, "repair");
}

int pgmc_baseline(PGconn *conn, const pgmc_schema *s, const char *version, const pgmc_options *opt,
                  pgmc_result *res)
{
    (void)s, (void)version;
    return todo(conn, opt, res, "baseline");
}

int pgmc_adopt(PGconn *conn, const pgmc_schema *s, const char *from, const char *table,
               const pgmc_options *opt, pgmc_result *res)
{
    (void)s, (void)from, (void)table;
    return todo(conn, opt, res, "adopt");
}

int pgmc_fresh(PGconn *conn, const pgmc_schema *s, const char *confirm_dbname,
               const pgmc_options *opt, pgmc_result *res)
{
    (void)s, (void)confirm_dbname;
    return todo(conn, opt, res, "fresh");
}
