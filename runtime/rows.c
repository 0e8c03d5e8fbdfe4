/* rows.c - the generic row decoder: PGresult values (binary or text format)
 * into generated row structs, driven by pgmc_table_desc / pgmc_column_desc
 * (pgmc_schema.h). One engine for every table: per column a kind, a field
 * offset and a null-flag offset, protobuf-c style.
 *
 * Every length read from the wire is checked before use; a malformed value
 * is PGMC_ERR_DECODE in the result, never an out-of-bounds read.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pgmc_internal.h"

/* PostgreSQL's epoch (2000-01-01) relative to Unix's, in days and usec. */
#define PG_EPOCH_DAYS 10957
#define PG_EPOCH_USEC INT64_C(946684800000000)
#define USEC_PER_DAY  INT64_C(86400000000)

/* ---- arena ---- */

void pgmc_arena_init(pgmc_arena *a, void *buf, size_t cap)
{
    a->base = buf;
    a->cap = buf ? cap : 0;
    a->used = 0;
    a->need = 0;
}

void pgmc_arena_reset(pgmc_arena *a)
{
    a->used = 0;
    a->need = 0;
}

void *pgmc_arena_alloc(pgmc_arena *a, size_t n, size_t align)
{
    if (!a)
        return NULL;
    size_t at = (a->used + (align - 1)) & ~(align - 1);
    if (at < a->used || at > a->cap || a->cap - at < n) {
        a->need = n;
        return NULL;
    }
    a->used = at + n;
    return a->base + at;
}

/* ---- decoding context and errors ---- */

typedef struct dctx {
    pgmc_rows_mode mode;
    pgmc_arena *arena;
    pgmc_result *res;
    const pgmc_column_desc *col;
} dctx;

static int derr(dctx *d, const char *fmt, ...) PGMC_PRINTF(2, 3);
static int derr(dctx *d, const char *fmt, ...)
{
    if (d->res) {
        char msg[800];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        d->res->code = PGMC_ERR_DECODE;
        pgmc__fmt(d->res->message, sizeof d->res->message, "column \"%s\" (%s): %s",
                  d->col ? d->col->name : "?", d->col ? d->col->sql_type : "?", msg);
    }
    return PGMC_ERR_DECODE;
}

static void *dalloc(dctx *d, size_t n, size_t align)
{
    void *p = pgmc_arena_alloc(d->arena, n ? n : 1, align);
    if (!p)
        derr(d,
             d->arena ? "the arena is full (%zu more bytes needed, %zu of %zu used)"
                      : "needs an arena (%zu bytes) and none was given",
             n, d->arena ? d->arena->used : 0, d->arena ? d->arena->cap : 0);
    return p;
}

/* Store text; `borrow` says p is NUL-terminated and outlives the row. */
static int put_text(dctx *d, const char *p, size_t n, int borrow, pgmc_text *out)
{
    if (borrow && d->mode == PGMC_ROWS_BORROW) {
        out->ptr = p;
        out->len = n;
        return 0;
    }
    char *c = dalloc(d, n + 1, 1);
    if (!c)
        return PGMC_ERR_DECODE;
    memcpy(c, p, n);
    c[n] = '\0';
    out->ptr = c;
    out->len = n;
    return 0;
}

static int put_bytes(dctx *d, const char *p, size_t n, pgmc_bytes *out)
{
    if (d->mode == PGMC_ROWS_BORROW) {
        out->ptr = (const uint8_t *)p;
        out->len = n;
        return 0;
    }
    uint8_t *c = dalloc(d, n, 1);
    if (!c)
        return PGMC_ERR_DECODE;
    memcpy(c, p, n);
    out->ptr = c;
    out->len = n;
    return 0;
}

/* ---- big-endian reads ---- */

static uint16_t be16(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    return (uint16_t)((u[0] << 8) | u[1]);
}

static uint32_t be32(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    return ((uint32_t)u[0] << 24) | ((uint32_t)u[1] << 16) | ((uint32_t)u[2] << 8) | u[3];
}

static uint64_t be64(const char *p)
{
    return ((uint64_t)be32(p) << 32) | be32(p + 4);
}

/* ---- per-kind facts ---- */

static size_t kind_size(pgmc_ckind k)
{
    switch (k) {
    case PGMC_C_INT16:
        return sizeof(int16_t);
    case PGMC_C_INT32:
    case PGMC_C_DATE:
        return sizeof(int32_t);
    case PGMC_C_INT64:
    case PGMC_C_TIMESTAMP:
    case PGMC_C_TIME:
        return sizeof(int64_t);
    case PGMC_C_FLOAT:
        return sizeof(float);
    case PGMC_C_DOUBLE:
        return sizeof(double);
    case PGMC_C_BOOL:
        return sizeof(bool);
    case PGMC_C_BYTES:
        return sizeof(pgmc_bytes);
    case PGMC_C_UUID:
        return sizeof(pgmc_uuid);
    case PGMC_C_INTERVAL:
        return sizeof(pgmc_interval);
    case PGMC_C_ENUM:
        return sizeof(int);
    case PGMC_C_ARRAY:
        return sizeof(pgmc_array);
    case PGMC_C_TEXT:
    case PGMC_C_NUMERIC:
    case PGMC_C_JSON:
    case PGMC_C_JSONB:
    case PGMC_C_INET:
        return sizeof(pgmc_text);
    }
    return 0;
}

/* Is `oid` an acceptable server type for a scalar of kind k? `binary`:
 * the value comes in binary format (text-kind fields then need a type
 * whose binary form is its text). OIDs >= 16384 are user/extension types
 * (enums, citext, ...): accepted for text-like kinds. */
static int oid_ok(pgmc_ckind k, Oid oid, int binary)
{
    switch (k) {
    case PGMC_C_INT16:
        return oid == 21;
    case PGMC_C_INT32:
        return oid == 23;
    case PGMC_C_INT64:
        return oid == 20;
    case PGMC_C_FLOAT:
        return oid == 700;
    case PGMC_C_DOUBLE:
        return oid == 701;
    case PGMC_C_BOOL:
        return oid == 16;
    case PGMC_C_BYTES:
        return oid == 17;
    case PGMC_C_UUID:
        return oid == 2950;
    case PGMC_C_TIMESTAMP:
        return oid == 1114 || oid == 1184;
    case PGMC_C_DATE:
        return oid == 1082;
    case PGMC_C_TIME:
        return oid == 1083;
    case PGMC_C_INTERVAL:
        return oid == 1186;
    case PGMC_C_NUMERIC:
        return oid == 1700;
    case PGMC_C_JSON:
        return oid == 114;
    case PGMC_C_JSONB:
        return oid == 3802;
    case PGMC_C_INET:
        return oid == 869 || oid == 650;
    case PGMC_C_ENUM:
        return oid >= 16384 || oid == 25 || oid == 1043;
    case PGMC_C_TEXT:
        return !binary || oid == 25 || oid == 1043 || oid == 1042 || oid == 19 || oid == 705 ||
               oid == 18 || oid >= 16384;
    case PGMC_C_ARRAY:
        return 0;
    }
    return 0;
}

/* Element OID of a built-in array type OID, 0 when not one we know (user
 * arrays, >= 16384, are accepted as they come). */
static Oid array_elem_oid(Oid a)
{
    static const Oid map[][2] = {
        {1005, 21},   {1007, 23},   {1016, 20},   {1021, 700},  {1022, 701},  {1000, 16},
        {1001, 17},   {2951, 2950}, {1115, 1114}, {1185, 1184}, {1182, 1082}, {1183, 1083},
        {1187, 1186}, {1231, 1700}, {199, 114},   {3807, 3802}, {1041, 869},  {651, 650},
        {1009, 25},   {1015, 1043}, {1014, 1042}, {1003, 19},   {1002, 18},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (map[i][0] == a)
            return map[i][1];
    return 0;
}

static int column_oid_ok(const pgmc_column_desc *c, Oid oid, int binary)
{
    if (c->kind != PGMC_C_ARRAY)
        return oid_ok(c->kind, oid, binary);
    if (oid >= 16384)
        return 1;
    Oid e = array_elem_oid(oid);
    return e && oid_ok(c->elem_kind, e, binary);
}

/* ---- enums ---- */

static int enum_value(dctx *d, const pgmc_enum_desc *e, const char *p, size_t n, int *out)
{
    if (!e)
        return derr(d, "enum column without an enum descriptor");
    for (uint32_t i = 0; i < e->n_labels; i++) {
        if (strlen(e->labels[i]) == n && !memcmp(e->labels[i], p, n)) {
            *out = (int)i;
            return 0;
        }
    }
    *out = -1; /* a label added after this build: <PREFIX>_<ENUM>__UNKNOWN */
    return 0;
}

/* ---- numeric: binary (base-10000 digits) to its exact text ---- */

static int numeric_bin(dctx *d, const char *p, size_t n, pgmc_text *out)
{
    if (n < 8)
        return derr(d, "binary numeric of %zu bytes", n);
    int ndigits = (int16_t)be16(p), weight = (int16_t)be16(p + 2);
    uint16_t sign = be16(p + 4);
    int dscale = (int16_t)be16(p + 6);
    if (ndigits < 0 || n != 8 + 2 * (size_t)ndigits || dscale < 0 || dscale > 0x3fff)
        return derr(d, "malformed binary numeric (%d digits, %zu bytes, scale %d)", ndigits, n,
                    dscale);
    const char *special = sign == 0xC000   ? "NaN"
                          : sign == 0xD000 ? "Infinity"
                          : sign == 0xF000 ? "-Infinity"
                                           : NULL;
    if (special)
        return put_text(d, special, strlen(special), 0, out);
    if (sign != 0 && sign != 0x4000)
        return derr(d, "binary numeric with sign word 0x%04x", sign);
    for (int i = 0; i < ndigits; i++)
        if (be16(p + 8 + 2 * i) > 9999)
            return derr(d, "binary numeric digit %u > 9999", be16(p + 8 + 2 * i));
    size_t int_digits = weight >= 0 ? (size_t)(weight + 1) * 4 : 1;
    size_t cap = 1 + int_digits + 1 + (size_t)dscale + 4 + 1;
    char *s = dalloc(d, cap, 1), *o = s;
    if (!s)
        return PGMC_ERR_DECODE;
    if (sign == 0x4000)
        *o++ = '-';
    if (weight < 0) {
        *o++ = '0';
    } else {
        for (int w = 0; w <= weight; w++) {
            unsigned dig = w < ndigits ? be16(p + 8 + 2 * w) : 0;
            char q[4] = {(char)('0' + dig / 1000), (char)('0' + dig / 100 % 10),
                         (char)('0' + dig / 10 % 10), (char)('0' + dig % 10)};
            if (w == 0) {
                int k = 0;
                while (k < 3 && q[k] == '0')
                    k++;
                memcpy(o, q + k, (size_t)(4 - k));
                o += 4 - k;
            } else {
                memcpy(o, q, 4);
                o += 4;
            }
        }
    }
    if (dscale > 0) {
        *o++ = '.';
        char *frac = o;
        for (int w = weight + 1; o - frac < dscale; w++) {
            unsigned dig = (w >= 0 && w < ndigits) ? be16(p + 8 + 2 * w) : 0;
            *o++ = (char)('0' + dig / 1000);
            *o++ = (char)('0' + dig / 100 % 10);
            *o++ = (char)('0' + dig / 10 % 10);
            *o++ = (char)('0' + dig % 10);
        }
        o = frac + dscale;
    }
    *o = '\0';
    out->ptr = s;
    out->len = (size_t)(o - s);
    return 0;
}

/* ---- inet / cidr: binary to PostgreSQL's output text ---- */

static int inet_bin(dctx *d, const char *p, size_t n, pgmc_text *out)
{
    if (n < 4)
        return derr(d, "binary inet of %zu bytes", n);
    unsigned fam = (unsigned char)p[0], bits = (unsigned char)p[1], is_cidr = (unsigned char)p[2],
             nb = (unsigned char)p[3];
    int af;
    unsigned maxbits;
    if (fam == 2 && nb == 4) {
        af = AF_INET;
        maxbits = 32;
    } else if (fam == 3 && nb == 16) {
        af = AF_INET6;
        maxbits = 128;
    } else {
        return derr(d, "binary inet of family %u with %u address bytes", fam, nb);
    }
    if (n != 4 + (size_t)nb || bits > maxbits)
        return derr(d, "malformed binary inet (%zu bytes, /%u)", n, bits);
    unsigned char addr[16];
    memcpy(addr, p + 4, nb);
    char buf[INET6_ADDRSTRLEN + 8];
    if (!inet_ntop(af, addr, buf, INET6_ADDRSTRLEN))
        return derr(d, "inet_ntop failed");
    if (is_cidr || bits != maxbits) {
        size_t l = strlen(buf);
        snprintf(buf + l, sizeof buf - l, "/%u", bits);
    }
    return put_text(d, buf, strlen(buf), 0, out);
}

/* ---- timestamps and dates ---- */

static int ts_from_pg(dctx *d, int64_t v, pgmc_timestamp *out)
{
    if (v == INT64_MAX || v == INT64_MIN) {
        *out = v;
        return 0;
    }
    if (v >= INT64_MAX - PG_EPOCH_USEC)
        return derr(d, "timestamp beyond the Unix-epoch microsecond range");
    *out = v + PG_EPOCH_USEC;
    return 0;
}

static int date_from_pg(dctx *d, int32_t v, pgmc_date *out)
{
    if (v == INT32_MAX || v == INT32_MIN) {
        *out = v;
        return 0;
    }
    if (v >= INT32_MAX - PG_EPOCH_DAYS)
        return derr(d, "date beyond the int32 day range");
    *out = v + PG_EPOCH_DAYS;
    return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (astronomical year:
 * 1 BC is year 0). H. Hinnant's days_from_civil. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned dd)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + dd - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* Parse an unsigned decimal run of 1..18 digits at *p. */
static int digits(const char **p, const char *end, int64_t *out, int *nd)
{
    const char *s = *p;
    int64_t v = 0;
    int k = 0;
    while (s < end && *s >= '0' && *s <= '9' && k < 18) {
        v = v * 10 + (*s++ - '0');
        k++;
    }
    if (k == 0 || (s < end && *s >= '0' && *s <= '9'))
        return -1;
    *p = s;
    *out = v;
    if (nd)
        *nd = k;
    return 0;
}

/* "YYYY-MM-DD" -> days since 1970 (before any " BC", which the caller
 * handles). */
static int parse_ymd(const char **p, const char *end, int64_t *year, unsigned *mon, unsigned *day)
{
    int64_t y, m, dd;
    if (digits(p, end, &y, NULL) || *p >= end || **p != '-')
        return -1;
    (*p)++;
    if (digits(p, end, &m, NULL) || *p >= end || **p != '-')
        return -1;
    (*p)++;
    if (digits(p, end, &dd, NULL))
        return -1;
    static const unsigned mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y > 10000000 || m < 1 || m > 12 || dd < 1 || dd > mdays[m - 1])
        return -1; /* PostgreSQL's years end at 5874897 AD */
    *year = y;
    *mon = (unsigned)m;
    *day = (unsigned)dd;
    return 0;
}

/* "HH:MM:SS[.ffffff]" -> usec. Hours may exceed 24 only if `any_hours`. */
static int parse_hms(const char **p, const char *end, int any_hours, int64_t *usec)
{
    int64_t h, m, s, f = 0;
    int nd = 0;
    if (digits(p, end, &h, NULL) || *p >= end || **p != ':')
        return -1;
    (*p)++;
    if (digits(p, end, &m, NULL) || *p >= end || **p != ':')
        return -1;
    (*p)++;
    if (digits(p, end, &s, NULL))
        return -1;
    if (*p < end && **p == '.') {
        (*p)++;
        if (digits(p, end, &f, &nd) || nd > 6)
            return -1;
        for (int k = nd; k < 6; k++)
            f *= 10;
    }
    if ((!any_hours && h > 24) || h > INT64_C(2562047788) || m > 59 || s > 60)
        return -1;
    int64_t v;
    if (__builtin_mul_overflow((h * 60 + m) * 60 + s, INT64_C(1000000), &v) ||
        __builtin_add_overflow(v, f, &v))
        return -1;
    *usec = v;
    return 0;
}

static int is_word(const char *p, size_t n, const char *w)
{
    return strlen(w) == n && !memcmp(p, w, n);
}

static int ts_text(dctx *d, const char *p, size_t n, pgmc_timestamp *out)
{
    if (is_word(p, n, "infinity")) {
        *out = PGMC_TIMESTAMP_INFINITY;
        return 0;
    }
    if (is_word(p, n, "-infinity")) {
        *out = PGMC_TIMESTAMP_NEG_INFINITY;
        return 0;
    }
    const char *s = p, *end = p + n;
    int64_t y, tod, off = 0;
    unsigned m, dd;
    if (parse_ymd(&s, end, &y, &m, &dd) || s >= end || *s != ' ')
        goto bad;
    s++;
    if (parse_hms(&s, end, 0, &tod))
        goto bad;
    if (s < end && (*s == '+' || *s == '-')) {
        int neg = *s++ == '-';
        int64_t oh, om = 0, os = 0;
        if (digits(&s, end, &oh, NULL))
            goto bad;
        if (s < end && *s == ':') {
            s++;
            if (digits(&s, end, &om, NULL))
                goto bad;
            if (s < end && *s == ':') {
                s++;
                if (digits(&s, end, &os, NULL))
                    goto bad;
            }
        }
        off = (oh * 3600 + om * 60 + os) * INT64_C(1000000);
        if (neg)
            off = -off;
    }
    if (end - s == 3 && !memcmp(s, " BC", 3)) {
        y = 1 - y;
        s = end;
    }
    if (s != end)
        goto bad;
    int64_t days = days_from_civil(y, m, dd), v;
    if (__builtin_mul_overflow(days, USEC_PER_DAY, &v) || __builtin_add_overflow(v, tod, &v) ||
        __builtin_sub_overflow(v, off, &v) || v == INT64_MAX || v == INT64_MIN)
        return derr(d, "timestamp beyond the Unix-epoch microsecond range");
    *out = v;
    return 0;
bad:
    return derr(d, "malformed timestamp text '%.60s' (DateStyle must be ISO)", p);
}

static int date_text(dctx *d, const char *p, size_t n, pgmc_date *out)
{
    if (is_word(p, n, "infinity")) {
        *out = PGMC_DATE_INFINITY;
        return 0;
    }
    if (is_word(p, n, "-infinity")) {
        *out = PGMC_DATE_NEG_INFINITY;
        return 0;
    }
    const char *s = p, *end = p + n;
    int64_t y;
    unsigned m, dd;
    if (parse_ymd(&s, end, &y, &m, &dd))
        goto bad;
    if (end - s == 3 && !memcmp(s, " BC", 3)) {
        y = 1 - y;
        s = end;
    }
    if (s != end)
        goto bad;
    int64_t days = days_from_civil(y, m, dd);
    if (days >= INT32_MAX || days <= INT32_MIN)
        return derr(d, "date beyond the int32 day range");
    *out = (int32_t)days;
    return 0;
bad:
    return derr(d, "malformed date text '%.60s' (DateStyle must be ISO)", p);
}

/* IntervalStyle postgres: "1 year 2 mons -3 days +04:05:06.5", "00:00:00". */
static int interval_text(dctx *d, const char *p, size_t n, pgmc_interval *out)
{
    const char *s = p, *end = p + n;
    int64_t months = 0, days = 0, usec = 0;
    while (s < end) {
        int neg = 0;
        if (*s == '+' || *s == '-')
            neg = *s++ == '-';
        const char *t = s;
        while (t < end && *t >= '0' && *t <= '9')
            t++;
        if (t < end && *t == ':') {
            int64_t u;
            if (parse_hms(&s, end, 1, &u) || __builtin_add_overflow(usec, neg ? -u : u, &usec))
                goto bad;
        } else {
            int64_t v;
            if (digits(&s, end, &v, NULL) || s >= end || *s != ' ')
                goto bad;
            s++;
            const char *w = s;
            while (s < end && *s != ' ')
                s++;
            size_t wl = (size_t)(s - w);
            if (v > INT32_MAX)
                goto bad;
            if (neg)
                v = -v;
            if (is_word(w, wl, "year") || is_word(w, wl, "years"))
                months += v * 12;
            else if (is_word(w, wl, "mon") || is_word(w, wl, "mons"))
                months += v;
            else if (is_word(w, wl, "day") || is_word(w, wl, "days"))
                days += v;
            else
                goto bad;
        }
        if (s < end) {
            if (*s != ' ')
                goto bad;
            s++;
        }
        if (months > INT32_MAX || months < INT32_MIN || days > INT32_MAX || days < INT32_MIN)
            goto bad;
    }
    out->months = (int32_t)months;
    out->days = (int32_t)days;
    out->usec = usec;
    return 0;
bad:
    return derr(d, "malformed interval text '%.60s' (IntervalStyle must be postgres)", p);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int uuid_text(dctx *d, const char *p, size_t n, pgmc_uuid *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '-')
            continue;
        int hi = hexval(p[i]), lo = i + 1 < n ? hexval(p[i + 1]) : -1;
        if (hi < 0 || lo < 0 || k == 16)
            return derr(d, "malformed uuid text");
        out->b[k++] = (uint8_t)(hi << 4 | lo);
        i++;
    }
    return k == 16 ? 0 : derr(d, "malformed uuid text");
}

static int bytea_text(dctx *d, const char *p, size_t n, pgmc_bytes *out)
{
    if (n < 2 || p[0] != '\\' || p[1] != 'x' || (n - 2) % 2)
        return derr(d, "bytea text is not in hex format (bytea_output must be hex)");
    size_t len = (n - 2) / 2;
    uint8_t *b = dalloc(d, len, 1);
    if (!b)
        return PGMC_ERR_DECODE;
    for (size_t i = 0; i < len; i++) {
        int hi = hexval(p[2 + 2 * i]), lo = hexval(p[3 + 2 * i]);
        if (hi < 0 || lo < 0)
            return derr(d, "malformed bytea hex");
        b[i] = (uint8_t)(hi << 4 | lo);
    }
    out->ptr = b;
    out->len = len;
    return 0;
}

static int int_text(dctx *d, const char *p, int64_t lo, int64_t hi, int64_t *out)
{
    char *e;
    errno = 0;
    long long v = strtoll(p, &e, 10);
    if (e == p || *e || errno || v < lo || v > hi)
        return derr(d, "malformed or out-of-range integer text '%.40s'", p);
    *out = v;
    return 0;
}

/* ---- one scalar value ---- */

/* Decode a binary value p[0..n) of kind k into dst. `top`: p is a whole
 * PGresult value (NUL-terminated by libpq), not an array element. */
static int bin_scalar(dctx *d, pgmc_ckind k, const char *p, size_t n, int top, void *dst)
{
    switch (k) {
    case PGMC_C_INT16:
        if (n != 2)
            break;
        *(int16_t *)dst = (int16_t)be16(p);
        return 0;
    case PGMC_C_INT32:
        if (n != 4)
            break;
        *(int32_t *)dst = (int32_t)be32(p);
        return 0;
    case PGMC_C_INT64:
        if (n != 8)
            break;
        *(int64_t *)dst = (int64_t)be64(p);
        return 0;
    case PGMC_C_FLOAT: {
        if (n != 4)
            break;
        uint32_t u = be32(p);
        float f;
        memcpy(&f, &u, 4);
        *(float *)dst = f;
        return 0;
    }
    case PGMC_C_DOUBLE: {
        if (n != 8)
            break;
        uint64_t u = be64(p);
        double f;
        memcpy(&f, &u, 8);
        *(double *)dst = f;
        return 0;
    }
    case PGMC_C_BOOL:
        if (n != 1)
            break;
        *(bool *)dst = p[0] != 0;
        return 0;
    case PGMC_C_BYTES:
        return put_bytes(d, p, n, dst);
    case PGMC_C_UUID:
        if (n != 16)
            break;
        memcpy(((pgmc_uuid *)dst)->b, p, 16);
        return 0;
    case PGMC_C_TIMESTAMP:
        if (n != 8)
            break;
        return ts_from_pg(d, (int64_t)be64(p), dst);
    case PGMC_C_DATE:
        if (n != 4)
            break;
        return date_from_pg(d, (int32_t)be32(p), dst);
    case PGMC_C_TIME:
        if (n != 8)
            break;
        *(int64_t *)dst = (int64_t)be64(p);
        return 0;
    case PGMC_C_INTERVAL: {
        if (n != 16)
            break;
        pgmc_interval *iv = dst;
        iv->usec = (int64_t)be64(p);
        iv->days = (int32_t)be32(p + 8);
        iv->months = (int32_t)be32(p + 12);
        return 0;
    }
    case PGMC_C_NUMERIC:
        return numeric_bin(d, p, n, dst);
    case PGMC_C_INET:
        return inet_bin(d, p, n, dst);
    case PGMC_C_JSONB:
        if (n < 1 || p[0] != 1)
            return derr(d, "jsonb binary version %d (only 1 is known)", n ? p[0] : -1);
        return put_text(d, p + 1, n - 1, top, dst);
    case PGMC_C_TEXT:
    case PGMC_C_JSON:
        return put_text(d, p, n, top, dst);
    case PGMC_C_ENUM:
        return enum_value(d, d->col->enum_desc, p, n, dst);
    case PGMC_C_ARRAY:
        return derr(d, "nested array kind");
    }
    return derr(d, "binary value of %zu bytes does not fit the type", n);
}

/* Decode a text value p[0..n) (p[n] == '\0') of kind k into dst. `top`:
 * p is the PGresult's own value (borrowable). */
static int text_scalar(dctx *d, pgmc_ckind k, const char *p, size_t n, int top, void *dst)
{
    int64_t v = 0;
    char *e;
    switch (k) {
    case PGMC_C_INT16:
        if (int_text(d, p, INT16_MIN, INT16_MAX, &v))
            return PGMC_ERR_DECODE;
        *(int16_t *)dst = (int16_t)v;
        return 0;
    case PGMC_C_INT32:
        if (int_text(d, p, INT32_MIN, INT32_MAX, &v))
            return PGMC_ERR_DECODE;
        *(int32_t *)dst = (int32_t)v;
        return 0;
    case PGMC_C_INT64:
        if (int_text(d, p, INT64_MIN, INT64_MAX, &v))
            return PGMC_ERR_DECODE;
        *(int64_t *)dst = v;
        return 0;
    case PGMC_C_FLOAT: {
        /* ERANGE is ignored: the server prints subnormals, which strtof
         * flags but converts exactly. */
        float f = strtof(p, &e);
        if (e == p || *e)
            return derr(d, "malformed real text '%.40s'", p);
        *(float *)dst = f;
        return 0;
    }
    case PGMC_C_DOUBLE: {
        double f = strtod(p, &e);
        if (e == p || *e)
            return derr(d, "malformed double text '%.40s'", p);
        *(double *)dst = f;
        return 0;
    }
    case PGMC_C_BOOL:
        if (n != 1 || (p[0] != 't' && p[0] != 'f'))
            return derr(d, "malformed boolean text '%.10s'", p);
        *(bool *)dst = p[0] == 't';
        return 0;
    case PGMC_C_BYTES:
        return bytea_text(d, p, n, dst);
    case PGMC_C_UUID:
        return uuid_text(d, p, n, dst);
    case PGMC_C_TIMESTAMP:
        return ts_text(d, p, n, dst);
    case PGMC_C_DATE:
        return date_text(d, p, n, dst);
    case PGMC_C_TIME: {
        const char *s = p;
        if (parse_hms(&s, p + n, 0, &v) || s != p + n || v > USEC_PER_DAY)
            return derr(d, "malformed time text '%.40s'", p);
        *(int64_t *)dst = v;
        return 0;
    }
    case PGMC_C_INTERVAL:
        return interval_text(d, p, n, dst);
    case PGMC_C_TEXT:
    case PGMC_C_NUMERIC:
    case PGMC_C_JSON:
    case PGMC_C_JSONB:
    case PGMC_C_INET:
        return put_text(d, p, n, top, dst);
    case PGMC_C_ENUM:
        return enum_value(d, d->col->enum_desc, p, n, dst);
    case PGMC_C_ARRAY:
        return derr(d, "nested array kind");
    }
    return derr(d, "unknown kind %d", (int)k);
}

/* ---- arrays ---- */

static int bin_array(dctx *d, pgmc_ckind ek, const char *p, size_t n, pgmc_array *a)
{
    if (n < 12)
        return derr(d, "binary array of %zu bytes", n);
    int32_t ndim = (int32_t)be32(p), flags = (int32_t)be32(p + 4);
    Oid eoid = be32(p + 8);
    if (ndim < 0 || ndim > PGMC_ARRAY_MAXDIM || (flags & ~1))
        return derr(d, "malformed binary array header (ndim %d, flags %d)", ndim, flags);
    if (eoid < 16384 && !oid_ok(ek, eoid, 1))
        return derr(d, "array of element type oid %u does not fit the field", eoid);
    size_t pos = 12, count = ndim ? 1 : 0;
    if (n - pos < (size_t)ndim * 8)
        return derr(d, "truncated binary array dimensions");
    a->ndim = ndim;
    for (int i = 0; i < ndim; i++) {
        int32_t dim = (int32_t)be32(p + pos), lb = (int32_t)be32(p + pos + 4);
        pos += 8;
        if (dim < 0 || (dim && count > (n / 4) / (size_t)dim))
            return derr(d, "binary array dimension %d too large for its %zu bytes", dim, n);
        a->dims[i] = dim;
        a->lbounds[i] = lb;
        count *= (size_t)dim;
    }
    /* Every element takes at least its 4-byte length word. */
    if (count > (n - pos) / 4)
        return derr(d, "binary array claims %zu elements in %zu bytes", count, n);
    a->count = count;
    if (count == 0)
        return pos == n ? 0 : derr(d, "%zu trailing bytes after the binary array", n - pos);
    size_t es = kind_size(ek);
    char *items = dalloc(d, count * es, 8);
    if (!items)
        return PGMC_ERR_DECODE;
    memset(items, 0, count * es);
    a->items = items;
    bool *nulls = NULL;
    for (size_t i = 0; i < count; i++) {
        if (n - pos < 4)
            return derr(d, "truncated binary array element %zu", i);
        int32_t len = (int32_t)be32(p + pos);
        pos += 4;
        if (len == -1) {
            if (!nulls) {
                nulls = dalloc(d, count * sizeof(bool), 1);
                if (!nulls)
                    return PGMC_ERR_DECODE;
                memset(nulls, 0, count * sizeof(bool));
                a->nulls = nulls;
            }
            nulls[i] = true;
            continue;
        }
        if (len < 0 || (size_t)len > n - pos)
            return derr(d, "binary array element %zu of length %d overruns the value", i, len);
        if (bin_scalar(d, ek, p + pos, (size_t)len, 0, items + i * es))
            return PGMC_ERR_DECODE;
        pos += (size_t)len;
    }
    if (pos != n)
        return derr(d, "%zu trailing bytes after the binary array", n - pos);
    return 0;
}

/* The text array parser walks the value twice: once to check the shape and
 * count elements, once (items != NULL) to decode them. */
typedef struct tarr {
    dctx *d;
    pgmc_ckind ek;
    char *items;
    bool *nulls;
    size_t k; /* elements seen */
    int ndim; /* leaf depth, 0 until the first element */
    int dims[PGMC_ARRAY_MAXDIM];
    int fixed[PGMC_ARRAY_MAXDIM]; /* dims[i] known */
    int has_null;                 /* first pass: an unquoted NULL was seen */
} tarr;

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* One element at p[*i]: quoted or not. Second pass: unescape into the
 * arena and decode. */
static int tarr_elem(tarr *t, const char *p, size_t n, size_t *i)
{
    size_t s = *i;
    int quoted = p[s] == '"', escapes = 0;
    size_t j = s + quoted;
    for (;; j++) {
        if (j >= n)
            return derr(t->d, "unterminated array element");
        char c = p[j];
        if (c == '\\') {
            if (++j >= n)
                return derr(t->d, "unterminated array element");
            escapes++;
            continue;
        }
        if (quoted ? c == '"' : (c == ',' || c == '}' || c == '{' || c == '"'))
            break;
    }
    if (!quoted && (p[j] == '{' || p[j] == '"'))
        return derr(t->d, "unexpected '%c' in an array element", p[j]);
    size_t after = quoted ? j + 1 : j;
    /* Unquoted: trailing white space is not part of the element. */
    size_t e = j;
    if (!quoted)
        while (e > s && is_space(p[e - 1]) && (e < 2 || p[e - 2] != '\\'))
            e--;
    if (!quoted && e == s)
        return derr(t->d, "empty unquoted array element");
    *i = after;
    size_t idx = t->k++;
    int isnull = !quoted && !escapes && e - s == 4 && !strncasecmp(p + s, "NULL", 4);
    if (!t->items) {
        t->has_null |= isnull;
        return 0;
    }
    size_t es = kind_size(t->ek);
    if (isnull) {
        t->nulls[idx] = true;
        return 0;
    }
    char *buf = dalloc(t->d, (e - s) + 1, 1);
    if (!buf)
        return PGMC_ERR_DECODE;
    size_t o = 0;
    for (size_t q = s + quoted; q < e; q++) {
        if (p[q] == '\\')
            q++;
        buf[o++] = p[q];
    }
    buf[o] = '\0';
    /* The element is now a NUL-terminated arena copy: text kinds can point
     * at it even in COPY mode. */
    pgmc_rows_mode saved = t->d->mode;
    t->d->mode = PGMC_ROWS_BORROW;
    int rc = text_scalar(t->d, t->ek, buf, o, 1, t->items + idx * es);
    t->d->mode = saved;
    return rc;
}

static int tarr_walk(tarr *t, const char *p, size_t n, size_t *i, int depth)
{
    /* p[*i] == '{' */
    (*i)++;
    int count = 0;
    for (;;) {
        while (*i < n && is_space(p[*i]))
            (*i)++;
        if (*i >= n)
            return derr(t->d, "unterminated array");
        if (p[*i] == '}' && count == 0) {
            (*i)++;
            if (depth == 1 && t->ndim == 0)
                return 0; /* "{}": an empty array */
            return derr(t->d, "empty sub-array");
        }
        if (p[*i] == '{') {
            if (depth >= PGMC_ARRAY_MAXDIM || (t->ndim && depth >= t->ndim))
                return derr(t->d, "array nesting does not match its dimensions");
            if (tarr_walk(t, p, n, i, depth + 1))
                return PGMC_ERR_DECODE;
        } else {
            if (!t->ndim)
                t->ndim = depth;
            if (depth != t->ndim)
                return derr(t->d, "array nesting does not match its dimensions");
            if (tarr_elem(t, p, n, i))
                return PGMC_ERR_DECODE;
        }
        count++;
        while (*i < n && is_space(p[*i]))
            (*i)++;
        if (*i >= n)
            return derr(t->d, "unterminated array");
        if (p[*i] == ',') {
            (*i)++;
            continue;
        }
        if (p[*i] != '}')
            return derr(t->d, "unexpected '%c' in an array", p[*i]);
        (*i)++;
        break;
    }
    int lvl = depth - 1;
    if (t->fixed[lvl] && t->dims[lvl] != count)
        return derr(t->d, "sub-arrays of different lengths");
    t->fixed[lvl] = 1;
    t->dims[lvl] = count;
    return 0;
}

static int text_array(dctx *d, pgmc_ckind ek, const char *p, size_t n, pgmc_array *a)
{
    size_t i = 0;
    int lb[PGMC_ARRAY_MAXDIM], nlb = 0;
    /* Optional "[lo:hi][lo:hi]=" when a lower bound is not 1. */
    if (n && p[0] == '[') {
        while (i < n && p[i] == '[') {
            char *e;
            if (nlb == PGMC_ARRAY_MAXDIM)
                return derr(d, "too many array dimensions");
            long lo = strtol(p + i + 1, &e, 10);
            if (*e != ':')
                return derr(d, "malformed array dimensions");
            strtol(e + 1, &e, 10);
            if (*e != ']')
                return derr(d, "malformed array dimensions");
            lb[nlb++] = (int)lo;
            i = (size_t)(e + 1 - p);
        }
        if (i >= n || p[i] != '=')
            return derr(d, "malformed array dimensions");
        i++;
    }
    if (i >= n || p[i] != '{')
        return derr(d, "array text does not start with '{'");
    tarr t;
    memset(&t, 0, sizeof t);
    t.d = d;
    t.ek = ek;
    size_t start = i;
    if (tarr_walk(&t, p, n, &i, 1))
        return PGMC_ERR_DECODE;
    if (i != n)
        return derr(d, "trailing text after the array");
    if (nlb && nlb != t.ndim)
        return derr(d, "array dimension decoration does not match");
    size_t count = t.k, es = kind_size(ek);
    a->ndim = t.ndim;
    a->count = count;
    for (int k = 0; k < t.ndim; k++) {
        a->dims[k] = t.dims[k];
        a->lbounds[k] = nlb ? lb[k] : 1;
    }
    if (count == 0)
        return 0;
    char *items = dalloc(d, count * es, 8);
    if (!items)
        return PGMC_ERR_DECODE;
    memset(items, 0, count * es);
    a->items = items;
    if (t.has_null) {
        bool *nulls = dalloc(d, count * sizeof(bool), 1);
        if (!nulls)
            return PGMC_ERR_DECODE;
        memset(nulls, 0, count * sizeof(bool));
        a->nulls = nulls;
        t.nulls = nulls;
    }
    /* Second pass: decode. */
    t.items = items;
    t.k = 0;
    t.ndim = 0;
    memset(t.fixed, 0, sizeof t.fixed);
    i = start;
    return tarr_walk(&t, p, n, &i, 1);
}

/* ---- the engine ---- */

static int set_usage(pgmc_result *res, const char *fmt, ...) PGMC_PRINTF(2, 3);
static int set_usage(pgmc_result *res, const char *fmt, ...)
{
    if (res) {
        va_list ap;
        va_start(ap, fmt);
        res->code = PGMC_ERR_USAGE;
        vsnprintf(res->message, sizeof res->message, fmt, ap);
        va_end(ap);
    }
    return PGMC_ERR_USAGE;
}

int pgmc_row_map_init(pgmc_row_map *m, const PGresult *r, const pgmc_table_desc *t,
                      pgmc_result *res)
{
    if (res)
        memset(res, 0, sizeof *res);
    if (!m || !r || !t)
        return set_usage(res, "pgmc_row_map_init: NULL argument");
    if (t->n_columns > PGMC_MAX_COLUMNS)
        return set_usage(res, "table %s has more than %d columns", t->name, PGMC_MAX_COLUMNS);
    m->table = t;
    m->missing = 0;
    int nf = PQnfields(r);
    for (uint32_t c = 0; c < t->n_columns; c++) {
        const pgmc_column_desc *cd = &t->columns[c];
        m->col[c] = -1;
        for (int f = 0; f < nf; f++) {
            if (!strcmp(PQfname(r, f), cd->name)) {
                m->col[c] = (int16_t)f;
                break;
            }
        }
        if (m->col[c] < 0) {
            m->missing++;
            continue;
        }
        Oid oid = PQftype(r, m->col[c]);
        if (!column_oid_ok(cd, oid, PQfformat(r, m->col[c]) == 1)) {
            dctx d = {PGMC_ROWS_BORROW, NULL, res, cd};
            return derr(
                &d,
                "the result's column has type oid %u, which does not decode into "
                "this field%s",
                oid, PQfformat(r, m->col[c]) == 1 ? " (in binary format: cast it to text?)" : "");
        }
    }
    return PGMC_OK;
}

int pgmc_decode_row(const pgmc_row_map *m, const PGresult *r, int row, void *out,
                    pgmc_rows_mode mode, pgmc_arena *arena, pgmc_result *res)
{
    if (res)
        memset(res, 0, sizeof *res);
    if (!m || !m->table || !r || !out)
        return set_usage(res, "pgmc_decode_row: NULL argument");
    if (row < 0 || row >= PQntuples(r))
        return set_usage(res, "pgmc_decode_row: row %d of %d", row, PQntuples(r));
    const pgmc_table_desc *t = m->table;
    memset(out, 0, t->size);
    char *base = out;
    dctx d = {mode, arena, res, NULL};
    for (uint32_t c = 0; c < t->n_columns; c++) {
        const pgmc_column_desc *cd = &t->columns[c];
        d.col = cd;
        int f = m->col[c];
        bool *nullp = cd->null_offset == PGMC_NOT_NULL ? NULL : (bool *)(base + cd->null_offset);
        if (f < 0 || PQgetisnull(r, row, f)) {
            if (nullp) {
                *nullp = true;
                continue;
            }
            if (f < 0)
                continue;
            return derr(&d, "NULL in a NOT NULL field");
        }
        const char *p = PQgetvalue(r, row, f);
        int len = PQgetlength(r, row, f);
        if (len < 0)
            return derr(&d, "negative value length");
        void *dst = base + cd->offset;
        int binary = PQfformat(r, f) == 1, rc;
        if (cd->kind == PGMC_C_ARRAY)
            rc = binary ? bin_array(&d, cd->elem_kind, p, (size_t)len, dst)
                        : text_array(&d, cd->elem_kind, p, (size_t)len, dst);
        else
            rc = binary ? bin_scalar(&d, cd->kind, p, (size_t)len, 1, dst)
                        : text_scalar(&d, cd->kind, p, (size_t)len, 1, dst);
        if (rc)
            return rc;
    }
    return PGMC_OK;
}
