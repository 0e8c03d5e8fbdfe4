/* rows_arena.c - the typed-row decoder's memory and context: the public
 * arena (pgmc_arena_*), the decoding context's errors and allocation, text
 * and bytes stored borrowed or copied, enum labels, and the facts about
 * each kind both wire formats need (its C size, the server types it
 * accepts). */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rows_internal.h"

/* ---- arena ---- */

void pgmc_arena_init(pgmc_arena *a, void *buf, size_t cap)
{
    a->base = buf;
    a->cap = buf ? cap : 0;
    a->used = 0;
    a->need = 0;
}

/* Contract in pgmc.h: forget every allocation (the buffer is reused). */
void pgmc_arena_reset(pgmc_arena *a)
{
    a->used = 0;
    a->need = 0;
}

/* Contract in pgmc.h: n bytes aligned to `align` (a power of two), or
 * NULL with a->need = n when the arena is full or a is NULL. */
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

int pgmc__rows_err(pgmc_dctx *d, const char *fmt, ...)
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

/* Contracts of the pgmc__rows_* functions: rows_internal.h. */
void *pgmc__rows_alloc(pgmc_dctx *d, size_t n, size_t align)
{
    void *p = pgmc_arena_alloc(d->arena, n ? n : 1, align);
    if (!p)
        pgmc__rows_err(d,
                       d->arena ? "the arena is full (%zu more bytes needed, %zu of %zu used)"
                                : "needs an arena (%zu bytes) and none was given",
                       n, d->arena ? d->arena->used : 0, d->arena ? d->arena->cap : 0);
    return p;
}

/* Store text; `borrow` says p is NUL-terminated and outlives the row. */
int pgmc__rows_put_text(pgmc_dctx *d, const char *p, size_t n, int borrow, pgmc_text *out)
{
    if (borrow && d->mode == PGMC_ROWS_BORROW) {
        out->ptr = p;
        out->len = n;
        return 0;
    }
    char *c = pgmc__rows_alloc(d, n + 1, 1);
    if (!c)
        return PGMC_ERR_DECODE;
    memcpy(c, p, n);
    c[n] = '\0';
    out->ptr = c;
    out->len = n;
    return 0;
}

/* Bytes: borrowed in PGMC_ROWS_BORROW, else copied into the arena. */
int pgmc__rows_put_bytes(pgmc_dctx *d, const char *p, size_t n, pgmc_bytes *out)
{
    if (d->mode == PGMC_ROWS_BORROW) {
        out->ptr = (const uint8_t *)p;
        out->len = n;
        return 0;
    }
    uint8_t *c = pgmc__rows_alloc(d, n, 1);
    if (!c)
        return PGMC_ERR_DECODE;
    memcpy(c, p, n);
    out->ptr = c;
    out->len = n;
    return 0;
}

/* ---- per-kind facts ---- */

size_t pgmc__rows_kind_size(pgmc_ckind k)
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
int pgmc__rows_oid_ok(pgmc_ckind k, Oid oid, int binary)
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

/* Arrays: a user array type (>= 16384) is accepted as it comes, a
 * built-in one when its element type suits the element kind. */
int pgmc__rows_column_oid_ok(const pgmc_column_desc *c, Oid oid, int binary)
{
    if (c->kind != PGMC_C_ARRAY)
        return pgmc__rows_oid_ok(c->kind, oid, binary);
    if (oid >= 16384)
        return 1;
    Oid e = array_elem_oid(oid);
    return e && pgmc__rows_oid_ok(c->elem_kind, e, binary);
}

/* ---- enums ---- */

int pgmc__rows_enum(pgmc_dctx *d, const pgmc_enum_desc *e, const char *p, size_t n, int *out)
{
    if (!e)
        return pgmc__rows_err(d, "enum column without an enum descriptor");
    for (uint32_t i = 0; i < e->n_labels; i++) {
        if (strlen(e->labels[i]) == n && !memcmp(e->labels[i], p, n)) {
            *out = (int)i;
            return 0;
        }
    }
    *out = -1; /* a label added after this build: <PREFIX>_<ENUM>__UNKNOWN */
    return 0;
}
