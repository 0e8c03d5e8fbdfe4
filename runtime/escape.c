/* escape.c - printing text that comes from outside the program (history
 * rows, file and migration names, schema names, server messages) so that it
 * cannot move the cursor, clear the screen or forge a line: control
 * characters and bytes that are not UTF-8 become visible escapes. */
#define _POSIX_C_SOURCE 200809L

#include <string.h>

#include "pgmc_internal.h"

/* Length of the valid UTF-8 sequence at p (2-4), or 0 if it is not one. */
static size_t utf8_len(const unsigned char *p)
{
    unsigned char a = p[0], b = p[1];

    if (a >= 0xc2 && a <= 0xdf)
        return (b & 0xc0) == 0x80 ? 2 : 0;
    if (a >= 0xe0 && a <= 0xef) {
        if ((a == 0xe0 && b < 0xa0) || (a == 0xed && b > 0x9f) || (b & 0xc0) != 0x80 ||
            (p[2] & 0xc0) != 0x80)
            return 0;
        return 3;
    }
    if (a >= 0xf0 && a <= 0xf4) {
        if ((a == 0xf0 && b < 0x90) || (a == 0xf4 && b > 0x8f) || (b & 0xc0) != 0x80 ||
            (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80)
            return 0;
        return 4;
    }
    return 0;
}

/* The next unit of `p` as printable text into out (at most 8 bytes + NUL):
 * returns how many input bytes it stands for. */
static size_t unit(const unsigned char *p, char out[9], int keep_lines)
{
    static const char hex[] = "0123456789abcdef";
    size_t n;

    if (*p == '\n' || *p == '\t') {
        if (keep_lines) {
            out[0] = (char)*p, out[1] = '\0';
        } else {
            out[0] = '\\', out[1] = *p == '\n' ? 'n' : 't', out[2] = '\0';
        }
        return 1;
    }
    if (*p == '\r') {
        memcpy(out, "\\r", 3);
        return 1;
    }
    if (*p >= 0x20 && *p < 0x7f) {
        out[0] = (char)*p, out[1] = '\0';
        return 1;
    }
    n = *p >= 0x80 ? utf8_len(p) : 0;
    /* C1 controls (U+0080-U+009F, "\xc2\x80".."\xc2\x9f") act like ESC on
     * some terminals: escaped like the C0 ones. */
    if (n && !(n == 2 && p[0] == 0xc2 && p[1] < 0xa0)) {
        memcpy(out, p, n);
        out[n] = '\0';
        return n;
    }
    if (n == 0)
        n = 1;
    out[0] = '\\', out[1] = 'x', out[2] = hex[p[0] >> 4], out[3] = hex[p[0] & 15];
    if (n == 2) {
        out[4] = '\\', out[5] = 'x', out[6] = hex[p[1] >> 4], out[7] = hex[p[1] & 15];
        out[8] = '\0';
    } else {
        out[4] = '\0';
    }
    return n;
}

const char *pgmc__esc(char *buf, size_t cap, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t len = 0;
    char u[9];

    if (cap == 0)
        return buf;
    buf[0] = '\0';
    while (*p) {
        size_t k = unit(p, u, 0), ul = strlen(u);
        if (len + ul >= cap)
            break; /* never half an escape or half a character */
        memcpy(buf + len, u, ul + 1);
        len += ul;
        p += k;
    }
    return buf;
}

void pgmc__fputs_esc(FILE *f, const char *s, int keep_lines)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    char u[9];

    while (*p) {
        p += unit(p, u, keep_lines);
        fputs(u, f);
    }
}

int pgmc__needs_esc(const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    char u[9];

    while (*p) {
        size_t k = unit(p, u, 0);
        if (strlen(u) != k || memcmp(u, p, k) != 0)
            return 1;
        p += k;
    }
    return 0;
}

void pgmc__fputs_lines(FILE *f, const char *text, const char *indent)
{
    const char *p = text ? text : "", *nl;
    char piece[1100];

    while ((nl = strchr(p, '\n')) != NULL) {
        size_t n = (size_t)(nl - p) < sizeof piece ? (size_t)(nl - p) : sizeof piece - 1;
        memcpy(piece, p, n);
        piece[n] = '\0';
        pgmc__fputs_esc(f, piece, 1);
        fprintf(f, "\n%s", indent);
        p = nl + 1;
        while (*p == '\t')
            p++;
    }
    pgmc__fputs_esc(f, p, 1);
}
