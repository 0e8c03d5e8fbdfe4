/* status.c - per-migration state and the current version, one query each;
 * entries whose history rows are inconsistent (history_check.c) are marked
 * INVALID instead of showing whatever those rows happen to say. */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>

#include "pgmc_internal.h"

const char *pgmc_state_name(pgmc_state state)
{
    switch (state) {
    case PGMC_STATE_PENDING:
        return "pending";
    case PGMC_STATE_APPLIED:
        return "applied";
    case PGMC_STATE_FAILED:
        return "failed";
    case PGMC_STATE_CHANGED:
        return "changed";
    case PGMC_STATE_UNKNOWN:
        return "unknown";
    case PGMC_STATE_INCOMPLETE:
        return "incomplete";
    case PGMC_STATE_MISSING:
        return "missing";
    case PGMC_STATE_INVALID:
        return "invalid";
    }
    return "unknown";
}

static void fill_row(pgmc_migration_status *e, const pgmc_hrow *w)
{
    pgmc__copy(e->applied_at, sizeof e->applied_at, w->applied_at);
    e->duration_ms = w->duration_ms;
    pgmc__copy(e->checksum, sizeof e->checksum, w->checksum);
    if (!w->success)
        pgmc__copy(e->error, sizeof e->error, w->error);
}

/* An unfinished row: FAILED (error recorded) or INCOMPLETE (killed), how
 * far it got, and where it stopped if this build has the script. */
static void fill_unfinished(pgmc_migration_status *e, const pgmc_hrow *w, const pgmc_migration *m)
{
    const pgmc_script *sc = m ? (w->down ? &m->down : &m->up) : NULL;

    e->state = w->error[0] ? PGMC_STATE_FAILED : PGMC_STATE_INCOMPLETE;
    e->down = w->down;
    e->statements_done = w->progress > 0 ? (uint32_t)w->progress : 0;
    if (!sc || !sc->sql)
        return;
    e->n_statements = sc->n_statements;
    e->resumable =
        pgmc__resumable(w, sc) && (sc->tx_mode == PGMC_TX_NONE || e->statements_done == 0);
    if (e->statements_done < sc->n_statements) {
        pgmc__copy(e->stopped_file, sizeof e->stopped_file, sc->file);
        e->stopped_line = sc->statements[e->statements_done].line;
    }
}

static void fill(pgmc_migration_status *e, const pgmc_migration *m, const pgmc_history *h)
{
    int rep = m->kind == PGMC_REPEATABLE;
    const pgmc_hrow *w =
        rep ? pgmc__history_last_rep(h, m->name) : pgmc__history_find(h, m->version);

    memset(e, 0, sizeof *e);
    e->migration = m;
    e->repeatable = rep;
    pgmc__copy(e->version, sizeof e->version, m->version);
    pgmc__copy(e->name, sizeof e->name, m->name);
    e->duration_ms = -1;
    pgmc__copy(e->checksum, sizeof e->checksum, m->checksum_hex);
    if (!w) {
        e->state = PGMC_STATE_PENDING;
        return;
    }
    fill_row(e, w);
    if (!w->success)
        fill_unfinished(e, w, m);
    else if (strcmp(w->checksum, m->checksum_hex) == 0)
        e->state = PGMC_STATE_APPLIED;
    else
        e->state = rep ? PGMC_STATE_PENDING : PGMC_STATE_CHANGED;
}

/* Marking the entries that history problems concern. */
typedef struct marks {
    const pgmc_schema *s;
    const pgmc_history *h;
    pgmc_migration_status *out;
    size_t cap;
} marks;

/* The entry index of row w: its build migration's, else (versioned rows
 * the build lacks) its place among the extra entries; (size_t)-1 if none. */
static size_t entry_of(const marks *k, const pgmc_hrow *w)
{
    const pgmc_migration *m = pgmc__row_migration(k->s, w);
    size_t i, extra = k->s->n_migrations;

    if (m)
        return (size_t)(m - k->s->migrations);
    if (w->repeatable)
        return (size_t)-1;
    for (i = 0; i < k->h->n_ver; i++) {
        if (pgmc__schema_find(k->s, k->h->ver[i]->version))
            continue;
        if (k->h->ver[i] == w)
            return extra;
        extra++;
    }
    return (size_t)-1;
}

static void mark_invalid(const marks *k, size_t at, const pgmc_hproblem *p)
{
    pgmc_migration_status *e;
    char text[sizeof e->error];

    if (at >= k->cap)
        return;
    e = &k->out[at];
    if (e->state == PGMC_STATE_INVALID)
        return; /* the first problem is the one shown */
    e->state = PGMC_STATE_INVALID;
    e->statements_done = e->n_statements = 0;
    e->resumable = e->lock_held = 0;
    e->stopped_file[0] = '\0';
    e->stopped_line = 0;
    pgmc__fmt(text, sizeof text, "%s: %s", p->label, p->brief);
    pgmc__copy(e->error, sizeof e->error, text);
}

static void on_problem(void *arg, const pgmc_hproblem *p)
{
    const marks *k = arg;
    size_t i;

    if (p->kind == PGMC_HP_RUNS) {
        for (i = 0; i < k->h->n; i++)
            if (!k->h->rows[i].success)
                mark_invalid(k, entry_of(k, &k->h->rows[i]), p);
        return;
    }
    if (p->m)
        mark_invalid(k, (size_t)(p->m - k->s->migrations), p);
    else if (p->row)
        mark_invalid(k, entry_of(k, p->row), p);
}

int pgmc_status(PGconn *conn, const pgmc_schema *s, const pgmc_options *opt,
                pgmc_migration_status *out, size_t cap, size_t *count, pgmc_result *res)
{
    pgmc_ctx c;
    pgmc_history h;
    size_t i, k = 0;
    int rc;

    if (count)
        *count = 0;
    if (pgmc__begin(&c, conn, s, opt, res) != PGMC_OK)
        return pgmc__end(&c, c.res->code);
    if (!s || (cap && !out))
        return pgmc__end(&c, pgmc__fail(&c, PGMC_ERR_USAGE, "no schema or output array given"));
    rc = pgmc__history_read(&c, &h);
    if (rc != PGMC_OK)
        return pgmc__end(&c, rc);
    pgmc__copy(c.res->current_version, sizeof c.res->current_version, pgmc__history_max(&h));
    for (i = 0; i < s->n_migrations; i++, k++)
        if (k < cap)
            fill(&out[k], &s->migrations[i], &h);
    for (i = 0; i < h.n_ver; i++) {
        const pgmc_hrow *w = h.ver[i];
        if (pgmc__schema_find(s, w->version))
            continue;
        if (k < cap) {
            pgmc_migration_status *e = &out[k];
            const char *known_max = pgmc__schema_max(s);
            memset(e, 0, sizeof *e);
            pgmc__copy(e->version, sizeof e->version, w->version);
            pgmc__copy(e->name, sizeof e->name, w->name);
            fill_row(e, w);
            if (!w->success)
                fill_unfinished(e, w, NULL);
            else if (known_max && pgmc_version_cmp(w->version, known_max) < 0)
                e->state = PGMC_STATE_MISSING;
            else
                e->state = PGMC_STATE_UNKNOWN;
        }
        k++;
    }
    {
        marks mk;
        mk.s = s;
        mk.h = &h;
        mk.out = out;
        mk.cap = cap;
        pgmc__history_check(&c, &h, on_problem, &mk);
    }
    /* An INCOMPLETE run may be one in progress, and a PENDING migration may
     * be committing right now: say whether the lock is held (one more query,
     * only when there is such a migration). */
    {
        size_t j, n = k < cap ? k : cap;
        int any = 0;
        for (j = 0; j < n; j++)
            any |= out[j].state == PGMC_STATE_INCOMPLETE || out[j].state == PGMC_STATE_PENDING;
        if (any && pgmc__lock_held(&c) > 0)
            for (j = 0; j < n; j++)
                out[j].lock_held =
                    out[j].state == PGMC_STATE_INCOMPLETE || out[j].state == PGMC_STATE_PENDING;
    }
    /* A statement the run left in flight may still be running on the server
     * (its client died): name the backend while it does. */
    {
        marks mk;
        mk.s = s;
        mk.h = &h;
        mk.out = out;
        mk.cap = cap;
        for (i = 0; i < h.n; i++) {
            const pgmc_hrow *w = &h.rows[i];
            size_t at;
            if (w->success || !w->backend || !w->backend[0])
                continue;
            at = entry_of(&mk, w);
            if (at < cap && out[at].state == PGMC_STATE_INCOMPLETE &&
                pgmc__backend_alive(&c, w->backend) == 1)
                out[at].in_flight_pid = atoi(w->backend);
        }
    }
    if (count)
        *count = k;
    pgmc__history_free(&h);
    return pgmc__end(&c, PGMC_OK);
}

int pgmc_current_version(PGconn *conn, const pgmc_options *opt, char *buf, size_t cap,
                         pgmc_result *res)
{
    pgmc_ctx c;
    pgmc_history h;
    int rc;

    pgmc__copy(buf, cap, "");
    if (pgmc__begin(&c, conn, NULL, opt, res) != PGMC_OK)
        return pgmc__end(&c, c.res->code);
    rc = pgmc__history_read(&c, &h);
    if (rc != PGMC_OK)
        return pgmc__end(&c, rc);
    pgmc__copy(c.res->current_version, sizeof c.res->current_version, pgmc__history_max(&h));
    pgmc__copy(buf, cap, c.res->current_version);
    pgmc__history_free(&h);
    return pgmc__end(&c, PGMC_OK);
}
