/* rows_text.c - the typed-row decoder for PostgreSQL's text wire format:
 * integers, floats and booleans, timestamps, dates, times and intervals as
 * the server prints them, uuid, bytea (hex format), and arrays ("{...}"
 * with quoting, NULL and optional bounds). */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rows_internal.h"

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

/* 1 if p[0..n) is exactly the word w. */
static int is_word(const char *p, size_t n, const char *w)
{
    return strlen(w) == n && !memcmp(p, w, n);
}

/* A timestamp or timestamptz as the server prints it ("infinity",
 * "YYYY-MM-DD HH:MM:SS[.ffffff][+HH[:MM[:SS]]][ BC]") into usec since
 * Unix's epoch (UTC when an offset is given). */
static int ts_text(pgmc_dctx *d, const char *p, size_t n, pgmc_timestamp *out)
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
        return pgmc__rows_err(d, "timestamp beyond the Unix-epoch microsecond range");
    *out = v;
    return 0;
bad:
    return pgmc__rows_err(d, "malformed timestamp text '%.60s' (DateStyle must be ISO)", p);
}

/* A date as the server prints it (or +-infinity) into days since Unix's
 * epoch. */
static int date_text(pgmc_dctx *d, const char *p, size_t n, pgmc_date *out)
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
        return pgmc__rows_err(d, "date beyond the int32 day range");
    *out = (int32_t)days;
    return 0;
bad:
    return pgmc__rows_err(d, "malformed date text '%.60s' (DateStyle must be ISO)", p);
}

/* IntervalStyle postgres: "1 year 2 mons -3 days +04:05:06.5", "00:00:00". */
static int interval_text(pgmc_dctx *d, const char *p, size_t n, pgmc_interval *out)
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
    return pgmc__rows_err(d, "malformed interval text '%.60s' (IntervalStyle must be postgres)", p);
}

/* The value of hex digit c, or -1. */
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

/* A uuid's 36-character text into its 16 bytes. */
static int uuid_text(pgmc_dctx *d, const char *p, size_t n, pgmc_uuid *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '-')
            continue;
        int hi = hexval(p[i]), lo = i + 1 < n ? hexval(p[i + 1]) : -1;
        if (hi < 0 || lo < 0 || k == 16)
            return pgmc__rows_err(d, "malformed uuid text");
        out->b[k++] = (uint8_t)(hi << 4 | lo);
        i++;
    }
    return k == 16 ? 0 : pgmc__rows_err(d, "malformed uuid text");
}

/* bytea in hex format ("\\x..."; the escape format is refused) into the
 * arena. */
static int bytea_text(pgmc_dctx *d, const char *p, size_t n, pgmc_bytes *out)
{
    if (n < 2 || p[0] != '\\' || p[1] != 'x' || (n - 2) % 2)
        return pgmc__rows_err(d, "bytea text is not in hex format (bytea_output must be hex)");
    size_t len = (n - 2) / 2;
    uint8_t *b = pgmc__rows_alloc(d, len, 1);
    if (!b)
        return PGMC_ERR_DECODE;
    for (size_t i = 0; i < len; i++) {
        int hi = hexval(p[2 + 2 * i]), lo = hexval(p[3 + 2 * i]);
        if (hi < 0 || lo < 0)
            return pgmc__rows_err(d, "malformed bytea hex");
        b[i] = (uint8_t)(hi << 4 | lo);
    }
    out->ptr = b;
    out->len = len;
    return 0;
}

/* A decimal integer (p NUL-terminated) within [lo, hi] into *out. */
static int int_text(pgmc_dctx *d, const char *p, int64_t lo, int64_t hi, int64_t *out)
{
    char *e;
    errno = 0;
    long long v = strtoll(p, &e, 10);
    if (e == p || *e || errno || v < lo || v > hi)
        return pgmc__rows_err(d, "malformed or out-of-range integer text '%.40s'", p);
    *out = v;
    return 0;
}

/* Decode a text value p[0..n) (p[n] == '\0') of kind k into dst. `top`:
 * p is the PGresult's own value (borrowable). */
int pgmc__rows_text_scalar(pgmc_dctx *d, pgmc_ckind k, const char *p, size_t n, int top, void *dst)
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
            return pgmc__rows_err(d, "malformed real text '%.40s'", p);
        *(float *)dst = f;
        return 0;
    }
    case PGMC_C_DOUBLE: {
        double f = strtod(p, &e);
        if (e == p || *e)
            return pgmc__rows_err(d, "malformed double text '%.40s'", p);
        *(double *)dst = f;
        return 0;
    }
    case PGMC_C_BOOL:
        if (n != 1 || (p[0] != 't' && p[0] != 'f'))
            return pgmc__rows_err(d, "malformed boolean text '%.10s'", p);
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
            return pgmc__rows_err(d, "malformed time text '%.40s'", p);
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
        return pgmc__rows_put_text(d, p, n, top, dst);
    case PGMC_C_ENUM:
        return pgmc__rows_enum(d, d->col->enum_desc, p, n, dst);
    case PGMC_C_ARRAY:
        return pgmc__rows_err(d, "nested array kind");
    }
    return pgmc__rows_err(d, "unknown kind %d", (int)k);
}

/* The text array parser walks the value twice: once to check the shape and
 * count elements, once (items != NULL) to decode them. */
typedef struct tarr {
    pgmc_dctx *d;
    pgmc_ckind ek;
    char *items;
    bool *nulls;
    size_t k; /* elements seen */
    int ndim; /* leaf depth, 0 until the first element */
    int dims[PGMC_ARRAY_MAXDIM];
    int fixed[PGMC_ARRAY_MAXDIM]; /* dims[i] known */
    int has_null;                 /* first pass: an unquoted NULL was seen */
} tarr;

/* The whitespace the server's array text may hold between items. */
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
            return pgmc__rows_err(t->d, "unterminated array element");
        char c = p[j];
        if (c == '\\') {
            if (++j >= n)
                return pgmc__rows_err(t->d, "unterminated array element");
            escapes++;
            continue;
        }
        if (quoted ? c == '"' : (c == ',' || c == '}' || c == '{' || c == '"'))
            break;
    }
    if (!quoted && (p[j] == '{' || p[j] == '"'))
        return pgmc__rows_err(t->d, "unexpected '%c' in an array element", p[j]);
    size_t after = quoted ? j + 1 : j;
    /* Unquoted: trailing white space is not part of the element. */
    size_t e = j;
    if (!quoted)
        while (e > s && is_space(p[e - 1]) && (e < 2 || p[e - 2] != '\\'))
            e--;
    if (!quoted && e == s)
        return pgmc__rows_err(t->d, "empty unquoted array element");
    *i = after;
    size_t idx = t->k++;
    int isnull = !quoted && !escapes && e - s == 4 && !strncasecmp(p + s, "NULL", 4);
    if (!t->items) {
        t->has_null |= isnull;
        return 0;
    }
    size_t es = pgmc__rows_kind_size(t->ek);
    if (isnull) {
        t->nulls[idx] = true;
        return 0;
    }
    char *buf = pgmc__rows_alloc(t->d, (e - s) + 1, 1);
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
    int rc = pgmc__rows_text_scalar(t->d, t->ek, buf, o, 1, t->items + idx * es);
    t->d->mode = saved;
    return rc;
}

/* One "{...}" level starting at p[*i] (depth 1 = outermost): items and
 * sub-arrays, dimensions checked for regularity; *i ends after the "}". */
static int tarr_walk(tarr *t, const char *p, size_t n, size_t *i, int depth)
{
    /* p[*i] == '{' */
    (*i)++;
    int count = 0;
    for (;;) {
        while (*i < n && is_space(p[*i]))
            (*i)++;
        if (*i >= n)
            return pgmc__rows_err(t->d, "unterminated array");
        if (p[*i] == '}' && count == 0) {
            (*i)++;
            if (depth == 1 && t->ndim == 0)
                return 0; /* "{}": an empty array */
            return pgmc__rows_err(t->d, "empty sub-array");
        }
        if (p[*i] == '{') {
            if (depth >= PGMC_ARRAY_MAXDIM || (t->ndim && depth >= t->ndim))
                return pgmc__rows_err(t->d, "array nesting does not match its dimensions");
            if (tarr_walk(t, p, n, i, depth + 1))
                return PGMC_ERR_DECODE;
        } else {
            if (!t->ndim)
                t->ndim = depth;
            if (depth != t->ndim)
                return pgmc__rows_err(t->d, "array nesting does not match its dimensions");
            if (tarr_elem(t, p, n, i))
                return PGMC_ERR_DECODE;
        }
        count++;
        while (*i < n && is_space(p[*i]))
            (*i)++;
        if (*i >= n)
            return pgmc__rows_err(t->d, "unterminated array");
        if (p[*i] == ',') {
            (*i)++;
            continue;
        }
        if (p[*i] != '}')
            return pgmc__rows_err(t->d, "unexpected '%c' in an array", p[*i]);
        (*i)++;
        break;
    }
    int lvl = depth - 1;
    if (t->fixed[lvl] && t->dims[lvl] != count)
        return pgmc__rows_err(t->d, "sub-arrays of different lengths");
    t->fixed[lvl] = 1;
    t->dims[lvl] = count;
    return 0;
}

/* Contract in rows_internal.h. */
int pgmc__rows_text_array(pgmc_dctx *d, pgmc_ckind ek, const char *p, size_t n, pgmc_array *a)
{
    size_t i = 0;
    int lb[PGMC_ARRAY_MAXDIM], nlb = 0;
    /* Optional "[lo:hi][lo:hi]=" when a lower bound is not 1. */
    if (n && p[0] == '[') {
        while (i < n && p[i] == '[') {
            char *e;
            if (nlb == PGMC_ARRAY_MAXDIM)
                return pgmc__rows_err(d, "too many array dimensions");
            long lo = strtol(p + i + 1, &e, 10);
            if (*e != ':')
                return pgmc__rows_err(d, "malformed array dimensions");
            strtol(e + 1, &e, 10);
            if (*e != ']')
                return pgmc__rows_err(d, "malformed array dimensions");
            lb[nlb++] = (int)lo;
            i = (size_t)(e + 1 - p);
        }
        if (i >= n || p[i] != '=')
            return pgmc__rows_err(d, "malformed array dimensions");
        i++;
    }
    if (i >= n || p[i] != '{')
        return pgmc__rows_err(d, "array text does not start with '{'");
    tarr t;
    memset(&t, 0, sizeof t);
    t.d = d;
    t.ek = ek;
    size_t start = i;
    if (tarr_walk(&t, p, n, &i, 1))
        return PGMC_ERR_DECODE;
    if (i != n)
        return pgmc__rows_err(d, "trailing text after the array");
    if (nlb && nlb != t.ndim)
        return pgmc__rows_err(d, "array dimension decoration does not match");
    size_t count = t.k, es = pgmc__rows_kind_size(ek);
    a->ndim = t.ndim;
    a->count = count;
    for (int k = 0; k < t.ndim; k++) {
        a->dims[k] = t.dims[k];
        a->lbounds[k] = nlb ? lb[k] : 1;
    }
    if (count == 0)
        return 0;
    char *items = pgmc__rows_alloc(d, count * es, 8);
    if (!items)
        return PGMC_ERR_DECODE;
    memset(items, 0, count * es);
    a->items = items;
    if (t.has_null) {
        bool *nulls = pgmc__rows_alloc(d, count * sizeof(bool), 1);
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
