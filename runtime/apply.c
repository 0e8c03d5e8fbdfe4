/* apply.c - the up/down engine: plans what to run from the history, takes
 * the lock only when there is work, runs each script (one transaction with
 * its history row, or statement by statement for non-transactional ones)
 * and records the outcome, including failed markers for partial runs. */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pgmc_internal.h"

typedef struct plan {
    const pgmc_migration **todo; /* in execution order */
    size_t n;
    const char **after; /* down: the version current after each step */
} plan;

static int64_t mono_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *vname(const char *v)
{
    return v && v[0] ? v : "none";
}

static const char *schema_max(const pgmc_schema *s)
{
    const char *v = NULL;
    uint32_t i;

    for (i = 0; i < s->n_migrations; i++)
        if (s->migrations[i].kind == PGMC_VERSIONED)
            v = s->migrations[i].version;
    return v;
}

static void set_migration(pgmc_ctx *c, const pgmc_migration *m)
{
    pgmc__copy(c->res->version, sizeof c->res->version, m->version);
    pgmc__copy(c->res->name, sizeof c->res->name, m->name);
}

static int check_dirty(pgmc_ctx *c, const pgmc_history *h)
{
    size_t i;

    for (i = 0; i < h->n; i++) {
        const pgmc_hrow *w = &h->rows[i];
        if (w->success)
            continue;
        pgmc__copy(c->res->version, sizeof c->res->version, w->version);
        pgmc__copy(c->res->name, sizeof c->res->name, w->name);
        snprintf(c->res->hint, sizeof c->res->hint,
                 "Repair the database by hand, then delete the marker: "
                 "DELETE FROM %s WHERE NOT success;",
                 c->table);
        return pgmc__fail(c, PGMC_ERR_DIRTY,
                          "migration %s%s %s failed at %s UTC and may be partially applied: %s",
                          w->repeatable ? "R" : "", w->repeatable ? "" : w->version, w->name,
                          w->applied_at, w->error[0] ? w->error : "(no details)");
    }
    return PGMC_OK;
}

static void plan_free(plan *p)
{
    free(p->todo);
    free(p->after);
    memset(p, 0, sizeof *p);
}

/* Decide what `up` would run, refusing on dirty/changed/out-of-order. */
static int plan_up(pgmc_ctx *c, const pgmc_history *h, int n, int warn, plan *p)
{
    const pgmc_schema *s = c->schema;
    const char *max_applied = pgmc__history_max(h);
    const char *known_max = schema_max(s);
    size_t i, pending = 0;

    memset(p, 0, sizeof *p);
    if (check_dirty(c, h) != PGMC_OK)
        return c->res->code;
    for (i = 0; i < h->n_ver; i++) {
        const pgmc_hrow *w = h->ver[i];
        if (pgmc__schema_find(s, w->version))
            continue;
        if (known_max && pgmc_version_cmp(w->version, known_max) < 0) {
            pgmc__copy(c->res->version, sizeof c->res->version, w->version);
            pgmc__copy(c->res->name, sizeof c->res->name, w->name);
            pgmc__copy(c->res->hint, sizeof c->res->hint,
                       "Was a migration file deleted or renumbered after it was applied?");
            return pgmc__fail(c, PGMC_ERR_UNKNOWN,
                              "applied migration %s %s is not part of this build", w->version,
                              w->name);
        }
        if (warn)
            pgmc__log(c, PGMC_LOG_WARN,
                      "the database has migration %s %s, newer than this build knows (%s)",
                      w->version, w->name, vname(known_max));
    }
    if (s->n_migrations) {
        p->todo = calloc(s->n_migrations, sizeof *p->todo);
        if (!p->todo)
            return pgmc__fail(c, PGMC_ERR_NOMEM, "out of memory");
    }
    for (i = 0; i < s->n_migrations; i++) {
        const pgmc_migration *m = &s->migrations[i];
        const pgmc_hrow *w;
        if (m->kind != PGMC_VERSIONED)
            continue;
        w = pgmc__history_find(h, m->version);
        if (w) {
            if (strcmp(w->checksum, m->checksum_hex) != 0) {
                set_migration(c, m);
                pgmc__copy(c->res->file, sizeof c->res->file, m->up.file);
                snprintf(c->res->hint, sizeof c->res->hint,
                         "Restore the file as it was applied. If the change is deliberate and "
                         "already reflected in the database: UPDATE %s SET checksum = '%s' "
                         "WHERE version = '%s';",
                         c->table, m->checksum_hex, m->version);
                return pgmc__fail(c, PGMC_ERR_CHECKSUM,
                                  "migration %s %s was changed after it was applied "
                                  "(applied checksum %.12s…, now %.12s…)",
                                  m->version, m->name, w->checksum, m->checksum_hex);
            }
            continue;
        }
        if (max_applied && pgmc_version_cmp(m->version, max_applied) < 0) {
            set_migration(c, m);
            snprintf(c->res->hint, sizeof c->res->hint,
                     "Give it a version above %s, or revert to before it.", max_applied);
            return pgmc__fail(c, PGMC_ERR_ORDER,
                              "migration %s %s is pending but the newer %s is already applied",
                              m->version, m->name, max_applied);
        }
        pending++;
        if (n < 0 || p->n < (size_t)n)
            p->todo[p->n++] = m;
    }
    if (p->n < pending)
        return PGMC_OK; /* repeatables run only once all versioned ones are in */
    for (i = 0; i < s->n_migrations; i++) {
        const pgmc_migration *m = &s->migrations[i];
        const pgmc_hrow *w;
        if (m->kind != PGMC_REPEATABLE)
            continue;
        w = pgmc__history_last_rep(h, m->name);
        if (!w || strcmp(w->checksum, m->checksum_hex) != 0)
            p->todo[p->n++] = m;
    }
    return PGMC_OK;
}

/* Map the server's 1-based character position within the statement to a
 * line and column of the source file. */
static void map_position(pgmc_result *res, const pgmc_script *sc, const pgmc_statement *st,
                         const char *pos)
{
    long want = pos ? strtol(pos, NULL, 10) : 0;
    const char *p = sc->sql + st->offset, *end = p + st->length;
    uint32_t line = st->line, col = st->column;
    long ch = 0;

    if (want <= 0)
        return;
    for (; p < end; p++) {
        if (((unsigned char)*p & 0xC0) == 0x80)
            continue;
        if (++ch == want)
            break;
        if (*p == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    if (ch == want) {
        res->error_line = line;
        res->error_column = col;
    }
}

/* Run statement i of a script; returns the final PGresult (caller clears). */
static PGresult *run_statement(pgmc_ctx *c, const pgmc_script *sc, uint32_t i)
{
    const pgmc_statement *st = &sc->statements[i];
    const char *text = sc->sql + st->offset;
    char *copy = NULL;
    PGresult *r, *next;

    pgmc__log(c, PGMC_LOG_VERBOSE, "  statement %u/%u at %s:%u", (unsigned)i + 1,
              (unsigned)sc->n_statements, sc->file ? sc->file : "?", (unsigned)st->line);
    if (text[st->length] != '\0') {
        copy = malloc((size_t)st->length + 1);
        if (!copy)
            return NULL;
        memcpy(copy, text, st->length);
        copy[st->length] = '\0';
        text = copy;
    }
    r = pgmc__exec(c, text);
    free(copy);
    if (PQresultStatus(r) == PGRES_COPY_IN) {
        PQclear(r);
        PQputCopyEnd(c->conn, "COPY FROM STDIN is not supported in pgmc migrations");
        r = PQgetResult(c->conn);
        while ((next = PQgetResult(c->conn)) != NULL)
            PQclear(next);
    } else if (PQresultStatus(r) == PGRES_COPY_OUT) {
        char *buf;
        PQclear(r);
        while (PQgetCopyData(c->conn, &buf, 0) > 0)
            PQfreemem(buf);
        r = PQgetResult(c->conn);
        while ((next = PQgetResult(c->conn)) != NULL)
            PQclear(next);
    }
    return r;
}

static void statement_failed(pgmc_ctx *c, const pgmc_migration *m, const pgmc_script *sc,
                             uint32_t i, const PGresult *r, int down)
{
    pgmc_result *res = c->res;
    const pgmc_statement *st = &sc->statements[i];

    pgmc__sql_error(c, PGMC_ERR_SQL, r, NULL);
    set_migration(c, m);
    pgmc__copy(res->file, sizeof res->file, sc->file);
    res->line = st->line;
    res->column = st->column;
    res->statement = i + 1;
    res->n_statements = sc->n_statements;
    res->down = down;
    map_position(res, sc, st, r ? PQresultErrorField(r, PG_DIAG_STATEMENT_POSITION) : NULL);
}

static const char *label(const pgmc_migration *m, char *buf, size_t cap)
{
    if (m->kind == PGMC_REPEATABLE)
        snprintf(buf, cap, "repeatable %s", m->name);
    else
        snprintf(buf, cap, "%s %s", m->version, m->name);
    return buf;
}

/* Record success: insert the row (up) or delete it (down). */
static PGresult *write_history(pgmc_ctx *c, const pgmc_migration *m, int down, int64_t ms)
{
    char sql[512], msbuf[32];
    const char *params[5];
    int rep = m->kind == PGMC_REPEATABLE;

    if (down) {
        snprintf(sql, sizeof sql,
                 rep ? "DELETE FROM %s WHERE version IS NULL AND name = $1"
                     : "DELETE FROM %s WHERE version = $1",
                 c->table);
        params[0] = rep ? m->name : m->version;
        return pgmc__execp(c, sql, 1, params);
    }
    snprintf(msbuf, sizeof msbuf, "%" PRId64, ms);
    snprintf(sql, sizeof sql,
             "INSERT INTO %s (version, name, kind, checksum, execution_ms, success)"
             " VALUES ($1, $2, $3, $4, $5::bigint, true)",
             c->table);
    params[0] = rep ? NULL : m->version;
    params[1] = m->name;
    params[2] = rep ? "repeatable" : "versioned";
    params[3] = m->checksum_hex;
    params[4] = msbuf;
    return pgmc__execp(c, sql, 5, params);
}

/* Non-transactional failure: leave a failed marker the next run refuses. */
static int write_marker(pgmc_ctx *c, const pgmc_migration *m, int down, int64_t ms,
                        const char *error)
{
    char sql[512], msbuf[32];
    const char *params[6];
    int rep = m->kind == PGMC_REPEATABLE;
    PGresult *r;
    int ok;

    if (down) {
        snprintf(sql, sizeof sql,
                 rep ? "UPDATE %s SET success = false, error = $2 WHERE id ="
                       " (SELECT max(id) FROM %s WHERE version IS NULL AND name = $1)"
                     : "UPDATE %s SET success = false, error = $2 WHERE version = $1",
                 c->table, c->table);
        params[0] = rep ? m->name : m->version;
        params[1] = error;
        r = pgmc__execp(c, sql, 2, params);
    } else {
        snprintf(msbuf, sizeof msbuf, "%" PRId64, ms);
        snprintf(sql, sizeof sql,
                 "INSERT INTO %s (version, name, kind, checksum, execution_ms, success, error)"
                 " VALUES ($1, $2, $3, $4, $5::bigint, false, $6)",
                 c->table);
        params[0] = rep ? NULL : m->version;
        params[1] = m->name;
        params[2] = rep ? "repeatable" : "versioned";
        params[3] = m->checksum_hex;
        params[4] = msbuf;
        params[5] = error;
        r = pgmc__execp(c, sql, 6, params);
    }
    ok = pgmc__ok(r);
    PQclear(r);
    return ok;
}

static void rollback(pgmc_ctx *c)
{
    if (PQstatus(c->conn) == CONNECTION_OK && PQtransactionStatus(c->conn) != PQTRANS_IDLE)
        PQclear(pgmc__exec(c, "ROLLBACK"));
}

static void note_rolled_back(pgmc_ctx *c)
{
    c->res->rolled_back = 1;
    if (c->res->current_version[0])
        snprintf(c->res->note, sizeof c->res->note,
                 "The transaction was rolled back; the database is still at version %s.",
                 c->res->current_version);
    else
        snprintf(c->res->note, sizeof c->res->note,
                 "The transaction was rolled back; the database still has no migrations "
                 "applied.");
}

static int run_tx(pgmc_ctx *c, const pgmc_migration *m, const pgmc_script *sc, int down, int64_t t0)
{
    PGresult *r = pgmc__exec(c, "BEGIN");
    uint32_t i;

    if (!pgmc__ok(r)) {
        pgmc__sql_error(c, PGMC_ERR_SQL, r, "BEGIN failed");
        PQclear(r);
        set_migration(c, m);
        return c->res->code;
    }
    PQclear(r);
    for (i = 0; i < sc->n_statements; i++) {
        r = run_statement(c, sc, i);
        if (!pgmc__ok(r)) {
            statement_failed(c, m, sc, i, r, down);
            PQclear(r);
            rollback(c);
            note_rolled_back(c);
            return c->res->code;
        }
        PQclear(r);
    }
    r = write_history(c, m, down, mono_ms() - t0);
    if (!pgmc__ok(r)) {
        pgmc__sql_error(c, PGMC_ERR_HISTORY, r, "cannot record the migration in history");
        PQclear(r);
        set_migration(c, m);
        rollback(c);
        note_rolled_back(c);
        return c->res->code;
    }
    PQclear(r);
    r = pgmc__exec(c, "COMMIT");
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        pgmc__sql_error(c, PGMC_ERR_SQL, r, NULL);
        PQclear(r);
        set_migration(c, m);
        pgmc__copy(c->res->file, sizeof c->res->file, sc->file);
        rollback(c);
        note_rolled_back(c);
        c->res->down = down;
        return c->res->code;
    }
    PQclear(r);
    return PGMC_OK;
}

static int run_autocommit(pgmc_ctx *c, const pgmc_migration *m, const pgmc_script *sc, int down,
                          int64_t t0)
{
    pgmc_result *res = c->res;
    char err[512], lab[200];
    uint32_t i;
    PGresult *r;
    int marked;

    for (i = 0; i < sc->n_statements; i++) {
        r = run_statement(c, sc, i);
        if (pgmc__ok(r)) {
            PQclear(r);
            continue;
        }
        statement_failed(c, m, sc, i, r, down);
        PQclear(r);
        rollback(c); /* in case the script itself opened a transaction */
        res->partial = 1;
        pgmc__fmt(err, sizeof err, "%s failed at statement %u of %u (%s:%u): %s%s%s",
                  down ? "down" : "up", (unsigned)i + 1, (unsigned)sc->n_statements,
                  sc->file ? sc->file : "?", (unsigned)sc->statements[i].line, res->sqlstate,
                  res->sqlstate[0] ? " " : "", res->message);
        marked =
            PQstatus(c->conn) == CONNECTION_OK && write_marker(c, m, down, mono_ms() - t0, err);
        snprintf(res->note, sizeof res->note,
                 "Migration %s is NOT transactional%s%s%s. %s%u of %u statements completed and "
                 "are committed; statement %u failed. THE DATABASE IS PARTIALLY %s. %s",
                 label(m, lab, sizeof lab), sc->tx_note ? " (" : "", sc->tx_note ? sc->tx_note : "",
                 sc->tx_note ? ")" : "", i ? "Statements 1-" : "", (unsigned)i,
                 (unsigned)sc->n_statements, (unsigned)i + 1, down ? "REVERTED" : "MIGRATED",
                 marked ? "A failed marker was recorded in the history table; up and down "
                          "refuse to run until the database is repaired by hand and the "
                          "marker deleted:"
                        : "Recording a failed marker in the history table ALSO FAILED.");
        if (marked) {
            size_t len = strlen(res->note);
            snprintf(res->note + len, sizeof res->note - len, " DELETE FROM %s WHERE NOT success;",
                     c->table);
        }
        return res->code;
    }
    r = write_history(c, m, down, mono_ms() - t0);
    if (!pgmc__ok(r)) {
        pgmc__sql_error(c, PGMC_ERR_HISTORY, r, "cannot record the migration in history");
        PQclear(r);
        set_migration(c, m);
        res->partial = 1;
        snprintf(res->note, sizeof res->note,
                 "All statements of the non-transactional migration %s completed and are "
                 "committed, but the history table does not say so.",
                 label(m, lab, sizeof lab));
        return res->code;
    }
    PQclear(r);
    return PGMC_OK;
}

static int run_migration(pgmc_ctx *c, const pgmc_migration *m, int down)
{
    const pgmc_script *sc = down ? &m->down : &m->up;
    int64_t t0 = mono_ms();
    char lab[200];
    int rc;

    pgmc__log(c, PGMC_LOG_VERBOSE, "%s %s (%s, %u statements)", down ? "reverting" : "applying",
              label(m, lab, sizeof lab),
              sc->tx_mode == PGMC_TX_NONE ? "no transaction" : "transaction",
              (unsigned)sc->n_statements);
    if (sc->tx_mode == PGMC_TX_NONE)
        rc = run_autocommit(c, m, sc, down, t0);
    else
        rc = run_tx(c, m, sc, down, t0);
    if (rc == PGMC_OK) {
        c->res->applied++;
        pgmc__log(c, PGMC_LOG_INFO, "%s %s (%" PRId64 " ms)", down ? "reverted" : "applied",
                  label(m, lab, sizeof lab), mono_ms() - t0);
    }
    return rc;
}

int pgmc_up(PGconn *conn, const pgmc_schema *s, int n, const pgmc_options *opt, pgmc_result *res)
{
    pgmc_ctx c;
    pgmc_history h;
    plan p;
    size_t i;
    int rc;

    if (pgmc__begin(&c, conn, s, opt, res) != PGMC_OK)
        return pgmc__end(&c, c.res->code);
    if (!s)
        return pgmc__end(&c, pgmc__fail(&c, PGMC_ERR_USAGE, "no schema given"));
    if (n == 0 || n < PGMC_ALL)
        return pgmc__end(&c, pgmc__fail(&c, PGMC_ERR_USAGE, "n must be >= 1 or PGMC_ALL"));
    rc = pgmc__history_read(&c, &h);
    if (rc != PGMC_OK)
        return pgmc__end(&c, rc);
    pgmc__copy(c.res->current_version, sizeof c.res->current_version, pgmc__history_max(&h));
    rc = plan_up(&c, &h, n, 1, &p);
    if (rc != PGMC_OK || p.n == 0) {
        if (rc == PGMC_OK)
            pgmc__log(&c, PGMC_LOG_INFO, "nothing to do; the database is at version %s",
                      vname(c.res->current_version));
        plan_free(&p);
        pgmc__history_free(&h);
        return pgmc__end(&c, rc);
    }
    plan_free(&p);
    /* Work to do: take the lock, then look again (someone may have done it). */
    rc = pgmc__lock(&c);
    if (rc == PGMC_OK && h.missing)
        rc = pgmc__history_create(&c);
    pgmc__history_free(&h);
    if (rc == PGMC_OK)
        rc = pgmc__history_read(&c, &h);
    if (rc != PGMC_OK)
        return pgmc__end(&c, rc);
    pgmc__copy(c.res->current_version, sizeof c.res->current_version, pgmc__history_max(&h));
    rc = plan_up(&c, &h, n, 0, &p);
    for (i = 0; rc == PGMC_OK && i < p.n; i++) {
        rc = run_migration(&c, p.todo[i], 0);
        if (rc == PGMC_OK && p.todo[i]->kind == PGMC_VERSIONED)
            pgmc__copy(c.res->current_version, sizeof c.res->current_version, p.todo[i]->version);
    }
    if (rc == PGMC_OK)
        pgmc__log(&c, PGMC_LOG_INFO, "%u migration%s applied; the database is at version %s",
                  (unsigned)c.res->applied, c.res->applied == 1 ? "" : "s",
                  vname(c.res->current_version));
    plan_free(&p);
    pgmc__history_free(&h);
    return pgmc__end(&c, rc);
}

/* Decide what `down` would revert: newest applied first. */
static int plan_down(pgmc_ctx *c, const pgmc_history *h, int n, plan *p)
{
    const pgmc_schema *s = c->schema;
    size_t i, k = 0, want;
    size_t applied = 0;

    memset(p, 0, sizeof *p);
    if (check_dirty(c, h) != PGMC_OK)
        return c->res->code;
    for (i = 0; i < h->n_ver; i++)
        applied += h->ver[i]->success;
    want = n < 0 ? applied : ((size_t)n < applied ? (size_t)n : applied);
    p->todo = calloc(want + s->n_migrations + 1, sizeof *p->todo);
    p->after = calloc(want + s->n_migrations + 1, sizeof *p->after);
    if (!p->todo || !p->after)
        return pgmc__fail(c, PGMC_ERR_NOMEM, "out of memory");
    if (n < 0) { /* forget repeatables first: they depend on versioned objects */
        for (i = s->n_migrations; i > 0; i--) {
            const pgmc_migration *m = &s->migrations[i - 1];
            if (m->kind == PGMC_REPEATABLE && m->down.sql && pgmc__history_last_rep(h, m->name)) {
                p->after[p->n] = pgmc__history_max(h);
                p->todo[p->n++] = m;
            }
        }
    }
    for (i = h->n_ver; i > 0 && k < want; i--) {
        const pgmc_hrow *w = h->ver[i - 1];
        const pgmc_migration *m;
        if (!w->success)
            continue;
        m = pgmc__schema_find(s, w->version);
        if (!m) {
            pgmc__copy(c->res->version, sizeof c->res->version, w->version);
            pgmc__copy(c->res->name, sizeof c->res->name, w->name);
            return pgmc__fail(c, PGMC_ERR_UNKNOWN,
                              "applied migration %s %s is not part of this build; cannot "
                              "revert it",
                              w->version, w->name);
        }
        if (!m->down.sql) {
            set_migration(c, m);
            return pgmc__fail(c, PGMC_ERR_NO_DOWN, "migration %s has no down script", m->version);
        }
        p->todo[p->n] = m;
        p->after[p->n] = NULL;
        for (size_t j = i - 1; j > 0; j--)
            if (h->ver[j - 1]->success) {
                p->after[p->n] = h->ver[j - 1]->version;
                break;
            }
        p->n++;
        k++;
    }
    return PGMC_OK;
}

int pgmc_down(PGconn *conn, const pgmc_schema *s, int n, const pgmc_options *opt, pgmc_result *res)
{
    pgmc_ctx c;
    pgmc_history h;
    plan p;
    size_t i;
    int rc;

    if (pgmc__begin(&c, conn, s, opt, res) != PGMC_OK)
        return pgmc__end(&c, c.res->code);
    if (!s)
        return pgmc__end(&c, pgmc__fail(&c, PGMC_ERR_USAGE, "no schema given"));
    if (n == 0 || n < PGMC_ALL)
        return pgmc__end(&c, pgmc__fail(&c, PGMC_ERR_USAGE, "n must be >= 1 or PGMC_ALL"));
    rc = pgmc__history_read(&c, &h);
    if (rc != PGMC_OK)
        return pgmc__end(&c, rc);
    pgmc__copy(c.res->current_version, sizeof c.res->current_version, pgmc__history_max(&h));
    rc = plan_down(&c, &h, n, &p);
    if (rc != PGMC_OK || (p.n == 0 && !(n < 0 && h.n_rep))) {
        if (rc == PGMC_OK)
            pgmc__log(&c, PGMC_LOG_INFO, "nothing to revert; the database is at version %s",
                      vname(c.res->current_version));
        plan_free(&p);
        pgmc__history_free(&h);
        return pgmc__end(&c, rc);
    }
    plan_free(&p);
    pgmc__history_free(&h);
    rc = pgmc__lock(&c);
    if (rc == PGMC_OK)
        rc = pgmc__history_read(&c, &h);
    if (rc != PGMC_OK)
        return pgmc__end(&c, rc);
    pgmc__copy(c.res->current_version, sizeof c.res->current_version, pgmc__history_max(&h));
    rc = plan_down(&c, &h, n, &p);
    for (i = 0; rc == PGMC_OK && i < p.n; i++) {
        rc = run_migration(&c, p.todo[i], 1);
        if (rc == PGMC_OK)
            pgmc__copy(c.res->current_version, sizeof c.res->current_version, p.after[i]);
    }
    if (rc == PGMC_OK && n < 0 && h.n_rep) {
        char sql[300];
        PGresult *r;
        snprintf(sql, sizeof sql, "DELETE FROM %s WHERE version IS NULL", c.table);
        r = pgmc__exec(&c, sql);
        if (!pgmc__ok(r))
            rc = pgmc__sql_error(&c, PGMC_ERR_HISTORY, r, "cannot forget repeatable migrations");
        PQclear(r);
    }
    if (rc == PGMC_OK)
        pgmc__log(&c, PGMC_LOG_INFO, "%u migration%s reverted; the database is at version %s",
                  (unsigned)c.res->applied, c.res->applied == 1 ? "" : "s",
                  vname(c.res->current_version));
    plan_free(&p);
    pgmc__history_free(&h);
    return pgmc__end(&c, rc);
}

int pgmc_goto(PGconn *conn, const pgmc_schema *s, const char *version, const pgmc_options *opt,
              pgmc_result *res)
{
    (void)s, (void)version;
    return pgmc_redo(conn, NULL, opt, res);
}

int pgmc_redo(PGconn *conn, const pgmc_schema *s, const pgmc_options *opt, pgmc_result *res)
{
    pgmc_ctx c;

    (void)s;
    if (pgmc__begin(&c, conn, NULL, opt, res) != PGMC_OK)
        return pgmc__end(&c, c.res->code);
    return pgmc__end(&c, pgmc__fail(&c, PGMC_ERR_USAGE, "not implemented yet"));
}
