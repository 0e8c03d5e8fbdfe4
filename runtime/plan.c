/* plan.c - deciding what up, down and goto will run, from the history and
 * the compiled schema, and every refusal that must happen before anything
 * changes: an inconsistent history (history_check.c), unfinished runs that
 * cannot resume, modified and missing migrations, out-of-order pending ones,
 * and unknown newer versions. */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>

#include "pgmc_internal.h"

void pgmc__plan_free(pgmc_plan *p)
{
    free(p->steps);
    memset(p, 0, sizeof *p);
}

static int push(pgmc_ctx *c, pgmc_plan *p, const pgmc_migration *m, int down, const pgmc_hrow *w,
                const char *after)
{
    pgmc_step *st;

    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        pgmc_step *ns = realloc(p->steps, cap * sizeof *ns);
        if (!ns)
            return pgmc__fail(c, PGMC_ERR_NOMEM, "out of memory planning migrations");
        p->steps = ns;
        p->cap = cap;
    }
    st = &p->steps[p->n++];
    memset(st, 0, sizeof *st);
    st->m = m;
    st->down = down;
    st->after = after;
    if (w && !w->success) {
        st->marker_id = w->id;
        st->resume = (uint32_t)w->progress;
        st->backend = w->backend;
    }
    return PGMC_OK;
}

static void set_row(pgmc_ctx *c, const pgmc_hrow *w)
{
    pgmc__copy(c->res->version, sizeof c->res->version, w->version);
    pgmc__copy(c->res->name, sizeof c->res->name, w->name);
}

/* "3 add_index" / "repeatable views"; database text escaped, like every
 * name, version and file name in the messages below. */
static const char *row_label(const pgmc_hrow *w, char *buf, size_t cap)
{
    char v[96], n[160];

    pgmc__esc(n, sizeof n, w->name);
    if (w->repeatable)
        pgmc__fmt(buf, cap, "repeatable %s", n);
    else
        pgmc__fmt(buf, cap, "%s %s", pgmc__esc(v, sizeof v, w->version), n);
    return buf;
}

/* "3 add_index" of the build, escaped. */
static const char *mig_label(const pgmc_migration *m, char *buf, size_t cap)
{
    char n[160];

    pgmc__fmt(buf, cap, "%s %s", m->version, pgmc__esc(n, sizeof n, m->name));
    return buf;
}

/* Where an unfinished run stopped: "statement 3 of 5 (f.sql:12)". */
static void stopped_at(const pgmc_hrow *w, const pgmc_script *sc, char *buf, size_t cap)
{
    uint32_t k = (uint32_t)w->progress;
    char file[300];

    if (sc && sc->sql && k < sc->n_statements)
        pgmc__fmt(buf, cap, "statement %u of %u (%s:%u)", (unsigned)k + 1,
                  (unsigned)sc->n_statements,
                  pgmc__esc(file, sizeof file, sc->file ? sc->file : "?"),
                  (unsigned)sc->statements[k].line);
    else
        pgmc__fmt(buf, cap, "statement %u", (unsigned)k + 1);
}

/* An unfinished row (success = false) blocks everything unless this verb
 * can resume it: `down` (want_down) resumes reverts, up resumes applies.
 * Returns PGMC_OK and sets *resume when it can; else fails with advice. */
static int check_unfinished(pgmc_ctx *c, const pgmc_hrow *w, int want_down,
                            const pgmc_migration **resume)
{
    const pgmc_migration *m = pgmc__row_migration(c->schema, w);
    const pgmc_script *sc = m ? (w->down ? &m->down : &m->up) : NULL;
    char lab[300], where[400], file[300];
    const char *how = w->error[0] ? "failed"
                                  : "stopped (the migrator was killed or lost "
                                    "its connection)";

    *resume = NULL;
    set_row(c, w);
    row_label(w, lab, sizeof lab);
    stopped_at(w, sc, where, sizeof where);
    if (!m) {
        pgmc__fmt(c->res->hint, sizeof c->res->hint,
                  "Repair the database by hand, then record the outcome with `migrate force "
                  "VERSION`.");
        return pgmc__fail(c, PGMC_ERR_DIRTY,
                          "%s of migration %s %s at %s, and this build does not have that "
                          "migration",
                          w->down ? "reverting" : "applying", lab, how, where);
    }
    if (w->down != want_down) {
        pgmc__fmt(c->res->hint, sizeof c->res->hint,
                  "Run `migrate %s` to finish %s it (it resumes at that statement), or repair "
                  "by hand and record the outcome with `migrate force VERSION`.",
                  w->down ? "down" : "up", w->down ? "reverting" : "applying");
        return pgmc__fail(c, PGMC_ERR_DIRTY, "%s migration %s %s at %s",
                          w->down ? "reverting" : "applying", lab, how, where);
    }
    if (sc->tx_mode == PGMC_TX_TRANSACTION && w->progress > 0) {
        pgmc__fmt(c->res->hint, sizeof c->res->hint,
                  "Its first %ld statements are committed but the script is now transactional, "
                  "so it cannot resume. Repair by hand, then `migrate force VERSION`.",
                  w->progress);
        return pgmc__fail(c, PGMC_ERR_DIRTY, "%s migration %s %s at %s",
                          w->down ? "reverting" : "applying", lab, how, where);
    }
    if (!pgmc__resumable(w, sc)) {
        pgmc__fmt(c->res->hint, sizeof c->res->hint,
                  "Statements 1-%ld were committed, but their text in this build differs from "
                  "what ran (%s was edited), so pgmc will not guess where to resume. Repair by "
                  "hand, then record the outcome with `migrate force VERSION`.",
                  w->progress, pgmc__esc(file, sizeof file, sc->file ? sc->file : "the script"));
        return pgmc__fail(c, PGMC_ERR_DIRTY, "%s migration %s %s at %s",
                          w->down ? "reverting" : "applying", lab, how, where);
    }
    *resume = m;
    return PGMC_OK;
}

/* The unfinished row of `m`, if one was accepted for resuming. */
static const pgmc_hrow *marker_of(const pgmc_history *h, const pgmc_migration *m)
{
    size_t i;

    for (i = 0; i < h->n; i++) {
        const pgmc_hrow *w = &h->rows[i];
        if (w->success)
            continue;
        if (m->kind == PGMC_REPEATABLE
                ? (w->repeatable && strcmp(w->name, m->name) == 0)
                : (!w->repeatable && !pgmc_version_cmp(w->version, m->version)))
            return w;
    }
    return NULL;
}

static int check_unknown(pgmc_ctx *c, const pgmc_history *h, int warn)
{
    const pgmc_schema *s = c->schema;
    const char *known_max = pgmc__schema_max(s);
    const pgmc_hrow *newest = NULL;
    char lab[300];
    size_t i;

    c->res->unknown = 0;
    for (i = 0; i < h->n_ver; i++) {
        const pgmc_hrow *w = h->ver[i];
        if (!w->success || pgmc__schema_find(s, w->version))
            continue;
        if (known_max && pgmc_version_cmp(w->version, known_max) < 0) {
            set_row(c, w);
            pgmc__fmt(c->res->hint, sizeof c->res->hint,
                      "Was a migration file deleted or renumbered after it was applied? Restore "
                      "it in the build; `migrate validate` lists every difference.");
            return pgmc__fail(c, PGMC_ERR_UNKNOWN,
                              "applied migration %s is missing from this build (which has "
                              "migrations up to %s)",
                              row_label(w, lab, sizeof lab), known_max);
        }
        c->res->unknown++;
        newest = w;
    }
    if (!newest)
        return PGMC_OK;
    if (c->opt.fail_on_unknown) {
        set_row(c, newest);
        pgmc__fmt(c->res->hint, sizeof c->res->hint,
                  "A newer build has migrated this database. Deploy that build, or run without "
                  "--fail-on-unknown to accept a schema that is ahead of this one.");
        return pgmc__fail(c, PGMC_ERR_UNKNOWN,
                          "the database has %u migration%s newer than this build knows (%s), "
                          "up to %s",
                          (unsigned)c->res->unknown, c->res->unknown == 1 ? "" : "s",
                          pgmc__vname(known_max), row_label(newest, lab, sizeof lab));
    }
    if (warn)
        pgmc__log(c, PGMC_LOG_WARN,
                  "the database has %u migration%s newer than this build knows (%s), up to %s; "
                  "a newer build has migrated it",
                  (unsigned)c->res->unknown, c->res->unknown == 1 ? "" : "s",
                  pgmc__vname(known_max), row_label(newest, lab, sizeof lab));
    return PGMC_OK;
}

int pgmc__plan_up(pgmc_ctx *c, const pgmc_history *h, int n, const char *upto, int warn,
                  pgmc_plan *p)
{
    const pgmc_schema *s = c->schema;
    const char *max_applied = pgmc__history_max(h);
    size_t i, pending = 0;
    int rc;

    memset(p, 0, sizeof *p);
    if ((rc = pgmc__history_refuse(c, h)) != PGMC_OK)
        return rc;
    for (i = 0; i < h->n; i++) {
        const pgmc_migration *m;
        if (!h->rows[i].success && (rc = check_unfinished(c, &h->rows[i], 0, &m)) != PGMC_OK)
            return rc;
    }
    if ((rc = check_unknown(c, h, warn)) != PGMC_OK)
        return rc;
    for (i = 0; i < s->n_migrations; i++) {
        const pgmc_migration *m = &s->migrations[i];
        const pgmc_hrow *w, *mark;
        char lab[300], e1[300], e2[96];
        if (m->kind != PGMC_VERSIONED)
            continue;
        w = pgmc__history_find(h, m->version);
        if (w && w->success) {
            if (strcmp(w->checksum, m->checksum_hex) != 0) {
                pgmc__copy(c->res->version, sizeof c->res->version, m->version);
                pgmc__copy(c->res->name, sizeof c->res->name, m->name);
                pgmc__copy(c->res->file, sizeof c->res->file, m->up.file);
                pgmc__fmt(c->res->detail, sizeof c->res->detail,
                          "applied checksum %s\nthis build has %s",
                          pgmc__esc(e2, sizeof e2, w->checksum), m->checksum_hex);
                pgmc__copy(c->res->hint, sizeof c->res->hint,
                           "Restore the file as it was applied. If the change is deliberate and "
                           "the database already reflects it, accept the new checksum with "
                           "`migrate repair --yes`.");
                return pgmc__fail(c, PGMC_ERR_CHECKSUM,
                                  "migration %s (%s) was modified after it was applied",
                                  mig_label(m, lab, sizeof lab),
                                  pgmc__esc(e1, sizeof e1, m->up.file ? m->up.file : "?"));
            }
            continue;
        }
        mark = marker_of(h, m);
        if (!mark && max_applied && pgmc_version_cmp(m->version, max_applied) < 0 &&
            !c->opt.allow_out_of_order) {
            pgmc__copy(c->res->version, sizeof c->res->version, m->version);
            pgmc__copy(c->res->name, sizeof c->res->name, m->name);
            pgmc__esc(e2, sizeof e2, max_applied);
            pgmc__fmt(c->res->hint, sizeof c->res->hint,
                      "Give it a version above %s, or apply it anyway with "
                      "--allow-out-of-order.",
                      e2);
            return pgmc__fail(c, PGMC_ERR_ORDER,
                              "migration %s is pending but the newer %s is already applied",
                              mig_label(m, lab, sizeof lab), e2);
        }
        pending++;
        if (upto && pgmc_version_cmp(m->version, upto) > 0)
            continue;
        if ((n < 0 || p->n < (size_t)n) && (rc = push(c, p, m, 0, mark, m->version)) != PGMC_OK)
            return rc;
    }
    if (p->n < pending)
        return PGMC_OK; /* repeatables run only once all versioned ones are in */
    for (i = 0; i < s->n_migrations; i++) {
        const pgmc_migration *m = &s->migrations[i];
        const pgmc_hrow *w, *mark;
        if (m->kind != PGMC_REPEATABLE)
            continue;
        mark = marker_of(h, m);
        w = pgmc__history_last_rep(h, m->name);
        if ((mark || !w || strcmp(w->checksum, m->checksum_hex) != 0) &&
            (rc = push(c, p, m, 0, mark, NULL)) != PGMC_OK)
            return rc;
    }
    return PGMC_OK;
}

int pgmc__plan_down(pgmc_ctx *c, const pgmc_history *h, int n, const char *downto, pgmc_plan *p)
{
    const pgmc_schema *s = c->schema;
    const pgmc_migration *resume = NULL;
    const pgmc_hrow *resume_row = NULL;
    size_t i, k = 0, want = n < 0 ? (size_t)-1 : (size_t)n;
    int rc;

    memset(p, 0, sizeof *p);
    if ((rc = pgmc__history_refuse(c, h)) != PGMC_OK)
        return rc;
    for (i = 0; i < h->n; i++) {
        const pgmc_migration *m;
        if (h->rows[i].success)
            continue;
        if ((rc = check_unfinished(c, &h->rows[i], 1, &m)) != PGMC_OK)
            return rc;
        resume = m;
        resume_row = &h->rows[i];
    }
    if (n < 0 && !downto) { /* down --all: forget repeatables first (they depend
                                 on versioned objects); goto V keeps them */
        for (i = s->n_migrations; i > 0; i--) {
            const pgmc_migration *m = &s->migrations[i - 1];
            if (m->kind != PGMC_REPEATABLE || !m->down.sql)
                continue;
            if (pgmc__history_last_rep(h, m->name) &&
                (rc = push(c, p, m, 1, m == resume ? resume_row : NULL, pgmc__history_max(h))) !=
                    PGMC_OK)
                return rc;
        }
        p->forget_repeatables = h->n_rep > 0;
    } else if (resume && resume->kind == PGMC_REPEATABLE) {
        if ((rc = push(c, p, resume, 1, resume_row, pgmc__history_max(h))) != PGMC_OK)
            return rc;
    }
    /* A versioned revert that stopped half way goes first. */
    if (resume && resume->kind == PGMC_VERSIONED) {
        const char *after = NULL;
        for (i = h->n_ver; i > 0; i--)
            if (h->ver[i - 1]->success &&
                pgmc_version_cmp(h->ver[i - 1]->version, resume->version) < 0) {
                after = h->ver[i - 1]->version;
                break;
            }
        if ((rc = push(c, p, resume, 1, resume_row, after)) != PGMC_OK)
            return rc;
        k++;
    }
    for (i = h->n_ver; i > 0 && k < want; i--) {
        const pgmc_hrow *w = h->ver[i - 1];
        const pgmc_migration *m;
        const char *after = NULL;
        char lab[300];
        size_t j;
        if (!w->success)
            continue;
        if (downto && pgmc_version_cmp(w->version, downto) <= 0)
            break;
        m = pgmc__schema_find(s, w->version);
        if (!m) {
            set_row(c, w);
            pgmc__copy(c->res->hint, sizeof c->res->hint,
                       "Revert it with the build that applied it, or record the state with "
                       "`migrate force VERSION`.");
            return pgmc__fail(c, PGMC_ERR_UNKNOWN,
                              "applied migration %s is not part of this build; cannot "
                              "revert it",
                              row_label(w, lab, sizeof lab));
        }
        if (!m->down.sql) {
            pgmc__copy(c->res->version, sizeof c->res->version, m->version);
            pgmc__copy(c->res->name, sizeof c->res->name, m->name);
            return pgmc__fail(c, PGMC_ERR_NO_DOWN, "migration %s has no down script",
                              mig_label(m, lab, sizeof lab));
        }
        for (j = i - 1; j > 0; j--)
            if (h->ver[j - 1]->success) {
                after = h->ver[j - 1]->version;
                break;
            }
        if ((rc = push(c, p, m, 1, NULL, after)) != PGMC_OK)
            return rc;
        k++;
    }
    return PGMC_OK;
}
