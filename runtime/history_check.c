/* history_check.c - the history table checked as data, not only as a list
 * of versions: rows that map to one canonical version (a hand-inserted
 * '003' beside '3', or a duplicate once the UNIQUE constraint is gone),
 * version texts that are not canonical, an unfinished run whose progress is
 * out of range, a finished row that still carries progress, and more than
 * one unfinished run. Each problem gets its own message and way out.
 * Planning (plan.c) refuses on any of them before anything runs, validate
 * (admin.c) reports them all, status (status.c) marks what they concern. */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "pgmc_internal.h"

const char *pgmc__hproblem_name(pgmc_hproblem_kind kind)
{
    switch (kind) {
    case PGMC_HP_DUPLICATE:
        return "duplicate version";
    case PGMC_HP_VERSION:
        return "invalid version";
    case PGMC_HP_PROGRESS:
        return "invalid progress";
    case PGMC_HP_FINISHED:
        return "finished row with progress";
    case PGMC_HP_RUNS:
        return "extra unfinished run";
    case PGMC_HP_KINDS:
        break;
    }
    return "history problem";
}

static const char *const labels[] = {"DUPLICATE VERSION", "INVALID VERSION", "INVALID PROGRESS",
                                     "FINISHED WITH PROGRESS", "UNFINISHED RUNS"};

/* The canonical spelling of `v` into out: 1 if v is digits with dots
 * between non-empty parts (leading zeros are dropped), else 0. */
static int canon(const char *v, char *out, size_t cap)
{
    size_t o = 0;
    const char *p = v;

    if (!v || !*v)
        return 0;
    for (;;) {
        const char *start = p;
        while (*p >= '0' && *p <= '9')
            p++;
        if (p == start)
            return 0;
        while (start + 1 < p && *start == '0')
            start++;
        if (o + (size_t)(p - start) + 2 > cap)
            return 0;
        memcpy(out + o, start, (size_t)(p - start));
        o += (size_t)(p - start);
        if (*p == '\0')
            break;
        if (*p != '.')
            return 0;
        out[o++] = *p++;
    }
    out[o] = '\0';
    return 1;
}

/* Digits, dots between non-empty parts, no leading zeros ("0" is a part). */
static int is_canonical(const char *v)
{
    const char *p = v;

    if (!v || !*v)
        return 0;
    for (;;) {
        const char *start = p;
        while (*p >= '0' && *p <= '9')
            p++;
        if (p == start || (*start == '0' && p - start > 1))
            return 0;
        if (*p == '\0')
            return 1;
        if (*p++ != '.')
            return 0;
    }
}

/* "id 9 (version \"003\" add_index, applied)", database text escaped. */
static void describe(const pgmc_hrow *w, char *buf, size_t cap)
{
    char v[96], n[160];

    pgmc__esc(n, sizeof n, w->name);
    if (w->repeatable)
        pgmc__fmt(buf, cap, "id %" PRId64 " (repeatable %s, %s)", w->id, n,
                  w->success ? "applied" : "unfinished");
    else
        pgmc__fmt(buf, cap, "id %" PRId64 " (version \"%s\" %s, %s)", w->id,
                  pgmc__esc(v, sizeof v, w->version), n, w->success ? "applied" : "unfinished");
}

/* "migration 3 add_index" of the build, or "" */
static void mig_label(const pgmc_migration *m, char *buf, size_t cap)
{
    char n[160];

    if (!m)
        buf[0] = '\0';
    else if (m->kind == PGMC_REPEATABLE)
        pgmc__fmt(buf, cap, "repeatable migration %s", pgmc__esc(n, sizeof n, m->name));
    else
        pgmc__fmt(buf, cap, "migration %s %s", m->version, pgmc__esc(n, sizeof n, m->name));
}

typedef struct emit {
    pgmc_hproblem_fn fn;
    void *arg;
    size_t n;
} emit;

static void report(emit *e, pgmc_hproblem *p)
{
    p->label = labels[p->kind];
    e->n++;
    if (e->fn)
        e->fn(e->arg, p);
}

/* Rows h->ver[a..b) share one canonical version. Keep the canonical
 * spelling, then the oldest row; suggest deleting the rest. */
static void duplicates(pgmc_ctx *c, const pgmc_history *h, size_t a, size_t b, emit *e)
{
    pgmc_hproblem p;
    size_t i, keep = a, len, listed = 0;
    char d[320], ids[200], canonical[128], lab[320];

    for (i = a; i < b; i++) {
        const pgmc_hrow *w = h->ver[i], *k = h->ver[keep];
        int wc = is_canonical(w->version), kc = is_canonical(k->version);
        if ((wc && !kc) || (wc == kc && w->id < k->id))
            keep = i;
    }
    memset(&p, 0, sizeof p);
    p.kind = PGMC_HP_DUPLICATE;
    p.m = pgmc__schema_find(c->schema, h->ver[keep]->version);
    if (!canon(h->ver[keep]->version, canonical, sizeof canonical))
        pgmc__esc(canonical, sizeof canonical, h->ver[keep]->version);
    pgmc__fmt(p.message, sizeof p.message, "history rows ");
    for (i = a; i < b; i++) {
        len = strlen(p.message);
        if (listed == 4) {
            pgmc__fmt(p.message + len, sizeof p.message - len, " and %zu more", b - i);
            break;
        }
        describe(h->ver[i], d, sizeof d);
        pgmc__fmt(p.message + len, sizeof p.message - len, "%s%s",
                  i == a       ? ""
                  : i + 1 == b ? " and "
                               : ", ",
                  d);
        listed++;
    }
    mig_label(p.m, lab, sizeof lab);
    len = strlen(p.message);
    pgmc__fmt(p.message + len, sizeof p.message - len,
              " all record version %s%s%s%s; the history must hold one row per version", canonical,
              p.m ? " (" : "", lab, p.m ? ")" : "");
    pgmc__fmt(p.brief, sizeof p.brief, "%zu history rows record version %s", b - a, canonical);
    ids[0] = '\0';
    for (i = a; i < b; i++) {
        if (i == keep)
            continue;
        if (!p.row)
            p.row = h->ver[i];
        len = strlen(ids);
        pgmc__fmt(ids + len, sizeof ids - len, "%s%" PRId64, ids[0] ? ", " : "", h->ver[i]->id);
    }
    pgmc__fmt(p.fix, sizeof p.fix,
              "Find out which row tells the truth and delete the others; to keep id %" PRId64
              ": DELETE FROM %s WHERE id IN (%s);",
              h->ver[keep]->id, c->table, ids);
    report(e, &p);
}

static void bad_version(pgmc_ctx *c, const pgmc_hrow *w, emit *e)
{
    pgmc_hproblem p;
    char d[320], canonical[128];

    memset(&p, 0, sizeof p);
    p.kind = PGMC_HP_VERSION;
    p.row = w;
    p.m = pgmc__schema_find(c->schema, w->version);
    describe(w, d, sizeof d);
    pgmc__fmt(p.message, sizeof p.message,
              "history row %s has a version that is not canonical (digits, dots between parts, "
              "no leading zeros)",
              d);
    pgmc__fmt(p.brief, sizeof p.brief, "history row id %" PRId64 " has version \"%s\"", w->id,
              pgmc__esc(canonical, sizeof canonical, w->version));
    if (canon(w->version, canonical, sizeof canonical))
        pgmc__fmt(p.fix, sizeof p.fix,
                  "Spell it the way the build does: UPDATE %s SET version = '%s' WHERE id = "
                  "%" PRId64 ";",
                  c->table, canonical, w->id);
    else
        pgmc__fmt(p.fix, sizeof p.fix,
                  "If it records a migration of this build, give it that migration's version "
                  "(UPDATE %s SET version = 'V' WHERE id = %" PRId64
                  ";), otherwise delete it (DELETE FROM %s WHERE id = %" PRId64 ";)",
                  c->table, w->id, c->table, w->id);
    report(e, &p);
}

static const pgmc_script *row_script(const pgmc_migration *m, const pgmc_hrow *w)
{
    return m ? (w->down ? &m->down : &m->up) : NULL;
}

/* An unfinished run whose progress is not a statement count of its script:
 * negative (or NULL), or above the count of the very script it ran (an
 * applying run whose recorded checksum is the build's). A run of a script
 * that was edited since may have completed more statements than the script
 * now has: that is plan.c's "edited, cannot resume", not bad data. */
int pgmc__progress_valid(const pgmc_schema *s, const pgmc_hrow *w)
{
    const pgmc_migration *m = pgmc__row_migration(s, w);
    const pgmc_script *sc = row_script(m, w);

    if (w->success || w->progress < 0)
        return w->success;
    if (!sc || (uint32_t)w->progress <= sc->n_statements)
        return 1;
    return w->down || strcmp(w->checksum, m->checksum_hex) != 0;
}

static void bad_progress(pgmc_ctx *c, const pgmc_hrow *w, emit *e)
{
    const pgmc_migration *m = pgmc__row_migration(c->schema, w);
    const pgmc_script *sc = row_script(m, w);
    pgmc_hproblem p;
    char d[320], why[320], file[300];

    if (pgmc__progress_valid(c->schema, w))
        return;
    memset(&p, 0, sizeof p);
    p.kind = PGMC_HP_PROGRESS;
    p.row = w;
    p.m = m;
    describe(w, d, sizeof d);
    if (w->progress == -1)
        pgmc__fmt(why, sizeof why, "records no progress (NULL)");
    else if (w->progress < 0)
        pgmc__fmt(why, sizeof why, "has progress %ld, a negative statement count", w->progress);
    else
        pgmc__fmt(why, sizeof why,
                  "has progress %ld, but %s, the script it ran (same checksum), has %u statement%s",
                  w->progress,
                  pgmc__esc(file, sizeof file, sc && sc->file ? sc->file : "its script"),
                  (unsigned)(sc ? sc->n_statements : 0), sc && sc->n_statements == 1 ? "" : "s");
    pgmc__fmt(p.message, sizeof p.message,
              "history row %s is an unfinished %s run that %s; nobody can tell how far it got", d,
              w->down ? "reverting" : "applying", why);
    pgmc__fmt(p.brief, sizeof p.brief, "history row id %" PRId64 " %s", w->id, why);
    pgmc__fmt(p.fix, sizeof p.fix,
              "Check the database by hand and finish or undo that migration's statements, then "
              "record the truth with `migrate force VERSION` (it resolves the unfinished run%s).",
              w->repeatable ? "; a repeatable one runs again on the next up" : "");
    report(e, &p);
}

/* A finished row with what only an unfinished run may carry. */
static void finished_with_progress(pgmc_ctx *c, const pgmc_hrow *w, emit *e)
{
    pgmc_hproblem p;
    char d[320], what[160], lab[320];
    size_t len;

    if (w->progress < 0 && !w->down && !w->progress_hash[0])
        return;
    memset(&p, 0, sizeof p);
    p.kind = PGMC_HP_FINISHED;
    p.row = w;
    p.m = pgmc__row_migration(c->schema, w);
    what[0] = '\0';
    if (w->progress >= 0)
        pgmc__fmt(what, sizeof what, "progress %ld", w->progress);
    if (w->down) {
        len = strlen(what);
        pgmc__fmt(what + len, sizeof what - len, "%sdirection down", len ? ", " : "");
    }
    if (w->progress_hash[0]) {
        len = strlen(what);
        pgmc__fmt(what + len, sizeof what - len, "%sa progress hash", len ? ", " : "");
    }
    describe(w, d, sizeof d);
    pgmc__fmt(p.message, sizeof p.message,
              "history row %s is recorded as finished (success) but carries %s, which only an "
              "unfinished run has",
              d, what);
    pgmc__fmt(p.brief, sizeof p.brief, "history row id %" PRId64 " is finished but carries %s",
              w->id, what);
    mig_label(p.m, lab, sizeof lab);
    pgmc__fmt(p.fix, sizeof p.fix,
              "If %s is applied, clear the leftovers: UPDATE %s SET progress = NULL, "
              "progress_hash = NULL, direction = NULL WHERE id = %" PRId64
              "; if it is not, repair the database by hand and record the truth with "
              "`migrate force VERSION`.",
              p.m ? lab : "that migration", c->table, w->id);
    report(e, &p);
}

/* pgmc runs one migration at a time: two unfinished rows cannot both be
 * current. */
static void extra_runs(pgmc_ctx *c, const pgmc_history *h, size_t unfinished, emit *e)
{
    pgmc_hproblem p;
    char d[320];
    size_t i, len, listed = 0;

    memset(&p, 0, sizeof p);
    p.kind = PGMC_HP_RUNS;
    pgmc__fmt(p.message, sizeof p.message, "history rows ");
    for (i = 0; i < h->n; i++) {
        const pgmc_hrow *w = &h->rows[i];
        if (w->success)
            continue;
        if (!p.row) {
            p.row = w;
            p.m = pgmc__row_migration(c->schema, w);
        }
        len = strlen(p.message);
        if (listed == 4) {
            pgmc__fmt(p.message + len, sizeof p.message - len, " and %zu more",
                      unfinished - listed);
            break;
        }
        describe(w, d, sizeof d);
        pgmc__fmt(p.message + len, sizeof p.message - len, "%s%s",
                  listed == 0                ? ""
                  : listed + 1 == unfinished ? " and "
                                             : ", ",
                  d);
        listed++;
    }
    len = strlen(p.message);
    pgmc__fmt(p.message + len, sizeof p.message - len,
              " each record an unfinished run, but pgmc runs one migration at a time, so at "
              "most one of them can be current");
    pgmc__fmt(p.brief, sizeof p.brief, "%zu history rows record an unfinished run", unfinished);
    pgmc__fmt(p.fix, sizeof p.fix,
              "Check the database by hand, then record the truth with `migrate force VERSION`, "
              "which resolves every unfinished run.");
    report(e, &p);
}

size_t pgmc__history_check(pgmc_ctx *c, const pgmc_history *h, pgmc_hproblem_fn fn, void *arg)
{
    emit e;
    size_t i, j, unfinished = 0;

    e.fn = fn;
    e.arg = arg;
    e.n = 0;
    if (!h || h->missing)
        return 0;
    /* versions: h->ver is sorted by pgmc_version_cmp, so rows of one
     * canonical version are neighbours */
    for (i = 0; i < h->n_ver; i = j) {
        for (j = i + 1; j < h->n_ver && !pgmc_version_cmp(h->ver[i]->version, h->ver[j]->version);)
            j++;
        if (j - i > 1)
            duplicates(c, h, i, j, &e);
        else if (!is_canonical(h->ver[i]->version))
            bad_version(c, h->ver[i], &e);
    }
    /* progress, in the order the rows were written */
    for (i = 0; i < h->n; i++) {
        const pgmc_hrow *w = &h->rows[i];
        if (w->success) {
            finished_with_progress(c, w, &e);
        } else {
            unfinished++;
            bad_progress(c, w, &e);
        }
    }
    if (unfinished > 1)
        extra_runs(c, h, unfinished, &e);
    return e.n;
}

typedef struct first {
    pgmc_hproblem p;
    int have;
} first;

static void keep_first(void *arg, const pgmc_hproblem *p)
{
    first *f = arg;

    if (!f->have) {
        f->p = *p;
        f->have = 1;
    }
}

int pgmc__history_refuse(pgmc_ctx *c, const pgmc_history *h)
{
    first f;
    size_t n;

    memset(&f, 0, sizeof f);
    n = pgmc__history_check(c, h, keep_first, &f);
    if (n == 0)
        return PGMC_OK;
    if (f.p.m) {
        pgmc__copy(c->res->version, sizeof c->res->version, f.p.m->version);
        pgmc__copy(c->res->name, sizeof c->res->name, f.p.m->name);
    } else if (f.p.row) {
        pgmc__esc(c->res->version, sizeof c->res->version, f.p.row->version);
        pgmc__esc(c->res->name, sizeof c->res->name, f.p.row->name);
    }
    pgmc__copy(c->res->hint, sizeof c->res->hint, f.p.fix);
    if (n > 1)
        return pgmc__fail(c, PGMC_ERR_HISTORY,
                          "the history table %s is inconsistent, so nothing was run: %s: %s (and "
                          "%zu more problem%s: `migrate validate` lists them all)",
                          c->table_name, f.p.label, f.p.message, n - 1, n == 2 ? "" : "s");
    return pgmc__fail(c, PGMC_ERR_HISTORY,
                      "the history table %s is inconsistent, so nothing was run: %s: %s",
                      c->table_name, f.p.label, f.p.message);
}
