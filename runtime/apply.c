/* apply.c - the moving verbs: up, down, goto and redo. Each reads the
 * history in one query and plans; only when there is work does it take the
 * migration lock, read the history again under it (another migrator may
 * have done the work meanwhile) and run the plan (plan.c, run.c). */
#define _POSIX_C_SOURCE 200809L

#include <string.h>

#include "pgmc_internal.h"

/* What a verb plans, given the history: the arguments of plan_up/down. */
typedef struct intent {
    int down;
    int n;
    const char *limit; /* up: apply up to it; down: revert down to it (exclusive) */
} intent;

static int plan(pgmc_ctx *c, const pgmc_history *h, const intent *in, int warn, pgmc_plan *p)
{
    if (in->down)
        return pgmc__plan_down(c, h, in->n, in->limit, p);
    return pgmc__plan_up(c, h, in->n, in->limit, warn, p);
}

static int has_work(const pgmc_plan *p)
{
    return p->n > 0 || p->forget_repeatables;
}

/* After applying `v`: the current version is the highest applied one
 * (an out-of-order migration does not lower it). */
static void applied_version(pgmc_ctx *c, const char *v)
{
    if (!c->res->current_version[0] || pgmc_version_cmp(v, c->res->current_version) > 0)
        pgmc__copy(c->res->current_version, sizeof c->res->current_version, v);
}

/* Run a plan made under the lock; keeps res->current_version current. */
static int execute(pgmc_ctx *c, const pgmc_plan *p, int down)
{
    size_t i;
    int rc = PGMC_OK;

    if (!down && c->opt.single_transaction) {
        rc = pgmc__run_group(c, p);
        if (rc == PGMC_OK)
            for (i = 0; i < p->n; i++)
                if (p->steps[i].m->kind == PGMC_VERSIONED)
                    applied_version(c, p->steps[i].m->version);
        return rc;
    }
    for (i = 0; rc == PGMC_OK && i < p->n; i++) {
        const pgmc_step *st = &p->steps[i];
        if (pgmc__canceled(c)) {
            char lab[200];
            pgmc__fmt(c->res->note, sizeof c->res->note,
                      "Stopped before %s %s: %u migration%s %s by this run; the database is at "
                      "version %s.",
                      down ? "reverting" : "applying", pgmc__label(st->m, lab, sizeof lab),
                      (unsigned)c->res->applied, c->res->applied == 1 ? "" : "s",
                      down ? "reverted" : "applied", pgmc__vname(c->res->current_version));
            return c->res->code;
        }
        rc = pgmc__run_step(c, st);
        if (rc == PGMC_OK && down)
            pgmc__copy(c->res->current_version, sizeof c->res->current_version, st->after);
        else if (rc == PGMC_OK && st->m->kind == PGMC_VERSIONED)
            applied_version(c, st->m->version);
    }
    if (rc == PGMC_OK && p->forget_repeatables)
        rc = pgmc__history_forget_repeatables(c);
    return rc;
}

static int read_history(pgmc_ctx *c, pgmc_history *h)
{
    int rc = pgmc__history_read(c, h);

    if (rc == PGMC_OK)
        pgmc__copy(c->res->current_version, sizeof c->res->current_version, pgmc__history_max(h));
    return rc;
}

/* Check, lock, check again, run. `pre` (may be NULL) is a history the
 * caller already read; migrate takes it over and frees it. */
static int migrate(pgmc_ctx *c, const intent *in, pgmc_history *pre)
{
    pgmc_history h;
    pgmc_plan p;
    int rc;

    if (pre)
        h = *pre;
    else if ((rc = read_history(c, &h)) != PGMC_OK)
        return rc;
    rc = plan(c, &h, in, 1, &p);
    if (rc != PGMC_OK || !has_work(&p)) {
        if (rc == PGMC_OK)
            pgmc__log(c, PGMC_LOG_INFO, "nothing to %s; the database is at version %s",
                      in->down ? "revert" : "do", pgmc__vname(c->res->current_version));
        pgmc__plan_free(&p);
        pgmc__history_free(&h);
        return rc;
    }
    pgmc__plan_free(&p);
    rc = pgmc__lock(c);
    if (rc == PGMC_OK && h.missing)
        rc = pgmc__history_create(c);
    pgmc__history_free(&h);
    if (rc != PGMC_OK)
        return rc;
    if ((rc = read_history(c, &h)) != PGMC_OK)
        return rc;
    rc = plan(c, &h, in, 0, &p);
    if (rc == PGMC_OK)
        rc = execute(c, &p, in->down);
    if (rc == PGMC_OK) {
        if (!has_work(&p))
            pgmc__log(c, PGMC_LOG_INFO,
                      "nothing to %s (another migrator did it); the database is at version %s",
                      in->down ? "revert" : "do", pgmc__vname(c->res->current_version));
        else
            pgmc__log(c, PGMC_LOG_INFO, "%u migration%s %s; the database is at version %s",
                      (unsigned)c->res->applied, c->res->applied == 1 ? "" : "s",
                      in->down ? "reverted" : "applied", pgmc__vname(c->res->current_version));
    }
    pgmc__plan_free(&p);
    pgmc__history_free(&h);
    return rc;
}

static int start(pgmc_ctx *c, PGconn *conn, const pgmc_schema *s, const pgmc_options *opt,
                 pgmc_result *res)
{
    if (pgmc__begin(c, conn, s, opt, res) != PGMC_OK)
        return c->res->code;
    if (!s)
        return pgmc__fail(c, PGMC_ERR_USAGE, "no schema given");
    return PGMC_OK;
}

int pgmc_up(PGconn *conn, const pgmc_schema *s, int n, const pgmc_options *opt, pgmc_result *res)
{
    pgmc_ctx c;
    intent in = {0, n, NULL};

    if (start(&c, conn, s, opt, res) != PGMC_OK)
        return pgmc__end(&c, c.res->code);
    if (n == 0 || n < PGMC_ALL)
        return pgmc__end(&c, pgmc__fail(&c, PGMC_ERR_USAGE, "n must be >= 1 or PGMC_ALL"));
    return pgmc__end(&c, migrate(&c, &in, NULL));
}

int pgmc_down(PGconn *conn, const pgmc_schema *s, int n, const pgmc_options *opt, pgmc_result *res)
{
    pgmc_ctx c;
    intent in = {1, n, NULL};

    if (start(&c, conn, s, opt, res) != PGMC_OK)
        return pgmc__end(&c, c.res->code);
    if (n == 0 || n < PGMC_ALL)
        return pgmc__end(&c, pgmc__fail(&c, PGMC_ERR_USAGE, "n must be >= 1 or PGMC_ALL"));
    return pgmc__end(&c, migrate(&c, &in, NULL));
}

int pgmc_goto(PGconn *conn, const pgmc_schema *s, const char *version, const pgmc_options *opt,
              pgmc_result *res)
{
    pgmc_ctx c;
    pgmc_history h;
    const pgmc_migration *target;
    intent in;
    const char *cur;
    int rc;

    if (start(&c, conn, s, opt, res) != PGMC_OK)
        return pgmc__end(&c, c.res->code);
    if (!version || !version[0])
        return pgmc__end(&c, pgmc__fail(&c, PGMC_ERR_USAGE, "goto needs a version"));
    target = pgmc__schema_find(s, version);
    if (!target && strcmp(version, "none") != 0 && strcmp(version, "0") != 0)
        return pgmc__end(&c, pgmc__fail(&c, PGMC_ERR_USAGE,
                                        "version %.60s is not a migration of this build (latest "
                                        "is %s)",
                                        version, pgmc__vname(pgmc__schema_max(s))));
    /* Up or down? Decided on the history as it is now; the plan made under
     * the lock applies the same limit, so a race cannot overshoot it. */
    if ((rc = read_history(&c, &h)) != PGMC_OK)
        return pgmc__end(&c, rc);
    cur = pgmc__history_max(&h);
    memset(&in, 0, sizeof in);
    in.n = PGMC_ALL;
    if (!target) {
        in.down = 1;
    } else if (cur && pgmc_version_cmp(cur, target->version) > 0) {
        in.down = 1;
        in.limit = target->version;
    } else {
        in.limit = target->version;
    }
    return pgmc__end(&c, migrate(&c, &in, &h));
}

int pgmc_redo(PGconn *conn, const pgmc_schema *s, const pgmc_options *opt, pgmc_result *res)
{
    pgmc_ctx c;
    pgmc_history h;
    pgmc_plan p;
    const pgmc_migration *m = NULL;
    int rc;

    if (start(&c, conn, s, opt, res) != PGMC_OK)
        return pgmc__end(&c, c.res->code);
    if ((rc = read_history(&c, &h)) != PGMC_OK)
        return pgmc__end(&c, rc);
    rc = pgmc__plan_down(&c, &h, 1, NULL, &p);
    if (rc == PGMC_OK && p.n == 0)
        rc = pgmc__fail(&c, PGMC_ERR_USAGE, "nothing to redo: no migration is applied");
    pgmc__plan_free(&p);
    pgmc__history_free(&h);
    if (rc == PGMC_OK)
        rc = pgmc__lock(&c);
    /* Under the lock: revert the newest one... */
    if (rc == PGMC_OK && (rc = read_history(&c, &h)) == PGMC_OK) {
        rc = pgmc__plan_down(&c, &h, 1, NULL, &p);
        if (rc == PGMC_OK && p.n == 0)
            rc = pgmc__fail(&c, PGMC_ERR_USAGE, "nothing to redo: no migration is applied");
        if (rc == PGMC_OK) {
            m = p.steps[0].m;
            rc = pgmc__run_step(&c, &p.steps[0]);
            if (rc == PGMC_OK)
                pgmc__copy(c.res->current_version, sizeof c.res->current_version, p.steps[0].after);
        }
        pgmc__plan_free(&p);
        pgmc__history_free(&h);
    }
    /* ...and apply it again. */
    if (rc == PGMC_OK && (rc = read_history(&c, &h)) == PGMC_OK) {
        rc = pgmc__plan_up(&c, &h, 1, m->version, 0, &p);
        if (rc == PGMC_OK && (p.n != 1 || p.steps[0].m != m))
            rc = pgmc__fail(&c, PGMC_ERR_ORDER,
                            "reverted %s %s, but it is not the next migration to apply; run "
                            "`migrate up` to continue",
                            m->version, m->name);
        if (rc == PGMC_OK)
            rc = pgmc__run_step(&c, &p.steps[0]);
        if (rc == PGMC_OK)
            pgmc__copy(c.res->current_version, sizeof c.res->current_version, m->version);
        pgmc__plan_free(&p);
        pgmc__history_free(&h);
    }
    if (rc == PGMC_OK)
        pgmc__log(&c, PGMC_LOG_INFO, "redid %s %s; the database is at version %s", m->version,
                  m->name, pgmc__vname(c.res->current_version));
    return pgmc__end(&c, rc);
}
