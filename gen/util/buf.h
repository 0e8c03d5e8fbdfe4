/* buf.h - a growable byte buffer with inline appends, for the emitter.
 *
 * Appends never fail visibly: on out-of-memory the buffer sets `oom` and
 * drops further data; the caller checks `oom` once at the end. The buffer
 * owns `p`; free it with pgmcg_buf_free (or take it and set p = NULL).
 */
#ifndef PGMC_BUF_H
#define PGMC_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct pgmcg_buf {
    char *p;
    size_t len, cap;
    int oom;
} pgmcg_buf;

/* Make room for at least `n` more bytes. Returns 0, or -1 (and sets oom). */
int pgmcg_buf_grow(pgmcg_buf *b, size_t n);

/* Release the storage and reset to empty. */
void pgmcg_buf_free(pgmcg_buf *b);

static inline int pgmcg_buf_reserve(pgmcg_buf *b, size_t n)
{
    if (b->cap - b->len >= n)
        return 0;
    return pgmcg_buf_grow(b, n);
}

static inline void pgmcg_buf_add(pgmcg_buf *b, const void *s, size_t n)
{
    if (pgmcg_buf_reserve(b, n))
        return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static inline void pgmcg_buf_puts(pgmcg_buf *b, const char *s)
{
    pgmcg_buf_add(b, s, strlen(s));
}

static inline void pgmcg_buf_putc(pgmcg_buf *b, char c)
{
    if (pgmcg_buf_reserve(b, 1))
        return;
    b->p[b->len++] = c;
}

/* Append `v` in decimal, right-aligned in `width` columns (0: no padding). */
static inline void pgmcg_buf_putu(pgmcg_buf *b, uint64_t v, unsigned width)
{
    char tmp[24];
    unsigned n = 0;
    do {
        tmp[sizeof tmp - 1 - n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (pgmcg_buf_reserve(b, (width > n ? width : n)))
        return;
    while (width > n) {
        b->p[b->len++] = ' ';
        width--;
    }
    memcpy(b->p + b->len, tmp + sizeof tmp - n, n);
    b->len += n;
}

/* Number of decimal digits of v (1 for 0). */
static inline unsigned pgmcg_udigits(uint64_t v)
{
    unsigned n = 1;
    while (v >= 10) {
        v /= 10;
        n++;
    }
    return n;
}

/* Append formatted text (printf style). For headings, not hot loops. */
void pgmcg_buf_printf(pgmcg_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
