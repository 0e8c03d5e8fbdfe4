/* c_literal.c - see c_literal.h. The hot path is pgmcg_c_string: one pass
 * that finds the next byte needing an escape (16 at a time with SSE2, else
 * a byte-class table), copies the plain run before it with memcpy, and
 * reserves space per 64 KiB chunk, not per line. */
#include "emit/c_literal.h"

#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* 1 for bytes that need an escape or special handling: control bytes,
 * non-ASCII, '"', '\\' and '?'; 0 for bytes copied as they are. */
static const unsigned char special[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* First byte in s[i..end) that is special (or '\n'), or end. */
static size_t next_special(const char *s, size_t i, size_t end)
{
#ifdef __SSE2__
    const __m128i ctl = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7f), dq = _mm_set1_epi8('"'),
                  bs = _mm_set1_epi8('\\'), qm = _mm_set1_epi8('?');
    while (end - i >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        /* Signed compare: bytes >= 0x80 are negative, so "< 0x20" also
         * catches non-ASCII. */
        __m128i m = _mm_or_si128(_mm_cmplt_epi8(v, ctl), _mm_cmpeq_epi8(v, del));
        m = _mm_or_si128(m,
                         _mm_or_si128(_mm_cmpeq_epi8(v, dq),
                                      _mm_or_si128(_mm_cmpeq_epi8(v, bs), _mm_cmpeq_epi8(v, qm))));
        unsigned bits = (unsigned)_mm_movemask_epi8(m);
        if (bits)
            return i + (unsigned)__builtin_ctz(bits);
        i += 16;
    }
#endif
    while (i < end && !special[(unsigned char)s[i]])
        i++;
    return i;
}

void pgmcg_c_string(pgmcg_buf *b, const char *s, size_t n, const char *indent)
{
    size_t ind = strlen(indent);
    if (n == 0) {
        pgmcg_buf_add(b, "\"\"", 2);
        return;
    }
    /* One pass over the input in chunks; space for the worst case of a
     * chunk is reserved up front: 4 bytes out per byte in (octal escape),
     * or 5 + indent for a newline (\n" newline indent "), plus the quotes. */
    const size_t per = 5 + ind, chunk = 65536;
    size_t i = 0;
    int open = 0; /* inside a literal */
    while (i < n) {
        size_t end = n - i > chunk ? i + chunk : n;
        if (pgmcg_buf_reserve(b, (end - i) * per + 8))
            return;
        char *o = b->p + b->len;
        if (!open) {
            *o++ = '"';
            open = 1;
        }
        while (i < end) {
            size_t r = next_special(s, i, end);
            memcpy(o, s + i, r - i);
            o += r - i;
            if (r == end) {
                i = end;
                break;
            }
            unsigned char c = (unsigned char)s[r];
            i = r + 1;
            *o++ = '\\';
            switch (c) {
            case '\n':
                *o++ = 'n';
                *o++ = '"';
                if (i < n) {
                    *o++ = '\n';
                    memcpy(o, indent, ind);
                    o += ind;
                    *o++ = '"';
                } else {
                    open = 0;
                }
                break;
            case '"':
            case '\\':
                *o++ = (char)c;
                break;
            case '?':
                if (r > 0 && s[r - 1] == '?') {
                    *o++ = '?';
                } else {
                    o[-1] = '?'; /* a lone '?' needs no escape */
                }
                break;
            case '\t':
                *o++ = 't';
                break;
            case '\r':
                *o++ = 'r';
                break;
            default:
                /* Always three octal digits, so a following digit can never
                 * extend the escape (unlike \x, which is greedy). */
                *o++ = (char)('0' + (c >> 6));
                *o++ = (char)('0' + ((c >> 3) & 7));
                *o++ = (char)('0' + (c & 7));
                break;
            }
        }
        b->len = (size_t)(o - b->p);
    }
    if (open)
        pgmcg_buf_putc(b, '"');
}

void pgmcg_c_string1(pgmcg_buf *b, const char *s, size_t n)
{
    if (pgmcg_buf_reserve(b, n * 4 + 2))
        return;
    char *o = b->p + b->len;
    *o++ = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!special[c]) {
            *o++ = (char)c;
        } else if (c == '"' || c == '\\') {
            *o++ = '\\';
            *o++ = (char)c;
        } else if (c == '?') {
            if (i > 0 && s[i - 1] == '?')
                *o++ = '\\';
            *o++ = '?';
        } else {
            *o++ = '\\';
            *o++ = (char)('0' + (c >> 6));
            *o++ = (char)('0' + ((c >> 3) & 7));
            *o++ = (char)('0' + (c & 7));
        }
    }
    *o++ = '"';
    b->len = (size_t)(o - b->p);
}

void pgmcg_c_comment(pgmcg_buf *b, const char *s, size_t n, size_t max)
{
    /* Every input byte writes at most two, and writing stops after max. */
    if (pgmcg_buf_reserve(b, max + 8))
        return;
    char *o = b->p + b->len;
    size_t out = 0, i = 0;
    char prev = ' '; /* suppress leading spaces */
    for (; i < n && out < max; i++) {
        char c = s[i];
        unsigned char u = (unsigned char)c;
        if (u > ' ' && u < 0x7f && c != '*' && c != '/' && c != '?') {
            *o++ = c; /* the common case: printable, cannot form a pair */
            prev = c;
            out++;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            if (prev == ' ')
                continue;
            c = ' ';
        } else if (u < 0x20 || u >= 0x7f) {
            c = '.';
        }
        /* Never form a comment opener or closer, nor a trigraph. */
        if ((prev == '*' && c == '/') || (prev == '/' && c == '*') || (prev == '?' && c == '?')) {
            *o++ = ' ';
            out++;
        }
        *o++ = c;
        prev = c;
        out++;
    }
    b->len = (size_t)(o - b->p);
    if (i < n) {
        /* Something was left out: skip if it is only whitespace. */
        size_t j = i;
        while (j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r'))
            j++;
        if (j < n)
            pgmcg_buf_add(b, prev == '.' ? " ..." : "...", prev == '.' ? 4 : 3);
    }
    while (b->len && b->p[b->len - 1] == ' ')
        b->len--;
}

/* ---- the string table ---- */

void pgmcg_strtab_init(pgmcg_strtab *t, const char *name, pgmcg_buf *out)
{
    t->name = name;
    t->out = out;
    t->size = 0;
}

size_t pgmcg_strtab_text(pgmcg_strtab *t, const char *s, size_t n, const char *note)
{
    pgmcg_buf *b = t->out;
    size_t off = t->size;
    if (note) {
        pgmcg_buf_puts(b, "    /* ");
        pgmcg_buf_putu(b, off, 0);
        pgmcg_buf_puts(b, ": ");
        pgmcg_c_comment(b, note, strlen(note), 160);
        pgmcg_buf_puts(b, " */\n");
    }
    pgmcg_buf_puts(b, "    ");
    pgmcg_c_string(b, s, n, "    ");
    /* The closing quote becomes \0": the NUL is part of the table. */
    if (b->len && !b->oom) {
        b->len--;
        pgmcg_buf_add(b, "\\0\"\n", 4);
    }
    t->size += n + 1;
    return off;
}

void pgmcg_strtab_ref(const pgmcg_strtab *t, pgmcg_buf *b, size_t off)
{
    pgmcg_buf_puts(b, t->name);
    pgmcg_buf_add(b, " + ", 3);
    pgmcg_buf_putu(b, off, 0);
}
