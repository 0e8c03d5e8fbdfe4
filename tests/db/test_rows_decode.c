/* test_rows_decode.c - the generic row decoder (runtime/rows.c) against a
 * real server, into the structs the emitter generated from the hand-built
 * catalog (tests/golden/rows/expected/rows.{h,c}, linked as rows_golden).
 *
 * Every row is fetched twice, in binary and in text format, decoded both
 * ways and compared field by field through the descriptors; then expected
 * values are checked one by one. Malformed binary input is fed through
 * libpq's own PGresult construction API (PQmakeEmptyPGresult,
 * PQsetResultAttrs, PQsetvalue): errors, never crashes. Also: borrow vs
 * copy ownership, a full arena, unknown enum labels, type mismatches and
 * single-row streaming.
 */
#define _POSIX_C_SOURCE 200809L

#include "test_runtime_fixture.h"

#include "rows.h"

#include "../support/rows_catalog.h"

#include <math.h>

static unsigned char arena_bin[1 << 20], arena_txt[1 << 20];

/* ---- generic comparison through the descriptors ---- */

static int scalar_eq(pgmc_ckind k, const void *a, const void *b)
{
    switch (k) {
    case PGMC_C_FLOAT: {
        float x = *(const float *)a, y = *(const float *)b;
        return (isnan(x) && isnan(y)) || x == y;
    }
    case PGMC_C_DOUBLE: {
        double x = *(const double *)a, y = *(const double *)b;
        return (isnan(x) && isnan(y)) || x == y;
    }
    case PGMC_C_TEXT:
    case PGMC_C_NUMERIC:
    case PGMC_C_JSON:
    case PGMC_C_JSONB:
    case PGMC_C_INET: {
        const pgmc_text *x = a, *y = b;
        return x->len == y->len && (!x->len || !memcmp(x->ptr, y->ptr, x->len)) &&
               (!x->ptr || x->ptr[x->len] == '\0') && (!y->ptr || y->ptr[y->len] == '\0');
    }
    case PGMC_C_BYTES: {
        const pgmc_bytes *x = a, *y = b;
        return x->len == y->len && (!x->len || !memcmp(x->ptr, y->ptr, x->len));
    }
    case PGMC_C_INT16:
        return *(const int16_t *)a == *(const int16_t *)b;
    case PGMC_C_INT32:
    case PGMC_C_DATE:
        return *(const int32_t *)a == *(const int32_t *)b;
    case PGMC_C_INT64:
    case PGMC_C_TIMESTAMP:
    case PGMC_C_TIME:
        return *(const int64_t *)a == *(const int64_t *)b;
    case PGMC_C_BOOL:
        return *(const bool *)a == *(const bool *)b;
    case PGMC_C_UUID:
        return !memcmp(a, b, 16);
    case PGMC_C_INTERVAL: {
        const pgmc_interval *x = a, *y = b;
        return x->months == y->months && x->days == y->days && x->usec == y->usec;
    }
    case PGMC_C_ENUM:
        return *(const int *)a == *(const int *)b;
    case PGMC_C_ARRAY:
        return 0;
    }
    return 0;
}

static size_t elem_size(pgmc_ckind k)
{
    switch (k) {
    case PGMC_C_INT16:
        return 2;
    case PGMC_C_INT32:
    case PGMC_C_DATE:
    case PGMC_C_FLOAT:
        return 4;
    case PGMC_C_INT64:
    case PGMC_C_TIMESTAMP:
    case PGMC_C_TIME:
    case PGMC_C_DOUBLE:
        return 8;
    case PGMC_C_BOOL:
        return sizeof(bool);
    case PGMC_C_UUID:
        return 16;
    case PGMC_C_INTERVAL:
        return sizeof(pgmc_interval);
    case PGMC_C_ENUM:
        return sizeof(int);
    case PGMC_C_BYTES:
        return sizeof(pgmc_bytes);
    default:
        return sizeof(pgmc_text);
    }
}

/* 1 if rows a and b of table t hold the same values; prints the first
 * difference. */
static int rows_eq(const pgmc_table_desc *t, const void *a, const void *b)
{
    const char *pa = a, *pb = b;
    for (uint32_t i = 0; i < t->n_columns; i++) {
        const pgmc_column_desc *c = &t->columns[i];
        if (c->null_offset != PGMC_NOT_NULL) {
            bool na = *(const bool *)(pa + c->null_offset),
                 nb = *(const bool *)(pb + c->null_offset);
            if (na != nb) {
                fprintf(stderr, "column %s: null %d vs %d\n", c->name, na, nb);
                return 0;
            }
            if (na)
                continue;
        }
        const void *fa = pa + c->offset, *fb = pb + c->offset;
        int eq;
        if (c->kind == PGMC_C_ARRAY) {
            const pgmc_array *x = fa, *y = fb;
            eq = x->ndim == y->ndim && x->count == y->count;
            for (int d = 0; eq && d < x->ndim; d++)
                eq = x->dims[d] == y->dims[d] && x->lbounds[d] == y->lbounds[d];
            size_t es = elem_size(c->elem_kind);
            for (size_t k = 0; eq && k < x->count; k++) {
                bool xn = x->nulls && x->nulls[k], yn = y->nulls && y->nulls[k];
                eq = xn == yn && (xn || scalar_eq(c->elem_kind, (const char *)x->items + k * es,
                                                  (const char *)y->items + k * es));
            }
        } else {
            eq = scalar_eq(c->kind, fa, fb);
        }
        if (!eq) {
            fprintf(stderr, "column %s differs between the two decodes\n", c->name);
            return 0;
        }
    }
    return 1;
}

/* ---- fixtures ---- */

static const char *const inserts[] = {
    /* 1: every nullable column NULL */
    "INSERT INTO all_types (id) VALUES (1)",
    /* 2: ordinary values, non-ASCII text, NULL array elements, before 1970 */
    "INSERT INTO all_types VALUES (2, -32768, 2147483647, -9223372036854775808, 'NaN',\n"
    " '-Infinity', true, 'h\xc3\xa9llo w\xc3\xb6rld \xe2\x9c\x93', 'abc', 'ab', 'MiXeD', "
    "'a_name',\n"
    " '\\x00ff10', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '1969-07-20 20:17:40.123456+00',\n"
    " '1900-01-01 00:00:00', '1969-12-31', '23:59:59.999999', '1 year 2 mons -3 days "
    "04:05:06.789',\n"
    " '-12345678901234567890.000000000000000001', '12.30', 12345, '{\"a\": [1, 2]}',\n"
    " '{\"b\": 1, \"a\": \"x\"}', '192.168.0.1/24', '10.0.0.0/8', 'very-happy', '{}',\n"
    " '{\"a b\",\"\",NULL,\"quote\\\"d\",\"back\\\\\\\\slash\",\"{br}\",\"NULL\"}', "
    "'{1.5,NaN,-0.001}',\n"
    " '{infinity,-infinity,\"2000-01-01 00:00:00+00\"}', '{sad,NULL,happy}', 42,\n"
    " 'a fat cat', 'w', 7, 'first', 'tn', '\xc3\xa9')",
    /* 3: extremes and infinities, a 2-D array, IPv6 */
    "INSERT INTO all_types (id, i2, i4, i8, f4, f8, ts, tsn, d, tm, iv, num, num2, numneg, ia,\n"
    " na, ip, cid, ta) VALUES (3, 32767, -2147483648, 9223372036854775807, '-Infinity',\n"
    " 'Infinity', 'infinity', '-infinity', 'infinity', '24:00:00', '-00:00:01', '-Infinity',\n"
    " 'NaN', -99900, '{{1,2,3},{4,5,6}}', '{Infinity,-Infinity,0}', '::ffff:1.2.3.4',\n"
    " '2001:db8::/32', '{{a,b},{c,d}}')",
    /* 4: BC dates, huge and tiny numerics, lower bounds, 3-D */
    "INSERT INTO all_types (id, ts, d, num, num2, ia, ip, tsa, f8) VALUES (4,\n"
    " '0044-03-15 12:00:00+00 BC', '-infinity', ('1' || repeat('0', 1000))::numeric,\n"
    " '-0.01', '[0:2]={7,8,9}', '2001:db8::1/64', '{\"1960-01-01 00:00:00.5+00\"}', 1e300)",
    /* 5: the earliest dates, tiny numerics, 3-D, negative zero */
    ("INSERT INTO all_types (id, d, num, ia, ip, f8) VALUES (5, '4713-01-01 BC', '0.000000001',\n"
     " '{{{1},{2}},{{3},{4}}}', '::1', '-0')"),
};
#define N_ROWS 5

static PGresult *fetch(PGconn *c, int format)
{
    char sql[4096];
    snprintf(sql, sizeof sql, "SELECT %s FROM %s ORDER BY id", rows_all_types_table.select_list,
             rows_all_types_table.qualified);
    PGresult *r = PQexecParams(c, sql, 0, NULL, NULL, NULL, NULL, format);
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        fprintf(stderr, "fetch: %s", PQerrorMessage(c));
    return r;
}

static void check_text(const pgmc_text *t, const char *want)
{
    CHECK(t->ptr != NULL);
    if (t->ptr)
        CHECK_STR(t->ptr, want);
    CHECK(t->len == strlen(want));
}

static void check_values(rows_all_types *v, PGresult *bin)
{
    /* row 1: all NULL */
    CHECK(v[0].id == 1);
    CHECK(v[0].i2_null && v[0].t_null && v[0].ia_null && v[0].mood_null && v[0].caf__null);
    CHECK(v[0].unk_null && v[0].num_null && v[0].ts_null);

    /* row 2 */
    rows_all_types *r = &v[1];
    CHECK(!r->i2_null && r->i2 == -32768);
    CHECK(r->i4 == 2147483647);
    CHECK(r->i8 == INT64_MIN);
    CHECK(isnan(r->f4));
    CHECK(isinf(r->f8) && r->f8 < 0);
    CHECK(r->b);
    check_text(&r->t, "h\xc3\xa9llo w\xc3\xb6rld \xe2\x9c\x93");
    check_text(&r->ch, "ab "); /* char(3) pads */
    check_text(&r->ci, "MiXeD");
    CHECK(r->by.len == 3 && r->by.ptr[0] == 0 && r->by.ptr[1] == 0xff && r->by.ptr[2] == 0x10);
    CHECK(r->u.b[0] == 0xa0 && r->u.b[15] == 0x11);
    CHECK(r->ts == INT64_C(-14182939876544)); /* 1969-07-20 20:17:40.123456 UTC */
    CHECK(r->tsn == INT64_C(-2208988800000000));
    CHECK(r->d == -1);
    CHECK(r->tm == INT64_C(86399999999));
    CHECK(r->iv.months == 14 && r->iv.days == -3 && r->iv.usec == INT64_C(14706789000));
    check_text(&r->num, "-12345678901234567890.000000000000000001");
    check_text(&r->num2, "12.30");
    check_text(&r->numneg, "12300");
    check_text(&r->j, "{\"a\": [1, 2]}");
    check_text(&r->jb, "{\"a\": \"x\", \"b\": 1}");
    check_text(&r->ip, "192.168.0.1/24");
    check_text(&r->cid, "10.0.0.0/8");
    CHECK(r->mood == ROWS_MOOD_VERY_HAPPY);
    CHECK_STR(rows_mood_to_string(r->mood), "very-happy");
    CHECK(rows_mood_from_string("ok") == ROWS_MOOD_OK);
    CHECK(rows_mood_from_string("nope") == ROWS_MOOD__UNKNOWN);
    CHECK(!r->ia_null && r->ia.ndim == 0 && r->ia.count == 0);
    CHECK(r->ta.ndim == 1 && r->ta.count == 7 && r->ta.dims[0] == 7 && r->ta.lbounds[0] == 1);
    if (r->ta.count == 7) {
        const pgmc_text *ta = r->ta.items;
        check_text(&ta[0], "a b");
        check_text(&ta[1], "");
        CHECK(r->ta.nulls && r->ta.nulls[2] && !r->ta.nulls[0] && !r->ta.nulls[6]);
        check_text(&ta[3], "quote\"d");
        check_text(&ta[4], "back\\\\slash");
        check_text(&ta[5], "{br}");
        check_text(&ta[6], "NULL"); /* quoted: a string, not NULL */
    }
    if (r->na.count == 3) {
        const pgmc_text *na = r->na.items;
        check_text(&na[0], "1.5");
        check_text(&na[1], "NaN");
        check_text(&na[2], "-0.001");
    } else
        CHECK(r->na.count == 3);
    if (r->tsa.count == 3) {
        const pgmc_timestamp *t = r->tsa.items;
        CHECK(t[0] == PGMC_TIMESTAMP_INFINITY && t[1] == PGMC_TIMESTAMP_NEG_INFINITY);
        CHECK(t[2] == INT64_C(946684800000000));
    } else
        CHECK(r->tsa.count == 3);
    if (r->ma.count == 3) {
        const int *m = r->ma.items;
        CHECK(m[0] == ROWS_MOOD_SAD && r->ma.nulls && r->ma.nulls[1] && m[2] == ROWS_MOOD_HAPPY);
    } else
        CHECK(r->ma.count == 3);
    CHECK(r->dom == 42);
    check_text(&r->unk, "'a' 'cat' 'fat'");
    check_text(&r->Weird_Name, "w");
    CHECK(r->int_ == 7);
    check_text(&r->_1st, "first");
    check_text(&r->t_null_2, "tn");
    check_text(&r->caf_, "\xc3\xa9");

    /* row 3 */
    r = &v[2];
    CHECK(r->i2 == 32767 && r->i4 == INT32_MIN && r->i8 == INT64_MAX);
    CHECK(isinf(r->f4) && r->f4 < 0 && isinf(r->f8) && r->f8 > 0);
    CHECK(r->ts == PGMC_TIMESTAMP_INFINITY && r->tsn == PGMC_TIMESTAMP_NEG_INFINITY);
    CHECK(r->d == PGMC_DATE_INFINITY);
    CHECK(r->tm == INT64_C(86400000000));
    CHECK(r->iv.months == 0 && r->iv.days == 0 && r->iv.usec == -1000000);
    check_text(&r->num, "-Infinity");
    check_text(&r->num2, "NaN");
    check_text(&r->numneg, "-99900");
    CHECK(r->ia.ndim == 2 && r->ia.dims[0] == 2 && r->ia.dims[1] == 3 && r->ia.count == 6);
    if (r->ia.count == 6)
        CHECK(((const int32_t *)r->ia.items)[5] == 6 && ((const int32_t *)r->ia.items)[0] == 1);
    CHECK(!r->ia.nulls);
    if (r->na.count == 3) {
        const pgmc_text *na = r->na.items;
        check_text(&na[0], "Infinity");
        check_text(&na[1], "-Infinity");
        check_text(&na[2], "0");
    } else
        CHECK(r->na.count == 3);
    check_text(&r->ip, "::ffff:1.2.3.4");
    check_text(&r->cid, "2001:db8::/32");
    CHECK(r->ta.ndim == 2 && r->ta.count == 4);

    /* row 4 */
    r = &v[3];
    CHECK(r->d == PGMC_DATE_NEG_INFINITY);
    CHECK(r->num.len == 1001 && r->num.ptr && r->num.ptr[0] == '1' && r->num.ptr[1000] == '0');
    check_text(&r->num2, "-0.01");
    CHECK(r->ia.ndim == 1 && r->ia.lbounds[0] == 0 && r->ia.dims[0] == 3 && r->ia.count == 3);
    check_text(&r->ip, "2001:db8::1/64");
    if (r->tsa.count == 1)
        CHECK(((const pgmc_timestamp *)r->tsa.items)[0] == INT64_C(-315619199500000));
    CHECK(r->f8 == 1e300);

    /* row 5 */
    r = &v[4];
    check_text(&r->num, "0.000000001");
    CHECK(r->ia.ndim == 3 && r->ia.count == 4 && r->ia.dims[0] == 2 && r->ia.dims[1] == 2 &&
          r->ia.dims[2] == 1);
    check_text(&r->ip, "::1");
    CHECK(r->f8 == 0 && signbit(r->f8));
    (void)bin;
}

/* ---- malformed binary values through a hand-made PGresult ---- */

static int decode_one(Oid type, const char *bytes, int len, const char *colname, int fmt)
{
    PGresult *r = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
    PGresAttDesc att;
    memset(&att, 0, sizeof att);
    att.name = (char *)colname;
    att.typid = type;
    att.format = fmt;
    att.typlen = -1;
    att.atttypmod = -1;
    int ok = PQsetResultAttrs(r, 1, &att) && PQsetvalue(r, 0, 0, (char *)bytes, len);
    CHECK(ok);
    pgmc_row_map m;
    pgmc_result res;
    pgmc_arena a;
    pgmc_arena_init(&a, arena_bin, sizeof arena_bin);
    rows_all_types row;
    int rc = pgmc_row_map_init(&m, r, &rows_all_types_table, &res);
    if (rc == PGMC_OK)
        rc = pgmc_decode_row(&m, r, 0, &row, PGMC_ROWS_COPY, &a, &res);
    if (rc != PGMC_OK)
        CHECK((int)res.code == rc && res.message[0]);
    PQclear(r);
    return rc;
}

static void malformed(void)
{
    /* sanity: a well-formed int4 decodes */
    CHECK(decode_one(23, "\0\0\0\7", 4, "i4", 1) == PGMC_OK);
    CHECK(decode_one(23, "\0\0\7", 3, "i4", 1) == PGMC_ERR_DECODE);   /* short int4 */
    CHECK(decode_one(20, "\0\0\0\7", 4, "i4", 1) == PGMC_ERR_DECODE); /* int8 into int4 */
    CHECK(decode_one(25, "x", 1, "i4", 1) == PGMC_ERR_DECODE);        /* text into int4 */
    CHECK(decode_one(25, "12x", 3, "i4", 0) == PGMC_ERR_DECODE);      /* text format */
    CHECK(decode_one(23, "99999999999", 11, "i4", 0) == PGMC_ERR_DECODE);
    /* numeric: 1 digit claimed, none present; a digit > 9999; bad sign */
    CHECK(decode_one(1700, "\0\1\0\0\0\0\0\0", 8, "num", 1) == PGMC_ERR_DECODE);
    CHECK(decode_one(1700, "\0\1\0\0\0\0\0\0\x27\x10", 10, "num", 1) == PGMC_ERR_DECODE);
    CHECK(decode_one(1700, "\0\0\0\0\x12\x34\0\0", 8, "num", 1) == PGMC_ERR_DECODE);
    CHECK(decode_one(1700, "\0\1\0\0\0\0\0\0\x27\x0f", 10, "num", 1) == PGMC_OK); /* 9999 */
    /* jsonb version 2 */
    CHECK(decode_one(3802, "\2{}", 3, "jb", 1) == PGMC_ERR_DECODE);
    /* inet: family 9; truncated address */
    CHECK(decode_one(869, "\x09\x20\0\4\1\2\3\4", 8, "ip", 1) == PGMC_ERR_DECODE);
    CHECK(decode_one(869, "\x02\x20\0\4\1\2\3", 7, "ip", 1) == PGMC_ERR_DECODE);
    CHECK(decode_one(869, "\x02\x21\0\4\1\2\3\4", 8, "ip", 1) == PGMC_ERR_DECODE); /* /33 */
    /* arrays: huge dimension; element length overrun; trailing bytes; ndim 7 */
    CHECK(decode_one(1007, "\0\0\0\1\0\0\0\0\0\0\0\x17\x7f\xff\xff\xff\0\0\0\1", 20, "ia", 1) ==
          PGMC_ERR_DECODE);
    CHECK(decode_one(1007, "\0\0\0\1\0\0\0\0\0\0\0\x17\0\0\0\1\0\0\0\1\0\0\0\x08\0\0\0\1", 28, "ia",
                     1) == PGMC_ERR_DECODE);
    CHECK(decode_one(1007, "\0\0\0\1\0\0\0\0\0\0\0\x17\0\0\0\1\0\0\0\1\0\0\0\4\0\0\0\1\0", 29, "ia",
                     1) == PGMC_ERR_DECODE);
    CHECK(decode_one(1007, "\0\0\0\1\0\0\0\0\0\0\0\x17\0\0\0\1\0\0\0\1\0\0\0\4\0\0\0\1", 28, "ia",
                     1) == PGMC_OK);
    CHECK(decode_one(1007, "\0\0\0\7\0\0\0\0\0\0\0\x17", 12, "ia", 1) == PGMC_ERR_DECODE);
    /* an int8 array element in an int4 array */
    CHECK(decode_one(1007, "\0\0\0\1\0\0\0\0\0\0\0\x14\0\0\0\1\0\0\0\1\0\0\0\4\0\0\0\1", 28, "ia",
                     1) == PGMC_ERR_DECODE);
    /* text arrays: unbalanced, ragged */
    CHECK(decode_one(1007, "{1,2", 4, "ia", 0) == PGMC_ERR_DECODE);
    CHECK(decode_one(1007, "{{1,2},{3}}", 11, "ia", 0) == PGMC_ERR_DECODE);
    CHECK(decode_one(1007, "{1,{2}}", 7, "ia", 0) == PGMC_ERR_DECODE);
    /* timestamps: beyond the Unix-epoch int64 range */
    CHECK(decode_one(1184, "\x7f\xff\xff\xff\xff\xff\xff\xfe", 8, "ts", 1) == PGMC_ERR_DECODE);
    CHECK(decode_one(1184, "2020-13-01 00:00:00+00", 22, "ts", 0) == PGMC_ERR_DECODE);
    CHECK(decode_one(1184, "2020-01-01 00:00:00+00", 22, "ts", 0) == PGMC_OK);
    /* text values whose arithmetic would overflow: errors, not UB */
    CHECK(decode_one(1186, "2147483648 years", 16, "iv", 0) == PGMC_ERR_DECODE);
    CHECK(decode_one(1186, "2562047788:59:59", 16, "iv", 0) == PGMC_ERR_DECODE);
    CHECK(decode_one(1186, "2562047788:00:00", 16, "iv", 0) == PGMC_OK);
    CHECK(decode_one(1186, "1 fortnight", 11, "iv", 0) == PGMC_ERR_DECODE);
    CHECK(decode_one(1184, "99999999999-01-01 00:00:00+00", 29, "ts", 0) == PGMC_ERR_DECODE);
    CHECK(decode_one(1083, "25:00:00", 8, "tm", 0) == PGMC_ERR_DECODE);
    /* a subnormal real, as the server prints it, is fine */
    CHECK(decode_one(700, "1e-40", 5, "f4", 0) == PGMC_OK);
    CHECK(decode_one(700, "1e-40x", 6, "f4", 0) == PGMC_ERR_DECODE);
    /* uuid of 15 bytes; bool of 2 */
    CHECK(decode_one(2950, "0123456789abcde", 15, "u", 1) == PGMC_ERR_DECODE);
    CHECK(decode_one(16, "\1\1", 2, "b", 1) == PGMC_ERR_DECODE);
    /* NULL into a NOT NULL field */
    PGresult *r = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
    PGresAttDesc att;
    memset(&att, 0, sizeof att);
    att.name = (char *)"id";
    att.typid = 20;
    att.format = 1;
    att.atttypmod = -1;
    CHECK(PQsetResultAttrs(r, 1, &att) && PQsetvalue(r, 0, 0, NULL, -1));
    pgmc_row_map m;
    pgmc_result res;
    rows_all_types row;
    CHECK(pgmc_row_map_init(&m, r, &rows_all_types_table, &res) == PGMC_OK);
    CHECK(pgmc_decode_row(&m, r, 0, &row, PGMC_ROWS_BORROW, NULL, &res) == PGMC_ERR_DECODE);
    CHECK(strstr(res.message, "NOT NULL") != NULL);
    CHECK(pgmc_decode_row(&m, r, 1, &row, PGMC_ROWS_BORROW, NULL, &res) == PGMC_ERR_USAGE);
    PQclear(r);
}

/* ---- streaming ---- */

typedef struct stream_acc {
    uint64_t n;
    int64_t sum;
    size_t text_bytes;
    int bad;
} stream_acc;

static int on_row(void *ctx, const void *row)
{
    stream_acc *s = ctx;
    const rows_all_types *r = row;
    s->n++;
    s->sum += r->id;
    s->text_bytes += r->t.len;
    if (r->t_null || !r->i2_null)
        s->bad++;
    return 0;
}

static int stop_at_10(void *ctx, const void *row)
{
    (void)row;
    return ++*(uint64_t *)ctx >= 10;
}

int main(void)
{
    PGconn *c = fx_connect();
    pgmc_result res;
    /* A zone with a :30 offset and an LMT (seconds) offset before 1935, so
     * the text format of timestamptz exercises the offset parser. */
    fx_exec(c, "SET TimeZone = 'America/St_Johns'");
    PGresult *ddl = PQexec(c, rows_catalog_sql);
    CHECK(PQresultStatus(ddl) == PGRES_COMMAND_OK);
    if (PQresultStatus(ddl) != PGRES_COMMAND_OK)
        fprintf(stderr, "ddl: %s", PQerrorMessage(c));
    PQclear(ddl);
    for (size_t i = 0; i < sizeof inserts / sizeof inserts[0]; i++) {
        PGresult *r = PQexec(c, inserts[i]);
        CHECK(PQresultStatus(r) == PGRES_COMMAND_OK);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            fprintf(stderr, "insert %zu: %s", i + 1, PQerrorMessage(c));
        PQclear(r);
    }

    /* Binary and text, both in COPY mode. */
    PGresult *bin = fetch(c, 1), *txt = fetch(c, 0);
    CHECK(PQntuples(bin) == N_ROWS && PQntuples(txt) == N_ROWS);
    pgmc_row_map mb, mt;
    CHECK_RC(pgmc_row_map_init(&mb, bin, &rows_all_types_table, &res), PGMC_OK, &res);
    CHECK_RC(pgmc_row_map_init(&mt, txt, &rows_all_types_table, &res), PGMC_OK, &res);
    CHECK(mb.missing == 0 && mt.missing == 0);
    pgmc_arena ab, at;
    pgmc_arena_init(&ab, arena_bin, sizeof arena_bin);
    pgmc_arena_init(&at, arena_txt, sizeof arena_txt);
    rows_all_types vb[N_ROWS], vt[N_ROWS];
    for (int i = 0; i < N_ROWS && i < PQntuples(bin) && i < PQntuples(txt); i++) {
        CHECK_RC(pgmc_decode_row(&mb, bin, i, &vb[i], PGMC_ROWS_COPY, &ab, &res), PGMC_OK, &res);
        CHECK_RC(pgmc_decode_row(&mt, txt, i, &vt[i], PGMC_ROWS_COPY, &at, &res), PGMC_OK, &res);
        int same = rows_eq(&rows_all_types_table, &vb[i], &vt[i]);
        CHECK(same);
        if (!same)
            fprintf(stderr, "  (row id %d)\n", i + 1);
    }
    /* COPY: the rows survive PQclear. */
    PQclear(bin);
    PQclear(txt);
    check_values(vb, NULL);
    check_values(vt, NULL);
    /* 4713-01-01 BC is Julian day 0 .. proleptic Gregorian: -2440550 days
     * from 1970 (checked against the server's own arithmetic). */
    long want_d = fx_int(c, "SELECT '4713-01-01 BC'::date - '1970-01-01'::date");
    CHECK(vb[4].d == want_d && vt[4].d == want_d);
    long want_ts = fx_int(c, "SELECT (extract(epoch FROM '0044-03-15 12:00:00+00 BC'::timestamptz)"
                             " * 1000000)::bigint");
    CHECK(vb[3].ts == want_ts && vt[3].ts == want_ts);
    if (vb[3].ts != want_ts)
        fprintf(stderr, "0044-03-15 12:00 BC: decoded %lld, server says %ld\n", (long long)vb[3].ts,
                want_ts);

    /* BORROW: text points into the PGresult. */
    bin = fetch(c, 1);
    CHECK_RC(pgmc_row_map_init(&mb, bin, &rows_all_types_table, &res), PGMC_OK, &res);
    pgmc_arena_reset(&ab);
    rows_all_types row;
    CHECK_RC(pgmc_decode_row(&mb, bin, 1, &row, PGMC_ROWS_BORROW, &ab, &res), PGMC_OK, &res);
    CHECK(row.t.ptr == PQgetvalue(bin, 1, mb.col[7]));
    CHECK(ab.used > 0); /* arrays and numerics still needed the arena */
    /* A row with arrays needs an arena; without one it is an error, not a crash. */
    CHECK(pgmc_decode_row(&mb, bin, 1, &row, PGMC_ROWS_BORROW, NULL, &res) == PGMC_ERR_DECODE);
    CHECK(strstr(res.message, "arena") != NULL);
    /* The all-NULL row needs none. */
    CHECK_RC(pgmc_decode_row(&mb, bin, 0, &row, PGMC_ROWS_BORROW, NULL, &res), PGMC_OK, &res);
    /* A full arena says how much more it needed. */
    unsigned char tiny[64];
    pgmc_arena ta;
    pgmc_arena_init(&ta, tiny, sizeof tiny);
    CHECK(pgmc_decode_row(&mb, bin, 3, &row, PGMC_ROWS_COPY, &ta, &res) == PGMC_ERR_DECODE);
    CHECK(ta.need > 0 && ta.used <= sizeof tiny);
    PQclear(bin);

    /* Type mismatch: bigint where the struct has int4. */
    PGresult *mm = PQexecParams(c, "SELECT 1::bigint AS i4", 0, NULL, NULL, NULL, NULL, 1);
    CHECK(pgmc_row_map_init(&mb, mm, &rows_all_types_table, &res) == PGMC_ERR_DECODE);
    CHECK(strstr(res.message, "i4") != NULL);
    PQclear(mm);
    /* An unmapped type selected without its ::text cast, in binary: refused. */
    mm = PQexecParams(c, "SELECT unk FROM all_types", 0, NULL, NULL, NULL, NULL, 1);
    CHECK(pgmc_row_map_init(&mb, mm, &rows_all_types_table, &res) == PGMC_ERR_DECODE);
    PQclear(mm);

    /* A label added after this build decodes as __UNKNOWN. */
    fx_exec(c, "ALTER TYPE mood ADD VALUE 'ecstatic'");
    fx_exec(c, "INSERT INTO all_types (id, mood, ma) VALUES (6, 'ecstatic', '{ecstatic,ok}')");
    for (int fmt = 0; fmt < 2; fmt++) {
        PGresult *r = PQexecParams(c, "SELECT id, mood, ma FROM all_types WHERE id = 6", 0, NULL,
                                   NULL, NULL, NULL, fmt);
        CHECK_RC(pgmc_row_map_init(&mb, r, &rows_all_types_table, &res), PGMC_OK, &res);
        CHECK(mb.missing == rows_all_types_table.n_columns - 3);
        pgmc_arena_reset(&ab);
        CHECK_RC(pgmc_decode_row(&mb, r, 0, &row, PGMC_ROWS_BORROW, &ab, &res), PGMC_OK, &res);
        CHECK(row.mood == ROWS_MOOD__UNKNOWN && !row.mood_null);
        CHECK(row.ma.count == 2 && ((const int *)row.ma.items)[0] == -1 &&
              ((const int *)row.ma.items)[1] == ROWS_MOOD_OK);
        CHECK(row.i2_null && row.t_null); /* not selected: NULL */
        PQclear(r);
    }

    /* Another schema's table and enum. */
    fx_exec(c, "INSERT INTO app.events VALUES ('00000000-0000-0000-0000-000000000001', 'gone', "
               "'1970-01-01 00:00:01+00')");
    PGresult *ev = PQexecParams(c, "SELECT * FROM app.events", 0, NULL, NULL, NULL, NULL, 1);
    CHECK_RC(pgmc_row_map_init(&mb, ev, &rows_app_events_table, &res), PGMC_OK, &res);
    rows_app_events e;
    CHECK_RC(pgmc_decode_row(&mb, ev, 0, &e, PGMC_ROWS_BORROW, NULL, &res), PGMC_OK, &res);
    CHECK(e.status == ROWS_APP_STATUS_GONE && e.at == 1000000 && !e.at_null && e.id.b[15] == 1);
    PQclear(ev);

    malformed();

    /* Streaming: 200000 rows, one at a time, with a 4 KiB arena. */
    unsigned char small[4096];
    pgmc_arena sa;
    pgmc_arena_init(&sa, small, sizeof small);
    stream_acc acc = {0, 0, 0, 0};
    uint64_t n = 0;
    CHECK_RC(pgmc_stream_rows(c,
                              "SELECT g::bigint AS id, repeat('x', (g % 50)::int) AS t "
                              "FROM generate_series(1, $1::int) g",
                              1, (const char *const[]){"200000"}, &rows_all_types_table, &row, &sa,
                              on_row, &acc, &n, &res),
             PGMC_OK, &res);
    CHECK(n == 200000 && acc.n == 200000);
    CHECK(acc.sum == INT64_C(200000) * 200001 / 2);
    CHECK(acc.bad == 0);
    /* Stopping early leaves the connection usable. */
    uint64_t seen = 0;
    CHECK_RC(pgmc_stream_rows(c, "SELECT g::bigint AS id FROM generate_series(1, 100000) g", 0,
                              NULL, &rows_all_types_table, &row, NULL, stop_at_10, &seen, &n, &res),
             PGMC_OK, &res);
    CHECK(seen == 10 && n == 10);
    CHECK(fx_int(c, "SELECT 41 + 1") == 42);
    /* A server error comes back as PGMC_ERR_SQL with its SQLSTATE. */
    CHECK(pgmc_stream_rows(c, "SELECT 1/0 AS id", 0, NULL, &rows_all_types_table, &row, NULL,
                           stop_at_10, &seen, &n, &res) == PGMC_ERR_SQL);
    CHECK_STR(res.sqlstate, "22012");

    /* Timestamp helpers. */
    struct timespec ts;
    CHECK(pgmc_timestamp_to_timespec(-1, &ts) == 0 && ts.tv_sec == -1 && ts.tv_nsec == 999999000);
    CHECK(pgmc_timestamp_from_timespec(&ts) == -1);
    CHECK(pgmc_timestamp_to_timespec(PGMC_TIMESTAMP_INFINITY, &ts) == -1);
    time_t tt;
    CHECK(pgmc_timestamp_to_time_t(1500000, &tt) == 0 && tt == 1);
    CHECK(pgmc_timestamp_from_time_t(86400) == INT64_C(86400000000));
    char buf[48];
    CHECK_STR(pgmc_timestamp_format(vb[1].ts, buf, sizeof buf), "1969-07-20T20:17:40.123456Z");
    CHECK_STR(pgmc_timestamp_format(0, buf, sizeof buf), "1970-01-01T00:00:00Z");
    CHECK_STR(pgmc_timestamp_format(PGMC_TIMESTAMP_NEG_INFINITY, buf, sizeof buf), "-infinity");

    PQfinish(c);
    return fx_done("test_rows_decode");
}
