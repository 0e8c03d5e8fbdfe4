/* catalog_tok.c - the token cursor of the DDL replay: word matching,
 * balanced skipping, identifiers and string literals decoded as PostgreSQL
 * reads them, and positioned messages. See catalog_int.h.
 */
#include "catalog/catalog_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const pgmcg_token *pgmcg__cat_cur(const pgmcg_cat_parser *p)
{
    return p->i < p->n ? &p->t[p->i] : &p->eof;
}

const pgmcg_token *pgmcg__cat_peek(const pgmcg_cat_parser *p, size_t k)
{
    size_t j = p->i + k;
    return j < p->n ? &p->t[j] : &p->eof;
}

int pgmcg__cat_is_word(const pgmcg_token *t, const char *w)
{
    size_t n = strlen(w);
    if (t->kind != PGMC_TOK_IDENT || t->len != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = t->start[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != w[i])
            return 0;
    }
    return 1;
}

int pgmcg__cat_at(const pgmcg_cat_parser *p, size_t k, const char *w)
{
    return pgmcg__cat_is_word(pgmcg__cat_peek(p, k), w);
}

int pgmcg__cat_accept(pgmcg_cat_parser *p, const char *w)
{
    if (!pgmcg__cat_is_word(pgmcg__cat_cur(p), w))
        return 0;
    p->i++;
    return 1;
}

int pgmcg__cat_accept_seq(pgmcg_cat_parser *p, const char *words)
{
    char w[32];
    size_t k = 0;
    const char *s = words;
    while (*s) {
        size_t n = strcspn(s, " ");
        if (n >= sizeof w)
            return 0;
        memcpy(w, s, n);
        w[n] = '\0';
        if (!pgmcg__cat_at(p, k, w))
            return 0;
        k++;
        s += n;
        while (*s == ' ')
            s++;
    }
    p->i += k;
    return 1;
}

int pgmcg__cat_is_punct(const pgmcg_token *t, char c)
{
    return (t->kind == PGMC_TOK_PUNCT || t->kind == PGMC_TOK_OPERATOR) && t->len == 1 &&
           t->start[0] == c;
}

int pgmcg__cat_accept_punct(pgmcg_cat_parser *p, char c)
{
    if (!pgmcg__cat_is_punct(pgmcg__cat_cur(p), c))
        return 0;
    p->i++;
    return 1;
}

static int opens(const pgmcg_token *t)
{
    return pgmcg__cat_is_punct(t, '(') || pgmcg__cat_is_punct(t, '[');
}

static int closes(const pgmcg_token *t)
{
    return pgmcg__cat_is_punct(t, ')') || pgmcg__cat_is_punct(t, ']');
}

void pgmcg__cat_skip_group(pgmcg_cat_parser *p)
{
    if (!opens(pgmcg__cat_cur(p))) {
        if (p->i < p->n)
            p->i++;
        return;
    }
    size_t depth = 0;
    while (p->i < p->n) {
        const pgmcg_token *t = &p->t[p->i++];
        if (opens(t))
            depth++;
        else if (closes(t) && --depth == 0)
            return;
    }
}

void pgmcg__cat_skip_expr(pgmcg_cat_parser *p, const char *const *stops)
{
    size_t used = 0;
    while (p->i < p->n) {
        const pgmcg_token *t = pgmcg__cat_cur(p);
        if (pgmcg__cat_is_punct(t, ',') || closes(t))
            return;
        if (used && stops)
            for (const char *const *s = stops; *s; s++)
                if (pgmcg__cat_is_word(t, *s))
                    return;
        pgmcg__cat_skip_group(p);
        used++;
    }
}

int pgmcg__cat_is_ident(const pgmcg_token *t)
{
    return t->kind == PGMC_TOK_IDENT || t->kind == PGMC_TOK_QUOTED_IDENT;
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

static size_t put_utf8(char *o, unsigned long cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | ((cp >> 18) & 0x07));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Decode a quoted body s[0..n) (between the quotes, "" or '' doubled) into
 * a malloc'd string; with `uesc` non-zero, Unicode escapes use that char. */
static char *unquote(const char *s, size_t n, char q, char uesc)
{
    char *o = malloc(n * 4 + 1), *w = o;
    if (!o)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == q && i + 1 < n && s[i + 1] == q) {
            *w++ = q;
            i++;
        } else if (uesc && c == uesc) {
            if (i + 1 < n && s[i + 1] == uesc) {
                *w++ = uesc;
                i++;
                continue;
            }
            size_t digits = (i + 1 < n && s[i + 1] == '+') ? 6 : 4;
            size_t at = i + 1 + (digits == 6);
            unsigned long cp = 0;
            size_t k = 0;
            for (; k < digits && at + k < n; k++) {
                int h = hexval(s[at + k]);
                if (h < 0)
                    break;
                cp = cp * 16 + (unsigned long)h;
            }
            if (k != digits || cp == 0 || cp > 0x10FFFF) {
                *w++ = c; /* PostgreSQL rejects this; keep the text */
                continue;
            }
            w += put_utf8(w, cp);
            i = at + k - 1;
        } else {
            *w++ = c;
        }
    }
    *w = '\0';
    return o;
}

/* Find the UESCAPE character after a U&"..." or U&'...' body ending at
 * `after` (the byte past the closing quote), within the token. */
static char uescape_char(const pgmcg_token *t, const char *after)
{
    const char *end = t->start + t->len;
    const char *q = memchr(after, '\'', (size_t)(end - after));
    if (q && q + 1 < end)
        return q[1];
    return '\\';
}

char *pgmcg__cat_ident(const pgmcg_token *t)
{
    if (t->kind == PGMC_TOK_IDENT) {
        char *o = malloc(t->len + 1);
        if (!o)
            return NULL;
        for (size_t i = 0; i < t->len; i++) {
            char c = t->start[i];
            o[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
        }
        o[t->len] = '\0';
        return o;
    }
    if (t->kind != PGMC_TOK_QUOTED_IDENT)
        return NULL;
    const char *s = t->start, *end = t->start + t->len;
    int uni = 0;
    if ((s[0] == 'u' || s[0] == 'U') && s[1] == '&') {
        uni = 1;
        s += 2;
    }
    /* the body runs to the closing quote that is not doubled */
    const char *b = s + 1, *e = b;
    while (e < end) {
        if (*e == '"') {
            if (e + 1 < end && e[1] == '"') {
                e += 2;
                continue;
            }
            break;
        }
        e++;
    }
    char esc = uni ? uescape_char(t, e + 1 < end ? e + 1 : end) : 0;
    return unquote(b, (size_t)(e - b), '"', esc);
}

char *pgmcg__cat_string(const pgmcg_token *t)
{
    const char *s = t->start, *end = t->start + t->len;
    if (t->kind == PGMC_TOK_DOLLAR_STRING) {
        const char *q = memchr(s + 1, '$', t->len - 1);
        if (!q)
            return NULL;
        size_t tag = (size_t)(q - s) + 1;
        if (t->len < 2 * tag)
            return NULL;
        size_t n = t->len - 2 * tag;
        char *o = malloc(n + 1);
        if (!o)
            return NULL;
        memcpy(o, s + tag, n);
        o[n] = '\0';
        return o;
    }
    if (t->kind != PGMC_TOK_STRING)
        return NULL;
    int uni = 0, e_str = 0;
    if ((s[0] == 'u' || s[0] == 'U') && s[1] == '&') {
        uni = 1;
        s += 2;
    } else if (s[0] == 'e' || s[0] == 'E') {
        e_str = 1;
        s++;
    } else if (s[0] != '\'') {
        s++; /* N'..', B'..', X'..': keep the text */
    }
    const char *b = s + 1, *e = b;
    while (e < end) {
        if (e_str && *e == '\\' && e + 1 < end) {
            e += 2;
            continue;
        }
        if (*e == '\'') {
            if (e + 1 < end && e[1] == '\'') {
                e += 2;
                continue;
            }
            break;
        }
        e++;
    }
    if (e_str) {
        /* simple escapes only: enough for names and comments */
        char *o = malloc((size_t)(e - b) + 1), *w = o;
        if (!o)
            return NULL;
        for (const char *c = b; c < e; c++) {
            if (*c == '\'' && c + 1 < e && c[1] == '\'') {
                *w++ = '\'';
                c++;
            } else if (*c == '\\' && c + 1 < e) {
                c++;
                *w++ = *c == 'n' ? '\n' : *c == 't' ? '\t' : *c == 'r' ? '\r' : *c;
            } else {
                *w++ = *c;
            }
        }
        *w = '\0';
        return o;
    }
    char esc = uni ? uescape_char(t, e + 1 < end ? e + 1 : end) : 0;
    return unquote(b, (size_t)(e - b), '\'', esc);
}

int pgmcg__cat_qname(pgmcg_cat_parser *p, char **schema, char **name)
{
    *schema = *name = NULL;
    char *parts[3] = {0};
    size_t n = 0;
    for (;;) {
        const pgmcg_token *t = pgmcg__cat_cur(p);
        if (!pgmcg__cat_is_ident(t)) {
            char b[48];
            pgmcg__cat_error(p, t, "expected a name, found %s", pgmcg__cat_tokstr(t, b, sizeof b));
            goto fail;
        }
        if (n == 3) {
            pgmcg__cat_error(p, t, "improper qualified name (too many dotted names)");
            goto fail;
        }
        parts[n] = pgmcg__cat_ident(t);
        if (!parts[n])
            goto fail;
        n++;
        p->i++;
        if (!pgmcg__cat_is_punct(pgmcg__cat_cur(p), '.'))
            break;
        p->i++;
    }
    *name = parts[n - 1];
    if (n >= 2)
        *schema = parts[n - 2];
    if (n == 3)
        free(parts[0]);
    return 0;
fail:
    for (size_t i = 0; i < n; i++)
        free(parts[i]);
    return -1;
}

const char *pgmcg__cat_tokstr(const pgmcg_token *t, char *buf, size_t n)
{
    if (t->kind == PGMC_TOK_EOF) {
        snprintf(buf, n, "end of statement");
        return buf;
    }
    int len = t->len > 40 ? 40 : (int)t->len;
    snprintf(buf, n, "'%.*s%s'", len, t->start, t->len > 40 ? "..." : "");
    return buf;
}

void pgmcg__cat_error(pgmcg_cat_parser *p, const pgmcg_token *t, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pgmcg_diag_error(p->diag, p->file, t->line, t->col, "%s", msg);
    p->failed = 1;
}

void pgmcg__cat_note(pgmcg_cat_parser *p, const pgmcg_token *t, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pgmcg_diag_note(p->diag, p->file, t->line, t->col, "%s", msg);
    p->cat->warnings++;
}
