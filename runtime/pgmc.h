/* pgmc.h - public API of libpgmc, the runtime that applies a compiled
 * pgmc_schema (see pgmc_schema.h) to a PostgreSQL database through libpq.
 *
 * Memory: no function here keeps anything after it returns except the PGconn
 * returned by pgmc_connect(), which the caller owns (PQfinish it). Functions
 * use temporary heap memory internally (libpq results, a NUL-terminated copy
 * of each statement) and release it before returning. Results and status
 * rows are caller-provided structs with fixed-size buffers; long texts are
 * truncated, never allocated. The one exception is pgmc_live_catalog_flat(),
 * whose text is malloc'd for the caller to free(), as its contract says.
 *
 * Threads: functions are reentrant; a PGconn must not be shared by threads
 * while a pgmc call runs on it.
 */
#ifndef PGMC_H
#define PGMC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <libpq-fe.h>

#include "pgmc_schema.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Default history table (resolved through the connection's search_path). */
#define PGMC_DEFAULT_HISTORY_TABLE "pgmc_schema_history"

/* pgmc_options.lock_wait_ms: try to take the lock once, never wait. */
#define PGMC_LOCK_WAIT_ONCE (-1L)

/* Pass as `n` to pgmc_up()/pgmc_down() to apply/revert everything. */
#define PGMC_ALL (-1)

/* Outcome of every call; also stored in pgmc_result.code. */
typedef enum pgmc_code {
    PGMC_OK = 0,
    PGMC_ERR_USAGE,    /* bad argument (n == 0, bad table name, NULL schema...) */
    PGMC_ERR_CONNECT,  /* could not connect, or the connection broke */
    PGMC_ERR_SCHEMA,   /* the compiled schema is invalid or from another ABI */
    PGMC_ERR_SQL,      /* a statement of a migration failed */
    PGMC_ERR_HISTORY,  /* reading or writing the history table failed, or its
                          rows are inconsistent (see pgmc_validate) */
    PGMC_ERR_LOCK,     /* timed out waiting for the migration lock */
    PGMC_ERR_DIRTY,    /* a failed (partial) migration is recorded */
    PGMC_ERR_CHECKSUM, /* an applied migration was changed after it was applied */
    PGMC_ERR_ORDER,    /* pending migration older than the newest applied one */
    PGMC_ERR_UNKNOWN,  /* the database has an applied version this binary lacks */
    PGMC_ERR_NO_DOWN,  /* down requested for a migration without a down script */
    PGMC_ERR_NOMEM,
    PGMC_ERR_VALIDATE, /* validate found modified, missing, unknown or failed entries */
    PGMC_ERR_REFUSED,  /* a destructive or adopting verb refused (missing confirmation,
                          history already present, foreign history dirty...) */
    PGMC_ERR_DECODE,   /* a row could not be decoded into its struct: a column of an
                          unexpected type, a malformed value, or the arena is full */
    PGMC_ERR_CANCELED  /* pgmc_cancel() stopped the call (a signal, or the service) */
} pgmc_code;

/* How migrators of one database exclude each other (pgmc_options.lock_mode). */
typedef enum pgmc_lock_mode {
    /* A session advisory lock, polled with pg_try_advisory_lock. Released by
     * the server when the session ends, so a killed migrator never blocks
     * the next one. Not correct behind a transaction-pooling PgBouncer. */
    PGMC_LOCK_ADVISORY = 0,
    /* A lease row in "<history table>_lock" with an expiry, renewed by a
     * heartbeat on a second connection and checked inside every migration
     * transaction. Correct behind PgBouncer in transaction pooling mode; a
     * killed migrator blocks others until its lease expires (lease_ttl_ms). */
    PGMC_LOCK_LEASE = 1
} pgmc_lock_mode;

/* Message levels for pgmc_options.verbosity and the log callback. */
typedef enum pgmc_log_level {
    PGMC_LOG_WARN = 0,   /* something the operator should know about */
    PGMC_LOG_INFO = 1,   /* progress: one line per migration applied */
    PGMC_LOG_VERBOSE = 2 /* server NOTICEs, lock waits, statement progress */
} pgmc_log_level;

/* Receives one message line (no trailing newline). `msg` is only valid
 * during the call. */
typedef void (*pgmc_log_fn)(void *ctx, pgmc_log_level level, const char *msg);

typedef struct pgmc_options {
    /* "table" or "schema.table": letters, digits, '_', at most one '.'.
     * NULL means PGMC_DEFAULT_HISTORY_TABLE. All migrators of a database
     * must use the same name: it also keys the migration lock. */
    const char *history_table;
    /* Messages above this level are dropped. Default PGMC_LOG_INFO. */
    pgmc_log_level verbosity;
    /* Where messages go when `log` is NULL: warnings to `err`, the rest to
     * `out`. NULL streams discard. Errors are never printed by the library:
     * they are returned in pgmc_result (see pgmc_print_error). Server
     * NOTICEs are logged at PGMC_LOG_VERBOSE on connections opened by
     * pgmc_connect(); on other connections your notice processor stays. */
    FILE *out;
    FILE *err;
    /* If set, receives every message instead of out/err. */
    pgmc_log_fn log;
    void *log_ctx;
    /* Give up waiting for another migrator after this many milliseconds
     * (PGMC_ERR_LOCK). 0 waits forever; PGMC_LOCK_WAIT_ONCE tries once. */
    long lock_wait_ms;
    pgmc_lock_mode lock_mode; /* default PGMC_LOCK_ADVISORY */
    /* PGMC_LOCK_LEASE: how long a lease lives without a heartbeat. 0 means
     * 30000 ms. The heartbeat renews it every third of that. */
    long lease_ttl_ms;
    /* PostgreSQL lock_timeout and statement_timeout for the statements of a
     * migration (SET LOCAL inside each transaction, session-level around a
     * non-transactional migration). 0 leaves the server's setting alone. */
    long lock_timeout_ms;
    long statement_timeout_ms;
    /* When a migration fails with lock_timeout (SQLSTATE 55P03) it is
     * rolled back and retried this many times, with exponential backoff
     * and jitter (1 s, 2 s, 4 s, ... capped at 30 s). Negative means 0.
     * pgmc_options_init sets 3. */
    int lock_retries;
    /* Apply pending migrations older than the newest applied one instead
     * of refusing with PGMC_ERR_ORDER. */
    int allow_out_of_order;
    /* pgmc_up: apply all pending migrations in one transaction; refuses if
     * one of them is non-transactional. */
    int single_transaction;
    /* pgmc_up: versions applied in the database but absent from this build
     * and newer than everything it knows (a newer replica migrated first)
     * are counted in pgmc_result.unknown and logged as a warning; with this
     * set they make pgmc_up fail with PGMC_ERR_UNKNOWN instead. Unknown
     * versions older than the newest known one always fail ("missing"). */
    int fail_on_unknown;
    /* pgmc_connect: keep retrying a failed connection for this long, with
     * backoff and jitter (100 ms doubling to 2 s). 0: one attempt. */
    long connect_wait_ms;
} pgmc_options;

/* What went wrong (or right). All strings are NUL-terminated, "" when
 * unknown. The caller owns the struct; calls reset it on entry. */
typedef struct pgmc_result {
    pgmc_code code;
    char message[1024]; /* one-line summary, or the server's message */
    char sqlstate[6];   /* server SQLSTATE, e.g. "42P07" */
    char detail[1024];  /* server DETAIL */
    char hint[1024];    /* server HINT, or pgmc's advice */
    char context[1024]; /* server CONTEXT (e.g. PL/pgSQL call stack) */
    char note[1024];    /* pgmc's account of the state the database is
                           left in, and what to do about it */
    char version[64];   /* the migration involved ("" for repeatables) */
    char name[128];
    char file[256];           /* its source file, relative to the migrations dir */
    uint32_t line, column;    /* where the failing statement starts in `file` */
    uint32_t error_line;      /* server-reported error position mapped to `file`, */
    uint32_t error_column;    /*   0 when the server gave no position */
    uint32_t statement;       /* 1-based index of the failing statement */
    uint32_t n_statements;    /* statements in the failing script */
    int rolled_back;          /* transactional script: everything was rolled back */
    int partial;              /* non-transactional script: statements 1..statement-1
                                 are committed, the database is half-migrated */
    int down;                 /* the failure happened while reverting */
    uint32_t applied;         /* migrations applied or reverted by this call */
    uint32_t unknown;         /* applied versions newer than this build knows */
    uint32_t retries;         /* lock_timeout retries this call made */
    uint32_t resumed_at;      /* a non-transactional migration was resumed at this
                                 1-based statement (0: none) */
    char current_version[64]; /* highest applied version after the call, "" none */
    uint32_t queries;         /* round trips sent to the server by this call */
} pgmc_result;

/* Per-migration state reported by pgmc_status(). */
typedef enum pgmc_state {
    PGMC_STATE_PENDING = 0, /* not applied (repeatable: changed since last run) */
    PGMC_STATE_APPLIED,     /* applied, checksum matches */
    PGMC_STATE_FAILED,      /* a non-transactional run failed part way (error recorded) */
    PGMC_STATE_CHANGED,     /* applied, but its up script changed since */
    PGMC_STATE_UNKNOWN,     /* applied in the database, absent from this binary,
                               newer than everything the binary knows */
    PGMC_STATE_INCOMPLETE,  /* a non-transactional run stopped part way without
                               recording an error (the migrator was killed) */
    PGMC_STATE_MISSING,     /* applied in the database, absent from this binary,
                               older than its newest migration (a deleted file) */
    PGMC_STATE_INVALID      /* its history rows are inconsistent: two rows of one
                               version, a version that is not canonical, progress
                               out of range (`error` says which; validate says
                               how to fix it) */
} pgmc_state;

typedef struct pgmc_migration_status {
    const pgmc_migration *migration; /* into the schema; NULL for UNKNOWN */
    pgmc_state state;
    int repeatable;
    char version[64];
    char name[128];
    char applied_at[32]; /* "YYYY-MM-DD HH:MM:SS" in UTC, "" if never applied */
    int64_t duration_ms; /* of the last application, -1 if never applied */
    char checksum[65];   /* recorded checksum, else the binary's */
    char error[256];     /* FAILED: what went wrong, as recorded; INVALID: what is
                            wrong with the history rows */
    /* FAILED / INCOMPLETE: the run that stopped. */
    int down;                 /* it was reverting, not applying */
    uint32_t statements_done; /* statements completed and committed */
    uint32_t n_statements;    /* in the script, 0 if not in this build */
    int resumable;            /* the completed statements still match this build */
    int lock_held;            /* INCOMPLETE or PENDING: a migrator holds the migration
                                 lock right now, so the run may still be going on (a
                                 pending migration may be committing as you look) */
    int in_flight_pid;        /* INCOMPLETE: the server backend still running the
                                 statement the run stopped at (one that cannot run in
                                 a transaction), or 0 */
    char stopped_file[256];   /* the first statement not completed, if known */
    uint32_t stopped_line;
} pgmc_migration_status;

/* Fill `opt` with the defaults: default table, PGMC_LOG_INFO, no output
 * streams (silent), no callback, advisory lock waited for forever, server
 * timeouts untouched, 3 lock_timeout retries, everything else off. */
void pgmc_options_init(pgmc_options *opt);

/* Open a connection. `conninfo` is a URL or key=value string; NULL means
 * the DATABASE_URL environment variable if set and non-empty, else ""
 * (libpq defaults and PG* variables). Sets fallback_application_name=pgmc.
 * Notices on the returned connection are discarded outside pgmc calls.
 * Returns a connection the caller must PQfinish(), or NULL with `res`
 * (may be NULL) holding the libpq error, with every occurrence of the
 * password (from conninfo or PGPASSWORD) replaced by "********". */
PGconn *pgmc_connect(const char *conninfo, const pgmc_options *opt, pgmc_result *res);
/* With opt->connect_wait_ms > 0, failed attempts are retried until that
 * much time has passed (logged at PGMC_LOG_INFO); the last error is kept. */

/* Write "user@host:port/dbname" for a connected `conn` into buf (cap bytes,
 * truncated, always NUL-terminated if cap > 0). Never includes a password.
 * Returns buf. */
char *pgmc_describe_target(PGconn *conn, char *buf, size_t cap);

/* Replace, in place, every occurrence in `buf` of the password contained in
 * `conninfo` (URL with %-escapes decoded, or key=value) and of $PGPASSWORD
 * with "********", truncating to `cap` bytes. conninfo may be NULL.
 * Returns the number of replacements. */
size_t pgmc_redact(char *buf, size_t cap, const char *conninfo);

/* Compare canonical version strings numerically, dot-separated part by part
 * ("2" < "10", "1.2" < "1.10", "1" < "1.0"). NULL sorts first. Returns <0, 0
 * or >0 like strcmp. */
int pgmc_version_cmp(const char *a, const char *b);

/* Apply up to `n` pending versioned migrations in version order (PGMC_ALL:
 * all), then, once no versioned migration is pending, every repeatable one
 * whose checksum differs from its last recorded run. Creates the history
 * table if missing. If nothing is pending this costs one query. Otherwise it
 * takes the migration lock, re-reads the history under it, applies, and
 * releases the lock. Refuses (before changing anything) if a failed run is
 * recorded, an applied script changed, a pending migration is older than an
 * applied one, an applied version is unknown and older than the newest
 * known, or the history's rows are inconsistent (PGMC_ERR_HISTORY, the
 * problems pgmc_validate lists; the first one in res->message, its way out
 * in res->hint). The same refusals hold for pgmc_down, pgmc_goto and
 * pgmc_redo. `conn` must be idle (not in a transaction). `opt` and `res` may be
 * NULL. Returns PGMC_OK or the error code also stored in res->code. */
int pgmc_up(PGconn *conn, const pgmc_schema *s, int n, const pgmc_options *opt, pgmc_result *res);

/* Revert the `n` most recently applied versioned migrations (n >= 1, or
 * PGMC_ALL), newest first, each with its down script and history delete in
 * one transaction (non-transactional scripts: autocommit, then the delete).
 * Fails with PGMC_ERR_NO_DOWN before changing anything if one of them lacks
 * a down script. PGMC_ALL also forgets repeatable migrations (running their
 * down scripts if they have any) so that the next up re-applies them.
 * Same lock, parameters and return convention as pgmc_up(). */
int pgmc_down(PGconn *conn, const pgmc_schema *s, int n, const pgmc_options *opt, pgmc_result *res);

/* Move to `version`: apply pending migrations up to and including it, or
 * revert applied ones newer than it. "0" or "none" reverts everything.
 * The version must be one this build knows (else PGMC_ERR_USAGE). Same
 * refusals, lock and conventions as pgmc_up()/pgmc_down(). */
int pgmc_goto(PGconn *conn, const pgmc_schema *s, const char *version, const pgmc_options *opt,
              pgmc_result *res);

/* Revert the newest applied migration and apply it again, under one lock. */
int pgmc_redo(PGconn *conn, const pgmc_schema *s, const pgmc_options *opt, pgmc_result *res);

/* Check the history against the build without changing anything: fails
 * with PGMC_ERR_VALIDATE if any migration is modified (checksum differs),
 * missing (applied, absent from the build, older than its newest), unknown
 * (applied, absent, newer), failed or incomplete, or pending below the
 * newest applied version; or if the history's rows are inconsistent as
 * data: two rows of one canonical version ('3' and '003'), a version text
 * that is not canonical, an unfinished run whose progress is below 0 or
 * above its script's statement count, a finished row carrying progress or
 * direction, more than one unfinished run. Logs one PGMC_LOG_WARN line per
 * problem, with its way out, and a summary (else "N migrations valid" at
 * PGMC_LOG_INFO). `res->message` summarises the counts. One query; a
 * missing history table is valid. Database text in messages is escaped
 * (control characters as \n, \x1b ...). */
int pgmc_validate(PGconn *conn, const pgmc_schema *s, const pgmc_options *opt, pgmc_result *res);

/* Record that the database is at `version` ("none" or "0": nothing
 * applied) without running anything: migrations of the build up to it that
 * are not recorded get a row (method 'force'), recorded ones above it are
 * forgotten, and a failed or incomplete marker is resolved: marked applied
 * if its version is <= `version`, deleted otherwise. Repeatable entries are
 * untouched, except a failed or incomplete repeatable marker, which is
 * deleted (the next up runs that repeatable again). Creates the history
 * table if missing. res->applied counts the rows changed. Takes the lock;
 * all changes are one transaction. */
int pgmc_force(PGconn *conn, const pgmc_schema *s, const char *version, const pgmc_options *opt,
               pgmc_result *res);

/* Accept the build's checksums for applied migrations whose script changed
 * (state CHANGED): the recorded checksum is replaced and the old one kept
 * in the row's `repaired_from`. Logs one line per migration repaired;
 * res->applied counts them. The CLI asks for --yes first. */
int pgmc_repair(PGconn *conn, const pgmc_schema *s, const pgmc_options *opt, pgmc_result *res);

/* Mark every versioned migration up to and including `version` as applied
 * (method 'baseline') without running it, for a database whose schema was
 * created by other means. Refuses (PGMC_ERR_REFUSED) if the history already
 * records any versioned migration. `version` must be in the build. */
int pgmc_baseline(PGconn *conn, const pgmc_schema *s, const char *version, const pgmc_options *opt,
                  pgmc_result *res);

/* Import the history of another tool, in place, so nothing is re-run:
 * `from` is "golang-migrate", "sqlx", "goose", "dbmate" or NULL/"auto"
 * (detect from the tables present). `table` names the foreign table, NULL
 * for the tool's default (schema_migrations, _sqlx_migrations,
 * goose_db_version). Every version it records as applied must be in the
 * build; each gets a pgmc row (method 'adopt <tool>') with the build's
 * checksum. Refuses (PGMC_ERR_REFUSED) if the foreign history is dirty or
 * failed, records versions the build lacks, or pgmc's history already has
 * versioned rows. The foreign table is left as it was. */
int pgmc_adopt(PGconn *conn, const pgmc_schema *s, const char *from, const char *table,
               const pgmc_options *opt, pgmc_result *res);

/* Drop everything in the database's user schemas (every schema except
 * pg_catalog, information_schema, pg_toast and temporary ones, with
 * CASCADE; `public` is recreated) and the history, then apply every
 * migration. Refuses (PGMC_ERR_REFUSED) unless `confirm_dbname` equals
 * current_database(). The drop is one transaction under the migration
 * lock, held (advisory mode) until the migrations are applied; `res` then
 * holds pgmc_up()'s result, with `queries` counting the whole call. */
int pgmc_fresh(PGconn *conn, const pgmc_schema *s, const char *confirm_dbname,
               const pgmc_options *opt, pgmc_result *res);

/* One query: the state of every migration. Writes up to `cap` entries to
 * `out` (may be NULL when cap is 0): the schema's migrations in schema order,
 * then versions recorded in the database but unknown to the schema. An
 * entry whose history rows are inconsistent (see pgmc_validate) is
 * PGMC_STATE_INVALID with the problem in `error`, never a made-up state or
 * statement count. `*count`
 * (may be NULL) receives the number of entries available, which may exceed
 * cap. A missing history table means everything is pending. Returns PGMC_OK
 * or an error code. */
int pgmc_status(PGconn *conn, const pgmc_schema *s, const pgmc_options *opt,
                pgmc_migration_status *out, size_t cap, size_t *count, pgmc_result *res);

/* One query: the highest successfully applied version into buf ("" if
 * none or no history table). Returns PGMC_OK or an error code. */
int pgmc_current_version(PGconn *conn, const pgmc_options *opt, char *buf, size_t cap,
                         pgmc_result *res);

/* The live database's schema in the "flat" form that the generator's
 * catalog is also written in (`pgmc schema --flat`; the format is
 * specified in pgmc_schema.h): one fact per line, "\n"
 * after each, sorted bytewise. Lists every schema, extension (but plpgsql,
 * which every database has), table, partitioned table, partition, view,
 * materialized view, column (positions dense and 1-based, dropped columns
 * skipped), enum label, domain and composite type attribute outside
 * pg_catalog, information_schema, pg_toast, temporary and TimescaleDB
 * internal schemas, except objects that belong to an extension and pgmc's
 * own history and lease tables (opt->history_table and "<it>_lock",
 * resolved through the connection's search_path). Types are spelled by
 * format_type() with search_path = public.
 * Four round trips: resolving the history table, BEGIN READ ONLY with SET
 * LOCAL search_path, the catalog query, ROLLBACK. `conn` must be idle.
 * On PGMC_OK, *out is a malloc'd NUL-terminated text the caller must
 * free(), and *len (len may be NULL) its length; on error *out is NULL. */
int pgmc_live_catalog_flat(PGconn *conn, const pgmc_options *opt, char **out, size_t *len,
                           pgmc_result *res);

/* Compare `expected_flat` (the migrations' catalog in flat form, as
 * `pgmc schema --flat` prints it, or its compact form (pgmc_schema.h);
 * need not be sorted) with the live
 * database (pgmc_live_catalog_flat) and log every difference at
 * PGMC_LOG_WARN, in line order:
 *   "missing in database: <line>"   in the migrations, not in the database
 *   "not in migrations: <line>"     in the database, not in the migrations
 *   "differs: <object>: migrations say `<value>`, database has `<value>`"
 *                                   the same column, attribute, relation,
 *                                   partition, domain or enum position
 *                                   with different facts
 * An "opaque-view" (columns not derived by the generator) matches a view
 * or materialized view of any columns. Changes nothing. Returns PGMC_OK
 * (logging "schema matches" at PGMC_LOG_INFO), or PGMC_ERR_VALIDATE with
 * the counts in res->message. */
int pgmc_verify_flat(PGconn *conn, const char *expected_flat, const pgmc_options *opt,
                     pgmc_result *res);

/* pgmc_verify_flat() against the catalog the generator compiled into the
 * schema (s->catalog_flat): does the database's schema match what the
 * migrations describe? Meant for a database at the newest migration; on
 * production it is a drift check. PGMC_ERR_SCHEMA if the schema carries
 * no catalog. Same logging, counts and return codes as pgmc_verify_flat. */
int pgmc_verify(PGconn *conn, const pgmc_schema *s, const pgmc_options *opt, pgmc_result *res);

/* Print a failed result as the CLI does (error: line, server fields, source
 * position, what state the database is in) to `f`. Prints nothing if
 * res->code is PGMC_OK. */
void pgmc_print_error(FILE *f, const pgmc_result *res);

/* Stable lower-case name of a code, e.g. "sql" for PGMC_ERR_SQL. */
const char *pgmc_code_name(pgmc_code code);

/* Stable name of a state: "pending", "applied", "failed", "changed",
 * "unknown", "incomplete", "missing", "invalid". */
const char *pgmc_state_name(pgmc_state state);

/* ---- typed rows (rows.c): PGresult rows into generated structs ----
 *
 * The generator emits one struct per table plus a pgmc_table_desc that
 * describes it (pgmc_schema.h). One generic decoder fills the structs from
 * either result format: binary (PQexecParams with resultFormat 1, the fast
 * path) or text. See README.md, "Typed rows". */

/* A caller-owned buffer with bump allocation: the decoder never mallocs.
 * Values that need memory (copies, arrays, numeric text from binary, bytea
 * from text) are carved from it; when it is full the decode fails with
 * PGMC_ERR_DECODE and `need` says how many more bytes the failing
 * allocation wanted. Reset it to reuse the memory; everything decoded into
 * it is then invalid. */
typedef struct pgmc_arena {
    unsigned char *base;
    size_t cap, used;
    size_t need; /* set when an allocation did not fit */
} pgmc_arena;

/* Use buf[0..cap) as the arena's memory (the caller keeps owning it). */
void pgmc_arena_init(pgmc_arena *a, void *buf, size_t cap);
/* Forget every allocation. */
void pgmc_arena_reset(pgmc_arena *a);
/* n bytes aligned to `align` (a power of two), or NULL when full. */
void *pgmc_arena_alloc(pgmc_arena *a, size_t n, size_t align);

/* Who owns decoded strings, bytes and arrays. */
typedef enum pgmc_rows_mode {
    /* Text and bytes point into the PGresult where they can (valid until
     * PQclear); arrays and converted values (binary numeric and inet, text
     * bytea, array elements) still go into the arena, which must outlive
     * the use of the row. */
    PGMC_ROWS_BORROW = 0,
    /* Everything goes into the arena: the row survives PQclear. */
    PGMC_ROWS_COPY = 1
} pgmc_rows_mode;

/* PostgreSQL's limit on the columns of a table. */
#define PGMC_MAX_COLUMNS 1600

/* Which result column feeds which struct field: built once per PGresult
 * (all rows of a result share column names and types), reused per row. */
typedef struct pgmc_row_map {
    const pgmc_table_desc *table;
    int16_t col[PGMC_MAX_COLUMNS]; /* per table column: result column, or -1 */
    uint32_t missing;              /* table columns the result lacks */
} pgmc_row_map;

/* Map result columns to `t`'s fields by name (exact match; result columns
 * the table lacks are ignored; table columns the result lacks decode as
 * zero, with their null flag set when they have one). Checks every mapped
 * column's type OID against its field's kind (built-in types only; enums,
 * citext and other extension types are accepted as they come). Returns
 * PGMC_OK, or PGMC_ERR_DECODE / PGMC_ERR_USAGE with res->message saying
 * which column. res may be NULL. */
int pgmc_row_map_init(pgmc_row_map *m, const PGresult *r, const pgmc_table_desc *t,
                      pgmc_result *res);

/* Decode row `row` of `r` into `out` (a struct of m->table's type, of
 * m->table->size bytes; it is overwritten entirely). Each column is read in
 * its own format (PQfformat): binary or text. Text format expects the
 * server's default output styles (DateStyle ISO, IntervalStyle postgres,
 * bytea_output hex). `arena` may be NULL when nothing needs memory (no
 * arrays, numerics from binary, ... and mode BORROW). Malformed or
 * out-of-range values are PGMC_ERR_DECODE naming the column, never a crash;
 * `out` is then partly filled. Returns PGMC_OK or an error code. res may be
 * NULL. */
int pgmc_decode_row(const pgmc_row_map *m, const PGresult *r, int row, void *out,
                    pgmc_rows_mode mode, pgmc_arena *arena, pgmc_result *res);

/* Called once per streamed row: `row` is the decoded struct, valid (with
 * everything it points to) only during the call. Return 0 to go on,
 * nonzero to stop (the rest of the result is read and discarded). */
typedef int (*pgmc_row_fn)(void *ctx, const void *row);

/* Run `sql` with text parameters (never pasted into the SQL) in single-row
 * mode with binary results, decoding each row into `row_buf` (t->size
 * bytes) with BORROW mode and `arena` reset before each row, so memory
 * stays one row deep however many rows come. *n_rows (may be NULL) gets the
 * rows delivered. A callback that stops early still returns PGMC_OK.
 * Returns PGMC_OK, PGMC_ERR_SQL (server error, in res), PGMC_ERR_CONNECT,
 * PGMC_ERR_DECODE or PGMC_ERR_USAGE. The connection is idle again on
 * return. res may be NULL. */
int pgmc_stream_rows(PGconn *conn, const char *sql, int n_params, const char *const *params,
                     const pgmc_table_desc *t, void *row_buf, pgmc_arena *arena, pgmc_row_fn fn,
                     void *ctx, uint64_t *n_rows, pgmc_result *res);

/* Timestamps: conversions between pgmc_timestamp and the C library's
 * types. The *_to_* functions return 0, or -1 for +-infinity (and leave
 * *out untouched). Sub-second parts round toward minus infinity, so
 * tv_nsec is always in [0, 1e9). */
int pgmc_timestamp_to_timespec(pgmc_timestamp t, struct timespec *out);
pgmc_timestamp pgmc_timestamp_from_timespec(const struct timespec *ts);
int pgmc_timestamp_to_time_t(pgmc_timestamp t, time_t *out);
pgmc_timestamp pgmc_timestamp_from_time_t(time_t t);

/* Format a timestamp as ISO 8601 UTC, "2024-05-01T12:34:56.789012Z"
 * (fraction omitted when zero), or "infinity" / "-infinity", into buf
 * (48 bytes are always enough). Returns buf. */
char *pgmc_timestamp_format(pgmc_timestamp t, char *buf, size_t cap);

/* The `migrate` command line. argv[0] is the command name (e.g. "migrate"),
 * argv[1] the verb: up [N] | down [N|--all] | goto V | redo | status
 * [--json] | version [--json] | validate | force V | repair --yes |
 * baseline V | adopt [--from TOOL] [--source-table T] | fresh --confirm DB |
 * verify | help. Options anywhere (see `help` and README.md), each value as
 * "--opt VALUE" or "--opt=VALUE": --database-url, --table, --lock-mode,
 * --lock-wait (0: try once), --lease-ttl, --lock-timeout,
 * --statement-timeout, --lock-retries, --allow-out-of-order,
 * --single-transaction, --fail-on-unknown, --wait [DUR] (a duration after it
 * is its value, never N), -v, -q. Connects with pgmc_connect() rules. Human
 * output to stdout, errors to stderr, with control characters in names,
 * file names and database text escaped. Returns the process exit code: 0
 * success, 1 failure (validate: problems found), 2 usage error. */
int pgmc_main(int argc, char **argv, const pgmc_schema *schema);

/* Stop every pgmc call running in this process, from a signal handler or
 * another thread (async-signal-safe). The statement in flight is canceled
 * on the server (PQcancel); a transactional migration is rolled back; a
 * non-transactional one keeps its committed statements, recorded, and
 * resumes after them; the lock is released; lock waits and retries give
 * up. Each call returns PGMC_ERR_CANCELED with res->note saying where the
 * database stands (a migration that committed before the cancel took
 * effect stays applied and is counted in res->applied). The request is
 * sticky: later calls return PGMC_ERR_CANCELED at their first step until
 * pgmc_cancel_reset(). pgmc_main installs SIGINT and SIGTERM handlers that
 * call it (a second signal exits at once). */
void pgmc_cancel(void);
/* Forget a pgmc_cancel() request, so that later calls run again. */
void pgmc_cancel_reset(void);
/* 1 if pgmc_cancel() was called since the last reset. */
int pgmc_cancel_requested(void);

#ifdef __cplusplus
}
#endif

#endif
