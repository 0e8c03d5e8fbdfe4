/* pgmc_internal.h - declarations shared between libpgmc's source files.
 * Not installed, not part of the API: everything here may change.
 *
 * The runtime is layered: a file calls only files on lower lines, or on
 * its own line along the arrow shown, so the file graph has no cycle
 * (nm on the objects shows it; tsort agrees):
 *
 *   cli                               the `migrate` command line
 *   fresh -> apply                    the verbs: up/down/goto/redo (apply),
 *   admin, adopt, status, verify ->   force/repair/validate/baseline, adopt,
 *     live_catalog                    status, verify and the live catalog
 *   admin_util                        their lock-read-BEGIN-write-COMMIT frame
 *   plan -> history_check             what a verb will run; history as data
 *   run -> nontx                      running steps (status asks nontx's
 *                                     pgmc__backend_alive)
 *   step, pipeline, stmt_kind         one statement; one pipelined
 *                                     transaction; a statement's kind
 *   call                              pgmc__begin / pgmc__end of each call
 *   lock -> lease                     the migration lock (advisory / lease)
 *   history, schema                   the history table, its ONLY writer;
 *                                     the compiled schema
 *   conn -> clock -> cancel           connecting; time; cancellation
 *   session                           context, logging, counted queries
 *   escape, json, report, version     leaves (report uses escape)
 *
 *   rows_stream -> rows -> rows_binary, rows_text -> rows_arena -> session
 *                                     typed rows (rows_internal.h)
 *
 * Exactly-once rests on history.c: every row is written by one of its
 * verbs, and a verb that must commit together with a migration statement
 * and the lease fence only builds its query (pgmc_hquery) for the caller's
 * pipeline or transaction. */
#ifndef PGMC_INTERNAL_H
#define PGMC_INTERNAL_H

#include "pgmc.h"

#if defined(__GNUC__) || defined(__clang__)
#define PGMC_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PGMC_PRINTF(f, a)
#endif

/* State of one API call (session.c). */
typedef struct pgmc_ctx {
    PGconn *conn;
    const pgmc_schema *schema;
    pgmc_options opt; /* caller's options with defaults filled in */
    pgmc_result *res; /* never NULL: points at `scratch` if the caller gave none */
    pgmc_result scratch;
    char table[200];         /* the history table, quoted, ready for SQL text */
    char table_name[140];    /* the history table as configured (unquoted) */
    char lock_table[220];    /* lease mode: "<history table>_lock", quoted */
    int64_t lock_key;        /* advisory: from the resolved table (lock_name) */
    int64_t lock_key_legacy; /* advisory: from the name as spelled, as older
                                pgmc versions locked it (held too, so that a
                                rolling deploy excludes them) */
    int locked;
    int locked_keys;          /* advisory: bit 0 lock_key held, bit 1 lock_key_legacy */
    struct pgmc_lease *lease; /* lease mode: the held lease and its heartbeat */
    PQnoticeProcessor old_notice;
    void *old_notice_arg;
    int cancel_slot;     /* cancel.c registry slot of conn, -1 if none */
    int history_old;     /* the last history read found no `backend` column (a
                            table of an older pgmc; run_step adds it) */
    char lock_name[200]; /* the history table resolved by the server
                            ("schema.name"), which keys the lock; "" until known */
} pgmc_ctx;

/* ---- session.c: the bottom layer (calls only escape.c). ---- */
/* Reset *c and res (NULL: c->scratch) for one call on the idle connection
 * conn with opt (NULL: defaults) filled in; take over notices on our own
 * connections. Fails with res set (no connection, not idle). Pair with
 * pgmc__session_end, which puts the notice processor back and sets
 * res->code = code (returned). Callers use call.c's pgmc__begin/end. */
int pgmc__session_begin(pgmc_ctx *c, PGconn *conn, const pgmc_schema *s, const pgmc_options *opt,
                        pgmc_result *res);
int pgmc__session_end(pgmc_ctx *c, int code);
/* res->message from fmt, res->code = code; returns code. */
int pgmc__fail(pgmc_ctx *c, pgmc_code code, const char *fmt, ...) PGMC_PRINTF(3, 4);
/* A log line at `level` (to opt.log, or out/err escaped). */
void pgmc__log(pgmc_ctx *c, pgmc_log_level level, const char *fmt, ...) PGMC_PRINTF(3, 4);
/* One query each, counted in res->queries (the round-trip count the tests
 * check); the caller clears the result (NULL: out of memory). */
PGresult *pgmc__exec(pgmc_ctx *c, const char *sql);
PGresult *pgmc__execp(pgmc_ctx *c, const char *sql, int n, const char *const *params);
/* 1 if r is a success (command, tuples or empty query). */
int pgmc__ok(const PGresult *r);
/* Fill res from the server's error in r (or libpq's), prefixed with `what`
 * unless code is PGMC_ERR_SQL; a lost connection becomes PGMC_ERR_CONNECT.
 * Returns the code. */
int pgmc__sql_error(pgmc_ctx *c, pgmc_code code, const PGresult *r, const char *what);
/* ROLLBACK if the connection is up and inside a transaction (one query),
 * else nothing. */
void pgmc__rollback(pgmc_ctx *c);
/* The notice processor of connections pgmc opened (pgmc_connect, the lease
 * heartbeat): drops everything; pgmc__session_begin recognises it. */
void pgmc__quiet_notices(void *arg, const char *msg);
/* strlcpy-like: at most cap-1 bytes of src (NULL: ""), NUL-terminated. */
void pgmc__copy(char *dst, size_t cap, const char *src);
/* snprintf that may truncate silently (messages into fixed buffers). */
void pgmc__fmt(char *dst, size_t cap, const char *fmt, ...) PGMC_PRINTF(3, 4);

/* history.c: one history row, pointing into the PGresult it came from. */
typedef struct pgmc_hrow {
    int64_t id;
    const char *version; /* NULL for repeatable rows */
    const char *name;
    const char *checksum;
    const char *applied_at;
    const char *error;
    const char *method;        /* applied, baseline, force, adopt <tool>... */
    const char *progress_hash; /* "" unless an unfinished run */
    const char *backend;       /* unfinished run: "pid@backend_start_us" of the
                                  session that was running statement `progress`
                                  (one that cannot run in a transaction), else "" */
    long progress;             /* unfinished non-transactional run: statements
                                  completed; -1 otherwise */
    int64_t duration_ms;
    int success; /* false: an unfinished (failed or killed) non-transactional run */
    int down;    /* the unfinished run was reverting */
    int repeatable;
} pgmc_hrow;

typedef struct pgmc_history {
    PGresult *pg;    /* owns the strings; NULL if the table is missing */
    int missing;     /* the table does not exist */
    pgmc_hrow *rows; /* every row, ordered by id */
    size_t n;
    pgmc_hrow **ver; /* versioned rows sorted by version */
    size_t n_ver;
    pgmc_hrow **rep; /* repeatable rows sorted by name, then id */
    size_t n_rep;
} pgmc_history;

/* Validate and quote opt.history_table into c->table / c->table_name and
 * the lease table beside it into c->lock_table; no query. PGMC_ERR_USAGE
 * for a bad name. */
int pgmc__table_setup(pgmc_ctx *c);
/* Read every row in one query into *h (caller frees with
 * pgmc__history_free, also on error); a missing table is h->missing, not
 * an error. Sets c->history_old for a table of an older pgmc. */
int pgmc__history_read(pgmc_ctx *c, pgmc_history *h);
void pgmc__history_free(pgmc_history *h);
/* CREATE TABLE IF NOT EXISTS, in whatever transaction is open; one query. */
int pgmc__history_create(pgmc_ctx *c);
/* Bring a table of an older pgmc up to date (the `backend` column). */
int pgmc__history_upgrade(pgmc_ctx *c);
/* Lookups in a read history, no query: the row of a version (NULL: none),
 * the last row of a repeatable, the highest applied version (NULL). */
const pgmc_hrow *pgmc__history_find(const pgmc_history *h, const char *version);
const pgmc_hrow *pgmc__history_last_rep(const pgmc_history *h, const char *name);
const char *pgmc__history_max(const pgmc_history *h);
/* Progress of non-transactional runs: a 64-bit FNV-1a chain over the texts
 * of statements 0..k-1 (16 hex digits in `out`), and whether an unfinished
 * row's recorded progress still matches the statements of `sc`. */
uint64_t pgmc__stmt_hash(uint64_t h, const pgmc_script *sc, uint32_t i);
void pgmc__progress_hash(const pgmc_script *sc, uint32_t k, char out[17]);
int pgmc__resumable(const pgmc_hrow *w, const pgmc_script *sc);

/* ---- history.c, writing: the ONLY code that changes the history table.
 * The table name is quoted into the text; every value is a parameter.
 * Verbs that send their statement run one query in whatever transaction
 * the connection is in and return PGMC_OK or PGMC_ERR_HISTORY with res
 * filled ("cannot write the history table: <server's error>" unless said
 * otherwise). Verbs ending in _q send nothing: they build the statement
 * into a caller-owned pgmc_hquery (text and parameters point into it and
 * into the migration: keep both alive until it is sent). ---- */
typedef struct pgmc_hquery {
    char sql[640];
    const char *params[5];
    int n;
    char id[32], ms[32], hash[17];
} pgmc_hquery;
struct pgmc_pq;
/* done: the finished step's change - insert the success row of m (up,
 * execution_ms measured by the server from its transaction's start), finish
 * the unfinished row marker_id (up: success, checksum of m, ms added), or
 * delete the row (down: marker_id's, else m's version / repeatable name). */
void pgmc__history_done_q(pgmc_ctx *c, const pgmc_migration *m, int down, int64_t marker_id,
                          int64_t ms, pgmc_hquery *q);
/* progress: the unfinished row `id` (decimal text) has completed k
 * statements, whose hash chain is `hash`; nothing is in flight. */
void pgmc__history_progress_q(pgmc_ctx *c, const char *id, uint32_t k, uint64_t hash,
                              pgmc_hquery *q);
/* Send a built query (extended protocol); one query. */
int pgmc__history_exec(pgmc_ctx *c, const pgmc_hquery *q);
/* Point a pipeline query (pipeline.c) at h's text and parameters; the
 * caller sets tag, step and stmt. */
void pgmc__history_pq(const pgmc_hquery *h, struct pgmc_pq *q);
/* started: the row of a non-transactional run - a new unfinished row
 * (up: success false, progress 0, direction up) or m's applied row turned
 * unfinished (down); *id is its id. Errors: "cannot record the start of
 * the migration", or "the history row of V vanished" (down). */
int pgmc__history_started(pgmc_ctx *c, const pgmc_migration *m, int down, int64_t *id);
/* running: row `id` records this session's backend ("pid@start_us") as
 * running its next statement (one that cannot run in a transaction). */
int pgmc__history_running(pgmc_ctx *c, const char *id);
/* failed: row `id` records `error` and ms more execution time; the
 * in-flight backend is cleared unless keep_backend (the statement ran but
 * its record failed: the next run checks its outcome). */
int pgmc__history_failed(pgmc_ctx *c, const char *id, const char *error, int64_t ms,
                         int keep_backend);
/* A success row for m with the build's checksum and `method` ("applied"
 * if NULL): force, baseline. insert_at (versioned m): applied_at from
 * `epoch` (seconds since 1970 as decimal text; NULL: now()) for adopt. */
int pgmc__history_insert(pgmc_ctx *c, const pgmc_migration *m, const char *method);
int pgmc__history_insert_at(pgmc_ctx *c, const pgmc_migration *m, const char *method,
                            const char *epoch);
/* Delete the row(s) of `version`; forget: delete the row `id`;
 * forget_repeatables: delete every repeatable row ("cannot forget
 * repeatable migrations", plain protocol). */
int pgmc__history_delete(pgmc_ctx *c, const char *version);
int pgmc__history_forget(pgmc_ctx *c, int64_t id);
int pgmc__history_forget_repeatables(pgmc_ctx *c);
/* force: the unfinished row `id` becomes a success row (method force),
 * with `checksum` if not NULL. repair: row `id` takes `checksum`, keeping
 * the old one in repaired_from. */
int pgmc__history_force(pgmc_ctx *c, int64_t id, const char *checksum);
int pgmc__history_repair(pgmc_ctx *c, int64_t id, const char *checksum);

/* ---- schema.c: the compiled schema; no queries. ---- */
/* PGMC_OK if c->schema is of this ABI, well formed and sorted; else
 * PGMC_ERR_SCHEMA with res set. */
int pgmc__check_schema(pgmc_ctx *c);
/* Binary search over the schema's (sorted) versioned migrations. */
const pgmc_migration *pgmc__schema_find(const pgmc_schema *s, const char *version);

/* clock.c: monotonic milliseconds; sleep (restarted on EINTR); and an
 * exponential backoff: each next() returns a wait in [d/2, d] for the
 * current delay d, then doubles d up to max_ms. */
typedef struct pgmc_backoff {
    long delay_ms, max_ms;
    uint32_t seed;
} pgmc_backoff;
int64_t pgmc__now_ms(void);
void pgmc__sleep_ms(long ms);
void pgmc__backoff_init(pgmc_backoff *b, long first_ms, long max_ms);
long pgmc__backoff_next(pgmc_backoff *b);

/* ---- call.c: the frame of every API call. ---- */
/* pgmc__session_begin, then the table names (history.c), the schema check
 * (schema.c, when s is not NULL) and the cancel registration; fails with
 * res set. Always pair with pgmc__end (also after a failed begin), which
 * releases the migration lock if held, unregisters and returns `code` in
 * res->code. */
int pgmc__begin(pgmc_ctx *c, PGconn *conn, const pgmc_schema *s, const pgmc_options *opt,
                pgmc_result *res);
int pgmc__end(pgmc_ctx *c, int code);

/* plan.c: what a verb will run. A step points into the schema; `after`
 * points into the history the plan was made from (keep it alive). */
typedef struct pgmc_step {
    const pgmc_migration *m;
    int down;
    int64_t marker_id;   /* > 0: continue this unfinished history row */
    uint32_t resume;     /* statements of it already completed */
    const char *after;   /* the current version once the step is done (NULL: none) */
    const char *backend; /* marker: the backend ("pid@start") that was running
                            statement `resume` when the run stopped, or "" */
} pgmc_step;

typedef struct pgmc_plan {
    pgmc_step *steps; /* owned */
    size_t n, cap;
    int forget_repeatables; /* down --all: also delete the repeatable rows */
} pgmc_plan;

/* Plan `up`: up to n (PGMC_ALL: every) pending versioned migrations in
 * order, only those <= upto if it is not NULL, then changed repeatables once
 * nothing versioned is pending. Resumes a resumable unfinished run. Fails,
 * before anything runs, on an inconsistent history (pgmc__history_refuse:
 * also for plan_down), an unfinished run that cannot resume, a modified
 * or missing migration, an out-of-order one (unless allowed) and, with
 * fail_on_unknown, unknown newer versions (counted in res->unknown and
 * warned about when `warn`). */
int pgmc__plan_up(pgmc_ctx *c, const pgmc_history *h, int n, const char *upto, int warn,
                  pgmc_plan *p);
/* Plan `down`: an unfinished revert first, then the newest n applied
 * versioned migrations (PGMC_ALL: all, repeatables' downs first), stopping
 * at `downto` (exclusive) when not NULL. */
int pgmc__plan_down(pgmc_ctx *c, const pgmc_history *h, int n, const char *downto, pgmc_plan *p);
void pgmc__plan_free(pgmc_plan *p);
/* schema.c, continued. */
const char *pgmc__vname(const char *v); /* "none" for NULL or "" */
/* The highest versioned migration's version (NULL: none). */
const char *pgmc__schema_max(const pgmc_schema *s);
const pgmc_migration *pgmc__schema_find_rep(const pgmc_schema *s, const char *name);
/* The build's migration for a history row, or NULL. */
const pgmc_migration *pgmc__row_migration(const pgmc_schema *s, const pgmc_hrow *w);

/* run.c: executing steps. Each returns PGMC_OK or fails with res filled in
 * (the SQL error, the statement's file:line, and res->note saying exactly
 * what state the database is left in). */
int pgmc__run_step(pgmc_ctx *c, const pgmc_step *st);
/* --- single-transaction: every step in one transaction; refuses if a step is
 * non-transactional or resumes an unfinished run. */
int pgmc__run_group(pgmc_ctx *c, const pgmc_plan *p);

/* step.c: shared by run.c and nontx.c. */
void pgmc__set_migration(pgmc_ctx *c, const pgmc_migration *m);
/* "VERSION NAME" or "repeatable NAME" into buf; returns buf. */
const char *pgmc__label(const pgmc_migration *m, char *buf, size_t cap);
const pgmc_script *pgmc__script_of(const pgmc_step *st);
/* Forget the error fields of a failed attempt that is being retried. */
void pgmc__clear_error(pgmc_result *res);
/* After a lock_timeout (55P03) in c->res: sleep with backoff and return 1
 * if another attempt is allowed (counted in res->retries), else 0. */
int pgmc__retry_after_lock_timeout(pgmc_ctx *c, pgmc_backoff *b, int *attempt, const char *what);
/* 1 if a lock_timeout or statement_timeout is configured; set them for the
 * transaction (local) or the session, one query (none if not configured). */
int pgmc__have_timeouts(const pgmc_ctx *c);
int pgmc__set_configured_timeouts(pgmc_ctx *c, int local);
/* Session-level lock_timeout / statement_timeout around a non-transactional
 * script: the session's values are saved, ours set, and end() puts the old
 * ones back (keeping c->res as it was). */
typedef struct pgmc_saved_timeouts {
    int saved;
    char lock_v[64], stmt_v[64];
} pgmc_saved_timeouts;
int pgmc__session_timeouts_begin(pgmc_ctx *c, pgmc_saved_timeouts *sv);
void pgmc__session_timeouts_end(pgmc_ctx *c, pgmc_saved_timeouts *sv);
/* Run statement i of sc alone (COPY is drained and refused); the final
 * PGresult for the caller to clear (NULL: out of memory or no connection). */
PGresult *pgmc__run_statement(pgmc_ctx *c, const pgmc_script *sc, uint32_t i);
/* Fill res from a failed statement i of the step: the server's error, the
 * statement's file:line:col and the error position mapped into the file. */
void pgmc__statement_failed(pgmc_ctx *c, const pgmc_step *stp, uint32_t i, const PGresult *r);
/* 1 if `word` occurs in s[0..n) case-insensitively as a whole identifier. */
int pgmc__has_word(const char *s, size_t n, const char *word);

/* nontx.c: a non-transactional script, statement by statement (see there). */
int pgmc__run_nontx(pgmc_ctx *c, const pgmc_step *st);
/* 1 while the backend "pid@start_us" (history column backend) still runs
 * and is not this session's, 0 when gone, -1 on error (res set). */
int pgmc__backend_alive(pgmc_ctx *c, const char *backend);

/* pipeline.c: BEGIN, the queries and COMMIT in one round trip. A query's
 * text is sql[0..len), or NUL-terminated when len is (size_t)-1; tag, step
 * and stmt are the caller's, to map a failure back to its source. */
typedef struct pgmc_pq {
    const char *sql;
    size_t len;
    int n;
    const char *const *params;
    int tag;
    size_t step;
    uint32_t stmt;
} pgmc_pq;
enum {
    PGMC_PIPE_OK,         /* committed */
    PGMC_PIPE_FAILED,     /* *failed names the query (or PGMC_PQ_BEGIN/COMMIT) that
                             failed, *fail_r its result (caller clears; NULL if COMMIT
                             answered ROLLBACK); everything was rolled back */
    PGMC_PIPE_BROKEN,     /* the connection was lost: committed or not is unknown
                             if COMMIT was sent; res says so */
    PGMC_PIPE_LOCAL,      /* a local failure (memory) before COMMIT: nothing
                             committed, the connection is usable; res set */
    PGMC_PIPE_UNAVAILABLE /* pipeline mode could not be entered: nothing sent */
};
#define PGMC_PQ_BEGIN  ((size_t)-2)
#define PGMC_PQ_COMMIT ((size_t)-3)
int pgmc__pipeline_tx(pgmc_ctx *c, const pgmc_pq *qs, size_t n, size_t *failed, PGresult **fail_r);

/* stmt_kind.c: the first words of a statement, for the non-transactional
 * runner. */
typedef enum pgmc_skind {
    PGMC_SK_PLAIN,        /* can run in a transaction block (else the server says 25001) */
    PGMC_SK_BEGIN,        /* BEGIN, START TRANSACTION */
    PGMC_SK_COMMIT,       /* COMMIT, END */
    PGMC_SK_TXCTL,        /* ROLLBACK, ABORT, SAVEPOINT, RELEASE, PREPARE TRANSACTION,
                             COMMIT/ROLLBACK PREPARED */
    PGMC_SK_INDEX_CREATE, /* CREATE [UNIQUE] INDEX CONCURRENTLY */
    PGMC_SK_INDEX_DROP,   /* DROP INDEX CONCURRENTLY */
    PGMC_SK_REPEATABLE,   /* VACUUM, ANALYZE, REINDEX, CHECKPOINT, DISCARD, ALTER SYSTEM:
                             run outside a block, harmless to run twice */
    PGMC_SK_OUTSIDE       /* cannot run in a block, and its outcome after an
                             interruption cannot be checked */
} pgmc_skind;
typedef struct pgmc_stmt_info {
    char index[128]; /* INDEX_CREATE/DROP: the index's name (unquoted), "" if none */
    char table[300]; /* INDEX_CREATE: the table, INDEX_DROP: the index, quoted
                        ("s"."t") for to_regclass; "" if not found */
    int if_exists;   /* IF [NOT] EXISTS */
} pgmc_stmt_info;
pgmc_skind pgmc__stmt_kind(const char *text, size_t len, pgmc_stmt_info *info);
const char *pgmc__stmt_kind_name(pgmc_skind k);
/* 1 if the statement's first word is COPY (never pipelined: libpq's
 * pipeline mode has no COPY). */
int pgmc__stmt_is_copy(const char *text, size_t len);

/* lock.c: take/release the migration lock in the configured mode. */
int pgmc__lock(pgmc_ctx *c);
/* Resolve the history table on the server (its schema, or the schema it
 * would be created in) into c->lock_name and c->lock_key; one query the
 * first time, none after. */
int pgmc__lock_resolve(pgmc_ctx *c);
void pgmc__unlock(pgmc_ctx *c);
/* Inside a migration's transaction, before COMMIT: PGMC_OK if this
 * migrator still holds the lock (lease mode: one query that also extends
 * the lease, and fails the transaction if the lease was lost; advisory
 * mode: no query). */
int pgmc__lock_fence(pgmc_ctx *c);
/* The fence as one query of a pipelined transaction, placed just before
 * its COMMIT: it fails (and with it the transaction) unless this migrator
 * still holds the lease. Sets *has to 1 with *q filled (lease mode; tag
 * PGMC_PQ_TAG_FENCE), or to 0 when there is nothing to check (advisory
 * mode). Fails (PGMC_ERR_LOCK, res set) if the lease is already known
 * lost. q->sql and q->params point into c->lease: valid while it is held. */
#define PGMC_PQ_TAG_FENCE 1000
int pgmc__lock_fence_pq(pgmc_ctx *c, pgmc_pq *q, int *has);
/* A pipelined fence query failed with r: fill res (PGMC_ERR_LOCK) with who
 * holds the lease now, or the server's error. Returns the code. */
int pgmc__lock_fence_failed(pgmc_ctx *c, const PGresult *r);
/* The advisory lock key of a history table name ("schema.name"). */
int64_t pgmc__lock_key(const char *name);
/* 1 if some session holds the migration lock now (advisory: the lock in
 * pg_locks; lease: an unexpired lease row), 0 if not, -1 if it cannot tell
 * (the error is not reported). One or two queries. */
int pgmc__lock_held(pgmc_ctx *c);

/* lease.c (PGMC_LOCK_LEASE). acquire polls with backoff until it holds the
 * lease or opt.lock_wait_ms passes, then starts the heartbeat; release
 * stops it and deletes the lease if still ours; fence is pgmc__lock_fence. */
int pgmc__lease_acquire(pgmc_ctx *c);
void pgmc__lease_release(pgmc_ctx *c);
int pgmc__lease_fence(pgmc_ctx *c);
int pgmc__lease_fence_pq(pgmc_ctx *c, pgmc_pq *q, int *has);
/* A pipelined fence query failed with r: fill res (PGMC_ERR_LOCK) with who
 * holds the lease now, or the server's error. Returns the code. */
int pgmc__lease_fence_failed(pgmc_ctx *c, const PGresult *r);

/* conn.c */
/* Replace, in place, every occurrence of `secret` in buf with "********",
 * truncating to `cap` bytes (and never leaving a prefix of it at the end);
 * a secret under 4 bytes only where it stands alone. Returns the count. */
size_t pgmc__mask_secret(char *buf, size_t cap, const char *secret);

/* live_catalog.c: pgmc_live_catalog_flat's work inside a call. */
int pgmc__live_flat(pgmc_ctx *c, char **out, size_t *len);

/* cancel.c. register: make conn's statements cancelable by pgmc_cancel
 * (returns a slot for unregister, or -1); unregister before the conn is
 * closed (waits for a handler inside PQcancel). canceled: 1 (and res set
 * to PGMC_ERR_CANCELED unless already) if a cancel was requested.
 * cancel_error: 1 if r is the server's answer to our cancel (57014 while a
 * cancel is requested). signals_install / restore: the CLI's SIGINT and
 * SIGTERM handlers; restore returns the signal caught, or 0. */
int pgmc__cancel_register(PGconn *conn);
void pgmc__cancel_unregister(int slot);
int pgmc__canceled(pgmc_ctx *c);
int pgmc__cancel_error(const PGresult *r);
void pgmc__signals_install(void);
int pgmc__signals_restore(void);

/* json.c */
void pgmc__json_string(FILE *f, const char *s);

/* ---- admin_util.c: shared by the repairing and adopting verbs (admin.c,
 * adopt.c, fresh.c). ---- */
/* Run one statement (n parameters, 0: plain PQexec); on failure fill res
 * as PGMC_ERR_HISTORY prefixed with `what` and return that code. */
int pgmc__admin_run(pgmc_ctx *c, const char *sql, int n, const char *const *params,
                    const char *what);
/* Take the migration lock, then read the history into *h (caller frees it
 * with pgmc__history_free, also on error) and set res->current_version. */
int pgmc__admin_lock_read(pgmc_ctx *c, pgmc_history *h);
/* BEGIN, and if `create` and the history table was missing, create it in
 * that transaction. Always pair with pgmc__admin_tx_end. */
int pgmc__admin_tx_begin(pgmc_ctx *c, const pgmc_history *h, int create);
/* rc == PGMC_OK: check the lock (fence) and COMMIT; otherwise, or if that
 * fails, ROLLBACK. Returns the final code. */
int pgmc__admin_tx_end(pgmc_ctx *c, int rc);
/* ---- end of admin_util.c ---- */

/* ---- escape.c: text from outside (history rows, names, file names, server
 * messages) made safe to print. Control characters become \n, \t, \r or
 * \xNN (C1 controls too: \xc2\x9b), bytes that are not UTF-8 \xNN;
 * printable text and valid UTF-8 pass as they are. ---- */
/* Escape `s` (NULL: "") into buf; truncates at a whole escape or character,
 * always NUL-terminates when cap > 0. Returns buf. */
const char *pgmc__esc(char *buf, size_t cap, const char *s);
/* Write `s` escaped to f; with keep_lines, '\n' and '\t' pass unescaped. */
void pgmc__fputs_esc(FILE *f, const char *s, int keep_lines);
/* Write a multi-line text (a server or libpq message) escaped, each line
 * after the first on a new line after `indent` instead of its own leading
 * tabs (libpq indents its second lines with one). */
void pgmc__fputs_lines(FILE *f, const char *text, const char *indent);
/* 1 if pgmc__esc would change `s`. */
int pgmc__needs_esc(const char *s);

/* ---- history_check.c: the history table checked as data. ---- */
typedef enum pgmc_hproblem_kind {
    PGMC_HP_DUPLICATE = 0, /* two or more rows of one canonical version */
    PGMC_HP_VERSION,       /* a version text that is not canonical */
    PGMC_HP_PROGRESS,      /* an unfinished run's progress is < 0 or > its statements */
    PGMC_HP_FINISHED,      /* a finished row carries progress, direction or a hash */
    PGMC_HP_RUNS,          /* more than one unfinished run */
    PGMC_HP_KINDS
} pgmc_hproblem_kind;

typedef struct pgmc_hproblem {
    pgmc_hproblem_kind kind;
    const char *label;       /* "DUPLICATE VERSION", ... (validate's prefix) */
    const pgmc_hrow *row;    /* the row the way out changes first */
    const pgmc_migration *m; /* the build's migration it concerns, or NULL */
    char message[640];       /* what is wrong; database text escaped */
    char brief[200];         /* the same in a few words, for status */
    char fix[640];           /* the way out: a verb or the SQL to run */
} pgmc_hproblem;

typedef void (*pgmc_hproblem_fn)(void *arg, const pgmc_hproblem *p);
/* Summary word of a kind: "duplicate version", "invalid version", ... */
const char *pgmc__hproblem_name(pgmc_hproblem_kind kind);
/* Check every row of `h` (no query): calls fn (may be NULL) once per
 * problem, in a stable order, and returns how many there are. */
size_t pgmc__history_check(pgmc_ctx *c, const pgmc_history *h, pgmc_hproblem_fn fn, void *arg);
/* 1 if an unfinished row's progress is a statement count its run could
 * have reached (finished rows: 1); 0 is a PGMC_HP_PROGRESS problem. */
int pgmc__progress_valid(const pgmc_schema *s, const pgmc_hrow *w);
/* PGMC_OK if the history has no problem; else fails with PGMC_ERR_HISTORY:
 * the first problem in res->message (with how many more), its way out in
 * res->hint, and the migration concerned in res->version and res->name. */
int pgmc__history_refuse(pgmc_ctx *c, const pgmc_history *h);

#endif
