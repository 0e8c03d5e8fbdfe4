/* rows_binary.c - the typed-row decoder for PostgreSQL's binary wire
 * format: big-endian integers and floats, numeric (base-10000 digits to
 * its exact text), inet/cidr, timestamps and dates from PostgreSQL's
 * epoch, and arrays. Every length is checked before it is used. */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "rows_internal.h"

/* ---- big-endian reads ---- */

static uint16_t be16(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    return (uint16_t)((u[0] << 8) | u[1]);
}

/* Big-endian 32 bits at p (4 readable bytes). */
static uint32_t be32(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    return ((uint32_t)u[0] << 24) | ((uint32_t)u[1] << 16) | ((uint32_t)u[2] << 8) | u[3];
}

/* Big-endian 64 bits at p (8 readable bytes). */
static uint64_t be64(const char *p)
{
    return ((uint64_t)be32(p) << 32) | be32(p + 4);
}

/* ---- numeric: binary (base-10000 digits) to its exact text ---- */

static int numeric_bin(pgmc_dctx *d, const char *p, size_t n, pgmc_text *out)
{
    if (n < 8)
        return pgmc__rows_err(d, "binary numeric of %zu bytes", n);
    int ndigits = (int16_t)be16(p), weight = (int16_t)be16(p + 2);
    uint16_t sign = be16(p + 4);
    int dscale = (int16_t)be16(p + 6);
    if (ndigits < 0 || n != 8 + 2 * (size_t)ndigits || dscale < 0 || dscale > 0x3fff)
        return pgmc__rows_err(d, "malformed binary numeric (%d digits, %zu bytes, scale %d)",
                              ndigits, n, dscale);
    const char *special = sign == 0xC000   ? "NaN"
                          : sign == 0xD000 ? "Infinity"
                          : sign == 0xF000 ? "-Infinity"
                                           : NULL;
    if (special)
        return pgmc__rows_put_text(d, special, strlen(special), 0, out);
    if (sign != 0 && sign != 0x4000)
        return pgmc__rows_err(d, "binary numeric with sign word 0x%04x", sign);
    for (int i = 0; i < ndigits; i++)
        if (be16(p + 8 + 2 * i) > 9999)
            return pgmc__rows_err(d, "binary numeric digit %u > 9999", be16(p + 8 + 2 * i));
    size_t int_digits = weight >= 0 ? (size_t)(weight + 1) * 4 : 1;
    size_t cap = 1 + int_digits + 1 + (size_t)dscale + 4 + 1;
    char *s = pgmc__rows_alloc(d, cap, 1), *o = s;
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

static int inet_bin(pgmc_dctx *d, const char *p, size_t n, pgmc_text *out)
{
    if (n < 4)
        return pgmc__rows_err(d, "binary inet of %zu bytes", n);
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
        return pgmc__rows_err(d, "binary inet of family %u with %u address bytes", fam, nb);
    }
    if (n != 4 + (size_t)nb || bits > maxbits)
        return pgmc__rows_err(d, "malformed binary inet (%zu bytes, /%u)", n, bits);
    unsigned char addr[16];
    memcpy(addr, p + 4, nb);
    char buf[INET6_ADDRSTRLEN + 8];
    if (!inet_ntop(af, addr, buf, INET6_ADDRSTRLEN))
        return pgmc__rows_err(d, "inet_ntop failed");
    if (is_cidr || bits != maxbits) {
        size_t l = strlen(buf);
        snprintf(buf + l, sizeof buf - l, "/%u", bits);
    }
    return pgmc__rows_put_text(d, buf, strlen(buf), 0, out);
}

/* ---- timestamps and dates ---- */

static int ts_from_pg(pgmc_dctx *d, int64_t v, pgmc_timestamp *out)
{
    if (v == INT64_MAX || v == INT64_MIN) {
        *out = v;
        return 0;
    }
    if (v >= INT64_MAX - PG_EPOCH_USEC)
        return pgmc__rows_err(d, "timestamp beyond the Unix-epoch microsecond range");
    *out = v + PG_EPOCH_USEC;
    return 0;
}

/* A date in days since PostgreSQL's epoch to days since Unix's;
 * +-infinity (INT32_MAX/MIN) pass as they are. */
static int date_from_pg(pgmc_dctx *d, int32_t v, pgmc_date *out)
{
    if (v == INT32_MAX || v == INT32_MIN) {
        *out = v;
        return 0;
    }
    if (v >= INT32_MAX - PG_EPOCH_DAYS)
        return pgmc__rows_err(d, "date beyond the int32 day range");
    *out = v + PG_EPOCH_DAYS;
    return 0;
}
/* ---- one scalar value ---- */

/* Decode a binary value p[0..n) of kind k into dst. `top`: p is a whole
 * PGresult value (NUL-terminated by libpq), not an array element. */
int pgmc__rows_bin_scalar(pgmc_dctx *d, pgmc_ckind k, const char *p, size_t n, int top, void *dst)
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
        return pgmc__rows_put_bytes(d, p, n, dst);
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
            return pgmc__rows_err(d, "jsonb binary version %d (only 1 is known)", n ? p[0] : -1);
        return pgmc__rows_put_text(d, p + 1, n - 1, top, dst);
    case PGMC_C_TEXT:
    case PGMC_C_JSON:
        return pgmc__rows_put_text(d, p, n, top, dst);
    case PGMC_C_ENUM:
        return pgmc__rows_enum(d, d->col->enum_desc, p, n, dst);
    case PGMC_C_ARRAY:
        return pgmc__rows_err(d, "nested array kind");
    }
    return pgmc__rows_err(d, "binary value of %zu bytes does not fit the type", n);
}

/* ---- arrays ---- */

int pgmc__rows_bin_array(pgmc_dctx *d, pgmc_ckind ek, const char *p, size_t n, pgmc_array *a)
{
    if (n < 12)
        return pgmc__rows_err(d, "binary array of %zu bytes", n);
    int32_t ndim = (int32_t)be32(p), flags = (int32_t)be32(p + 4);
    Oid eoid = be32(p + 8);
    if (ndim < 0 || ndim > PGMC_ARRAY_MAXDIM || (flags & ~1))
        return pgmc__rows_err(d, "malformed binary array header (ndim %d, flags %d)", ndim, flags);
    if (eoid < 16384 && !pgmc__rows_oid_ok(ek, eoid, 1))
        return pgmc__rows_err(d, "array of element type oid %u does not fit the field", eoid);
    size_t pos = 12, count = ndim ? 1 : 0;
    if (n - pos < (size_t)ndim * 8)
        return pgmc__rows_err(d, "truncated binary array dimensions");
    a->ndim = ndim;
    for (int i = 0; i < ndim; i++) {
        int32_t dim = (int32_t)be32(p + pos), lb = (int32_t)be32(p + pos + 4);
        pos += 8;
        if (dim < 0 || (dim && count > (n / 4) / (size_t)dim))
            return pgmc__rows_err(d, "binary array dimension %d too large for its %zu bytes", dim,
                                  n);
        a->dims[i] = dim;
        a->lbounds[i] = lb;
        count *= (size_t)dim;
    }
    /* Every element takes at least its 4-byte length word. */
    if (count > (n - pos) / 4)
        return pgmc__rows_err(d, "binary array claims %zu elements in %zu bytes", count, n);
    a->count = count;
    if (count == 0)
        return pos == n ? 0
                        : pgmc__rows_err(d, "%zu trailing bytes after the binary array", n - pos);
    size_t es = pgmc__rows_kind_size(ek);
    char *items = pgmc__rows_alloc(d, count * es, 8);
    if (!items)
        return PGMC_ERR_DECODE;
    memset(items, 0, count * es);
    a->items = items;
    bool *nulls = NULL;
    for (size_t i = 0; i < count; i++) {
        if (n - pos < 4)
            return pgmc__rows_err(d, "truncated binary array element %zu", i);
        int32_t len = (int32_t)be32(p + pos);
        pos += 4;
        if (len == -1) {
            if (!nulls) {
                nulls = pgmc__rows_alloc(d, count * sizeof(bool), 1);
                if (!nulls)
                    return PGMC_ERR_DECODE;
                memset(nulls, 0, count * sizeof(bool));
                a->nulls = nulls;
            }
            nulls[i] = true;
            continue;
        }
        if (len < 0 || (size_t)len > n - pos)
            return pgmc__rows_err(d, "binary array element %zu of length %d overruns the value", i,
                                  len);
        if (pgmc__rows_bin_scalar(d, ek, p + pos, (size_t)len, 0, items + i * es))
            return PGMC_ERR_DECODE;
        pos += (size_t)len;
    }
    if (pos != n)
        return pgmc__rows_err(d, "%zu trailing bytes after the binary array", n - pos);
    return 0;
}
