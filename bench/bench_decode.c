/* bench_decode.c - one run of a typed-row-decode contender, for
 * bench/case_decode.sh.
 *
 * Usage: bench_decode MODE     (connection from the PG* environment; the
 *                               server's TimeZone must be UTC: PGTZ=UTC)
 *   pgmc         pgmc_stream_rows into the generated bdec_items struct
 *                (binary, single-row mode)
 *   text         libpq text format, whole result (PQexec), PQgetvalue +
 *                strtoll/strtol/strtod and hand parsers
 *   text-single  the same in single-row mode
 *   bin-single   hand-written binary decode (ntohl and friends), single-row
 *
 * Fetches every row of `items` (bench/decode_migrations) into a struct per
 * row, feeds each to the shared checksum and prints the bench_report line
 * (time from sending the query to the last row; peak RSS of the process).
 */
#define _POSIX_C_SOURCE 200809L
#include "bdec.h"
#include "decode_common.h"
#include "pgmc.h"

#include <arpa/inet.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SQL "SELECT id, qty, price, active, name, note, created_at, token FROM items"

/* PostgreSQL's epoch (2000-01-01) in µs since 1970. */
#define PG_EPOCH_US INT64_C(946684800000000)

/* What the hand-written contenders decode into: the struct a careful
 * engineer declares, same shape as pgmc's. */
typedef struct item {
    int64_t id;
    int32_t qty;
    double price;
    int active;
    const char *name;
    size_t name_len;
    const char *note;
    size_t note_len;
    int note_null;
    int64_t created_at;
    uint8_t token[16];
} item;

static void acc_item(bench_acc *a, const item *it)
{
    bench_acc_row(a, it->id, it->qty, it->price, it->active, it->name_len, it->note_null,
                  it->note_len, it->created_at, it->token);
}

static int acc_pgmc(void *ctx, const void *row)
{
    const bdec_items *r = row;
    bench_acc_row(ctx, r->id, r->qty, r->price, r->active, r->name.len, r->note_null, r->note.len,
                  r->created_at, r->token.b);
    return 0;
}

static void die(PGconn *c, const char *what)
{
    fprintf(stderr, "bench_decode: %s: %s", what, PQerrorMessage(c));
    exit(1);
}

/* Text row i of r into *it (pointers into r). */
static void text_row(const PGresult *r, int i, item *it)
{
    char *end;
    it->id = strtoll(PQgetvalue(r, i, 0), &end, 10);
    it->qty = (int32_t)strtol(PQgetvalue(r, i, 1), &end, 10);
    it->price = strtod(PQgetvalue(r, i, 2), &end);
    it->active = PQgetvalue(r, i, 3)[0] == 't';
    it->name = PQgetvalue(r, i, 4);
    it->name_len = (size_t)PQgetlength(r, i, 4);
    it->note_null = PQgetisnull(r, i, 5);
    it->note = it->note_null ? NULL : PQgetvalue(r, i, 5);
    it->note_len = it->note_null ? 0 : (size_t)PQgetlength(r, i, 5);
    it->created_at = bench_parse_ts(PQgetvalue(r, i, 6));
    bench_parse_uuid(PQgetvalue(r, i, 7), it->token);
}

static uint64_t be64(const char *p)
{
    uint32_t hi, lo;
    memcpy(&hi, p, 4);
    memcpy(&lo, p + 4, 4);
    return (uint64_t)ntohl(hi) << 32 | ntohl(lo);
}

static void need_len(const PGresult *r, int i, int col, int len)
{
    if (PQgetlength(r, i, col) != len) {
        fprintf(stderr, "bench_decode: column %d: %d bytes, want %d\n", col, PQgetlength(r, i, col),
                len);
        exit(1);
    }
}

/* Binary row i of r into *it, checking every fixed length. */
static void bin_row(const PGresult *r, int i, item *it)
{
    uint32_t u32;
    uint64_t u64;
    need_len(r, i, 0, 8);
    it->id = (int64_t)be64(PQgetvalue(r, i, 0));
    need_len(r, i, 1, 4);
    memcpy(&u32, PQgetvalue(r, i, 1), 4);
    it->qty = (int32_t)ntohl(u32);
    need_len(r, i, 2, 8);
    u64 = be64(PQgetvalue(r, i, 2));
    memcpy(&it->price, &u64, 8);
    need_len(r, i, 3, 1);
    it->active = PQgetvalue(r, i, 3)[0] != 0;
    it->name = PQgetvalue(r, i, 4);
    it->name_len = (size_t)PQgetlength(r, i, 4);
    it->note_null = PQgetisnull(r, i, 5);
    it->note = it->note_null ? NULL : PQgetvalue(r, i, 5);
    it->note_len = it->note_null ? 0 : (size_t)PQgetlength(r, i, 5);
    need_len(r, i, 6, 8);
    it->created_at = (int64_t)be64(PQgetvalue(r, i, 6)) + PG_EPOCH_US;
    need_len(r, i, 7, 16);
    memcpy(it->token, PQgetvalue(r, i, 7), 16);
}

/* Send SQL in single-row mode (binary or text) and decode every row. */
static void single_rows(PGconn *c, int binary, bench_acc *a)
{
    if (!PQsendQueryParams(c, SQL, 0, NULL, NULL, NULL, NULL, binary))
        die(c, "send");
    if (!PQsetSingleRowMode(c))
        die(c, "single-row mode");
    PGresult *r;
    item it;
    while ((r = PQgetResult(c)) != NULL) {
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_SINGLE_TUPLE) {
            if (binary)
                bin_row(r, 0, &it);
            else
                text_row(r, 0, &it);
            acc_item(a, &it);
        } else if (st != PGRES_TUPLES_OK) {
            die(c, "fetch");
        }
        PQclear(r);
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench_decode pgmc|text|text-single|bin-single\n");
        return 2;
    }
    const char *mode = argv[1];
    PGconn *c = PQconnectdb("");
    if (PQstatus(c) != CONNECTION_OK)
        die(c, "connect");
    bench_acc a;
    memset(&a, 0, sizeof a);
    double t0 = bench_now();
    if (!strcmp(mode, "pgmc")) {
        char sql[4096];
        snprintf(sql, sizeof sql, "SELECT %s FROM %s", bdec_items_table.select_list,
                 bdec_items_table.qualified);
        bdec_items row;
        unsigned char mem[4096];
        pgmc_arena arena;
        pgmc_arena_init(&arena, mem, sizeof mem);
        pgmc_result res;
        uint64_t n = 0;
        if (pgmc_stream_rows(c, sql, 0, NULL, &bdec_items_table, &row, &arena, acc_pgmc, &a, &n,
                             &res) != PGMC_OK) {
            pgmc_print_error(stderr, &res);
            return 1;
        }
    } else if (!strcmp(mode, "text")) {
        PGresult *r = PQexec(c, SQL);
        if (PQresultStatus(r) != PGRES_TUPLES_OK)
            die(c, "query");
        item it;
        for (int i = 0, n = PQntuples(r); i < n; i++) {
            text_row(r, i, &it);
            acc_item(&a, &it);
        }
        PQclear(r);
    } else if (!strcmp(mode, "text-single")) {
        single_rows(c, 0, &a);
    } else if (!strcmp(mode, "bin-single")) {
        single_rows(c, 1, &a);
    } else {
        fprintf(stderr, "bench_decode: unknown mode %s\n", mode);
        return 2;
    }
    bench_report(mode, &a, t0);
    PQfinish(c);
    return 0;
}
