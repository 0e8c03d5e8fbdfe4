/* inputcheck.c - see inputcheck.h. */
#include "util/inputcheck.h"

#include <stdio.h>
#include <string.h>

#define HIGH_BITS 0x8080808080808080ull

/* Length of the well-formed UTF-8 sequence at s[0..n) whose first byte is
 * not ASCII, or 0 if it is ill-formed (Unicode table 3-7). */
static size_t seq_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    unsigned char lo = 0x80, hi = 0xbf; /* range of the second byte */
    size_t len;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        if (c == 0xe0)
            lo = 0xa0; /* overlong */
        else if (c == 0xed)
            hi = 0x9f; /* surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        if (c == 0xf0)
            lo = 0x90; /* overlong */
        else if (c == 0xf4)
            hi = 0x8f; /* above U+10FFFF */
    } else {
        return 0; /* continuation byte, C0/C1 overlong lead, F5..FF */
    }
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    return len;
}

size_t pgmcg_utf8_invalid(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    for (;;) {
        /* ASCII fast path: 16, then 8 bytes at a time. */
        while (n - i >= 16) {
            uint64_t a, b;
            memcpy(&a, s + i, 8);
            memcpy(&b, s + i + 8, 8);
            if ((a | b) & HIGH_BITS)
                break;
            i += 16;
        }
        if (n - i >= 8) {
            uint64_t a;
            memcpy(&a, s + i, 8);
            if (!(a & HIGH_BITS)) {
                i += 8;
                continue;
            }
        }
        /* Byte by byte up to the next multibyte sequence, then that one. */
        while (i < n && s[i] < 0x80)
            i++;
        if (i == n)
            return n;
        size_t len = seq_len(s + i, n - i);
        if (!len)
            return i;
        i += len;
    }
}

void pgmcg_text_position(const char *text, size_t off, uint32_t *line, uint32_t *col)
{
    uint32_t l = 1;
    size_t start = 0;
    for (size_t i = 0; i < off; i++) {
        if (text[i] == '\n') {
            l++;
            start = i + 1;
        }
    }
    *line = l;
    *col = (uint32_t)(off - start) + 1;
}

size_t pgmcg_utf8_bom(const char *s, size_t n)
{
    return n >= 3 && !memcmp(s, "\xef\xbb\xbf", 3) ? 3 : 0;
}

/* 1 for a C0 control, DEL, or (at a valid sequence) a C1 control. */
static int is_control(const unsigned char *p)
{
    return p[0] < 0x20 || p[0] == 0x7f || (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f);
}

const char *pgmcg_name_problem(const char *name)
{
    size_t n = strlen(name);
    if (pgmcg_utf8_invalid(name, n) != n)
        return "the file name is not valid UTF-8";
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (is_control(p))
            return "the file name holds a control character";
    return NULL;
}

char *pgmcg_escape_name(const char *str, char *out, size_t cap)
{
    if (cap == 0)
        return out;
    const unsigned char *s = (const unsigned char *)str;
    size_t n = strlen(str), o = 0, i = 0;
    while (i < n) {
        char tmp[16];
        size_t tn, take = 1;
        unsigned char c = s[i];
        size_t len = c < 0x80 ? 1 : seq_len(s + i, n - i);
        if (c == '\n' || c == '\r' || c == '\t') {
            tmp[0] = '\\';
            tmp[1] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
            tn = 2;
        } else if (len == 0 || is_control(s + i)) {
            /* A C1 control is two bytes: escape both. */
            take = len == 2 ? 2 : 1;
            tn = 0;
            for (size_t k = 0; k < take; k++)
                tn += (size_t)snprintf(tmp + tn, sizeof tmp - tn, "\\x%02x", s[i + k]);
        } else {
            memcpy(tmp, s + i, len);
            tn = len;
            take = len;
        }
        if (o + tn >= cap)
            break;
        memcpy(out + o, tmp, tn);
        o += tn;
        i += take;
    }
    out[o] = '\0';
    return out;
}

/* 1 if s ends with suf ignoring ASCII case. */
static int ends_with_ci(const char *s, size_t n, const char *suf)
{
    size_t m = strlen(suf);
    if (n < m)
        return 0;
    for (size_t i = 0; i < m; i++) {
        char c = s[n - m + i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c != suf[i])
            return 0;
    }
    return 1;
}

int pgmcg_name_case_suggestion(const char *name, char *out, size_t cap)
{
    static const char *const exts[] = {".up.sql", ".down.sql", ".sql.conf", ".sql"};
    size_t n = strlen(name);
    /* Names the loader reads as they are need no suggestion. */
    if ((n >= 4 && !memcmp(name + n - 4, ".sql", 4)) ||
        (n >= 9 && !memcmp(name + n - 9, ".sql.conf", 9)))
        return 0;
    for (size_t k = 0; k < sizeof exts / sizeof exts[0]; k++) {
        size_t m = strlen(exts[k]);
        if (n == m || !ends_with_ci(name, n, exts[k]))
            continue;
        if (n + 1 > cap)
            return 0;
        memcpy(out, name, n - m);
        memcpy(out + n - m, exts[k], m + 1);
        return 1;
    }
    return 0;
}
