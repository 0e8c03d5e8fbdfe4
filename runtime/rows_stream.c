/* rows_stream.c - fetching typed rows without holding the whole result:
 * single-row mode (libpq 15 has no chunked mode) with binary results, one
 * row decoded and handed to a callback at a time. Also the pgmc_timestamp
 * helpers. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <string.h>

#include "pgmc_internal.h"

static int stream_fail(pgmc_result *res, pgmc_code code, const char *msg)
{
    if (res && res->code == PGMC_OK) {
        res->code = code;
        pgmc__copy(res->message, sizeof res->message, msg);
    }
    return code;
}

/* Copy a server error's fields into res. */
static void server_error(pgmc_result *res, const PGresult *r, PGconn *conn)
{
    if (!res || res->code != PGMC_OK)
        return;
    const char *v;
    res->code = PGMC_ERR_SQL;
    v = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    pgmc__copy(res->message, sizeof res->message, v ? v : PQerrorMessage(conn));
    v = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    pgmc__copy(res->sqlstate, sizeof res->sqlstate, v);
    v = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL) : NULL;
    pgmc__copy(res->detail, sizeof res->detail, v);
    v = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_HINT) : NULL;
    pgmc__copy(res->hint, sizeof res->hint, v);
}

int pgmc_stream_rows(PGconn *conn, const char *sql, int n_params, const char *const *params,
                     const pgmc_table_desc *t, void *row_buf, pgmc_arena *arena, pgmc_row_fn fn,
                     void *ctx, uint64_t *n_rows, pgmc_result *res)
{
    if (res)
        memset(res, 0, sizeof *res);
    if (n_rows)
        *n_rows = 0;
    if (!conn || !sql || !t || !row_buf || !fn || n_params < 0)
        return stream_fail(res, PGMC_ERR_USAGE, "pgmc_stream_rows: NULL argument");
    if (!PQsendQueryParams(conn, sql, n_params, NULL, params, NULL, NULL, 1)) {
        char msg[512];
        snprintf(msg, sizeof msg, "sending the query failed: %s", PQerrorMessage(conn));
        return stream_fail(res, PGMC_ERR_CONNECT, msg);
    }
    if (res)
        res->queries = 1;
    int single = PQsetSingleRowMode(conn);
    pgmc_row_map *map = NULL;
    pgmc_row_map map_storage; /* ~3 KiB: fine on the stack */
    int rc = PGMC_OK, stopped = 0;
    uint64_t rows = 0;
    pgmc_result scratch, *rr = res ? res : &scratch;
    PGresult *r;
    while ((r = PQgetResult(conn)) != NULL) {
        ExecStatusType st = PQresultStatus(r);
        if (rc != PGMC_OK || stopped) {
            PQclear(r); /* drain what is left */
            continue;
        }
        if (st == PGRES_SINGLE_TUPLE || (st == PGRES_TUPLES_OK && PQntuples(r) > 0)) {
            if (!map) {
                map = &map_storage;
                rc = pgmc_row_map_init(map, r, t, rr);
            }
            for (int i = 0; rc == PGMC_OK && !stopped && i < PQntuples(r); i++) {
                if (arena)
                    pgmc_arena_reset(arena);
                rc = pgmc_decode_row(map, r, i, row_buf, PGMC_ROWS_BORROW, arena, rr);
                if (rc == PGMC_OK) {
                    rows++;
                    if (fn(ctx, row_buf))
                        stopped = 1;
                }
            }
        } else if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
            server_error(res, r, conn);
            rc = PGMC_ERR_SQL;
        }
        PQclear(r);
    }
    (void)single; /* without single-row mode the rows still come, in one result */
    if (n_rows)
        *n_rows = rows;
    if (rc == PGMC_OK && PQstatus(conn) != CONNECTION_OK)
        return stream_fail(res, PGMC_ERR_CONNECT, "the connection broke during the fetch");
    if (res && rc == PGMC_OK)
        res->code = PGMC_OK;
    return rc;
}

/* ---- pgmc_timestamp helpers ---- */

int pgmc_timestamp_to_timespec(pgmc_timestamp t, struct timespec *out)
{
    if (t == PGMC_TIMESTAMP_INFINITY || t == PGMC_TIMESTAMP_NEG_INFINITY)
        return -1;
    int64_t s = t / 1000000, us = t % 1000000;
    if (us < 0) {
        us += 1000000;
        s--;
    }
    out->tv_sec = (time_t)s;
    out->tv_nsec = (long)(us * 1000);
    return 0;
}

pgmc_timestamp pgmc_timestamp_from_timespec(const struct timespec *ts)
{
    int64_t ns = ts->tv_nsec, us = ns / 1000;
    if (ns < 0 && ns % 1000)
        us--;
    return (int64_t)ts->tv_sec * 1000000 + us;
}

int pgmc_timestamp_to_time_t(pgmc_timestamp t, time_t *out)
{
    struct timespec ts;
    if (pgmc_timestamp_to_timespec(t, &ts))
        return -1;
    *out = ts.tv_sec;
    return 0;
}

pgmc_timestamp pgmc_timestamp_from_time_t(time_t t)
{
    return (int64_t)t * 1000000;
}

/* Civil date of a day count since 1970-01-01 (H. Hinnant's civil_from_days). */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

char *pgmc_timestamp_format(pgmc_timestamp t, char *buf, size_t cap)
{
    if (t == PGMC_TIMESTAMP_INFINITY) {
        snprintf(buf, cap, "infinity");
        return buf;
    }
    if (t == PGMC_TIMESTAMP_NEG_INFINITY) {
        snprintf(buf, cap, "-infinity");
        return buf;
    }
    int64_t days = t / INT64_C(86400000000), rem = t % INT64_C(86400000000);
    if (rem < 0) {
        rem += INT64_C(86400000000);
        days--;
    }
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    int64_t sec = rem / 1000000, us = rem % 1000000;
    if (us)
        snprintf(buf, cap, "%04lld-%02u-%02uT%02d:%02d:%02d.%06dZ", (long long)y, m, d,
                 (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60), (int)us);
    else
        snprintf(buf, cap, "%04lld-%02u-%02uT%02d:%02d:%02dZ", (long long)y, m, d,
                 (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60));
    return buf;
}
