/* diag.c - see diag.h. */
#include "util/diag.h"

#include "util/inputcheck.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void pgmcg_diag_init(pgmcg_diag *d, FILE *echo)
{
    memset(d, 0, sizeof *d);
    d->echo = echo;
}

void pgmcg_diag_free(pgmcg_diag *d)
{
    free(d->text);
    memset(d, 0, sizeof *d);
}

static void append(pgmcg_diag *d, const char *s, size_t n)
{
    if (d->len + n + 1 > d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 256;
        while (cap < d->len + n + 1)
            cap *= 2;
        char *p = realloc(d->text, cap);
        if (!p)
            return; /* out of memory: drop the text, keep the counts */
        d->text = p;
        d->cap = cap;
    }
    memcpy(d->text + d->len, s, n);
    d->len += n;
    d->text[d->len] = '\0';
}

static void vreport(pgmcg_diag *d, const char *kind, const char *file, uint32_t line, uint32_t col,
                    const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));

static void vreport(pgmcg_diag *d, const char *kind, const char *file, uint32_t line, uint32_t col,
                    const char *fmt, va_list ap)
{
    char head[1024];
    char body[2048];
    char esc[900];
    int h;
    if (file)
        file = pgmcg_escape_name(file, esc, sizeof esc);
    if (!file)
        h = snprintf(head, sizeof head, "pgmc: %s: ", kind);
    else if (line == 0)
        h = snprintf(head, sizeof head, "%s: %s: ", file, kind);
    else if (col == 0)
        h = snprintf(head, sizeof head, "%s:%u: %s: ", file, line, kind);
    else
        h = snprintf(head, sizeof head, "%s:%u:%u: %s: ", file, line, col, kind);
    int b = vsnprintf(body, sizeof body, fmt, ap);
    if (h < 0 || b < 0)
        return;
    size_t hn = (size_t)h < sizeof head ? (size_t)h : sizeof head - 1;
    size_t bn = (size_t)b < sizeof body ? (size_t)b : sizeof body - 1;
    for (size_t i = 0; i < bn; i++) {
        unsigned char ch = (unsigned char)body[i];
        if ((ch < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7f)
            body[i] = '?'; /* an ESC from a quoted SQL snippet, say */
    }
    append(d, head, hn);
    append(d, body, bn);
    append(d, "\n", 1);
    if (d->echo) {
        fprintf(d->echo, "%.*s%.*s\n", (int)hn, head, (int)bn, body);
        fflush(d->echo);
    }
}

void pgmcg_diag_error(pgmcg_diag *d, const char *file, uint32_t line, uint32_t col, const char *fmt,
                      ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(d, "error", file, line, col, fmt, ap);
    va_end(ap);
    d->errors++;
}

void pgmcg_diag_note(pgmcg_diag *d, const char *file, uint32_t line, uint32_t col, const char *fmt,
                     ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(d, "note", file, line, col, fmt, ap);
    va_end(ap);
    d->notes++;
}

void pgmcg_diag_warning(pgmcg_diag *d, const char *file, uint32_t line, uint32_t col,
                        const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(d, "warning", file, line, col, fmt, ap);
    va_end(ap);
    d->notes++;
}

void pgmcg_diag_take(pgmcg_diag *d, const pgmcg_diag *from)
{
    if (from->len) {
        append(d, from->text, from->len);
        if (d->echo) {
            fwrite(from->text, 1, from->len, d->echo);
            fflush(d->echo);
        }
    }
    d->errors += from->errors;
    d->notes += from->notes;
}
