/* rows_internal.h - what the typed-row decoder's files share (rows.c, the
 * public entry points; rows_arena.c, the arena and decoding context;
 * rows_binary.c and rows_text.c, the two wire formats). Not installed.
 *
 * Every decoding function takes the context `d` and returns 0, or
 * PGMC_ERR_DECODE with d->res (when not NULL) saying which column and why;
 * it never reads outside p[0..n). Values that need memory go into
 * d->arena (PGMC_ROWS_COPY), or point into the PGresult where allowed
 * (PGMC_ROWS_BORROW). */
#ifndef PGMC_ROWS_INTERNAL_H
#define PGMC_ROWS_INTERNAL_H

#include "pgmc_internal.h"

/* PostgreSQL's epoch (2000-01-01) relative to Unix's, in days and usec. */
#define PG_EPOCH_DAYS 10957
#define PG_EPOCH_USEC INT64_C(946684800000000)
#define USEC_PER_DAY  INT64_C(86400000000)

/* The decoding context: one row's mode, arena, result and current column. */
typedef struct pgmc_dctx {
    pgmc_rows_mode mode;
    pgmc_arena *arena;
    pgmc_result *res; /* NULL: errors are returned, not described */
    const pgmc_column_desc *col;
} pgmc_dctx;

/* ---- rows_arena.c ---- */
/* Fail: res->code PGMC_ERR_DECODE, res->message "column "c" (type): ...".
 * Returns PGMC_ERR_DECODE. */
int pgmc__rows_err(pgmc_dctx *d, const char *fmt, ...) PGMC_PRINTF(2, 3);
/* n bytes (at least 1) aligned to align from d->arena; NULL (and the error
 * set) when there is no arena or it is full (arena->need says how much). */
void *pgmc__rows_alloc(pgmc_dctx *d, size_t n, size_t align);
/* Store text p[0..n) into *out, NUL-terminated: borrowed when `borrow`
 * (p is NUL-terminated and outlives the row) and the mode borrows, else
 * copied into the arena. */
int pgmc__rows_put_text(pgmc_dctx *d, const char *p, size_t n, int borrow, pgmc_text *out);
/* Store bytes p[0..n) into *out: borrowed in PGMC_ROWS_BORROW, else copied. */
int pgmc__rows_put_bytes(pgmc_dctx *d, const char *p, size_t n, pgmc_bytes *out);
/* The index of label p[0..n) in e into *out; -1 for a label this build does
 * not know (added later). Fails only without a descriptor. */
int pgmc__rows_enum(pgmc_dctx *d, const pgmc_enum_desc *e, const char *p, size_t n, int *out);
/* The C size of one value of kind k (an array element's slot); 0 unknown. */
size_t pgmc__rows_kind_size(pgmc_ckind k);
/* 1 if server type `oid` decodes into a scalar of kind k (in binary format
 * when `binary`), else 0. */
int pgmc__rows_oid_ok(pgmc_ckind k, Oid oid, int binary);
/* 1 if a result column of type `oid` decodes into field c, else 0. */
int pgmc__rows_column_oid_ok(const pgmc_column_desc *c, Oid oid, int binary);

/* ---- rows_binary.c: the binary wire format ---- */
/* Decode binary value p[0..n) of scalar kind k into dst (the field's C
 * type). `top`: p is a whole PGresult value (NUL-terminated by libpq, so
 * text may be borrowed), not an array element. */
int pgmc__rows_bin_scalar(pgmc_dctx *d, pgmc_ckind k, const char *p, size_t n, int top, void *dst);
/* Decode a binary array of element kind ek into *a (items and null flags
 * in the arena); every header, length and dimension checked. */
int pgmc__rows_bin_array(pgmc_dctx *d, pgmc_ckind ek, const char *p, size_t n, pgmc_array *a);

/* ---- rows_text.c: the text wire format ---- */
/* Decode text value p[0..n) (p[n] == '\0') of scalar kind k into dst.
 * `top`: p is the PGresult's own value (borrowable). */
int pgmc__rows_text_scalar(pgmc_dctx *d, pgmc_ckind k, const char *p, size_t n, int top, void *dst);
/* Decode an array's text ("{...}", optionally "[lo:hi]={...}", quoting and
 * NULL as the server prints them) of element kind ek into *a: two passes,
 * the first sizes and checks, the second decodes into the arena. */
int pgmc__rows_text_array(pgmc_dctx *d, pgmc_ckind ek, const char *p, size_t n, pgmc_array *a);

#endif
