/* session.c - the bottom layer of libpgmc: the per-call context (option
 * defaults, result reset), logging, failing, the notice processors, and
 * the query wrappers that count round trips (res->queries). It calls no
 * other file of the runtime but escape.c (a leaf); everything above
 * builds on it. The whole frame of an API call (history table names,
 * schema check, cancel registration, lock release) is call.c's. */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <string.h>

#include "pgmc_internal.h"

void pgmc_options_init(pgmc_options *opt)
{
    if (!opt)
        return;
    memset(opt, 0, sizeof *opt);
    opt->history_table = NULL;
    opt->verbosity = PGMC_LOG_INFO;
    opt->lock_retries = 3;
}

void pgmc__copy(char *dst, size_t cap, const char *src)
{
    size_t n;

    if (cap == 0)
        return;
    if (!src)
        src = "";
    n = strlen(src);
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static void vlog(pgmc_ctx *c, pgmc_log_level level, const char *fmt, va_list ap) PGMC_PRINTF(3, 0);

void pgmc__fmt(char *dst, size_t cap, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(dst, cap, fmt, ap);
    va_end(ap);
}

static void vlog(pgmc_ctx *c, pgmc_log_level level, const char *fmt, va_list ap)
{
    char line[2048];
    FILE *f;

    if (level > c->opt.verbosity)
        return;
    if (c->opt.log) {
        vsnprintf(line, sizeof line, fmt, ap);
        c->opt.log(c->opt.log_ctx, level, line);
        return;
    }
    f = level == PGMC_LOG_WARN ? c->opt.err : c->opt.out;
    if (!f)
        return;
    if (level == PGMC_LOG_WARN)
        fputs("warning: ", f);
    /* names and server text in the line come from outside: escaped, but
     * lines a message spans on purpose stay lines */
    vsnprintf(line, sizeof line, fmt, ap);
    pgmc__fputs_esc(f, line, 1);
    fputc('\n', f);
    fflush(f);
}

void pgmc__log(pgmc_ctx *c, pgmc_log_level level, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vlog(c, level, fmt, ap);
    va_end(ap);
}

int pgmc__fail(pgmc_ctx *c, pgmc_code code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(c->res->message, sizeof c->res->message, fmt, ap);
    va_end(ap);
    c->res->code = code;
    return code;
}

void pgmc__quiet_notices(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

/* Server NOTICE/WARNING messages during a pgmc call: verbose level only. */
static void ctx_notice(void *arg, const char *msg)
{
    pgmc_ctx *c = arg;
    size_t n = strlen(msg);

    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        n--;
    pgmc__log(c, PGMC_LOG_VERBOSE, "server: %.*s", (int)n, msg);
}

int pgmc__session_begin(pgmc_ctx *c, PGconn *conn, const pgmc_schema *s, const pgmc_options *opt,
                        pgmc_result *res)
{
    memset(c, 0, sizeof *c);
    c->cancel_slot = -1;
    c->res = res ? res : &c->scratch;
    memset(c->res, 0, sizeof *c->res);
    if (opt)
        c->opt = *opt;
    else
        pgmc_options_init(&c->opt);
    if (!c->opt.history_table)
        c->opt.history_table = PGMC_DEFAULT_HISTORY_TABLE;
    c->conn = conn;
    c->schema = s;
    if (!conn)
        return pgmc__fail(c, PGMC_ERR_USAGE, "no database connection given");
    if (PQstatus(conn) != CONNECTION_OK)
        return pgmc__fail(c, PGMC_ERR_CONNECT, "the database connection is not open");
    if (PQtransactionStatus(conn) != PQTRANS_IDLE)
        return pgmc__fail(c, PGMC_ERR_USAGE,
                          "the connection is inside a transaction; pgmc needs an idle one");
    /* Take over notices only on our own connections (see pgmc_options). */
    c->old_notice = PQsetNoticeProcessor(conn, NULL, NULL);
    if (c->old_notice == pgmc__quiet_notices)
        PQsetNoticeProcessor(conn, ctx_notice, c);
    else
        c->old_notice = NULL;
    return PGMC_OK;
}

int pgmc__session_end(pgmc_ctx *c, int code)
{
    if (c->conn && c->old_notice)
        PQsetNoticeProcessor(c->conn, c->old_notice, NULL);
    c->old_notice = NULL;
    c->res->code = (pgmc_code)code;
    return code;
}

PGresult *pgmc__exec(pgmc_ctx *c, const char *sql)
{
    c->res->queries++;
    return PQexec(c->conn, sql);
}

PGresult *pgmc__execp(pgmc_ctx *c, const char *sql, int n, const char *const *params)
{
    c->res->queries++;
    return PQexecParams(c->conn, sql, n, NULL, params, NULL, NULL, 0);
}

void pgmc__rollback(pgmc_ctx *c)
{
    if (PQstatus(c->conn) == CONNECTION_OK && PQtransactionStatus(c->conn) != PQTRANS_IDLE)
        PQclear(pgmc__exec(c, "ROLLBACK"));
}

int pgmc__ok(const PGresult *r)
{
    ExecStatusType st = PQresultStatus(r);

    return r && (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY);
}

static void field(char *dst, size_t cap, const PGresult *r, int code)
{
    const char *v = r ? PQresultErrorField(r, code) : NULL;

    pgmc__copy(dst, cap, v);
}

int pgmc__sql_error(pgmc_ctx *c, pgmc_code code, const PGresult *r, const char *what)
{
    pgmc_result *res = c->res;
    size_t n;

    field(res->sqlstate, sizeof res->sqlstate, r, PG_DIAG_SQLSTATE);
    field(res->message, sizeof res->message, r, PG_DIAG_MESSAGE_PRIMARY);
    field(res->detail, sizeof res->detail, r, PG_DIAG_MESSAGE_DETAIL);
    field(res->hint, sizeof res->hint, r, PG_DIAG_MESSAGE_HINT);
    field(res->context, sizeof res->context, r, PG_DIAG_CONTEXT);
    if (!res->message[0]) {
        const char *m = r ? PQresultErrorMessage(r) : "";
        if (!m || !m[0])
            m = PQerrorMessage(c->conn);
        pgmc__copy(res->message, sizeof res->message, m && m[0] ? m : "unknown error");
        n = strlen(res->message);
        while (n > 0 && (res->message[n - 1] == '\n' || res->message[n - 1] == ' '))
            res->message[--n] = '\0';
        if (PQstatus(c->conn) == CONNECTION_BAD)
            code = PGMC_ERR_CONNECT;
    }
    if (what && code != PGMC_ERR_SQL) {
        char tmp[sizeof res->message];
        pgmc__fmt(tmp, sizeof tmp, "%s: %s", what, res->message);
        pgmc__copy(res->message, sizeof res->message, tmp);
    }
    res->code = code;
    return code;
}
