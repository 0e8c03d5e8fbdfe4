/* admin.c - the repairing verbs: validate (read-only check of the history
 * against the build), force (record a version without running anything),
 * repair (accept changed checksums) and baseline (mark a pre-existing
 * schema as migrated). Every write takes the lock, re-reads the history
 * under it and commits all its changes in one transaction. */
#define _POSIX_C_SOURCE 200809L

#include <string.h>

#include "pgmc_internal.h"

/* The script of the build that an unfinished row was running, or NULL. */
static const pgmc_script *marker_script(const pgmc_schema *s, const pgmc_hrow *w)
{
    const pgmc_migration *m = NULL;
    uint32_t i;

    if (w->repeatable) {
        for (i = 0; i < s->n_migrations; i++)
            if (s->migrations[i].kind == PGMC_REPEATABLE && !strcmp(s->migrations[i].name, w->name))
                m = &s->migrations[i];
    } else {
        m = pgmc__schema_find(s, w->version);
    }
    if (!m)
        return NULL;
    return w->down ? &m->down : &m->up;
}

/* "migration 3 add_index" / "repeatable migration views", database text
 * escaped. */
static void row_label(const pgmc_hrow *w, char *buf, size_t cap)
{
    char v[96], n[160];

    pgmc__esc(n, sizeof n, w->name);
    if (w->repeatable)
        pgmc__fmt(buf, cap, "repeatable migration %s", n);
    else
        pgmc__fmt(buf, cap, "migration %s %s", pgmc__esc(v, sizeof v, w->version), n);
}

/* One WARN line for a failed or incomplete marker whose progress is valid
 * (pgmc__progress_valid; history_check reports the others); returns 1 if
 * FAILED. */
static int report_marker(pgmc_ctx *c, const pgmc_hrow *w)
{
    const pgmc_script *sc = marker_script(c->schema, w);
    int failed = w->error[0] != '\0';
    char lab[256], where[160], when[48], err[600];

    row_label(w, lab, sizeof lab);
    pgmc__esc(when, sizeof when, w->applied_at);
    pgmc__esc(err, sizeof err, w->error);
    if (w->progress >= 0 && sc && (uint32_t)w->progress < sc->n_statements)
        pgmc__fmt(where, sizeof where, "statement %ld of %u", w->progress + 1,
                  (unsigned)sc->n_statements);
    else if (w->progress >= 0 && sc && sc->n_statements &&
             (uint32_t)w->progress == sc->n_statements)
        pgmc__fmt(where, sizeof where,
                  "the end (all %u statements completed; the run was not recorded as finished)",
                  (unsigned)sc->n_statements);
    else if (w->progress >= 0 && sc && sc->sql)
        pgmc__fmt(where, sizeof where,
                  "statement %ld of a script that was edited since (it now has %u statements)",
                  w->progress + 1, (unsigned)sc->n_statements);
    else if (w->progress >= 0)
        pgmc__fmt(where, sizeof where, "statement %ld", w->progress + 1);
    else
        pgmc__fmt(where, sizeof where, "an unrecorded statement");
    if (failed)
        pgmc__log(c, PGMC_LOG_WARN, "FAILED: %s: %s %s failed at %s+00 (%s): %s", lab,
                  w->down ? "reverting," : "applying,", where, when,
                  w->progress >= 0 ? "the statements before it are committed" : "partial", err);
    else
        pgmc__log(c, PGMC_LOG_WARN,
                  "INCOMPLETE: %s: %s stopped at %s since %s+00 without recording an error "
                  "(the migrator was killed)",
                  lab, w->down ? "reverting" : "applying", where, when);
    return failed;
}

typedef struct counts {
    unsigned modified, missing, unknown, failed, incomplete, order, valid, pending;
    unsigned history[PGMC_HP_KINDS]; /* inconsistent rows, by kind */
    unsigned history_total;
} counts;

static void summary(const counts *k, char *buf, size_t cap)
{
    const unsigned v[] = {k->modified, k->missing, k->unknown, k->failed, k->incomplete, k->order};
    const char *names[] = {"modified", "missing",    "unknown",
                           "failed",   "incomplete", "out of order"};
    size_t i, len = 0;

    buf[0] = '\0';
    for (i = 0; i < PGMC_HP_KINDS; i++) {
        if (!k->history[i])
            continue;
        pgmc__fmt(buf + len, cap - len, "%s%u %s", len ? ", " : "", k->history[i],
                  pgmc__hproblem_name((pgmc_hproblem_kind)i));
        len = strlen(buf);
    }
    for (i = 0; i < sizeof v / sizeof v[0]; i++) {
        if (!v[i])
            continue;
        pgmc__fmt(buf + len, cap - len, "%s%u %s", len ? ", " : "", v[i], names[i]);
        len = strlen(buf);
    }
}

typedef struct validate_ctx {
    pgmc_ctx *c;
    counts *k;
} validate_ctx;

/* One WARN line per inconsistent history row: what, then the way out. */
static void on_problem(void *arg, const pgmc_hproblem *p)
{
    validate_ctx *v = arg;

    v->k->history[p->kind]++;
    v->k->history_total++;
    pgmc__log(v->c, PGMC_LOG_WARN, "%s: %s. %s", p->label, p->message, p->fix);
}

int pgmc_validate(PGconn *conn, const pgmc_schema *s, const pgmc_options *opt, pgmc_result *res)
{
    pgmc_ctx c;
    pgmc_history h;
    counts k;
    const char *known_max, *max_applied;
    size_t i;
    int rc;

    memset(&k, 0, sizeof k);
    if (pgmc__begin(&c, conn, s, opt, res) != PGMC_OK)
        return pgmc__end(&c, c.res->code);
    if (!s)
        return pgmc__end(&c, pgmc__fail(&c, PGMC_ERR_USAGE, "no schema given"));
    rc = pgmc__history_read(&c, &h);
    if (rc != PGMC_OK)
        return pgmc__end(&c, rc);
    known_max = pgmc__schema_max(s);
    max_applied = pgmc__history_max(&h);
    pgmc__copy(c.res->current_version, sizeof c.res->current_version, max_applied);
    /* the rows as data: duplicates, malformed versions, progress out of range */
    {
        validate_ctx v;
        v.c = &c;
        v.k = &k;
        pgmc__history_check(&c, &h, on_problem, &v);
    }
    /* unfinished runs, versioned and repeatable, in the order they happened */
    for (i = 0; i < h.n; i++)
        if (!h.rows[i].success && pgmc__progress_valid(s, &h.rows[i])) {
            if (report_marker(&c, &h.rows[i]))
                k.failed++;
            else
                k.incomplete++;
        }
    /* applied versioned rows: modified, missing or unknown; a version with
     * more than one row counts once (the duplicates are reported above) */
    for (i = 0; i < h.n_ver; i++) {
        const pgmc_hrow *w = h.ver[i];
        const pgmc_migration *m;
        char lab[256], when[48], sum[80], file[300];
        if (!w->success || (i > 0 && !pgmc_version_cmp(h.ver[i - 1]->version, w->version)))
            continue;
        m = pgmc__schema_find(s, w->version);
        row_label(w, lab, sizeof lab);
        pgmc__esc(when, sizeof when, w->applied_at);
        if (m && strcmp(m->checksum_hex, w->checksum) != 0) {
            k.modified++;
            pgmc__log(&c, PGMC_LOG_WARN,
                      "MODIFIED: %s (%s) changed after it was applied at %s+00: recorded "
                      "checksum %s, build checksum %s",
                      lab, pgmc__esc(file, sizeof file, m->up.file ? m->up.file : "?"), when,
                      pgmc__esc(sum, sizeof sum, w->checksum), m->checksum_hex);
        } else if (m) {
            k.valid++;
        } else if (known_max && pgmc_version_cmp(w->version, known_max) < 0) {
            k.missing++;
            pgmc__log(&c, PGMC_LOG_WARN,
                      "MISSING: %s was applied at %s+00 but is not part of this build, which "
                      "has newer migrations (up to %s): was its file deleted or renumbered?",
                      lab, when, known_max);
        } else {
            k.unknown++;
            pgmc__log(&c, PGMC_LOG_WARN,
                      "UNKNOWN: %s was applied at %s+00 but is newer than this build knows (%s): "
                      "is this binary older than the database?",
                      lab, when, pgmc__vname(known_max));
        }
    }
    /* the build's pending migrations: out of order if below the newest applied */
    for (i = 0; i < s->n_migrations; i++) {
        const pgmc_migration *m = &s->migrations[i];
        const pgmc_hrow *w;
        char newest[96], name[160];
        if (m->kind != PGMC_VERSIONED)
            continue;
        w = pgmc__history_find(&h, m->version);
        if (w) /* applied (counted above) or an unfinished marker (reported) */
            continue;
        k.pending++;
        if (max_applied && pgmc_version_cmp(m->version, max_applied) < 0) {
            k.order++;
            pgmc__log(&c, PGMC_LOG_WARN,
                      "OUT OF ORDER: migration %s %s is pending but the newer %s is already "
                      "applied",
                      m->version, pgmc__esc(name, sizeof name, m->name),
                      pgmc__esc(newest, sizeof newest, max_applied));
        }
    }
    for (i = 0; i < s->n_migrations; i++) {
        const pgmc_migration *m = &s->migrations[i];
        const pgmc_hrow *w;
        if (m->kind != PGMC_REPEATABLE)
            continue;
        w = pgmc__history_last_rep(&h, m->name);
        if (w && w->success && !strcmp(w->checksum, m->checksum_hex))
            k.valid++;
        else if (!w || w->success)
            k.pending++; /* a changed repeatable is just pending: up re-applies it */
    }
    if (k.modified + k.missing + k.unknown + k.failed + k.incomplete + k.order + k.history_total) {
        char sum[512];
        summary(&k, sum, sizeof sum);
        pgmc__log(&c, PGMC_LOG_WARN, "validate: %s", sum);
        pgmc__fail(&c, PGMC_ERR_VALIDATE, "validation failed: %s", sum);
        pgmc__copy(c.res->hint, sizeof c.res->hint,
                   "Fix inconsistent history rows as each warning above says; restore modified "
                   "files or accept them with `repair --yes`; resolve failed or incomplete runs "
                   "by hand, then `force V`; renumber out-of-order migrations or run up with "
                   "--allow-out-of-order.");
        pgmc__history_free(&h);
        return pgmc__end(&c, PGMC_ERR_VALIDATE);
    }
    pgmc__log(&c, PGMC_LOG_INFO, "%u migration%s valid (%u pending)%s", k.valid,
              k.valid == 1 ? "" : "s", k.pending,
              h.missing ? "; there is no history table yet" : "");
    pgmc__history_free(&h);
    return pgmc__end(&c, PGMC_OK);
}

/* ------------------------------------------------------------------ force */

static int force_writes(pgmc_ctx *c, const pgmc_history *h, const char *target, unsigned *changed)
{
    const pgmc_schema *s = c->schema;
    char lab[256];
    size_t i;
    int rc = PGMC_OK;

    for (i = 0; rc == PGMC_OK && i < h->n; i++) {
        const pgmc_hrow *w = &h->rows[i];
        int above = !target || (!w->repeatable && pgmc_version_cmp(w->version, target) > 0);
        row_label(w, lab, sizeof lab);
        if (w->repeatable && w->success)
            continue; /* repeatable entries stay as they are */
        if (w->repeatable || (!w->success && above)) {
            rc = pgmc__history_forget(c, w->id);
            pgmc__log(c, PGMC_LOG_INFO, "force: deleted the %s marker of %s%s",
                      w->error[0] ? "failed" : "incomplete", lab,
                      w->repeatable ? " (the next up runs it again)" : "");
        } else if (!w->success) {
            /* an unfinished row becomes a success row recorded by force */
            const pgmc_migration *m = pgmc__schema_find(s, w->version);
            rc = pgmc__history_force(c, w->id, m ? m->checksum_hex : NULL);
            pgmc__log(c, PGMC_LOG_INFO, "force: marked the %s run of %s as applied",
                      w->error[0] ? "failed" : "incomplete", lab);
        } else if (above) {
            rc = pgmc__history_forget(c, w->id);
            pgmc__log(c, PGMC_LOG_INFO, "force: forgot %s (applied %s+00), nothing reverted", lab,
                      w->applied_at);
        } else {
            continue;
        }
        ++*changed;
    }
    for (i = 0; rc == PGMC_OK && target && i < s->n_migrations; i++) {
        const pgmc_migration *m = &s->migrations[i];
        char name[160];
        if (m->kind != PGMC_VERSIONED || pgmc_version_cmp(m->version, target) > 0)
            continue;
        if (pgmc__history_find(h, m->version))
            continue;
        rc = pgmc__history_insert(c, m, "force");
        pgmc__log(c, PGMC_LOG_INFO, "force: recorded migration %s %s as applied, nothing run",
                  m->version, pgmc__esc(name, sizeof name, m->name));
        ++*changed;
    }
    return rc;
}

int pgmc_force(PGconn *conn, const pgmc_schema *s, const char *version, const pgmc_options *opt,
               pgmc_result *res)
{
    pgmc_ctx c;
    pgmc_history h;
    const char *target = NULL;
    unsigned changed = 0;
    int rc;

    if (pgmc__begin(&c, conn, s, opt, res) != PGMC_OK)
        return pgmc__end(&c, c.res->code);
    if (!s || !version || !version[0])
        return pgmc__end(&c, pgmc__fail(&c, PGMC_ERR_USAGE, "force needs a schema and a version"));
    if (pgmc__schema_find(s, version))
        target = pgmc__schema_find(s, version)->version;
    else if (strcmp(version, "none") != 0 && strcmp(version, "0") != 0)
        return pgmc__end(&c, pgmc__fail(&c, PGMC_ERR_USAGE,
                                        "version %.64s is not part of this build (use \"none\" "
                                        "for nothing applied)",
                                        version));
    rc = pgmc__admin_lock_read(&c, &h);
    if (rc == PGMC_OK) {
        rc = pgmc__admin_tx_begin(&c, &h, 1);
        if (rc == PGMC_OK)
            rc = force_writes(&c, &h, target, &changed);
        rc = pgmc__admin_tx_end(&c, rc);
    }
    if (rc == PGMC_OK) {
        pgmc__copy(c.res->current_version, sizeof c.res->current_version, target);
        c.res->applied = changed;
        pgmc__log(&c, PGMC_LOG_INFO, "forced version %s: %u history change%s%s",
                  pgmc__vname(target), changed, changed == 1 ? "" : "s",
                  changed ? "" : " (it already was at that version)");
    }
    pgmc__history_free(&h);
    return pgmc__end(&c, rc);
}

/* ----------------------------------------------------------------- repair */

int pgmc_repair(PGconn *conn, const pgmc_schema *s, const pgmc_options *opt, pgmc_result *res)
{
    pgmc_ctx c;
    pgmc_history h;
    size_t i;
    int rc;

    if (pgmc__begin(&c, conn, s, opt, res) != PGMC_OK)
        return pgmc__end(&c, c.res->code);
    if (!s)
        return pgmc__end(&c, pgmc__fail(&c, PGMC_ERR_USAGE, "no schema given"));
    rc = pgmc__admin_lock_read(&c, &h);
    if (rc == PGMC_OK && !h.missing) {
        rc = pgmc__admin_tx_begin(&c, &h, 0);
        for (i = 0; rc == PGMC_OK && i < h.n_ver; i++) {
            const pgmc_hrow *w = h.ver[i];
            const pgmc_migration *m = pgmc__schema_find(s, w->version);
            if (!w->success || !m || !strcmp(m->checksum_hex, w->checksum))
                continue;
            rc = pgmc__history_repair(&c, w->id, m->checksum_hex);
            if (rc == PGMC_OK) {
                char lab[256], sum[80];
                c.res->applied++;
                row_label(w, lab, sizeof lab);
                pgmc__log(&c, PGMC_LOG_INFO,
                          "repaired %s: checksum %s -> %s (old one kept in repaired_from)", lab,
                          pgmc__esc(sum, sizeof sum, w->checksum), m->checksum_hex);
            }
        }
        rc = pgmc__admin_tx_end(&c, rc);
    }
    if (rc != PGMC_OK)
        c.res->applied = 0; /* rolled back */
    else
        pgmc__log(&c, PGMC_LOG_INFO, "%u migration%s repaired", (unsigned)c.res->applied,
                  c.res->applied == 1 ? "" : "s");
    pgmc__history_free(&h);
    return pgmc__end(&c, rc);
}

/* --------------------------------------------------------------- baseline */

int pgmc_baseline(PGconn *conn, const pgmc_schema *s, const char *version, const pgmc_options *opt,
                  pgmc_result *res)
{
    pgmc_ctx c;
    pgmc_history h;
    const pgmc_migration *top;
    uint32_t i;
    int rc;

    if (pgmc__begin(&c, conn, s, opt, res) != PGMC_OK)
        return pgmc__end(&c, c.res->code);
    if (!s || !version)
        return pgmc__end(&c,
                         pgmc__fail(&c, PGMC_ERR_USAGE, "baseline needs a schema and a version"));
    top = pgmc__schema_find(s, version);
    if (!top)
        return pgmc__end(
            &c, pgmc__fail(&c, PGMC_ERR_USAGE, "version %.64s is not part of this build", version));
    rc = pgmc__admin_lock_read(&c, &h);
    if (rc == PGMC_OK && h.n_ver) {
        pgmc__copy(c.res->hint, sizeof c.res->hint,
                   "baseline is for a database whose history is empty; use `force V` to move "
                   "a recorded history");
        rc = pgmc__fail(&c, PGMC_ERR_REFUSED,
                        "refusing to baseline: the history already records %u versioned "
                        "migration%s (current version %s)",
                        (unsigned)h.n_ver, h.n_ver == 1 ? "" : "s",
                        pgmc__vname(pgmc__history_max(&h)));
    }
    if (rc == PGMC_OK) {
        rc = pgmc__admin_tx_begin(&c, &h, 1);
        for (i = 0; rc == PGMC_OK && i < s->n_migrations; i++) {
            const pgmc_migration *m = &s->migrations[i];
            if (m->kind != PGMC_VERSIONED || pgmc_version_cmp(m->version, top->version) > 0)
                continue;
            rc = pgmc__history_insert(&c, m, "baseline");
            if (rc == PGMC_OK) {
                char name[160];
                c.res->applied++;
                pgmc__log(&c, PGMC_LOG_VERBOSE, "baseline: migration %s %s marked applied",
                          m->version, pgmc__esc(name, sizeof name, m->name));
            }
        }
        rc = pgmc__admin_tx_end(&c, rc);
        if (rc == PGMC_OK) {
            pgmc__copy(c.res->current_version, sizeof c.res->current_version, top->version);
            pgmc__log(&c, PGMC_LOG_INFO,
                      "baselined at version %s: %u migration%s marked applied without running",
                      top->version, (unsigned)c.res->applied, c.res->applied == 1 ? "" : "s");
        } else {
            c.res->applied = 0;
        }
    }
    pgmc__history_free(&h);
    return pgmc__end(&c, rc);
}
